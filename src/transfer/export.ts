import { sql, type Kysely } from 'kysely';
import { decodeNodeRef } from '../codec/sentry-encodings.js';
import type { SnapshotReader } from '../db/snapshot.js';
import { spec } from './catalog.js';
import type { PlannedTable } from './plan.js';
import type { Canonical } from './row-codec.js';
import { type Scope, scopeFilter, specIn } from './scope.js';
import { sleep } from '../util/sleep.js';
import { payloadPiece, type Staging } from './staging.js';

/** A table as the export carries it: the columns to read and their kinds on the source. */
export interface ExportOptions {
  chunkRows: number;
  chunkBytes: number;
  maxStagedBytes: number;
  signal: AbortSignal;
  onChunk?: (table: string, rows: number) => void;
  onTableDone?: (table: string) => void;
  /** Called once what was staged is consistent with this snapshot (before the first new chunk). */
  onConsistent?: () => void;
}

export interface ExportResult {
  snapshot: string;
  interrupted: boolean;
  /** Every snapshot this run's export read from, oldest first (more than one after a resume). */
  snapshots: SnapshotRecord[];
  /** Tables re-read after a resume because the source may have changed since the earlier snapshot. */
  reread: string[];
}

export interface SnapshotRecord {
  at: string;
  position: string | null;
}

/**
 * Read every planned table from one snapshot, cut it into bounded chunks and stage them.
 * Each chunk moves the table's checkpoint in the same Redis transaction, so a rerun after a
 * crash continues after the last staged row: nothing lost, nothing staged twice.
 */
export async function exportTables(
  db: Kysely<any>,
  reader: SnapshotReader,
  staging: Staging,
  scope: Scope,
  tables: PlannedTable[],
  opts: ExportOptions,
): Promise<ExportResult> {
  const flow = new FlowControl(staging, tables.map((t) => t.table), opts.maxStagedBytes, opts.chunkBytes, opts.signal);
  const { snapshots, reread } = await reconcileSnapshots(staging, reader, tables);
  opts.onConsistent?.();
  const result = (interrupted: boolean): ExportResult => ({ snapshot: reader.snapshot, interrupted, snapshots, reread });
  for (const t of tables) {
    if (opts.signal.aborted) return result(true);
    await staging.ensureGroup(t.table);
    const cp = await staging.checkpoint(t.table);
    if (cp.done) continue;
    const started = Date.now();
    const filter = scopeFilter(db, specIn(scope, t.table) ?? spec(t.table), scope);
    const stager = new TableStager(staging, t, flow, opts, cp.seq);
    const ok = filter
      ? await exportByStream(db, reader, stager, t, filter, cp, opts)
      : await exportNodesOfEvents(db, reader, stager, scope, t, cp, opts);
    if (!ok) return result(true);
    await staging.markExported(t.table, (Date.now() - started) / 1000);
    opts.onTableDone?.(t.table);
  }
  return result(false);
}

/**
 * A resumed export reads from a new snapshot, while what was staged before came from an older one.
 * Unless the source provably did not change in between (equal positions), make the staged data
 * consistent with the new snapshot before going on: tables keyed by integer ids are read again from
 * their checkpoint (Sentry's ids only grow, so every row added since lies above it: a group created
 * in between arrives before the events that point at it); tables keyed by text (nodestore_node) are
 * read again from the start, since a new key may sort anywhere; loading a key again replaces it.
 * Rows changed in place between the snapshots keep the older values: the report names both
 * snapshots, and `verify` (or a later catch-up) shows what moved.
 */
