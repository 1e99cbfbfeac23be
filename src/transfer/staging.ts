import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RuntimeFailure, UsageError } from '../errors.js';
import { Lease, type LeaseOptions } from '../redis/lease.js';
import { ACK, ADD_REJECTED, ADVANCE, ENSURE_GROUP, GUARD, LEAVE_GROUP, MARK_EXPORTED, MEMORY_OF, RECLAIM, RESTAGE, SET_STATE, STAGE, WITHDRAW } from './staging-lua.js';
import type { PlannedTable } from './plan.js';

/**
 * The Redis side of a migration run. Every key lives under `<ns>:`; no key grows with a table:
 * chunk payloads are bounded, a chunk is deleted once imported, stream entries are XDEL'd on ack,
 * and the Redis memory the namespace takes at once is capped (the exporter waits for importers: FlowControl in export.ts).
 *
 *   <ns>:meta                 hash: source, target, scope, state, created, id (the run id)
 *   <ns>:tables               hash: table -> JSON {columns, pk, order}
 *   <ns>:export               hash: <table>:last, <table>:seq, <table>:done   (exporter checkpoints)
 *   <ns>:progress:<table>     hash: exported_rows/chunks/bytes, imported_rows/chunks, rejected, seconds…
 *   <ns>:q:<table>            stream of chunk descriptors, consumer group "importers"
 *   <ns>:chunk:<table>:<seq>  one chunk payload (JSON), deleted when imported
 *   <ns>:staged-bytes         Redis memory of the payloads currently staged (MEMORY USAGE, not their length)
 *   <ns>:rejected:<table>     set of primary keys rejected (so their children are rejected too)
 *   <ns>:lock:exporter        exporter lease (src/redis/lease.ts)
 *   <ns>:lock:importer:<c>    one lease per importer worker; <c> is its consumer name in the group
 *   <ns>:lock:target-check    held while an importer checks the target
 *   <ns>:lock:verifier        held while `migrate` verifies
 *
 * Chunk accounting. A chunk is counted exactly once on each side, by Lua scripts that first check that
 * `<ns>:meta` still names this run (so a write that races a `discard` never recreates the namespace's keys):
 *   stage  payload SET, descriptor XADD, checkpoint moved, exported_* and staged-bytes increased, in one step;
 *   ack    only if the descriptor is still in the stream: XACK + XDEL, payload DEL, staged-bytes decreased,
 *          imported_rows / rejected / imported_chunks increased, in one step. The stream entry is the chunk's
 *          "not yet counted" marker: a second ack of the same chunk (a duplicate loader, a crash replay) finds
 *          it gone and changes nothing, so the counters move once per chunk and staged-bytes never goes negative.
 * A table is complete when its export is done, every chunk is acked, and exported_rows = imported_rows + rejected.
 * A descriptor whose payload is gone (evicted, deleted) is never acked: the importer stops naming the chunk, and
 * the exporter (`export` / `migrate` run again) rebuilds it from its key range (`first`..`last`).
 */
export const GROUP = 'importers';

export interface ChunkDescriptor {
  streamId: string;
  table: string;
  seq: number;
  key: string;
  rows: number;
  bytes: number;
  /** What Redis spends on the payload (MEMORY USAGE when staged): what staged-bytes gave it and takes back. */
  mem: number;
  /**
   * First and last primary key of the chunk, or null (nodes found through their events). The importer deletes by
   * this range for integer keys only (text keys: by key list, see chunk-writer.ts); the exporter rebuilds a lost
   * payload from it (restage.ts).
   */
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
  /** The run id from `<ns>:meta` (set by claim/bind): every write checks it is still there. */
  runId = '';

  constructor(
    readonly redis: Redis,
    readonly ns: string,
  ) {}

  key(...parts: (string | number)[]): string {
    return [this.ns, ...parts].join(':');
  }

