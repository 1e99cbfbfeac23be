/**
 * Loading the seed: bulk sessions (COPY / LOAD DATA LOCAL) with relaxed checks on the empty schema.
 * Stage one loads the small tables, parents first, on one session; stage two streams the per-event
 * tables on one session each, at the same time.
 */
import { type BulkSession, type LoadResult, assertNoWarnings } from '../db/bulk.js';
import { openBulkSession } from '../db/connect.js';
import { setupSql } from '../db/engine-sql.js';
import type { DbUrl } from '../db/url.js';
import { RuntimeFailure } from '../errors.js';
import type { TableRows } from './seed-tables.js';

export interface LoadPlan {
  /** Loaded first, in order, on one session: every parent of the per-event tables is here. */
  parents: TableRows[];
  /** Loaded after `parents`, on the same session. */
  rest: TableRows[];
  /** Loaded at the same time, each on its own session, once `parents` and `rest` are in. */
  parallel: TableRows[];
}

export interface LoadOptions {
  signal?: AbortSignal;
  /** Called as each table finishes loading. */
  onTable?: (table: string, rows: number, seconds: number) => void;
  /** Called every `progressEvery` ms while big tables load: rows sent so far of each. */
  onProgress?: (sent: { table: string; rows: number; expected: number }[]) => void;
  progressEvery?: number;
}

/** Load everything; returns rows per table. Throws (after closing every session) on the first failure. */
export async function loadSeed(url: DbUrl, plan: LoadPlan, opts: LoadOptions = {}): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const sessions: BulkSession[] = [];
  const sent = new Map<TableRows, number>();
  const open = async () => {
    const s = await openBulkSession(url, { relaxChecks: true });
    sessions.push(s);
    await setupSql(s.engine).prepareSeedSession(s);
    return s;
  };
  const load = async (s: BulkSession, t: TableRows) => {
    const started = Date.now();
    let result: LoadResult;
    try {
      result = await s.load(t.table, t.columns, counted(t, sent, opts.signal));
    } catch (err) {
      if (err instanceof RuntimeFailure) throw err;
      throw new RuntimeFailure(`loading ${t.table} failed: ${(err as Error).message ?? err}`);
    }
    assertNoWarnings(t.table, result);
    counts.set(t.table, result.rows);
    opts.onTable?.(t.table, result.rows, (Date.now() - started) / 1000);
  };
  const timer = opts.onProgress
    ? setInterval(() => {
        const big = plan.parallel.filter((t) => t.expected && sent.has(t) && !counts.has(t.table));
        if (big.length) opts.onProgress!(big.map((t) => ({ table: t.table, rows: sent.get(t)!, expected: t.expected! })));
      }, opts.progressEvery ?? 5000)
    : null;
  try {
    const main = await open();
    for (const t of [...plan.parents, ...plan.rest]) if (hasColumns(t)) await load(main, t);
    const others = await Promise.all(plan.parallel.map(() => open()));
    const results = await Promise.allSettled(plan.parallel.map((t, i) => load(others[i], t)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return counts;
  } catch (err) {
    if (opts.signal?.aborted) throw new RuntimeFailure('seed interrupted; the tables it had filled were emptied again');
    throw err;
  } finally {
    if (timer) clearInterval(timer);
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  }
}

/** A table with no rows has no columns either (records() of an empty list): nothing to load. */
function hasColumns(t: TableRows): boolean {
  return t.columns.length > 0;
}

/** Count rows as they are sent, and stop feeding a load soon after Ctrl-C (the load then fails). */
function* counted<T>(t: TableRows, sent: Map<TableRows, number>, signal?: AbortSignal): Generator<T> {
  let n = 0;
  for (const r of t.rows as Iterable<T>) {
    if ((++n & 0x3fff) === 0) {
      if (signal?.aborted) throw new RuntimeFailure('seed interrupted');
      sent.set(t, n);
    }
    yield r;
  }
  sent.set(t, n);
}