async function reconcileSnapshots(staging: Staging, reader: SnapshotReader, tables: PlannedTable[]): Promise<{ snapshots: SnapshotRecord[]; reread: string[] }> {
  const metaKey = staging.key('meta');
  const before = JSON.parse((await staging.redis.hget(metaKey, 'snapshots')) ?? '[]') as SnapshotRecord[];
  const now: SnapshotRecord = { at: new Date().toISOString(), position: reader.position };
  const reread: string[] = [];
  const last = before[before.length - 1];
  const started = await Promise.all(tables.map((t) => staging.checkpoint(t.table)));
  const unfinished = started.some((c) => !c.done);
  const anyStaged = started.some((c) => c.done || c.last !== null);
  if (!unfinished) return { snapshots: before, reread };
  const unchanged = last !== undefined && last.position !== null && last.position === now.position;
  if (anyStaged && !unchanged) {
    for (const [i, t] of tables.entries()) {
      const cp = started[i];
      if (!cp.done && (t.intPk || cp.last === null)) continue; // continues from its checkpoint in the new snapshot anyway
      // Read again from the start: its older chunks not loaded yet are taken back first, so they cannot
      // load after (and over) the newer copies of the same keys.
      if (!t.intPk) await staging.withdrawQueued(t.table);
      const pipe = staging.redis.multi();
      if (!t.intPk) pipe.hdel(staging.key('export'), `${t.table}:last`);
      await pipe.hdel(staging.key('export'), `${t.table}:done`).hdel(staging.key('progress', t.table), 'export_done').exec();
      reread.push(t.table);
    }
  }
  const snapshots = unchanged ? before : [...before, now];
  await staging.redis.hset(metaKey, 'snapshots', JSON.stringify(snapshots));
  return { snapshots, reread };
}

/**
 * Waits until one more chunk fits under the cap (--max-staged-mb), which is on the namespace's real Redis memory
 * (`used_memory` growth), not on payload bytes. Before each chunk it adds up:
 *   - the payloads staged: `<ns>:staged-bytes`, the MEMORY USAGE of each (exact);
 *   - every other key of the namespace: streams of descriptors, hashes, rejected sets, measured by MEMORY USAGE
 *     (Staging.metadataMemory), plus DESCRIPTOR_BYTES for the descriptor this chunk adds;
 *   - the new payload, reckoned at its length plus a quarter: Redis allocates a large string in size classes at
 *     most that much bigger (4 MiB + 1 byte takes 5 MiB);
 *   - RESIDUE, what a run leaves in Redis outside any key (measured, fixed);
 *   - what no key shows (measured with used_memory_peak on a Redis of its own): the stage request, which Redis
 *     holds as the script's argument while the script stores its copy (once more the payload, until the script
 *     returns); the query buffer of the request before, which Redis keeps until the connection has been idle
 *     for 2 s (one more payload of the largest size); the importers' replies, READERS of them each one piece of
 *     a payload (Staging.payload reads in pieces, payloadPiece).
 * A payload is kept under MAX_PAYLOAD_SHARE of the cap (a chunk is cut smaller, and cut again when its JSON comes
 * out bigger than reckoned), so the part not counted key by key stays a small fraction whatever the data size.
 * A chunk always goes when nothing is staged: the run moves on even when one row, or the namespace's other keys
 * (rejected keys), pass the cap alone.
 */
class FlowControl {
  /** Largest payload, in bytes of JSON: the chunk byte limit, at most the cap's MAX_PAYLOAD_SHARE. */
  readonly maxPayload: number;
  constructor(
    private staging: Staging,
    private tables: string[],
    private max: number,
    chunkBytes: number,
    private signal: AbortSignal,
  ) {
    this.maxPayload = Math.max(1024, Math.min(chunkBytes, Math.floor(max * MAX_PAYLOAD_SHARE)));
  }

  /**
   * Redis memory staging a payload of `bytes` needs beyond the keys staged now: the payload stored, the request
   * carrying it (held until the script returns), the query buffer of the request before it (Redis keeps it
   * until the connection has been idle for 2 s: one payload more while staging goes on), the descriptor, and
   * the importers' replies.
   */
  need(bytes: number): number {
    const alloc = (n: number) => Math.ceil(n * 1.25);
    return 2 * alloc(bytes) + alloc(this.maxPayload) + DESCRIPTOR_BYTES + READERS * payloadPiece(this.maxPayload) + RESIDUE;
  }

  /** Waits for room for a payload of `bytes`; false when stopped meanwhile. The other keys are measured again each second of waiting. */
  async reserve(bytes: number): Promise<boolean> {
    const need = this.need(bytes);
    let other = -1;
    for (let polls = 0; ; polls++) {
      const staged = await this.staging.stagedBytes();
      if (staged === 0) return true;
      if (polls % 20 === 0) other = await this.staging.metadataMemory(this.tables);
      if (staged + other + need <= this.max) return true;
      if (this.signal.aborted) return false;
      await sleep(50, this.signal);
    }
  }
}

