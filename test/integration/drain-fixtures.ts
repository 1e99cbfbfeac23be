/**
 * Write Sentry 7.7 buffer hashes byte for byte as `RedisBuffer.incr` does (buffer/redis.py at 7.7.0):
 * one MULTI of HSETNX m, HSETNX f <cPickle.dumps(filters)>, HINCRBY i+*, HSET e+* <cPickle.dumps(v)>, EXPIRE 3600,
 * ZADD b:p <time()> key. Filter dicts are written in CPython 2.7's iteration order for those key sets (checked
 * with CPython 2.7.18), so `f` is the very bytes Sentry stores. Shared by the drain tests and bench.
 */
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { pickle } from '../../src/codec/pickle-write.js';
import { PyDateTime, PyStr, PyTzInfo, type PyValue } from '../../src/codec/py-value.js';
import { MODEL_BY_NAME, type ModelName } from '../../src/drain/buffer-models.js';
import { bufferKey, partitionHost } from '../../src/drain/routing.js';

/** CPython 2.7 dict order of each model's filter names. */
const ORDER: Record<ModelName, string[]> = {
  Group: ['id'], Release: ['id'], TagValue: ['project_id', 'value', 'key'],
  GroupTagValue: ['project_id', 'group_id', 'value', 'key'], TagKey: ['project_id', 'key'], GroupTagKey: ['project_id', 'group_id', 'key'],
};

/**
 * `cPickle.dumps(ScoreClause(group))` for a Group 4242 (times_seen 7, last_seen 2015-07-28 20:41:30.123456 UTC) with
 * a cached Project, made by CPython 2.7.18 with stand-in classes copying the __reduce__ of Django 1.6 models
 * (model_unpickle, simple_class_factory, ModelState), Sentry 7.7 BaseModel, pytz and psycopg2 2.5 tz.
 */
export const SCORE_PICKLE = Buffer.from(
  'Y2NvcHlfcmVnCl9yZWNvbnN0cnVjdG9yCnAxCihjc2VudHJ5LmV2ZW50X21hbmFnZXIKU2NvcmVDbGF1c2UKcDIKY19fYnVpbHRpbl9fCm9iamVjdApwMwpOdFJwNAooZHA1ClMnZ3JvdXAnCnA2CmNkamFuZ28uZGIubW9kZWxzLmJhc2UKbW9kZWxfdW5waWNrbGUKcDcKKGNzZW50cnkubW9kZWxzLmdyb3VwCkdyb3VwCnA4CihsY2RqYW5nby5kYi5tb2RlbHMuYmFzZQpzaW1wbGVfY2xhc3NfZmFjdG9yeQpwOQp0UnAxMAooZHAxMQpTJ3N0YXR1cycKcDEyCkkwCnNTJ19zdGF0ZScKcDEzCmcxCihjZGphbmdvLmRiLm1vZGVscy5iYXNlCk1vZGVsU3RhdGUKcDE0CmczCk50UnAxNQooZHAxNgpTJ2FkZGluZycKcDE3CkkwMApzUydkYicKcDE4ClMnZGVmYXVsdCcKcDE5CnNic1MncGxhdGZvcm0nCnAyMApWcHl0aG9uCnAyMQpzUydpc19wdWJsaWMnCnAyMgpJMDAKc1MnZmlyc3Rfc2VlbicKcDIzCmNkYXRldGltZQpkYXRldGltZQpwMjQKKFMnXHgwN1x4ZGZceDA3XHgwMVx4MDBceDAwXHgwMFx4MDBceDAwXHgwNScKY3BzeWNvcGcyLnR6CkZpeGVkT2Zmc2V0VGltZXpvbmUKcDI1CihJMApOdFJwMjYKKGRwMjcKUydfb2Zmc2V0JwpwMjgKY2RhdGV0aW1lCnRpbWVkZWx0YQpwMjkKKEkwCkkwCkkwCnRScDMwCnNidFJwMzEKc1MnZGF0YScKcDMyCihkcDMzClMndHlwZScKcDM0CmcxOQpzUydtZXRhZGF0YScKcDM1CihkcDM2CnNzUydtZXNzYWdlJwpwMzcKVmJvb20KcDM4CnNTJ3Jlc29sdmVkX2F0JwpwMzkKTnNTJ3RpbWVfc3BlbnRfY291bnQnCnA0MApJMApzUydjdWxwcml0JwpwNDEKVmFwcC52aWV3cyBpbiBpbmRleApwNDIKc1MnbGV2ZWwnCnA0MwpJNDAKc1MnbnVtX2NvbW1lbnRzJwpwNDQKSTAKc1MndGltZXNfc2VlbicKcDQ1Ckk3CnNTJ19wcm9qZWN0X2NhY2hlJwpwNDYKZzcKKGNzZW50cnkubW9kZWxzLnByb2plY3QKUHJvamVjdApwNDcKKGxnOQp0UnA0OAooZHA0OQpnMTIKSTAKc1MnbmFtZScKcDUwClZXZWIKcDUxCnNTJ3B1YmxpYycKcDUyCkkwMApzZzEzCmcxCihnMTQKZzMKTnRScDUzCihkcDU0CmcxNwpJMDAKc2cxOApnMTkKc2JzUydpZCcKcDU1CkkxCnNTJ29yZ2FuaXphdGlvbl9pZCcKcDU2CkkxCnNnMjAKTnNTJ3RlYW1faWQnCnA1NwpJMQpzUydkYXRlX2FkZGVkJwpwNTgKZzI0CihTJ1x4MDdceGRmXHgwMVx4MDJceDAzXHgwNFx4MDVceDAwXHgwMFx4MDAnCmcyNQooSTAKTnRScDU5CihkcDYwCmcyOApnMjkKKEkwCkkwCkkwCnRScDYxCnNidFJwNjIKc1Mnc2x1ZycKcDYzClZ3ZWIKcDY0CnNic2c1NQpJNDI0MgpzUyd0aW1lX3NwZW50X3RvdGFsJwpwNjUKSTAKc1Mnc2NvcmUnCnA2NgpJMTQzODExNTAwMApzUydhY3RpdmVfYXQnCnA2NwpnMjQKKFMnXHgwN1x4ZGZceDA3XHgwMVx4MDBceDAwXHgwMFx4MDBceDAwXHgwNScKZzI1CihJMApOdFJwNjgKKGRwNjkKZzI4CmcyOQooSTAKSTAKSTAKdFJwNzAKc2J0UnA3MQpzUydmaXJzdF9yZWxlYXNlX2lkJwpwNzIKTnNTJ2xvZ2dlcicKcDczClYKc1MncHJvamVjdF9pZCcKcDc0CkkxCnNTJ2xhc3Rfc2VlbicKcDc1CmcyNAooUydceDA3XHhkZlx4MDdceDFjXHgxNClceDFlXHgwMVx4ZTJAJwpjcHl0egpfVVRDCnA3NgoodFJwNzcKdFJwNzgKc2JzYi4=',
  'base64',
);

