/**
 * `drain-buffer` without --apply: a read-only look at each Sentry Redis host. Bounded work only: ZCARD, the two
 * ends of b:p, a few SCAN pages, HGETALL on a sample (reads never delete), INFO. Never ZRANGE 0 -1 or KEYS.
 */
import type { Redis } from 'ioredis';
import type { RedisUrl } from '../config/redis-url.js';
import { unpickle } from '../codec/pickle-read.js';
import { PyDateTime, PyGlobal, PyObject, PyTuple, type PyValue } from '../codec/py-value.js';
import { decodeEntry, isRejection } from './decode-entry.js';
import { BUFFER_KEY, PENDING_KEY, PartitionRouting, lockKey } from './routing.js';

export interface HostReport {
  host: string;
  pending: number;
  oldestAgeSeconds: number | null;
  newestAgeSeconds: number | null;
  flushLock: { held: boolean; by: 'sentry' | 'sentry-admin' | 'other' | null; ttl: number | null };
  dbsize: number;
  scan: {
    complete: boolean; keysScanned: number; bufferKeys: number; estimatedBufferKeys: number; notInPending: number; estimatedOrphans: number; misrouted: number;
    /** b:k:* keys (of those scanned) that are not hashes: no HGETALL can read them, the drain cannot take them. */
    wrongType: { key: string; type: string }[];
  };
  sample: { read: number; models: Record<string, number>; types: Record<string, number>; problems: Record<string, number>; ttlMinSeconds: number | null };
  memory: { usedBytes: number; maxBytes: number; policy: string };
  celeryQueue: number | null;
  causes: string[];
}

export interface ReportOptions {
  scanPages: number;
  sample: number;
  now?: number;
}

export async function reportBuffer(redis: Redis[], urls: RedisUrl[], opts: ReportOptions): Promise<HostReport[]> {
  const routing = new PartitionRouting(redis.length);
  return Promise.all(redis.map((r, h) => reportHost(r, urls[h].masked, h, routing, opts)));
}

async function reportHost(r: Redis, host: string, h: number, routing: PartitionRouting, opts: ReportOptions): Promise<HostReport> {
  const now = (opts.now ?? Date.now()) / 1000;
  const [pending, oldest, newest, lockVal, lockTtl, dbsize, info] = await Promise.all([
    r.zcard(PENDING_KEY), r.zrange(PENDING_KEY, 0, 0, 'WITHSCORES'), r.zrange(PENDING_KEY, -1, -1, 'WITHSCORES'),
    r.get(lockKey(PENDING_KEY)), r.ttl(lockKey(PENDING_KEY)), r.dbsize(), r.info('memory'),
  ]);
  const age = (x: string[]) => (x.length === 2 ? Math.max(0, Math.round(now - Number(x[1]))) : null);

  let cursor = '0';
  let pages = 0;
  let scanned = 0;
  const found: string[] = [];
  do {
    const [next, keys] = await r.scan(cursor, 'COUNT', 1000);
    cursor = next;
    scanned += keys.length;
    for (const k of keys) if (k.startsWith('b:k:')) found.push(k);
  } while (cursor !== '0' && ++pages < opts.scanPages);
  const complete = cursor === '0';
  const bufferKeys = found.filter((k) => BUFFER_KEY.test(k));
  const misrouted = bufferKeys.filter((k) => routing.hostOf(k) !== h).length;
  const pipe = r.pipeline();
  for (const k of bufferKeys) pipe.zscore(PENDING_KEY, k).type(k);
  const replies = (await pipe.exec()) ?? [];
  const listed = bufferKeys.map((_, i) => replies[2 * i][1] !== null);
  const notInPending = listed.filter((x) => !x).length;
  const wrongType: HostReport['scan']['wrongType'] = [];
  bufferKeys.forEach((key, i) => {
    const type = String(replies[2 * i + 1][1]);
    if (type !== 'hash' && type !== 'none') wrongType.push({ key, type });
  });
  const unreadable = new Set(wrongType.map((w) => w.key));
  const scale = complete || scanned === 0 ? 1 : dbsize / scanned;

  const sample: HostReport['sample'] = { read: 0, models: {}, types: {}, problems: {}, ttlMinSeconds: null };
  const bump = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
  for (const k of bufferKeys.filter((x) => !unreadable.has(x)).slice(0, opts.sample)) {
    let fields: Record<string, Buffer>;
    let ttl: number;
    try {
      [fields, ttl] = await Promise.all([r.hgetallBuffer(k), r.ttl(k)]);
    } catch (err) {
      if (!/WRONGTYPE/.test((err as Error).message)) throw err;
      wrongType.push({ key: k, type: await r.type(k) }); // replaced since the TYPE above
      continue;
    }
    const raw = Object.entries(fields).map(([n, v]) => [Buffer.from(n, 'latin1'), v] as [Buffer, Buffer]);
    if (!raw.length) continue;
    sample.read++;
    if (ttl >= 0) sample.ttlMinSeconds = Math.min(sample.ttlMinSeconds ?? ttl, ttl);
    const e = decodeEntry(k, raw);
    if (isRejection(e)) bump(sample.problems, e.reason.replace(/\d+/g, 'N'));
    else bump(sample.models, e.model.name);
    for (const [n, v] of raw) {
      const name = n.toString('latin1');
      if (name !== 'f' && !name.startsWith('e+')) continue;
      try {
        for (const t of typesIn(unpickle(v, { opaque: true }))) bump(sample.types, `${name.startsWith('e+') ? name : 'f'}: ${t}`);
      } catch (err) {
        bump(sample.types, `${name}: unreadable (${(err as Error).message.slice(0, 60)})`);
      }
    }
  }

  const mem = (name: string) => /^(\S+):(.*)$/m.exec(info.split('\n').find((l) => l.startsWith(name + ':')) ?? '')?.[2]?.trim() ?? '';
  let celeryQueue: number | null = null;
  if ((await r.type('counters-0')) === 'list') celeryQueue = await r.llen('counters-0');
  const report: HostReport = {
    host, pending, oldestAgeSeconds: age(oldest), newestAgeSeconds: age(newest),
    flushLock: {
      held: lockVal !== null, ttl: lockVal === null ? null : lockTtl,
      by: lockVal === null ? null : lockVal === '1' ? 'sentry' : lockVal.startsWith('sentry-admin:') ? 'sentry-admin' : 'other',
    },
    dbsize,
    scan: {
      complete, keysScanned: scanned, bufferKeys: bufferKeys.length, estimatedBufferKeys: Math.round(bufferKeys.length * scale),
      notInPending, estimatedOrphans: Math.round(notInPending * scale), misrouted, wrongType,
    },
    sample,
    memory: { usedBytes: Number(mem('used_memory')), maxBytes: Number(mem('maxmemory')), policy: mem('maxmemory_policy') },
    celeryQueue, causes: [],
  };
  report.causes = causes(report, h === routing.pendingLockHost);
  return report;
}