/** A payload is at most this share of the cap. */
const MAX_PAYLOAD_SHARE = 1 / 32;
/** Importers reading a payload piece at the same instant that the cap leaves room for. */
const READERS = 8;
/**
 * Memory a run makes Redis allocate outside any key and outside clients: on a Redis that never held such a run,
 * `used_memory` stays 0.55 to 0.7 MiB over its start once every key is deleted (whatever the cap: 1, 16 or
 * 256 MiB), and a second run on the same Redis adds nothing more: one-time allocations of the server (creating
 * streams with consumer groups accounts for about 0.1 MiB; the rest is not explained). Reckoned as a fixed
 * amount, so a cap under about 4 MiB cannot hold.
 */
const RESIDUE = 768 << 10;
/** Room for the descriptor a chunk adds to its stream: a new listpack node (stream-node-max-bytes, 4096) and its radix tree entry. */
const DESCRIPTOR_BYTES = 5 << 10;

class ChunkBuilder {
  rows: Canonical[][] = [];
  bytes = 0;
  add(row: Canonical[]): void {
    this.rows.push(row);
    for (const v of row) this.bytes += typeof v === 'string' ? v.length + 3 : 6;
  }
  full(o: ExportOptions, stager: TableStager): boolean {
    return this.rows.length >= o.chunkRows || this.bytes >= stager.cutAt;
  }
}

/** Stages one table's chunks in sequence; a chunk whose JSON comes out over the payload limit is cut in two. */
class TableStager {
  constructor(
    private staging: Staging,
    private t: PlannedTable,
    private flow: FlowControl,
    private opts: ExportOptions,
    public seq: number,
  ) {
    this.cutAt = Math.floor(flow.maxPayload * 0.75);
  }

  /**
   * Where ChunkBuilder cuts a chunk by its reckoning of the size (text lengths), which comes out under or over the
   * JSON by a ratio that depends on the table: three quarters of the payload limit at first, then aimed at 95 % of
   * it by the ratio the table's last chunk showed. A chunk whose JSON still passes the limit is cut in two.
   */
  cutAt: number;

  /** Stage what `b` gathered (see stage), and learn from it where to cut the next chunk. */
  async staged(b: ChunkBuilder, marks: string[], lastKey: string, ranged: boolean): Promise<boolean> {
    return this.stage(b.rows, marks, lastKey, ranged, b.bytes);
  }

  /**
   * Stage `rows` and move the checkpoint to `lastKey`. `marks[i]` is the checkpoint once rows 0..i are staged (the
   * row's key, or for nodes the event that named it): a half cut off a chunk too big moves it to its last mark,
   * so a resume neither skips nor repeats a row. `ranged`: the chunk carries its first and last key (rows read in
   * key order). False when stopped while waiting for room.
   */
  async stage(rows: Canonical[][], marks: string[], lastKey: string, ranged: boolean, reckoned?: number): Promise<boolean> {
    const payload = JSON.stringify({ table: this.t.table, columns: this.t.columns, rows });
    const bytes = Buffer.byteLength(payload);
    if (reckoned) this.cutAt = Math.max(1024, Math.floor((this.flow.maxPayload * 0.95 * reckoned) / bytes));
    if (bytes > this.flow.maxPayload && rows.length > 1) {
      const half = rows.length >> 1;
      if (!(await this.stage(rows.slice(0, half), marks.slice(0, half), marks[half - 1], ranged))) return false;
      return this.stage(rows.slice(half), marks.slice(half), lastKey, ranged);
    }
    if (!(await this.flow.reserve(bytes))) return false;
    const range = ranged ? [marks[0], marks[marks.length - 1]] : [null, null];
    await this.staging.stage(this.t.table, this.seq++, payload, rows.length, range[0], range[1], lastKey);
    this.opts.onChunk?.(this.t.table, rows.length);
    return true;
  }

  /** Move the checkpoint without staging (a page that produced no rows). */
  advance(lastKey: string): Promise<void> {
    return this.staging.advance(this.t.table, lastKey);
  }
}