/** `e+last_seen` from docs/sentry7-buffer.md §3: 2015-07-28 20:41:30.123456 with pytz.utc, and one read back from PostgreSQL. */
export const LAST_SEEN_UTC = Buffer.from("cdatetime\ndatetime\np1\n(S'\\x07\\xdf\\x07\\x1c\\x14)\\x1e\\x01\\xe2@'\ncpytz\n_UTC\np2\n(tRp3\ntRp4\n.", 'latin1');
export const LAST_SEEN_PG = Buffer.from("cdatetime\ndatetime\np1\n(S'\\x07\\xdf\\x07\\x1c\\x14)\\x1f\\x00\\x00\\x05'\ncpsycopg2.tz\nFixedOffsetTimezone\np2\n(I0\nNtRp3\n(dp4\nS'_offset'\np5\ncdatetime\ntimedelta\np6\n(I0\nI0\nI0\ntRp7\nsbtRp8\n.", 'latin1');

export const py = {
  datetime: (d: Date) => pickle(PyDateTime.fromDate(d, PyTzInfo.utc()), 0),
  value: (v: PyValue) => pickle(v, 0),
  str: (s: string) => new PyStr(s),
};

export type FilterValue = number | bigint | string;

/** `buffer.incr(model, columns, filters, extra)` exactly as Sentry 7.7 runs it, on the host nydus routes the key to. */
export async function sentryIncr(
  hosts: Redis[], model: ModelName, columns: Record<string, number>, filters: Record<string, FilterValue>, extra: Record<string, Buffer> = {},
  now = Date.now(),
): Promise<string> {
  const m = MODEL_BY_NAME[model];
  const key = bufferKey(m.meta, Object.entries(filters));
  const dict = new Map<PyValue, PyValue>(ORDER[model].map((k) => [new PyStr(k), filters[k] as PyValue]));
  const conn = hosts[partitionHost(key, hosts.length)];
  const tx = conn.multi();
  tx.hsetnx(key, 'm', m.path);
  tx.hsetnx(key, 'f', pickle(dict, 0));
  for (const [c, n] of Object.entries(columns)) tx.hincrby(key, `i+${c}`, n);
  for (const [c, v] of Object.entries(extra)) tx.hset(key, `e+${c}`, v);
  tx.expire(key, 3600);
  tx.zadd('b:p', (now / 1000).toFixed(6), key);
  await tx.exec();
  return key;
}

/** The smallest Sentry rows the buffered tables point at: a user, an organization, a team, a project. */
export async function seedProject(db: Kysely<any>, projectId = 1): Promise<void> {
  const t = new Date('2015-01-01T00:00:00Z');
  await db.insertInto('auth_user').values({
    id: 1, password: '', last_login: t, username: 'admin', first_name: '', last_name: '', email: 'a@b.c', is_staff: true,
    is_active: true, is_superuser: true, date_joined: t, is_managed: false,
  }).execute();
  await db.insertInto('sentry_organization').values({ id: 1, name: 'Org', owner_id: 1, status: 0, date_added: t, slug: 'org', flags: 0 }).execute();
  await db.insertInto('sentry_team').values({ id: 1, slug: 'team', name: 'Team', status: 0, organization_id: 1 }).execute();
  await db.insertInto('sentry_project').values({
    id: projectId, name: 'Web', slug: 'web', public: false, date_added: t, status: 0, team_id: 1, organization_id: 1,
  }).execute();
}

export async function seedGroup(db: Kysely<any>, id: number, over: Record<string, unknown> = {}): Promise<void> {
  const t = new Date('2015-07-01T00:00:00Z');
  await db.insertInto('sentry_groupedmessage').values({
    id, logger: '', level: 40, message: 'boom', view: 'app.views in index', status: 0, times_seen: 7, last_seen: t, first_seen: t,
    score: 0, project_id: 1, time_spent_total: 0, time_spent_count: 0, active_at: t, is_public: false, num_comments: 0, ...over,
  }).execute();
}
