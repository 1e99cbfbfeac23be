import type { BulkSession, ForeignKeyChecks, Row } from '../db/bulk.js';
import { adapterFor, openBulkSession } from '../db/connect.js';
import type { EngineAdapter } from '../db/engine.js';
import { isTransient } from '../db/errors.js';
import type { SchemaInfo } from '../db/introspect.js';
import type { DbUrl } from '../db/url.js';
import { CliError, RuntimeFailure } from '../errors.js';
import { type Lease, newToken } from '../redis/lease.js';
import { lockChunk, writeChunk } from './chunk-writer.js';
import { spec } from './catalog.js';
import type { PlannedTable } from './plan.js';
import type { RejectedRow, RejectsFile } from './rejects.js';
import { type Canonical, type RejectPolicy, type TargetColumn, targetColumn, toTarget } from './row-codec.js';
import { sleep } from '../util/sleep.js';
import type { ChunkDescriptor, ChunkPayload, Staging } from './staging.js';

export interface ImportOptions {
  jobs: number;
  importerId?: string;
  policy: RejectPolicy;
  rejects: RejectsFile;
  signal: AbortSignal;
  /**
   * Unused, kept for callers: a chunk is taken over only from an importer whose lease has expired (it is dead),
   * whatever its idle time; a live importer's chunk is never handed to another, however long it waits.
   */
  reclaimIdleMs?: number;
  onChunk?: (table: string, rows: number, bytes: number) => void;
}

export interface ImportStats {
  chunks: number;
  rows: number;
  rejected: number;
  notes: Record<string, number>;
  /** Chunks loaded by each way of checking foreign keys (BulkSession.startChunk). */
  foreignKeyChecks: Partial<Record<ForeignKeyChecks, number>>;
  interrupted: boolean;
  /** The export is incomplete and no exporter is running: rerun export (or migrate) to finish it. */
  exportMissing?: boolean;
}

interface TablePlan {
  table: string;
  pk: string;
  intPk: boolean;
  parents: string[];
  targetCols: Map<string, TargetColumn>;
  /** column -> referenced table, for rows whose parent was rejected */
  refs: [string, string][];
}

/**
 * Load staged chunks into the target, several at once. A table is loaded only when every table it
 * references is complete, so foreign keys hold at every commit.
 *
 * Each worker is its own consumer in the group (`<importer-id or host>:<pid>:<random>-<n>`) and holds a
 * lease `<ns>:lock:importer:<consumer>`; chunks of a consumer whose lease has expired (a killed importer)
 * are reclaimed, those of a live one never (see Staging.reclaim). Each chunk: take the chunk's database
 * lock, check it is still queued, delete what an earlier interrupted load of it committed, load it, commit,
 * ack it in Redis, free the lock (chunk-writer.ts). A crash between commit and ack loads it again, exactly.
 *
 * Nothing is lost silently: a chunk whose payload is gone stops the run naming the chunk (the exporter can
 * rebuild it), and a table is complete only when exported rows = loaded rows + rejected rows.
 */
export async function importChunks(target: DbUrl, schema: SchemaInfo, staging: Staging, opts: ImportOptions): Promise<ImportStats> {
  const planned = await staging.tables();
  const loader = new ChunkLoader(staging, tablePlans(planned, schema, await adapterFor(target.engine)), opts);
  const me = newToken(opts.importerId);
  // One worker failing stops the others at their next chunk; the first failure is what the user sees.
  const failed = new AbortController();
  const signal = AbortSignal.any([opts.signal, failed.signal]);
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, opts.jobs) }, (_, i) =>
      runWorker(target, staging, planned, loader, `${me}-${i}`, signal).catch((err) => (failed.abort(), Promise.reject(err)))),
  );
  const bad = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (bad) throw bad.reason;
  loader.stats.interrupted = opts.signal.aborted;
  return loader.stats;
}

/** How each table of the run loads: its key, the tables loaded before it, its target columns, its references. */
function tablePlans(planned: PlannedTable[], schema: SchemaInfo, adapter: EngineAdapter): Map<string, TablePlan> {
  const inRun = new Set(planned.map((t) => t.table));
  const plans = new Map<string, TablePlan>();
  for (const t of planned) {
    const cols = new Map((schema.columns.get(t.table) ?? []).map((c) => [c.name, targetColumn(c, adapter)]));
    const refs = schema.foreignKeys
      .filter((fk) => fk.table === t.table && fk.columns.length === 1 && inRun.has(fk.refTable))
      .map((fk) => [fk.columns[0], fk.refTable] as [string, string]);
    plans.set(t.table, { table: t.table, pk: t.pk, intPk: t.intPk, parents: (t.parents ?? spec(t.table).parents).filter((p) => inRun.has(p) && p !== t.table), targetCols: cols, refs });
  }
  return plans;
}

