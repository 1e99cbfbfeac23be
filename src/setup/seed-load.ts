/**
 * Loading the seed: bulk sessions (COPY / LOAD DATA LOCAL) with relaxed checks on the empty schema.
 * Stage one loads the small tables, parents first, on one session; stage two streams the per-event
 * tables on one session each, at the same time, while the first session loads the issue-level tables.
 */
import { type BulkSession, type LoadResult, assertNoWarnings, openBulkSession } from '../db/bulk.js';
import type { DbUrl } from '../db/url.js';
import { RuntimeFailure } from '../errors.js';
import type { TableRows } from './seed-tables.js';

export interface LoadPlan {
  /** Loaded first, in order, on one session: every parent of the per-event tables is here. */
  parents: TableRows[];
  /** Loaded at the same time, each on its own session, once `parents` are in. */
  parallel: TableRows[];
  /** Loaded on the first session while `parallel` runs. */
  rest: TableRows[];
}

export interface LoadProgress {
  (table: string, rows: number, seconds: number): void;
}

/** Load everything; returns rows per table. Throws (after closing every session) on the first failure. */
export async function loadSeed(url: DbUrl, plan: LoadPlan, opts: { signal?: AbortSignal; onTable?: LoadProgress } = {}): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const sessions: BulkSession[] = [];
  const open = async () => {
    const s = await openBulkSession(url, { relaxChecks: true });
    sessions.push(s);
    if (s.engine === 'postgres') {
      // Skip FK triggers on our own, consistent rows when allowed (superuser); otherwise parents-first order keeps them satisfied.
      await s.query('SET session_replication_role = replica').catch(() => undefined);
    }
    return s;
  };
  const load = async (s: BulkSession, t: TableRows) => {
    const started = Date.now();
    const result: LoadResult = await s.load(t.table, t.columns, abortable(t.rows, opts.signal));
    assertNoWarnings(t.table, result);
    counts.set(t.table, result.rows);
    opts.onTable?.(t.table, result.rows, (Date.now() - started) / 1000);
  };
  try {
    const main = await open();
    for (const t of plan.parents) if (hasColumns(t)) await load(main, t);
    const others = await Promise.all(plan.parallel.map(() => open()));
    const results = await Promise.allSettled([
      ...plan.parallel.map((t, i) => load(others[i], t)),
      (async () => {
        for (const t of plan.rest) if (hasColumns(t)) await load(main, t);
      })(),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return counts;
  } catch (err) {
    if (opts.signal?.aborted) throw new RuntimeFailure('seed interrupted');
    throw err;
  } finally {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  }
}

/** A table with no rows has no columns either (records() of an empty list): nothing to load. */
function hasColumns(t: TableRows): boolean {
  return t.columns.length > 0;
}

/** Stop feeding a load soon after Ctrl-C: the load then fails, and the caller empties the tables again. */
function* abortable<T>(rows: Iterable<T>, signal?: AbortSignal): Generator<T> {
  let n = 0;
  for (const r of rows) {
    if ((++n & 0x3fff) === 0 && signal?.aborted) throw new RuntimeFailure('seed interrupted');
    yield r;
  }
}
