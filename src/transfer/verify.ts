/**
 * `verify`: prove, independently of the migration, that a target holds exactly the source's rows
 * (docs/cli.md). Every catalog table in scope is compared on the columns both sides share, by
 * segment hashes computed inside each database (row-hash.ts), narrowing to rows only where they
 * differ (verify-table.ts). A PostgreSQL target's sequences must also be past their tables' ids.
 *
 * `migrate` calls `verify()` at its end; the CLI file only parses flags and renders the report.
 */
import { type SqlBool, sql } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { ColumnInfo } from '../db/engine.js';
import { type SchemaInfo, introspect } from '../db/introspect.js';
import { type TableSpec, spec as catalogSpec } from './catalog.js';
import { datetimePrecision, hashDialect, needsFreeText } from './row-hash.js';
import { type Scope, scopeFilter, tablesInScope } from './scope.js';
import type { Filter, SideTable } from './verify-segments.js';
import { type RowDiff, type TableCompareResult, check, compareTable, compareWhole } from './verify-table.js';
import { compareScopedNodes } from './verify-nodes.js';
import { checkSequences, type SequenceReport } from './verify-sequences.js';

export type { RowDiff } from './verify-table.js';
export type { SequenceReport } from './verify-sequences.js';
export { renderVerify } from './verify-render.js';

export interface VerifyOptions {
  /** Differences listed per table (the counts of rows each side stay exact). Default 10,000. */
  maxDiffs?: number;
  /** Rows per top-level segment. Default 10,000. */
  segmentRows?: number;
  /** Segment queries and tables worked on at once, per side. Default 2. */
  parallel?: number;
  signal?: AbortSignal;
  /** Called as each table is done (progress lines). */
  onTable?: (t: TableReport) => void;
}

export interface TableReport {
  table: string;
  equal: boolean;
  /** `equal`, or the kinds of difference found, e.g. `missing rows, changed rows`. */
  status: string;
  sourceRows: number | null;
  targetRows: number | null;
  missing: number;
  extra: number;
  changed: number;
  differences: RowDiff[];
  /** More differences exist than are listed. */
  truncated: boolean;
  columnsOnlyInSource: string[];
  columnsOnlyInTarget: string[];
  segments: number;
  differingSegments: number;
  seconds: number;
  note?: string;
}

export interface VerifyReport {
  equal: boolean;
  source: { engine: string; database: string };
  target: { engine: string; database: string };
  scope: string;
  /** Datetimes were compared at this precision (whole seconds when either side is MySQL). */
  datetimePrecision: string;
  tables: TableReport[];
  sequences: SequenceReport[];
  staleSequences: number;
  differentTables: number;
  seconds: number;
}

export async function verify(source: Connection, target: Connection, scope: Scope, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const o = {
    maxDiffs: opts.maxDiffs ?? 10_000,
    segmentRows: opts.segmentRows ?? 10_000,
    segmentsPerQuery: 10,
    parallel: opts.parallel ?? 2,
    leafRows: 1_000,
    fanout: 16,
    signal: opts.signal,
  };
  const [sa, sb] = await Promise.all([introspect(source), introspect(target)]);
  const precision = datetimePrecision(source.engine, target.engine);
  const specs = tablesInScope(scope, new Set([...sa.tables, ...sb.tables]));
  const tables = await mapLimit(specs, o.parallel, async (spec) => {
    check(o.signal);
    const t0 = performance.now();
    const report = await verifyTable(spec, { source, target, sa, sb, scope, precision }, o);
    report.seconds = round((performance.now() - t0) / 1000);
    opts.onTable?.(report);
    return report;
  });
  const compared = tables.filter((t) => t.sourceRows !== null && t.targetRows !== null).map((t) => t.table);
  const sequences = target.engine === 'postgres' ? await checkSequences(target, sb, compared) : [];
  const staleSequences = sequences.filter((s) => !s.ok).length;
  const differentTables = tables.filter((t) => !t.equal).length;
  return {
    equal: differentTables === 0 && staleSequences === 0,
    source: { engine: source.engine, database: source.url.masked },
    target: { engine: target.engine, database: target.url.masked },
    scope: scope.description,
    datetimePrecision: precision === 'second' ? 'seconds (truncated)' : 'microseconds',
    tables,
    sequences,
    staleSequences,
    differentTables,
    seconds: round((performance.now() - started) / 1000),
  };
}

interface Sides {
  source: Connection;
  target: Connection;
  sa: SchemaInfo;
  sb: SchemaInfo;
  scope: Scope;
  precision: ReturnType<typeof datetimePrecision>;
}