/**
 * One importer worker: its own consumer in the group, lease, Redis connection and bulk session. It loads what is
 * loadable (queued chunks of tables whose parents are complete; its own pending ones first, then new ones, then
 * those of dead importers) until every table is complete, the run stops, or the export is found abandoned.
 */
async function runWorker(target: DbUrl, staging: Staging, planned: PlannedTable[], loader: ChunkLoader, consumer: string, signal: AbortSignal): Promise<void> {
  const lease = await staging.lock(`importer:${consumer}`, { what: `importer ${consumer}`, waitMs: 0 });
  const stop = AbortSignal.any([signal, lease.lost]);
  // Each worker blocks on XREADGROUP: give it its own connection so it never stalls the others (or the leases).
  const redis = staging.redis.duplicate();
  const queue = staging.on(redis);
  const session = await openBulkSession(target).catch(async (err) => (await lease.release(), redis.disconnect(), Promise.reject(err)));
  const rejectedCache = new Map<string, Set<string>>();
  let lastReclaim = 0;
  let lastExporterCheck = Date.now();
  try {
    for (;;) {
      if (stop.aborted) break;
      const status = await tableStatus(staging, planned.map((t) => t.table));
      assertAccounted(status);
      const open = planned.filter((t) => !status.get(t.table)!.complete);
      if (!open.length) break;
      const loadable = open.filter((t) => loader.plans.get(t.table)!.parents.every((p) => status.get(p)?.complete)).map((t) => t.table);
      let chunks = await queue.readChunks(loadable, consumer, { pending: true, count: 10, blockMs: 0 });
      if (!chunks.length) chunks = await queue.readChunks(loadable, consumer, { pending: false, count: 1, blockMs: 100 });
      if (!chunks.length && Date.now() - lastReclaim > 1_000) {
        lastReclaim = Date.now();
        for (const t of loadable) chunks.push(...(await queue.reclaim(t, consumer)));
      }
      const ready = await parentsStillComplete(staging, planned, loader, chunks);
      for (const c of ready) {
        if (stop.aborted) break;
        await loader.load(session, queue, c, rejectedCache, lease, stop);
      }
      if (ready.length < chunks.length) await sleep(100, stop); // held back: a parent is being loaded again
      if (!chunks.length && Date.now() - lastExporterCheck > 3_000) {
        // Nothing to load, nothing staged, and no exporter alive: the export stopped part-way.
        lastExporterCheck = Date.now();
        const staged = open.some((t) => status.get(t.table)!.exportedChunks > status.get(t.table)!.importedChunks);
        if (!staged && !(await staging.redis.exists(staging.key('lock', 'exporter')))) {
          await queue.assertOurs(); // nothing staged because the namespace was discarded: say that
          loader.stats.exportMissing = true;
          break;
        }
      }
      if (!chunks.length && !loadable.length) await sleep(100, stop);
    }
    if (!signal.aborted) lease.throwIfLost();
  } finally {
    await session.close().catch(() => undefined);
    await queue.leaveGroup(planned.map((t) => t.table), consumer);
    await lease.release();
    redis.disconnect();
  }
}

/**
 * The chunks whose tables' parents are complete as of now, after the chunks were read: `status` was read
 * before, and a resumed export may have reopened a parent meanwhile (export.ts reconcileSnapshots reads a
 * finished table again from its checkpoint, and only then stages the children's rows that point at its new
 * rows). Held-back chunks stay pending to this importer and are read again once their parents are complete.
 */
async function parentsStillComplete(staging: Staging, planned: PlannedTable[], loader: ChunkLoader, chunks: ChunkDescriptor[]): Promise<ChunkDescriptor[]> {
  if (!chunks.length) return chunks;
  const now = await tableStatus(staging, planned.map((t) => t.table));
  return chunks.filter((c) => loader.plans.get(c.table)!.parents.every((p) => now.get(p)?.complete));
}

/** A chunk's rows in the target's form: those to load, every key (for the pre-load delete), those rejected already. */
interface Converted {
  columns: string[];
  rows: Row[];
  keys: string[];
  rejected: RejectedRow[];
}