function causes(r: HostReport, lockHost: boolean): string[] {
  const out: string[] = [];
  if (r.pending > 0 && (r.oldestAgeSeconds ?? 0) > 60) {
    out.push(`the oldest pending key is ${r.oldestAgeSeconds} s old, while Sentry flushes every 10 s: no flush is running (is celerybeat started? is a worker consuming the counters-0 queue?)`);
  }
  if (lockHost && r.flushLock.held && r.flushLock.by === 'sentry' && (r.flushLock.ttl ?? 0) > 0) out.push('a Sentry flush holds l:b:p right now (ZRANGE b:p 0 -1 in progress)');
  if (r.celeryQueue !== null && r.celeryQueue > 1000) out.push(`${r.celeryQueue} messages wait in the counters-0 queue: workers are not keeping up; do not purge it before the orphan sweep has run`);
  if (r.scan.estimatedOrphans > 0) out.push(`about ${r.scan.estimatedOrphans} buffer hashes are not listed in b:p (purged queue or deleted b:p); they expire within an hour of their last increment`);
  if (r.scan.misrouted > 0) out.push(`${r.scan.misrouted} sampled keys are not on the host Sentry's PartitionRouter would choose: check the order of --sentry-redis URLs (and that Sentry uses PartitionRouter)`);
  if (r.memory.policy.startsWith('volatile') || r.memory.policy.startsWith('allkeys')) out.push(`maxmemory-policy ${r.memory.policy} may evict buffer hashes under memory pressure`);
  return out;
}

/** Python classes found in a decoded pickle, for "which pickled types did we see". */
function typesIn(v: PyValue, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 6) return out;
  if (v instanceof PyDateTime) out.add(v.tz ? `datetime(${v.tz.source})` : 'datetime(naive)');
  else if (v instanceof PyObject) {
    out.add(`${v.module}.${v.name}`);
    if (depth < 1 && v.state !== undefined) typesIn(v.state, out, depth + 1);
  } else if (v instanceof PyGlobal) out.add(`${v.module}.${v.name}`);
  else if (v instanceof Map) for (const [, x] of v) typesIn(x, out, depth + 1);
  else if (Array.isArray(v)) v.forEach((x) => typesIn(x, out, depth + 1));
  else if (v instanceof PyTuple) v.items.forEach((x) => typesIn(x, out, depth + 1));
  return out;
}
