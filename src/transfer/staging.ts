import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { LockedError, UsageError } from '../errors.js';
import type { PlannedTable } from './export.js';

/**
 * The Redis side of a migration run. Every key lives under `<ns>:`; no key grows with a table:
 * chunk payloads are bounded, a chunk is deleted once imported, stream entries are XDEL'd on ack,
 * and the total bytes staged at once are capped (the exporter waits for importers).
 *
 *   <ns>:meta                 hash: source, target, scope, state, created
 *   <ns>:tables               hash: table -> JSON {columns, pk, order}
 *   <ns>:export               hash: <table>:last, <table>:seq, <table>:done   (exporter checkpoints)
 *   <ns>:progress:<table>     hash: exported_rows/chunks/bytes, imported_rows/chunks, rejected, seconds…
 *   <ns>:q:<table>            stream of chunk descriptors, consumer group "importers"
 *   <ns>:chunk:<table>:<seq>  one chunk payload (JSON), deleted when imported
 *   <ns>:staged-bytes         bytes of payloads currently staged
 *   <ns>:rejected:<table>     set of primary keys rejected (so their children are rejected too)
 *   <ns>:lock:exporter        exporter lock (token, expires unless refreshed)
 *   <ns>:lock:importer:<id>   one per importer worker
 */
export const GROUP = 'importers';

export interface ChunkDescriptor {
  streamId: string;
  table: string;
  seq: number;
  key: string;
  rows: number;
  bytes: number;
  /** First and last primary key of the chunk (integer keys), or null (the importer deletes by key list). */
  first: string | null;
  last: string | null;
}

export interface ChunkPayload {
  table: string;
  columns: string[];
  rows: unknown[][];
}

export interface RunIdentity {
  source: string;
  target: string;
  scope: string;
}

export class Staging {
  constructor(
    readonly redis: Redis,
    readonly ns: string,
  ) {}

  key(...parts: (string | number)[]): string {
    return [this.ns, ...parts].join(':');
  }

  // ---------- identity ----------

  async identity(): Promise<(RunIdentity & { state: string; created: string; id: string }) | null> {
    const m = await this.redis.hgetall(this.key('meta'));
    return m.source ? (m as any) : null;
  }

  /**
   * Bind the namespace to this run, or check that it belongs to it. The target may be unknown
   * ('') for a plain export; the first importer fills it in.
   */
  async claim(id: RunIdentity): Promise<'new' | 'resume'> {
    const created = await this.redis.hsetnx(this.key('meta'), 'source', id.source);
    if (created) {
      await this.redis.hset(this.key('meta'), { target: id.target, scope: id.scope, state: 'exporting', created: new Date().toISOString(), id: randomBytes(6).toString('hex') });
      return 'new';
    }
    this.checkIdentity((await this.identity())!, id);
    if (id.target && !(await this.redis.hget(this.key('meta'), 'target'))) await this.redis.hset(this.key('meta'), 'target', id.target);
    return 'resume';
  }

  /** Throws when the namespace was made by a run with another source, target or scope. */
  checkIdentity(cur: RunIdentity, id: RunIdentity): void {
    const problems: string[] = [];
    if (id.source && cur.source !== id.source) problems.push(`source ${cur.source}`);
    if (id.target && cur.target && cur.target !== id.target) problems.push(`target ${cur.target}`);
    if (id.scope && cur.scope !== id.scope) problems.push(`scope "${cur.scope}"`);
    if (problems.length) {
      throw new UsageError(
        `namespace "${this.ns}" belongs to another run (${problems.join(', ')}); nothing was written`,
        `use --namespace NAME for a new run, or \`sentry-admin discard --namespace ${this.ns}\` to delete the old one`,
      );
    }
  }

  async setState(state: string): Promise<void> {
    await this.redis.hset(this.key('meta'), 'state', state);
  }

  // ---------- locks ----------

