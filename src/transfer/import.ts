import { hostname } from 'node:os';
import { type BulkSession, type Row, openBulkSession } from '../db/bulk.js';
import type { SchemaInfo } from '../db/introspect.js';
import type { DbUrl } from '../db/url.js';
import { RuntimeFailure } from '../errors.js';
import { spec } from './catalog.js';
import type { RejectedRow, RejectsFile } from './rejects.js';
import { type Canonical, type RejectPolicy, type TargetColumn, targetColumn, toTarget } from './row-codec.js';
import { type ChunkDescriptor, type ChunkPayload, Staging, sleep } from './staging.js';

export interface ImportOptions {
  jobs: number;
  importerId?: string;
  policy: RejectPolicy;
  rejects: RejectsFile;
  signal: AbortSignal;
  /** Idle time after which a chunk held by a dead importer is taken over. */
  reclaimIdleMs: number;
  onChunk?: (table: string, rows: number, bytes: number) => void;
}

export interface ImportStats {
  chunks: number;
  rows: number;
  rejected: number;
  notes: Record<string, number>;
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
 * references is complete, so foreign keys hold at every commit. Each chunk is one transaction:
 * delete whatever a previous, interrupted load of the same chunk left, load the chunk, commit,
 * then acknowledge it in Redis. A crash between commit and acknowledgement just loads it again.
 */
export async function importChunks(target: DbUrl, schema: SchemaInfo, staging: Staging, opts: ImportOptions): Promise<ImportStats> {
  const planned = await staging.tables();
  const inRun = new Set(planned.map((t) => t.table));
  const plans = new Map<string, TablePlan>();
  for (const t of planned) {
    const cols = new Map((schema.columns.get(t.table) ?? []).map((c) => [c.name, targetColumn(c, target.engine)]));
    const refs = schema.foreignKeys
      .filter((fk) => fk.table === t.table && fk.columns.length === 1 && inRun.has(fk.refTable))
      .map((fk) => [fk.columns[0], fk.refTable] as [string, string]);
    plans.set(t.table, { table: t.table, pk: t.pk, intPk: t.intPk, parents: spec(t.table).parents.filter((p) => inRun.has(p)), targetCols: cols, refs });
  }
  const stats: ImportStats = { chunks: 0, rows: 0, rejected: 0, notes: {}, interrupted: false };
  const id = opts.importerId ?? hostname();
  const workers = Array.from({ length: Math.max(1, opts.jobs) }, (_, i) => worker(`${id}-${i}`));
  await Promise.all(workers);
  stats.interrupted = opts.signal.aborted;
  return stats;

  async function worker(consumer: string): Promise<void> {
    // Each worker blocks on XREADGROUP: give it its own connection so it never stalls the others.
    const redis = staging.redis.duplicate();
    const queue = new Staging(redis, staging.ns);
    const release = await staging.lock(`importer:${consumer}`, { what: `importer ${consumer}`, waitMs: 20_000 });
    const session = await openBulkSession(target);
    const rejectedCache = new Map<string, Set<string>>();
    let lastReclaim = 0;
    let lastExporterCheck = Date.now();
    try {
      for (;;) {
        if (opts.signal.aborted) return;
        const status = await tableStatus(staging, planned.map((t) => t.table));
        const open = planned.filter((t) => !status.get(t.table)!.complete);
        if (!open.length) return;
        const loadable = open.filter((t) => plans.get(t.table)!.parents.every((p) => status.get(p)?.complete)).map((t) => t.table);
        // First what this consumer was given before and never acknowledged (a crash, a Ctrl-C), then new chunks.
        let chunks = await queue.readChunks(loadable, consumer, { pending: true, count: 10, blockMs: 0 });
        if (!chunks.length) chunks = await queue.readChunks(loadable, consumer, { pending: false, count: 1, blockMs: 100 });
        if (!chunks.length && Date.now() - lastReclaim > 2_000) {
          lastReclaim = Date.now();
          for (const t of loadable) chunks.push(...(await staging.reclaim(t, consumer, opts.reclaimIdleMs)));
        }
        for (const c of chunks) {
          if (opts.signal.aborted) return;
          await loadChunk(session, c, rejectedCache);
        }
        if (!chunks.length && Date.now() - lastExporterCheck > 3_000) {
          // Nothing to load, nothing staged, and no exporter alive: the export stopped part-way.
          lastExporterCheck = Date.now();
          const staged = open.some((t) => status.get(t.table)!.exportedChunks > status.get(t.table)!.importedChunks);
          if (!staged && !(await staging.redis.exists(staging.key('lock', 'exporter')))) {
            stats.exportMissing = true;
            return;
          }
        }
        if (!chunks.length && !loadable.length) await sleep(100, opts.signal);
      }
    } finally {
      await session.close().catch(() => undefined);
      await release();
      redis.disconnect();
    }
  }

  async function loadChunk(session: BulkSession, d: ChunkDescriptor, cache: Map<string, Set<string>>): Promise<void> {
    const started = Date.now();
    const plan = plans.get(d.table)!;
    const payload = await staging.payload(d);
    if (!payload) {
      // Already loaded and acknowledged by another importer that lost its stream entry: just drop it.
      await staging.ack(d, 0, 0, 0);
      return;
    }
    const { columns, rows, keys, rejected } = await convert(plan, payload, cache);
    let loaded = 0;
    for (let attempt = 1; ; attempt++) {
      const found = rejected.length;
      try {
        loaded = await writeChunk(session, plan, d, columns, rows, keys, rejected);
        break;
      } catch (err) {
        rejected.length = found; // the rolled-back attempt's database rejections are found again
        if (!isTransient(err) || attempt >= 5) throw new RuntimeFailure(`loading ${plan.table} chunk ${d.seq} failed: ${(err as Error).message}`);
        await sleep(100 * attempt);
      }
    }
    if (rejected.length) {
      opts.rejects.write(rejected);
      await staging.addRejected(d.table, rejected.map((r) => r.key));
    }
    stats.chunks++;
    stats.rows += loaded;
    stats.rejected += rejected.length;
    await staging.ack(d, loaded, rejected.length, (Date.now() - started) / 1000);
    opts.onChunk?.(d.table, d.rows, d.bytes);
  }

  async function convert(plan: TablePlan, p: ChunkPayload, cache: Map<string, Set<string>>) {
    const use = p.columns.map((c, i) => [c, i] as const).filter(([c]) => plan.targetCols.has(c));
    const columns = use.map(([c]) => c);
    const cols = use.map(([c]) => plan.targetCols.get(c)!);
    const pkIndex = p.columns.indexOf(plan.pk);
    const refSets: [number, Set<string>, string][] = [];
    for (const [col, table] of plan.refs) {
      const i = p.columns.indexOf(col);
      if (i < 0) continue;
      if (!cache.has(table)) cache.set(table, await staging.rejectedKeys(table));
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
        const c = toTarget(cols[k], src[use[k][1]], opts.policy);
        if (c.reject) reason = c.reject;
        else if (c.note) stats.notes[c.note] = (stats.notes[c.note] ?? 0) + 1;
        out[k] = c.value;
      }
      if (reason) rejected.push({ table: plan.table, key, reason, row: Object.fromEntries(p.columns.map((c, i) => [c, src[i]])) });
      else rows.push(out);
    }
    return { columns, rows, keys, rejected };
  }