/** Loads chunks for every worker of one import, and counts them in `stats`. */
class ChunkLoader {
  readonly stats: ImportStats = { chunks: 0, rows: 0, rejected: 0, notes: {}, foreignKeyChecks: {}, interrupted: false };

  constructor(
    private readonly staging: Staging,
    readonly plans: Map<string, TablePlan>,
    private readonly opts: ImportOptions,
  ) {}

  /** One chunk, under its database lock: check it is still queued, convert, load, account for every row, ack. */
  async load(session: BulkSession, queue: Staging, d: ChunkDescriptor, cache: Map<string, Set<string>>, lease: Lease, stop: AbortSignal): Promise<void> {
    const started = Date.now();
    const plan = this.plans.get(d.table)!;
    const unlock = await lockChunk(session, queue.runId, d, stop);
    if (!unlock) return; // stopping
    try {
      const payload = await this.payload(queue, d);
      if (!payload) return;
      const chunk = await this.convert(plan, payload, cache);
      const { loaded, foreignKeys } = await this.write(session, plan, d, chunk, lease);
      if (await this.record(queue, plan, d, payload.rows.length, loaded, chunk.rejected, started)) {
        this.stats.foreignKeyChecks[foreignKeys] = (this.stats.foreignKeyChecks[foreignKeys] ?? 0) + 1;
      }
    } finally {
      await unlock();
    }
  }

  /** The chunk's payload; null when it was loaded and acked meanwhile. A queued chunk without one stops the run. */
  private async payload(queue: Staging, d: ChunkDescriptor): Promise<ChunkPayload | null> {
    // Loaded and acked by another importer while this one waited (or before it was handed the chunk).
    if (!(await queue.isQueued(d))) return null;
    const payload = await queue.payload(d);
    if (payload) return payload;
    await queue.assertOurs(); // a discard took the whole namespace: say that, not "payload lost"
    if (!(await queue.isQueued(d))) return null;
    throw lostPayload(queue, d);
  }

  /** writeChunk, run again after a transient failure (up to 5 attempts); the lease is checked before each commit. */
  private async write(session: BulkSession, plan: TablePlan, d: ChunkDescriptor, c: Converted, lease: Lease): Promise<{ loaded: number; foreignKeys: ForeignKeyChecks }> {
    const beforeCommit = async () => {
      await lease.refresh();
      lease.throwIfLost();
    };
    for (let attempt = 1; ; attempt++) {
      const found = c.rejected.length;
      try {
        return await writeChunk(session, plan, d, c.columns, c.rows, c.keys, c.rejected, beforeCommit);
      } catch (err) {
        c.rejected.length = found; // the rolled-back attempt's database rejections are found again
        if (!isTransient(err) || attempt >= 5) {
          if (err instanceof CliError) throw err;
          throw new RuntimeFailure(`loading ${plan.table} chunk ${d.seq} failed: ${(err as Error).message}`);
        }
        await sleep(100 * attempt);
      }
    }
  }

  /** Every row of the chunk is loaded or rejected; the rejected ones are written down; the ack counts the chunk once (true). */
  private async record(queue: Staging, plan: TablePlan, d: ChunkDescriptor, staged: number, loaded: number, rejected: RejectedRow[], started: number): Promise<boolean> {
    if (loaded + rejected.length !== staged) {
      // Every row of the chunk is either in the target or in the rejects file; anything else is a bug to stop on.
      throw new RuntimeFailure(`${plan.table} chunk ${d.seq}: ${staged} rows staged but ${loaded} loaded and ${rejected.length} rejected; the chunk was committed but not counted`, 'run import again: the chunk is loaded again from scratch; if this repeats, keep the namespace and report it');
    }
    if (rejected.length) {
      this.opts.rejects.write(rejected);
      await queue.addRejected(d.table, rejected.map((r) => r.key));
    }
    if (await queue.ack(d, loaded, rejected.length, (Date.now() - started) / 1000)) {
      this.stats.chunks++;
      this.stats.rows += loaded;
      this.stats.rejected += rejected.length;
      this.opts.onChunk?.(d.table, d.rows, d.bytes);
      return true;
    }
    return false;
  }

