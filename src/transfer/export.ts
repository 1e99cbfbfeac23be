import { sql, type Kysely } from 'kysely';
import { decodeNodeRef } from '../codec/sentry-encodings.js';
import type { ColumnKind } from '../db/engine.js';
import type { SnapshotReader } from '../db/snapshot.js';
import { spec } from './catalog.js';
import { type Canonical, canonical } from './row-codec.js';
import { type Scope, scopeFilter } from './scope.js';
import { type Staging, sleep } from './staging.js';

/** A table as the export carries it: the columns to read and their kinds on the source. */
export interface PlannedTable {
  table: string;
  columns: string[];
  kinds: ColumnKind[];
  pk: string;
  intPk: boolean;
  /** Rows in scope when the run was planned (for progress bars). */
  rows: number;
}

export interface ExportOptions {
  chunkRows: number;
  chunkBytes: number;
  maxStagedBytes: number;
  signal: AbortSignal;
  onChunk?: (table: string, rows: number) => void;
  onTableDone?: (table: string) => void;
}

export interface ExportResult {
  snapshot: string;
  interrupted: boolean;
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
  for (const t of tables) {
    if (opts.signal.aborted) return { snapshot: reader.snapshot, interrupted: true };
    await staging.ensureGroup(t.table);
    const cp = await staging.checkpoint(t.table);
    if (cp.done) continue;
    const started = Date.now();
    const filter = scopeFilter(db, spec(t.table), scope);
    const ok = filter
      ? await exportByStream(db, reader, staging, t, filter, cp, opts, flow)
      : await exportNodesOfEvents(db, reader, staging, scope, t, cp, opts, flow);
    if (!ok) return { snapshot: reader.snapshot, interrupted: true };
    await staging.markExported(t.table, (Date.now() - started) / 1000);
    opts.onTableDone?.(t.table);
  }
  return { snapshot: reader.snapshot, interrupted: false };
}

/** Waits while the staged bytes are over the cap: the exporter never runs ahead of the importers by more. */
class FlowControl {
  private known = 0;
  constructor(
    private staging: Staging,
    private max: number,
    private signal: AbortSignal,
  ) {}
  async reserve(bytes: number): Promise<boolean> {
    this.known += bytes;
    if (this.known < this.max) return true;
    for (;;) {
      this.known = await this.staging.stagedBytes();
      if (this.known + bytes <= this.max || this.known === 0) break;
      if (this.signal.aborted) return false;
      await sleep(50, this.signal);
    }
    this.known += bytes;
    return true;
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
  await staging.stage(t.table, seq, payload, b.rows.length, t.intPk ? first : null, t.intPk ? last : null, last);
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
    for (let i = 0; i < row.length; i++) row[i] = canonical(t.kinds[i], raw[i], reader.engine);
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
        b.add(raw.map((v, i) => canonical(t.kinds[i], v, reader.engine)));
      }
    }
    if (b.rows.length) {
      const payload = b.payload();
      if (!(await flow.reserve(Buffer.byteLength(payload)))) return false;
      await staging.stage(t.table, seq++, payload, b.rows.length, null, null, lastEvent);
      opts.onChunk?.(t.table, b.rows.length);
    } else {
      await staging.redis.hset(staging.key('export'), `${t.table}:last`, lastEvent);
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