  async function writeChunk(session: BulkSession, plan: TablePlan, d: ChunkDescriptor, columns: string[], rows: Row[], keys: string[], rejected: RejectedRow[]): Promise<number> {
    const pkAt = columns.indexOf(plan.pk);
    const q = session.engine === 'mysql' ? (s: string) => '`' + s.replace(/`/g, '``') + '`' : (s: string) => '"' + s.replace(/"/g, '""') + '"';
    await session.begin();
    try {
      if (plan.intPk && d.first !== null && d.last !== null) {
        await session.query(`DELETE FROM ${q(plan.table)} WHERE ${q(plan.pk)} BETWEEN ${ph(session, 1)} AND ${ph(session, 2)}`, [d.first, d.last]);
      } else if (keys.length) {
        for (let i = 0; i < keys.length; i += 1000) {
          const part = keys.slice(i, i + 1000);
          await session.query(`DELETE FROM ${q(plan.table)} WHERE ${q(plan.pk)} IN (${part.map((_, k) => ph(session, k + 1)).join(', ')})`, part);
        }
      }
      const n = await loadRows(session, plan, columns, rows, pkAt, rejected, q);
      await session.commit();
      return n;
    } catch (err) {
      await session.rollback().catch(() => undefined);
      throw err;
    }
  }
}