  /**
   * A lock that dies with its holder: SET NX PX, refreshed every third of its life. A run killed
   * with SIGKILL leaves a lock that expires within `ttlMs`, so a rerun waits that long at most.
   */
  async lock(name: string, opts: { ttlMs?: number; waitMs?: number; what: string }): Promise<() => Promise<void>> {
    const key = this.key('lock', name);
    const token = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const ttl = opts.ttlMs ?? 15_000;
    const deadline = Date.now() + (opts.waitMs ?? ttl + 2_000);
    while (!(await this.redis.set(key, token, 'PX', ttl, 'NX'))) {
      if (Date.now() > deadline) {
        const holder = await this.redis.get(key);
        throw new LockedError(`${opts.what} is already running in namespace "${this.ns}" (held by ${holder})`);
      }
      await sleep(500);
    }
    const timer = setInterval(() => {
      this.redis.eval(REFRESH, 1, key, token, ttl).catch(() => undefined);
    }, Math.floor(ttl / 3));
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    };
  }

  // ---------- export side ----------

  async checkpoint(table: string): Promise<{ last: string | null; seq: number; done: boolean }> {
    const [last, seq, done] = await this.redis.hmget(this.key('export'), `${table}:last`, `${table}:seq`, `${table}:done`);
    return { last: last ?? null, seq: Number(seq ?? 0), done: done === '1' };
  }

  async ensureGroup(table: string): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key('q', table), GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  /** Stage one chunk and move the checkpoint past it, atomically. */
  async stage(table: string, seq: number, payload: string, rows: number, first: string | null, last: string | null, lastKey: string): Promise<void> {
    const chunkKey = this.key('chunk', table, seq);
    const bytes = Buffer.byteLength(payload);
    await this.redis
      .multi()
      .set(chunkKey, payload)
      .xadd(this.key('q', table), '*', 'seq', seq, 'key', chunkKey, 'rows', rows, 'bytes', bytes, 'first', first ?? '', 'last', last ?? '')
      .hset(this.key('export'), `${table}:last`, lastKey, `${table}:seq`, seq + 1)
      .hincrby(this.key('progress', table), 'exported_rows', rows)
      .hincrby(this.key('progress', table), 'exported_chunks', 1)
      .hincrby(this.key('progress', table), 'exported_bytes', bytes)
      .incrby(this.key('staged-bytes'), bytes)
      .exec();
  }

  async markExported(table: string, seconds: number): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key('export'), `${table}:done`, '1')
      .hset(this.key('progress', table), 'export_done', '1')
      .hincrbyfloat(this.key('progress', table), 'export_seconds', seconds)
      .exec();
  }

  async stagedBytes(): Promise<number> {
    return Number((await this.redis.get(this.key('staged-bytes'))) ?? 0);
  }

  // ---------- import side ----------

  /** Chunks this consumer was given before and never acknowledged (resume after a crash), then new ones. */
  async readChunks(tables: string[], consumer: string, opts: { pending: boolean; count: number; blockMs: number }): Promise<ChunkDescriptor[]> {
    if (!tables.length) return [];
    const streams = tables.map((t) => this.key('q', t));
    const ids = tables.map(() => (opts.pending ? '0' : '>'));
    const args: (string | number)[] = ['GROUP', GROUP, consumer, 'COUNT', opts.count];
    if (!opts.pending) args.push('BLOCK', opts.blockMs);
    const res = (await (this.redis as any).xreadgroup(...args, 'STREAMS', ...streams, ...ids)) as [string, [string, string[]][]][] | null;
    return parseEntries(res ?? [], this.ns);
  }

  /** Take over chunks a dead importer held for longer than `idleMs`. */
  async reclaim(table: string, consumer: string, idleMs: number): Promise<ChunkDescriptor[]> {
    const res = (await this.redis.xautoclaim(this.key('q', table), GROUP, consumer, idleMs, '0', 'COUNT', 10)) as [string, [string, string[]][]];
    return parseEntries([[this.key('q', table), res[1].filter((e) => e && e[1])]], this.ns);
  }

  async payload(d: ChunkDescriptor): Promise<ChunkPayload | null> {
    const text = await this.redis.get(d.key);
    return text ? (JSON.parse(text) as ChunkPayload) : null;
  }

  /** The chunk is in the target: forget it everywhere, in one step. */
  async ack(d: ChunkDescriptor, imported: number, rejected: number, seconds: number): Promise<void> {
    const stream = this.key('q', d.table);
    await this.redis
      .multi()
      .xack(stream, GROUP, d.streamId)
      .xdel(stream, d.streamId)
      .del(d.key)
      .decrby(this.key('staged-bytes'), d.bytes)
      .hincrby(this.key('progress', d.table), 'imported_rows', imported)
      .hincrby(this.key('progress', d.table), 'imported_chunks', 1)
      .hincrby(this.key('progress', d.table), 'rejected', rejected)
      .hincrbyfloat(this.key('progress', d.table), 'import_seconds', seconds)
      .exec();
  }

  async addRejected(table: string, keys: string[]): Promise<void> {
    if (keys.length) await this.redis.sadd(this.key('rejected', table), ...keys);
  }

  async rejectedKeys(table: string): Promise<Set<string>> {
    const out = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.sscan(this.key('rejected', table), cursor, 'COUNT', 1000);
      keys.forEach((k) => out.add(k));
      cursor = next;
    } while (cursor !== '0');
    return out;
  }

  async progress(table: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key('progress', table));
  }

  async setTables(tables: PlannedTable[]): Promise<void> {
    const m: Record<string, string> = {};
    tables.forEach((t, i) => (m[t.table] = JSON.stringify({ ...t, order: i })));
    await this.redis.del(this.key('tables'));
    if (tables.length) await this.redis.hset(this.key('tables'), m);
    for (const t of tables) await this.ensureGroup(t.table);
  }

  async tables(): Promise<PlannedTable[]> {
    const m = await this.redis.hgetall(this.key('tables'));
    return Object.values(m).map((v) => JSON.parse(v)).sort((a, b) => a.order - b.order);
  }

  /** Delete every key of the namespace (SCAN + UNLINK in batches; never KEYS). */
  async discard(): Promise<number> {
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(this.ns)}:*`, 'COUNT', 500);
      if (keys.length) n += await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return n;
  }
}

function parseEntries(res: [string, [string, string[]][]][], ns: string): ChunkDescriptor[] {
  const out: ChunkDescriptor[] = [];
  for (const [stream, entries] of res) {
    const table = stream.slice(ns.length + 3);
    for (const [id, fields] of entries) {
      if (!fields) continue;
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      out.push({ streamId: id, table, seq: Number(f.seq), key: f.key, rows: Number(f.rows), bytes: Number(f.bytes), first: f.first || null, last: f.last || null });
    }
  }
  return out;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const REFRESH = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