  /** The same run on another connection (a worker that blocks on XREADGROUP gets its own). */
  on(redis: Redis): Staging {
    const s = new Staging(redis, this.ns);
    s.runId = this.runId;
    return s;
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
      this.runId = randomBytes(6).toString('hex');
      await this.redis.hset(this.key('meta'), { target: id.target, scope: id.scope, state: 'exporting', created: new Date().toISOString(), id: this.runId });
      return 'new';
    }
    const cur = (await this.identity())!;
    this.checkIdentity(cur, id);
    // A namespace staged by an older version has no run id: give it one (once, whoever comes first).
    if (!cur.id) await this.redis.hsetnx(this.key('meta'), 'id', randomBytes(6).toString('hex'));
    this.runId = cur.id || (await this.redis.hget(this.key('meta'), 'id'))!;
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
    await this.guarded(SET_STATE, [], [state]);
  }

  /**
   * Run a Lua write that first checks `<ns>:meta` still carries this run's id. KEYS[1] is the meta key,
   * ARGV[1] the run id; `body` sees the caller's keys from KEYS[2] and arguments from ARGV[2].
   */
  private async guarded(body: string, keys: string[], args: (string | number)[]): Promise<number> {
    const r = (await this.redis.eval(GUARD + body, 1 + keys.length, this.key('meta'), ...keys, this.runId, ...args)) as number;
    if (r === -1) throw this.vanished();
    return r;
  }

  /** The error for a run whose namespace was discarded (or replaced) under it. */
  vanished(): RuntimeFailure {
    return new RuntimeFailure(
      `namespace "${this.ns}" was discarded while this run was using it (its keys are gone, or belong to a new run); this run stopped and wrote nothing more to it`,
      `run the same command again to start over (an import needs \`sentry-admin export\` first; a target that already received rows must be emptied first: drop it and run \`sentry-admin init-schema\`)`,
    );
  }

  /** Throws `vanished()` when the namespace no longer belongs to this run. */
  async assertOurs(): Promise<void> {
    if ((await this.redis.hget(this.key('meta'), 'id')) !== this.runId) throw this.vanished();
  }

  // ---------- leases ----------

  /** A lease under `<ns>:lock:<name>` (see src/redis/lease.ts): refreshed while held, `lost` when taken away. */
  async lock(name: string, opts: LeaseOptions): Promise<Lease> {
    // A lease lost because the whole namespace was discarded says so (and how to go on), not just "lease lost".
    const explain = async () => (this.runId && (await this.redis.hget(this.key('meta'), 'id')) !== this.runId ? this.vanished() : null);
    return Lease.acquire(this.redis, this.key('lock', name), { explain, ...opts, what: `${opts.what} (namespace "${this.ns}")` });
  }

  /** Run `fn` holding the lease `<ns>:lock:<name>` when it is free (so `status` can say what the run is doing). */
  async during<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const lease = await this.lock(name, { what: name, waitMs: 0 }).catch(() => null);
    try {
      return await fn();
    } finally {
      await lease?.release();
    }
  }

  /** Who holds a lease in the namespace now: exporter, importer workers, target check, verifier. */
  async alive(): Promise<{ role: string; holder: string }[]> {
    const out: { role: string; holder: string }[] = [];
    let cursor = '0';
    const prefix = this.key('lock', '');
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      const holders = keys.length ? await this.redis.mget(...keys) : [];
      keys.forEach((k, i) => holders[i] && out.push({ role: k.slice(prefix.length), holder: holders[i]! }));
      cursor = next;
    } while (cursor !== '0');
    return out.sort((a, b) => a.role.localeCompare(b.role));
  }

  // ---------- export side ----------

  async checkpoint(table: string): Promise<{ last: string | null; seq: number; done: boolean }> {
    const [last, seq, done] = await this.redis.hmget(this.key('export'), `${table}:last`, `${table}:seq`, `${table}:done`);
    return { last: last ?? null, seq: Number(seq ?? 0), done: done === '1' };
  }

  async ensureGroup(table: string): Promise<void> {
    await this.guarded(
      ENSURE_GROUP,
      [this.key('q', table)],
      [GROUP],
    );
  }

  /** Stage one chunk and move the checkpoint past it, atomically. */
  async stage(table: string, seq: number, payload: string, rows: number, first: string | null, last: string | null, lastKey: string): Promise<void> {
    const chunkKey = this.key('chunk', table, seq);
    await this.guarded(
      STAGE,
      [chunkKey, this.key('q', table), this.key('export'), this.key('progress', table), this.key('staged-bytes')],
      [payload, seq, rows, Buffer.byteLength(payload), first ?? '', last ?? '', table, lastKey],
    );
  }

  /** Move a table's checkpoint without staging (a page that produced no rows). */
  async advance(table: string, lastKey: string): Promise<void> {
    await this.guarded(ADVANCE, [this.key('export')], [`${table}:last`, lastKey]);
  }

  /**
   * Put back the payload of a chunk that is still queued but whose payload key is gone (evicted, deleted),
   * rebuilt by the exporter from the chunk's key range. When the source changed since the first export the
   * row count may differ: exported_rows moves by the difference, so the accounting stays exact.
   */
  async restage(d: ChunkDescriptor, payload: string, rows: number): Promise<boolean> {
    const r = await this.guarded(
      RESTAGE,
      [d.key, this.key('q', d.table), this.key('progress', d.table)],
      [d.streamId, payload, rows - d.rows],
    );
    return r === 1;
  }

  /**
   * Take back every chunk of a table still queued (not loaded), counters and all, as if it had never been
   * staged: a table that is read again from the start must not also load its older copies afterwards.
   */
  async withdrawQueued(table: string): Promise<number> {
    let n = 0;
    for await (const page of this.queued(table)) {
      for (const d of page) {
        n += await this.guarded(WITHDRAW, [this.key('q', table), d.key, this.key('staged-bytes'), this.key('progress', table)], [d.streamId, GROUP, d.mem, d.rows]);
      }
    }
    return n;
  }

  async markExported(table: string, seconds: number): Promise<void> {
    await this.guarded(
      MARK_EXPORTED,
      [this.key('export'), this.key('progress', table)],
      [table, seconds],
    );
  }

  async stagedBytes(): Promise<number> {
    return Number((await this.redis.get(this.key('staged-bytes'))) ?? 0);
  }

  /**
   * What Redis spends on the namespace's keys other than the payloads (MEMORY USAGE summed in one script): meta,
   * the plan, checkpoints, counters, the exporter's lease, and per table its progress hash, its stream of
   * descriptors (with the consumer group) and its set of rejected keys. The sets are sampled (they may be large),
   * the rest measured exactly. Importers' leases are not listed (one short string each).
   */
  async metadataMemory(tables: string[]): Promise<number> {
    const exact = [this.key('meta'), this.key('tables'), this.key('export'), this.key('staged-bytes'), this.key('lock', 'exporter')];
    for (const t of tables) exact.push(this.key('progress', t), this.key('q', t));
    const sampled = tables.map((t) => this.key('rejected', t));
    return Number(await this.redis.eval(MEMORY_OF, exact.length + sampled.length, ...exact, ...sampled, exact.length));
  }

  /** Every descriptor still queued for a table (acked ones are XDEL'd), in pages. */
  async *queued(table: string): AsyncGenerator<ChunkDescriptor[]> {
    let from = '-';
    for (;;) {
      const page = (await this.redis.xrange(this.key('q', table), from, '+', 'COUNT', 200)) as [string, string[]][];
      const ds = parseEntries([[this.key('q', table), page]], this.ns);
      if (ds.length) yield ds;
      if (page.length < 200) return;
      from = '(' + page[page.length - 1][0];
    }
  }

  // ---------- import side ----------

  /** Chunks this consumer was given before and never acknowledged (resume after a crash), then new ones. */
  async readChunks(tables: string[], consumer: string, opts: { pending: boolean; count: number; blockMs: number }): Promise<ChunkDescriptor[]> {
    if (!tables.length) return [];
    const streams = tables.map((t) => this.key('q', t));
    const ids = tables.map(() => (opts.pending ? '0' : '>'));
    const args: (string | number)[] = ['GROUP', GROUP, consumer, 'COUNT', opts.count];
    if (!opts.pending) args.push('BLOCK', opts.blockMs);
    try {
      const res = (await (this.redis as any).xreadgroup(...args, 'STREAMS', ...streams, ...ids)) as [string, [string, string[]][]][] | null;
      return parseEntries(res ?? [], this.ns);
    } catch (err) {
      // NOGROUP, or UNBLOCKED (Redis 7, a blocked read whose stream was deleted): only a discard does that.
      if (/NOGROUP|UNBLOCKED/.test(String((err as Error).message))) await this.assertOurs();
      throw err;
    }
  }

  /**
   * Take over the chunks of importers that are dead — whose lease `<ns>:lock:importer:<consumer>` has expired —
   * and only theirs. Idle time alone says nothing: a live importer may wait minutes on a lock in the target, and
   * handing its chunk to another would load it twice. The check and the XCLAIM are one Lua call, so two
   * reclaimers cannot both take the same entry. A dead consumer left with nothing pending is removed from the group.
   */
  async reclaim(table: string, consumer: string): Promise<ChunkDescriptor[]> {
    const stream = this.key('q', table);
    let res: [string, string[]][];
    try {
      res = (await this.redis.eval(RECLAIM, 2, stream, this.key('meta'), GROUP, consumer, this.key('lock', 'importer', ''), this.runId, 20)) as [string, string[]][];
    } catch (err) {
      if (/NOGROUP/.test(String((err as Error).message))) await this.assertOurs();
      throw err;
    }
    if ((res as unknown) === -1) throw this.vanished();
    return parseEntries([[stream, res.filter((e) => e && e[1])]], this.ns);
  }

  /** Leave the group on a clean exit (a consumer with nothing pending is just a name). */
  async leaveGroup(tables: string[], consumer: string): Promise<void> {
    for (const t of tables) {
      await this.redis
        .eval(LEAVE_GROUP, 1, this.key('q', t), GROUP, consumer)
        .catch(() => undefined);
    }
  }

  /**
   * The chunk's payload, read in pieces (payloadPiece) rather than one GET: Redis holds a reply in the client's
   * output buffer until it is sent, so a reader adds one piece to Redis's memory, not a copy of the whole payload
   * (the staging cap leaves room for that: FlowControl in export.ts).
   * A payload is never changed in place (staged, then deleted by its ack or withdrawal), so pieces that add up to
   * its length are the payload; null when it is gone, before or during the read.
   */
  async payload(d: ChunkDescriptor): Promise<ChunkPayload | null> {
    // The length (a rebuilt payload may differ from d.bytes) comes with the first piece, in one round trip.
    const piece = payloadPiece(d.bytes);
    const first = await this.redis.pipeline().strlen(d.key).getrangeBuffer(d.key, 0, piece - 1).exec();
    const failed = first?.find(([err]) => err)?.[0];
    if (failed) throw failed;
    const length = Number(first?.[0]?.[1] ?? 0);
    const parts = [first?.[1]?.[1] as Buffer];
    if (!length || parts[0].length !== Math.min(piece, length)) return null;
    for (let at = piece; at < length; at += piece) {
      const part = await this.redis.getrangeBuffer(d.key, at, Math.min(at + piece, length) - 1);
      if (part.length !== Math.min(piece, length - at)) return null; // deleted (acked, withdrawn) while read
      parts.push(part);
    }
    return JSON.parse(Buffer.concat(parts, length).toString('utf8')) as ChunkPayload;
  }

  /** Is the chunk still to be counted (its descriptor not yet acked)? */
  async isQueued(d: ChunkDescriptor): Promise<boolean> {
    const e = await this.redis.xrange(this.key('q', d.table), d.streamId, d.streamId);
    return e.length > 0;
  }

  /**
   * The chunk is in the target: forget it everywhere and count it, in one step, once (see the header:
   * a second ack of the same chunk finds its descriptor gone and changes nothing). Returns false then.
   */
  async ack(d: ChunkDescriptor, imported: number, rejected: number, seconds: number): Promise<boolean> {
    const r = await this.guarded(
      ACK,
      [this.key('q', d.table), d.key, this.key('staged-bytes'), this.key('progress', d.table)],
      [d.streamId, GROUP, d.mem, imported, rejected, seconds],
    );
    return r === 1;
  }

  async addRejected(table: string, keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      await this.guarded(ADD_REJECTED, [this.key('rejected', table)], keys.slice(i, i + 1000));
    }
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

  /**
   * Delete every key of the namespace (SCAN + UNLINK in batches; never KEYS). The meta key goes first: from
   * then on every guarded write of a run still going (an ack in flight) finds it gone and writes nothing, so
   * no key of the discarded run comes back after the scan.
   */
  async discard(): Promise<number> {
    let n = await this.redis.unlink(this.key('meta'));
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(this.ns)}:*`, 'COUNT', 500);
      if (keys.length) n += await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return n;
  }
}

/** Bytes per GETRANGE when reading a payload of `length` bytes: a quarter of it, from 16 KiB to 1 MiB. */
export function payloadPiece(length: number): number {
  return Math.min(1 << 20, Math.max(16 << 10, Math.ceil(length / 4)));
}

function parseEntries(res: [string, [string, string[]][]][], ns: string): ChunkDescriptor[] {
  const out: ChunkDescriptor[] = [];
  for (const [stream, entries] of res) {
    const table = stream.slice(ns.length + 3);
    for (const [id, fields] of entries) {
      if (!fields) continue;
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      out.push({ streamId: id, table, seq: Number(f.seq), key: f.key, rows: Number(f.rows), bytes: Number(f.bytes), mem: Number(f.mem ?? f.bytes), first: f.first || null, last: f.last || null });
    }
  }
  return out;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}
