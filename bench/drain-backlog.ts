/**
 * The bench backlog: N distinct buffer keys, a fixed mix of the six models, each hash holding exactly the
 * fields and bytes Sentry 7.7's incr writes (see test/integration/drain-fixtures.ts). Written with plain
 * pipelines (the bytes are what matter, not the MULTI around them), 500 keys per round trip.
 */
import type { Redis } from 'ioredis';
import { pickle } from '../src/codec/pickle-write.js';
import { PyStr, type PyValue } from '../src/codec/py-value.js';
import { MODEL_BY_NAME, type ModelName } from '../src/drain/buffer-models.js';
import { bufferKey } from '../src/drain/routing.js';
import { LAST_SEEN_UTC, SCORE_PICKLE, py } from '../test/integration/drain-fixtures.js';

export interface BacklogKey {
  model: ModelName;
  columns: Record<string, number>;
  filters: Record<string, number | string>;
  extra: Record<string, Buffer>;
}

const ORDER: Record<ModelName, string[]> = {
  Group: ['id'], Release: ['id'], TagValue: ['project_id', 'value', 'key'],
  GroupTagValue: ['project_id', 'group_id', 'value', 'key'], TagKey: ['project_id', 'key'], GroupTagKey: ['project_id', 'group_id', 'key'],
};
const NONE = py.value(null);
const BROWSERS = ['Chrome 43.0', 'Firefox 39.0', 'Safari 8.0', 'IE 11.0', 'Opera 30.0 é☃'];

/** Key number i of n: 10% Group, 1% Release, 30% TagValue, 50% GroupTagValue, 4% TagKey, 5% GroupTagKey. */
export function backlogKey(i: number, n: number): BacklogKey {
  const groups = Math.max(10, Math.round(n * 0.1));
  const releases = Math.max(1, Math.round(n * 0.01));
  const slot = i % 100;
  const j = Math.floor(i / 100);
  const gid = (i % groups) + 1;
  if (slot < 10) return { model: 'Group', columns: { times_seen: 1 + (i % 3) }, filters: { id: ((j * 10 + slot) % groups) + 1 }, extra: {} };
  if (slot < 11) return { model: 'Release', columns: { new_groups: 1 }, filters: { id: (j % releases) + 1 }, extra: {} };
  if (slot < 41) return { model: 'TagValue', columns: { times_seen: 1 }, filters: { project_id: 1, key: `tag${slot}`, value: `${BROWSERS[j % 5]} #${j}` }, extra: { last_seen: LAST_SEEN_UTC, data: NONE } };
  if (slot < 91) return { model: 'GroupTagValue', columns: { times_seen: 1 }, filters: { project_id: 1, group_id: gid, key: `tag${slot}`, value: `${BROWSERS[j % 5]} #${j}` }, extra: { last_seen: LAST_SEEN_UTC } };
  if (slot < 95) return { model: 'TagKey', columns: { values_seen: 1 }, filters: { project_id: 1, key: `k${slot}-${j}` }, extra: {} };
  return { model: 'GroupTagKey', columns: { values_seen: 1 }, filters: { project_id: 1, group_id: gid, key: `k${slot}-${j}` }, extra: {} };
}

/** Write the backlog; returns the counter sums it put in (times_seen/new_groups/values_seen per model). */
export async function writeBacklog(r: Redis, n: number): Promise<Record<string, number>> {
  const sums: Record<string, number> = { Group: 0, Release: 0, TagValue: 0, GroupTagValue: 0, TagKey: 0, GroupTagKey: 0 };
  const seen = new Set<string>();
  const base = Date.now() / 1000 - 3000;
  for (let i = 0; i < n; i += 500) {
    const pipe = r.pipeline();
    for (let x = i; x < Math.min(i + 500, n); x++) {
      const k = backlogKey(x, n);
      const m = MODEL_BY_NAME[k.model];
      const key = bufferKey(m.meta, Object.entries(k.filters));
      if (seen.has(key)) continue;
      seen.add(key);
      const extra = k.model === 'Group' ? { last_seen: LAST_SEEN_UTC, score: SCORE_PICKLE } : k.extra;
      pipe.hsetnx(key, 'm', m.path);
      pipe.hsetnx(key, 'f', pickle(new Map<PyValue, PyValue>(ORDER[k.model].map((f) => [new PyStr(f), k.filters[f] as PyValue])), 0));
      for (const [c, v] of Object.entries(k.columns)) pipe.hincrby(key, `i+${c}`, v);
      for (const [c, v] of Object.entries(extra)) pipe.hset(key, `e+${c}`, v);
      pipe.expire(key, 3600);
      pipe.zadd('b:p', (base + x / 1000).toFixed(6), key);
      sums[k.model] += Object.values(k.columns)[0];
    }
    await pipe.exec();
  }
  return sums;
}