async function exportByStream(
  db: Kysely<any>,
  reader: SnapshotReader,
  stager: TableStager,
  t: PlannedTable,
  filter: NonNullable<ReturnType<typeof scopeFilter>>,
  cp: { last: string | null },
  opts: ExportOptions,
): Promise<boolean> {
  let q = db.selectFrom(t.table).select(t.columns.map((c) => sql.ref(c).as(c))).where(filter);
  if (cp.last !== null) q = q.where(sql.ref(t.pk), '>', cp.last);
  const compiled = q.orderBy(sql.ref(t.pk)).compile();
  const pk = t.columns.indexOf(t.pk);
  const flush = (b: ChunkBuilder) => {
    const marks = b.rows.map((r) => r[pk] as string);
    return stager.staged(b, marks, marks[marks.length - 1], true);
  };
  let b = new ChunkBuilder();
  for await (const raw of reader.stream(compiled.sql, compiled.parameters)) {
    const row = new Array<Canonical>(t.kinds.length);
    for (let i = 0; i < row.length; i++) row[i] = reader.canonical(t.kinds[i], raw[i]);
    b.add(row);
    if (b.full(opts, stager)) {
      if (!(await flush(b))) return false;
      b = new ChunkBuilder();
      // Ctrl-C: stop between chunks; the checkpoint is consistent. (The stream is dropped with the connection.)
      if (opts.signal.aborted) return false;
    }
  }
  if (b.rows.length && !(await flush(b))) return false;
  return true;
}

/**
 * nodestore_node under a scope: the nodes are the ones the carried events point at, and the
 * node id sits inside each event's pickled `data` (docs/sentry7-schema.md §8). Walk the
 * in-scope events in pages, decode their node ids, and stage those nodes in event order, cut
 * into chunks like any table's; a chunk's checkpoint is the last event whose node it holds (the
 * page's last event for the page's last chunk), so a resume continues with the next event.
 */
async function exportNodesOfEvents(
  db: Kysely<any>,
  reader: SnapshotReader,
  stager: TableStager,
  scope: Scope,
  t: PlannedTable,
  cp: { last: string | null },
  opts: ExportOptions,
): Promise<boolean> {
  const events = spec('sentry_message');
  const eventFilter = scopeFilter(db, events, scope)!;
  const pk = t.columns.indexOf(t.pk);
  let last = cp.last;
  const page = Math.min(opts.chunkRows, 5000);
  for (;;) {
    let q = db.selectFrom('sentry_message').select(['id', 'data']).where(eventFilter);
    if (last !== null) q = q.where('id', '>', last);
    const c = q.orderBy('id').limit(page).compile();
    const named: [event: string, node: string | null][] = [];
    for await (const raw of reader.stream(c.sql, c.parameters)) named.push([String(raw[0]), safeNodeRef(raw[1] as string | null)]);
    if (!named.length) return true;
    const lastEvent = named[named.length - 1][0];
    const ids = [...new Set(named.map(([, n]) => n).filter((n): n is string => n !== null))];
    const nodes = new Map<string, Canonical[]>();
    if (ids.length) {
      const nq = db.selectFrom(t.table).select(t.columns.map((col) => sql.ref(col).as(col))).where(sql.ref(t.pk), 'in', ids).compile();
      for await (const raw of reader.stream(nq.sql, nq.parameters)) {
        const row = raw.map((v, i) => reader.canonical(t.kinds[i], v));
        nodes.set(row[pk] as string, row);
      }
    }
    let b = new ChunkBuilder();
    let marks: string[] = [];
    for (const [event, node] of named) {
      const row = node === null ? undefined : nodes.get(node);
      if (!row) continue;
      nodes.delete(node!); // a node two events name goes once
      b.add(row);
      marks.push(event);
      if (b.full(opts, stager)) {
        if (!(await stager.staged(b, marks, event, false))) return false;
        [b, marks] = [new ChunkBuilder(), []];
      }
    }
    if (b.rows.length) {
      if (!(await stager.staged(b, marks, lastEvent, false))) return false;
    } else {
      await stager.advance(lastEvent);
    }
    last = lastEvent;
    if (opts.signal.aborted) return false;
  }
}

function safeNodeRef(text: string | null): string | null {
  try {
    return decodeNodeRef(text);
  } catch {
    return null; // legacy or damaged event data: no node to carry
  }
}