async function verifyTable(spec: TableSpec, s: Sides, o: Parameters<typeof compareTable>[2]): Promise<TableReport> {
  const table = spec.table;
  const colsA = s.sa.columns.get(table);
  const colsB = s.sb.columns.get(table);
  const base: TableReport = {
    table, equal: true, status: 'equal', sourceRows: null, targetRows: null, missing: 0, extra: 0, changed: 0,
    differences: [], truncated: false, columnsOnlyInSource: [], columnsOnlyInTarget: [], segments: 0, differingSegments: 0, seconds: 0,
  };
  if (!colsA || !colsB) {
    // The table exists on one side only: a difference when that side holds rows in scope.
    const [conn, cols, side] = colsA ? [s.source, colsA, 'source'] : [s.target, colsB!, 'target'];
    const filter = scopeFilter(conn.db, spec, s.scope);
    let q = conn.db.selectFrom(table).select(sql`COUNT(*)`.as('n'));
    if (filter) q = q.where(filter);
    const n = Number((await q.executeTakeFirstOrThrow()).n);
    const missingHere = side === 'source' ? 'target' : 'source';
    base[side === 'source' ? 'sourceRows' : 'targetRows'] = n;
    base[side === 'source' ? 'columnsOnlyInSource' : 'columnsOnlyInTarget'] = cols.map((c) => c.name);
    base.note = `table missing in the ${missingHere}`;
    if (n > 0) Object.assign(base, { equal: false, status: side === 'source' ? 'missing rows' : 'extra rows' });
    return base;
  }
  const namesB = new Set(colsB.map((c) => c.name));
  const namesA = new Set(colsA.map((c) => c.name));
  base.columnsOnlyInSource = colsA.filter((c) => !namesB.has(c.name)).map((c) => c.name);
  base.columnsOnlyInTarget = colsB.filter((c) => !namesA.has(c.name)).map((c) => c.name);
  const shared = [...namesA].filter((n) => namesB.has(n)).sort();
  const col = (cols: ColumnInfo[], n: string) => cols.find((c) => c.name === n)!;
  const pick = (cols: ColumnInfo[]) => shared.map((n) => ({ col: col(cols, n), freeText: needsFreeText(col(colsA, n), col(colsB, n)) }));

  const fa = scopeFilter(s.source.db, spec, s.scope);
  const fb = scopeFilter(s.target.db, spec, s.scope);
  const side = (conn: Connection, cols: ColumnInfo[], filter: Filter) => ({
    db: conn.db, d: hashDialect(conn.engine), table, cols: pick(cols), filter, precision: s.precision,
  });
  const a = side(s.source, colsA, fa ?? TRUE);
  const b = side(s.target, colsB, fb ?? TRUE);
  const pkA = s.sa.primaryKeys.get(table) ?? [];
  const pkB = s.sb.primaryKeys.get(table) ?? [];
  const keyName = pkA.length === 1 && pkB.length === 1 && pkA[0] === pkB[0] && namesA.has(pkA[0]) && namesB.has(pkA[0]) ? pkA[0] : null;
  const keyed = (x: typeof a, cols: ColumnInfo[]) => ({ ...x, key: cols.find((c) => c.name === keyName)! }) as SideTable;
  if ((fa === null || fb === null) && keyName) {
    // nodestore_node under a scope: its rows are the nodes the in-scope source events point at.
    const events = { db: s.source.db, d: a.d, filter: scopeFilter(s.source.db, catalogSpec('sentry_message'), s.scope)! };
    return summarize(base, await compareScopedNodes(keyed(a, colsA), keyed(b, colsB), events, o));
  }
  return summarize(base, keyName ? await compareTable(keyed(a, colsA), keyed(b, colsB), o) : await compareWhole(a, b));
}

function summarize(base: TableReport, r: TableCompareResult): TableReport {
  const count = (k: RowDiff['kind']) => r.diffs.filter((d) => d.kind === k).length;
  const t: TableReport = {
    ...base,
    sourceRows: r.sourceRows,
    targetRows: r.targetRows,
    missing: count('missing'),
    extra: count('extra'),
    changed: count('changed'),
    differences: r.diffs,
    truncated: r.truncated,
    segments: r.segments,
    differingSegments: r.differingSegments,
    note: r.note,
  };
  const kinds = [t.missing && 'missing rows', t.extra && 'extra rows', t.changed && 'changed rows'].filter(Boolean) as string[];
  if (kinds.length === 0 && r.truncated) kinds.push(r.sourceRows > r.targetRows ? 'missing rows' : r.sourceRows < r.targetRows ? 'extra rows' : 'changed rows');
  t.equal = kinds.length === 0;
  t.status = t.equal ? 'equal' : kinds.join(', ');
  return t;
}

/** map() with at most `limit` calls running; results in input order; the first failure wins. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

const TRUE: Filter = () => sql<SqlBool>`1 = 1`;

const round = (x: number) => Math.round(x * 1000) / 1000;