/** Deadlocks and lock timeouts: the whole chunk transaction was rolled back, so it can simply run again. */
function isTransient(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.errno === 1213 || e?.errno === 1205 || e?.code === '40P01' || e?.code === '40001' || e?.code === '55P03';
}

function ph(s: BulkSession, n: number): string {
  return s.engine === 'postgres' ? `$${n}` : '?';
}

/**
 * Bulk-load rows; when the database refuses some (a CHECK, a foreign key, a value we did not
 * foresee), find them and reject just those: PostgreSQL bisects with savepoints, MySQL (whose
 * LOAD DATA LOCAL downgrades errors to warnings) redoes the chunk as strict single-row INSERTs.
 */
async function loadRows(
  session: BulkSession,
  plan: TablePlan,
  columns: string[],
  rows: Row[],
  pkAt: number,
  rejected: RejectedRow[],
  q: (s: string) => string,
): Promise<number> {
  if (!rows.length) return 0;
  const reject = (r: Row, reason: string) =>
    rejected.push({ table: plan.table, key: String(r[pkAt]), reason, row: Object.fromEntries(columns.map((c, i) => [c, r[i]])) });
  if (session.engine === 'postgres') {
    const attempt = async (part: Row[]): Promise<number> => {
      await session.query('SAVEPOINT chunk_part');
      try {
        const r = await session.load(plan.table, columns, part);
        await session.query('RELEASE SAVEPOINT chunk_part');
        return r.rows;
      } catch (err) {
        await session.query('ROLLBACK TO SAVEPOINT chunk_part');
        if (part.length === 1) {
          reject(part[0], `refused by PostgreSQL: ${(err as Error).message}`);
          return 0;
        }
        const mid = part.length >> 1;
        return (await attempt(part.slice(0, mid))) + (await attempt(part.slice(mid)));
      }
    };
    return attempt(rows);
  }
  await session.query('SAVEPOINT chunk_load');
  const r = await session.load(plan.table, columns, rows);
  if (!r.warnings.length && r.rows === rows.length) return r.rows;
  await session.query('ROLLBACK TO SAVEPOINT chunk_load');
  const text = `INSERT INTO ${q(plan.table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  let n = 0;
  for (const row of rows) {
    try {
      await session.query(text, row as unknown[]);
      n++;
    } catch (err) {
      reject(row, `refused by MySQL: ${(err as Error).message}`);
    }
  }
  return n;
}

export interface TableStatus {
  complete: boolean;
  exportDone: boolean;
  exportedChunks: number;
  importedChunks: number;
}

export async function tableStatus(staging: Staging, tables: string[]): Promise<Map<string, TableStatus>> {
  const pipe = staging.redis.pipeline();
  for (const t of tables) pipe.hmget(staging.key('progress', t), 'export_done', 'exported_chunks', 'imported_chunks');
  const res = (await pipe.exec()) ?? [];
  const out = new Map<string, TableStatus>();
  tables.forEach((t, i) => {
    const [done, exp, imp] = (res[i]?.[1] as (string | null)[]) ?? [];
    const exportedChunks = Number(exp ?? 0);
    const importedChunks = Number(imp ?? 0);
    const exportDone = done === '1';
    out.set(t, { complete: exportDone && importedChunks >= exportedChunks, exportDone, exportedChunks, importedChunks });
  });
  return out;
}
