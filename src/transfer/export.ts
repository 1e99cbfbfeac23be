import { sql, type Kysely } from 'kysely';
import { decodeNodeRef } from '../codec/sentry-encodings.js';
import type { SnapshotReader } from '../db/snapshot.js';
import { spec } from './catalog.js';
import type { PlannedTable } from './plan.js';
import type { Canonical } from './row-codec.js';
import { type Scope, scopeFilter, specIn } from './scope.js';
import { sleep } from '../util/sleep.js';
import type { Staging } from './staging.js';

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
  const flow = new FlowControl(staging, opts.maxStagedBytes, opts.signal);
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
    const ok = filter
      ? await exportByStream(db, reader, staging, t, filter, cp, opts, flow)
      : await exportNodesOfEvents(db, reader, staging, scope, t, cp, opts, flow);
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
 * Waits while the staged payloads would go over the cap: the exporter never runs ahead of the
 * importers by more. The cap is on what Redis really spends (staged-bytes counts MEMORY USAGE of each
 * payload), and a new payload is reckoned at its length plus a quarter: Redis allocates a large
 * string in size classes at most that much bigger. One GET per chunk of up to 4 MiB.
 */
class FlowControl {
  constructor(
    private staging: Staging,
    private max: number,
    private signal: AbortSignal,
  ) {}
  async reserve(bytes: number): Promise<boolean> {
    const need = Math.ceil(bytes * 1.25);
    for (;;) {
      const staged = await this.staging.stagedBytes();
      if (staged + need <= this.max || staged === 0) return true;
      if (this.signal.aborted) return false;
      await sleep(50, this.signal);
    }
  }
}

class ChunkBuilder {
  rows: Canonical[][] = [];
  bytes = 0;
  constructor(private t: PlannedTable) {}
  add(row: Canonical[]): void {
    this.rows.push(row);
    for (const v of row) this.bytes += typeof v === 'string' ? v.length + 3 : 6;
  }
  full(o: ExportOptions): boolean {
    return this.rows.length >= o.chunkRows || this.bytes >= o.chunkBytes;
  }
  payload(): string {
    return JSON.stringify({ table: this.t.table, columns: this.t.columns, rows: this.rows });
  }
}

async function flush(staging: Staging, t: PlannedTable, seq: number, b: ChunkBuilder, flow: FlowControl, opts: ExportOptions): Promise<boolean> {
  const pkIndex = t.columns.indexOf(t.pk);
  const first = b.rows[0][pkIndex] as string;
  const last = b.rows[b.rows.length - 1][pkIndex] as string;
  const payload = b.payload();
  if (!(await flow.reserve(Buffer.byteLength(payload)))) return false;
  await staging.stage(t.table, seq, payload, b.rows.length, first, last, last);
  opts.onChunk?.(t.table, b.rows.length);
  return true;
}

async function exportByStream(
  db: Kysely<any>,
  reader: SnapshotReader,
  staging: Staging,
  t: PlannedTable,
  filter: NonNullable<ReturnType<typeof scopeFilter>>,
  cp: { last: string | null; seq: number },
  opts: ExportOptions,
  flow: FlowControl,
): Promise<boolean> {
  let q = db.selectFrom(t.table).select(t.columns.map((c) => sql.ref(c).as(c))).where(filter);
  if (cp.last !== null) q = q.where(sql.ref(t.pk), '>', cp.last);
  const compiled = q.orderBy(sql.ref(t.pk)).compile();
  let seq = cp.seq;
  let b = new ChunkBuilder(t);
  for await (const raw of reader.stream(compiled.sql, compiled.parameters)) {
    const row = new Array<Canonical>(t.kinds.length);
    for (let i = 0; i < row.length; i++) row[i] = reader.canonical(t.kinds[i], raw[i]);
    b.add(row);
    if (b.full(opts)) {
      if (!(await flush(staging, t, seq++, b, flow, opts))) return false;
      b = new ChunkBuilder(t);
      // Ctrl-C: stop between chunks; the checkpoint is consistent. (The stream is dropped with the connection.)
      if (opts.signal.aborted) return false;
    }
  }
  if (b.rows.length && !(await flush(staging, t, seq++, b, flow, opts))) return false;
  return true;
}

/**
 * nodestore_node under a scope: the nodes are the ones the carried events point at, and the
 * node id sits inside each event's pickled `data` (docs/sentry7-schema.md §8). Walk the
 * in-scope events in pages, decode their node ids, and stage those nodes; the checkpoint is the
 * last event id, so a resume continues with the next page.
 */
async function exportNodesOfEvents(
  db: Kysely<any>,
  reader: SnapshotReader,
  staging: Staging,
  scope: Scope,
  t: PlannedTable,
  cp: { last: string | null; seq: number },
  opts: ExportOptions,
  flow: FlowControl,
): Promise<boolean> {
  const events = spec('sentry_message');
  const eventFilter = scopeFilter(db, events, scope)!;
  let last = cp.last;
  let seq = cp.seq;
  const page = Math.min(opts.chunkRows, 5000);
  for (;;) {
    let q = db.selectFrom('sentry_message').select(['id', 'data']).where(eventFilter);
    if (last !== null) q = q.where('id', '>', last);
    const c = q.orderBy('id').limit(page).compile();
    const ids: string[] = [];
    let lastEvent: string | null = null;
    for await (const raw of reader.stream(c.sql, c.parameters)) {
      lastEvent = String(raw[0]);
      const node = safeNodeRef(raw[1] as string | null);
      if (node) ids.push(node);
    }
    if (lastEvent === null) return true;
    const b = new ChunkBuilder(t);
    if (ids.length) {
      const nq = db.selectFrom(t.table).select(t.columns.map((col) => sql.ref(col).as(col))).where(sql.ref(t.pk), 'in', ids).orderBy(sql.ref(t.pk)).compile();
      for await (const raw of reader.stream(nq.sql, nq.parameters)) {
        b.add(raw.map((v, i) => reader.canonical(t.kinds[i], v)));
      }
    }
    if (b.rows.length) {
      const payload = b.payload();
      if (!(await flow.reserve(Buffer.byteLength(payload)))) return false;
      await staging.stage(t.table, seq++, payload, b.rows.length, null, null, lastEvent);
      opts.onChunk?.(t.table, b.rows.length);
    } else {
      await staging.advance(t.table, lastEvent);
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