  /** Staged canonical rows to the target's values; a row referencing a rejected parent, or holding a value the target cannot, is rejected. */
  private async convert(plan: TablePlan, p: ChunkPayload, cache: Map<string, Set<string>>): Promise<Converted> {
    const use = p.columns.map((c, i) => [c, i] as const).filter(([c]) => plan.targetCols.has(c));
    const columns = use.map(([c]) => c);
    const cols = use.map(([c]) => plan.targetCols.get(c)!);
    const pkIndex = p.columns.indexOf(plan.pk);
    const refSets: [number, Set<string>, string][] = [];
    for (const [col, table] of plan.refs) {
      const i = p.columns.indexOf(col);
      if (i < 0) continue;
      if (!cache.has(table)) cache.set(table, await this.staging.rejectedKeys(table));
      const set = cache.get(table)!;
      if (set.size) refSets.push([i, set, `${col} -> ${table}`]);
    }
    const rows: Row[] = [];
    const keys: string[] = [];
    const rejected: RejectedRow[] = [];
    for (const src of p.rows as Canonical[][]) {
      const key = String(src[pkIndex]);
      keys.push(key);
      let reason: string | undefined;
      for (const [i, set, what] of refSets) {
        if (src[i] !== null && set.has(String(src[i]))) reason = `references a rejected row (${what} ${src[i]})`;
      }
      const out: Row = new Array(cols.length);
      for (let k = 0; k < cols.length && !reason; k++) {
        const c = toTarget(cols[k], src[use[k][1]], this.opts.policy);
        if (c.reject) reason = c.reject;
        else if (c.note) this.stats.notes[c.note] = (this.stats.notes[c.note] ?? 0) + 1;
        out[k] = c.value;
      }
      if (reason) rejected.push({ table: plan.table, key, reason, row: Object.fromEntries(p.columns.map((c, i) => [c, src[i]])) });
      else rows.push(out);
    }
    return { columns, rows, keys, rejected };
  }
}

function lostPayload(s: Staging, d: ChunkDescriptor): RuntimeFailure {
  const range = d.first !== null ? `, ids ${d.first}..${d.last}` : '';
  return new RuntimeFailure(
    `chunk ${d.seq} of ${d.table} (${d.rows} rows${range}) is still queued but its payload ${d.key} is gone from Redis (evicted, or deleted by hand); none of its rows were loaded and the import stopped`,
    `run the export again with the same flags (\`sentry-admin export --from URL --namespace ${s.ns}\`, or the same \`migrate\` command): it rebuilds lost chunks from the source; then run import again`,
  );
}

/** Every chunk of the table acked but the rows do not add up: stop naming the table, never report it complete. */
function assertAccounted(status: Map<string, TableStatus>): void {
  for (const [table, s] of status) {
    if (s.exportDone && s.importedChunks >= s.exportedChunks && !s.complete) {
      throw new RuntimeFailure(
        `${table}: ${s.exportedRows} rows exported but ${s.importedRows} loaded and ${s.rejectedRows} rejected, with every chunk acknowledged; the run is not complete`,
        'keep the namespace as it is; `sentry-admin status` shows the counts; run `sentry-admin verify` to see which rows differ',
      );
    }
  }
}

export interface TableStatus {
  complete: boolean;
  exportDone: boolean;
  exportedChunks: number;
  importedChunks: number;
  exportedRows: number;
  importedRows: number;
  rejectedRows: number;
}

/**
 * A table is complete when its export is done, every chunk is acknowledged, and every exported row is
 * accounted for: exported = loaded + rejected.
 */
export async function tableStatus(staging: Staging, tables: string[]): Promise<Map<string, TableStatus>> {
  const pipe = staging.redis.pipeline();
  for (const t of tables) pipe.hmget(staging.key('progress', t), 'export_done', 'exported_chunks', 'imported_chunks', 'exported_rows', 'imported_rows', 'rejected');
  const res = (await pipe.exec()) ?? [];
  const out = new Map<string, TableStatus>();
  tables.forEach((t, i) => {
    const [done, exp, imp, expRows, impRows, rej] = ((res[i]?.[1] as (string | null)[]) ?? []).map((v) => v ?? null);
    const n = (v: string | null) => Number(v ?? 0);
    const s = { exportDone: done === '1', exportedChunks: n(exp), importedChunks: n(imp), exportedRows: n(expRows), importedRows: n(impRows), rejectedRows: n(rej) };
    out.set(t, { ...s, complete: s.exportDone && s.importedChunks >= s.exportedChunks && s.exportedRows === s.importedRows + s.rejectedRows });
  });
  return out;
}

/** Has any chunk been imported in this namespace (an import that continues rather than starts)? */
export async function importStarted(staging: Staging, tables: string[]): Promise<boolean> {
  return [...(await tableStatus(staging, tables)).values()].some((s) => s.importedChunks > 0);
}
