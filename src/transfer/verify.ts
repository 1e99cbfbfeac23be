/**
 * `verify`: prove, independently of the migration, that a target holds exactly the source's rows
 * (docs/cli.md). Every table present on either side, found by introspecting both databases (not
 * the migration's plan), is compared on every column, by segment hashes computed inside each
 * database (row-hash.ts), narrowing to rows only where they differ (verify-table.ts). A column or
 * table holding data on one side only is a difference unless the user excluded it. Rows the
 * migration rejected (its rejects file) are reported as rejected, not as differences. A
 * PostgreSQL target's sequences must also be past their tables' ids.
 *
 * `migrate` calls `verify()` at its end; the CLI file only parses flags and renders the report.
 */
import { type SqlBool, sql } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { ColumnInfo } from '../db/engine.js';
import { type SchemaInfo, introspect } from '../db/introspect.js';
import { type TableSpec, spec as catalogSpec } from './catalog.js';
import { type Exclusions, NO_EXCLUSIONS, checkExclusions, describeExclusions, isExcludedColumn } from './exclusions.js';
import { describeDatetime, hashColumns } from './row-hash.js';
import { type Scope, resolveGroupIds, scopeFilter, selectsByReference } from './scope.js';
import { type NotCarried, planTables } from './tables.js';
import type { Filter, SideTable } from './verify-segments.js';
import { type RowDiff, type TableCompareResult, check, compareTable, compareWhole } from './verify-table.js';
import { compareScopedNodes } from './verify-nodes.js';
import type { SequenceReport } from '../db/engine.js';
import { checkSequences } from './verify-sequences.js';

export type { RowDiff } from './verify-table.js';
export type { SequenceReport } from '../db/engine.js';

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
  /** Tables and columns left out on purpose (the same flags the migration took). */
  exclusions?: Exclusions;
  /** Keys of rows the migration rejected, by table: reported as rejected, not as missing. */
  rejected?: Map<string, Set<string>>;
  /** Where those keys came from, for the report. */
  rejectsFile?: string | null;
  /**
   * Tables already compared by the caller against these same databases and untouched since (sync's
   * last round, on a quiet source): their reports are taken as they are.
   */
  known?: Map<string, TableReport>;
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
  /** Source rows missing in the target that the migration rejected (its rejects file names them). */
  rejected: number;
  /** More differences exist than are listed. */
  truncated: boolean;
  columnsOnlyInSource: string[];
  columnsOnlyInTarget: string[];
  /** Columns that exist on one side only and hold values there (in scope): a difference. */
  columnsWithDataOnlyIn: { column: string; side: 'source' | 'target'; values: number }[];
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
  /**
   * How each datetime column (`table.column`) was compared: `microseconds` or `seconds` (exact:
   * the target holds at least the source's digits), or `seconds (source truncated)` where the
   * target column cannot hold the source's fraction.
   */
  datetimePrecision: Record<string, string>;
  tables: TableReport[];
  /** Tables present on a side but not compared, and why (transient, excluded, out of scope). */
  notCompared: (NotCarried & { sourceRows: boolean; targetRows: boolean })[];
  /** What the user excluded (as given), or ''. */
  excluded: string;
  sequences: SequenceReport[];
  staleSequences: number;
  differentTables: number;
  /** Rows reported as rejected by the migration, and where they are listed. */
  rejected: number;
  rejectsFile: string | null;
  /** Not equal, but every difference is a row the migration rejected (exit 4, not 3). */
  onlyRejected: boolean;
  /** From the start of the comparison to its end (a migration compares tables while it loads the rest). */
  seconds: number;
  /** The part of it spent after everything else was done: what a migration waits for its proof. */
  finishSeconds: number;
}

export async function verify(source: Connection, target: Connection, scope: Scope, opts: VerifyOptions = {}): Promise<VerifyReport> {
  return (await Verifier.open(source, target, scope, opts)).finish();
}

/**
 * A verify that can compare tables one at a time as they become final (`migrate` hands it each table
 * once its last chunk is loaded: nothing later changes a loaded table's rows, children never write
 * their parents), then `finish()` compares every table not yet done and the sequences. Which tables
 * and columns it compares is decided once, at `open`, from both databases.
 */
export class Verifier {
  private readonly reports = new Map<string, Promise<TableReport>>();
  private readonly datetimes: Record<string, string> = {};
  private readonly started = performance.now();
  private groups: Promise<void> | null = null;

  private constructor(
    private readonly source: Connection,
    private readonly target: Connection,
    private readonly scope: Scope,
    private readonly opts: VerifyOptions,
    private readonly o: Parameters<typeof compareTable>[2],
    private readonly sa: SchemaInfo,
    private readonly sb: SchemaInfo,
    private readonly exclusions: Exclusions,
    private readonly run: ReturnType<typeof planTables>,
    private readonly sides: Omit<Sides, 'datetimes'>,
  ) {}

  static async open(source: Connection, target: Connection, scope: Scope, opts: VerifyOptions = {}): Promise<Verifier> {
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
    const exclusions = opts.exclusions ?? NO_EXCLUSIONS;
    checkExclusions(exclusions, [sa, sb]);
    // Our own reading of both databases: every table on either side, scoped by the same rules the
    // migration's scope means, but never the migration's list of what it carried.
    const vscope: Scope = { ...scope, specs: undefined };
    const run = planTables([...sa.tables, ...sb.tables], [sa, sb], vscope, exclusions, { ordered: false });
    const sides = { source, target, sa, sb, scope: sideScope(vscope, sa), targetScope: sideScope(vscope, sb), exclusions };
    return new Verifier(source, target, scope, opts, o, sa, sb, exclusions, run, sides);
  }

  /**
   * Whether a table can be compared as soon as its own rows are final. Only when nothing narrows the
   * rows: under --org / --project / --since, which rows of a table are in scope depends on other
   * tables (the users the carried rows point at, the groups in scope), which may still be loading.
   */
  get comparesEarly(): boolean {
    return !selectsByReference(this.scope);
  }

  /**
   * Compare one table now (its rows must be final), counting `rejected` keys as rejected rows; a
   * table compared before is not compared again. Null for a table verify does not compare.
   */
  table(name: string, rejected?: Set<string>): Promise<TableReport> | null {
    const spec = this.run.specs.find((t) => t.table === name);
    if (!spec) return null;
    let p = this.reports.get(name);
    const known = this.opts.known?.get(name);
    if (!p && known) {
      p = Promise.resolve(known);
      this.opts.onTable?.(known);
      this.reports.set(name, p);
    }
    if (!p) {
      p = (async () => {
        check(this.o.signal);
        // Read when the first table is compared, not at open: a migration opens its verifier before the load.
        await (this.groups ??= resolveSideGroups(this.sides));
        const t0 = performance.now();
        const report = await verifyTable(spec, { ...this.sides, datetimes: this.datetimes }, this.o);
        markRejected(report, rejected ?? this.opts.rejected?.get(name));
        report.seconds = round((performance.now() - t0) / 1000);
        this.opts.onTable?.(report);
        return report;
      })();
      p.catch(() => undefined); // awaited by finish()
      this.reports.set(name, p);
    }
    return p;
  }

  /**
   * The tables in the order to compare them: the largest first (the servers' size estimates, the larger
   * side's), so that the last to finish is a small one and not, say, nodestore_node started behind the
   * rest. Without estimates, the order of the plan.
   */
  private async largestFirst(): Promise<TableSpec[]> {
    const sizes = await Promise.all([this.source, this.target].map((c) => c.adapter.tableBytes(c.db).catch(() => new Map<string, number>())));
    const size = (t: string) => Math.max(sizes[0].get(t) ?? 0, sizes[1].get(t) ?? 0);
    return [...this.run.specs].sort((x, y) => size(y.table) - size(x.table));
  }

  /** Every table not compared yet, then the sequences: the whole report. */
  async finish(): Promise<VerifyReport> {
    const finishing = performance.now();
    const { source, target, sa, sb } = this;
    await mapLimit(await this.largestFirst(), this.o.parallel, (spec) => this.table(spec.table)!);
    const tables = await Promise.all(this.run.specs.map((spec) => this.table(spec.table)!));
    const notCompared = await Promise.all(this.run.notCarried.map(async (n) => ({
      ...n,
      sourceRows: sa.columns.has(n.table) && (await holdsRows(source, n.table)),
      targetRows: sb.columns.has(n.table) && (await holdsRows(target, n.table)),
    })));
    const compared = tables.filter((t) => t.sourceRows !== null && t.targetRows !== null).map((t) => t.table);
    const sequences = await checkSequences(target, sb, compared);
    const staleSequences = sequences.filter((s) => !s.ok).length;
    const differentTables = tables.filter((t) => !t.equal).length;
    const rejected = tables.reduce((n, t) => n + t.rejected, 0);
    const equal = differentTables === 0 && staleSequences === 0;
    return {
      equal,
      source: { engine: source.engine, database: source.url.masked },
      target: { engine: target.engine, database: target.url.masked },
      scope: this.scope.description,
      datetimePrecision: Object.fromEntries(Object.entries(this.datetimes).sort(([x], [y]) => (x < y ? -1 : 1))),
      tables,
      notCompared,
      excluded: describeExclusions(this.exclusions),
      sequences,
      staleSequences,
      differentTables,
      rejected,
      rejectsFile: rejected ? this.opts.rejectsFile ?? null : null,
      onlyRejected: !equal && staleSequences === 0 && tables.every((t) => t.equal || t.status === 'rejected rows'),
      seconds: round((performance.now() - this.started) / 1000),
      finishSeconds: round((performance.now() - finishing) / 1000),
    };
  }
}

async function holdsRows(conn: Connection, table: string): Promise<boolean> {
  return (await conn.db.selectFrom(table).select(sql`1`.as('x')).limit(1).execute()).length > 0;
}

/**
 * Missing rows that the migration rejected are not differences: they were named, with their
 * reason, in the rejects file. A table whose only differences are those reads `rejected rows`.
 * When differences were cut at --max-diffs, only the counts can say so: every missing row must be
 * a rejected one and nothing else may differ.
 */
function markRejected(t: TableReport, keys: Set<string> | undefined): void {
  if (!keys?.size || t.equal) return;
  const keyOf = (d: RowDiff) => Object.values(d.key)[0];
  const isRejected = (d: RowDiff) => d.kind === 'missing' && keys.has(keyOf(d));
  t.rejected = t.differences.filter(isRejected).length;
  t.differences = t.differences.filter((d) => !isRejected(d));
  t.missing -= t.rejected;
  const rest = t.missing + t.extra + t.changed + t.columnsWithDataOnlyIn.length;
  if (t.truncated) {
    const counted = t.sourceRows !== null && t.targetRows !== null && t.sourceRows - t.targetRows === keys.size;
    if (counted && rest === 0) {
      t.rejected = keys.size;
      t.truncated = false;
    }
  }
  if (t.rejected && rest === 0 && !t.truncated) t.status = 'rejected rows';
}

interface Sides {
  source: Connection;
  target: Connection;
  sa: SchemaInfo;
  sb: SchemaInfo;
  /** The scope as each side resolves it: references and user look-ups only through tables that side has. */
  scope: Scope;
  targetScope: Scope;
  /** Filled in: how each datetime column was compared. */
  datetimes: Record<string, string>;
  exclusions: Exclusions;
}

/** The scope as one side resolves it: through the tables it has. */
function sideScope(scope: Scope, schema: SchemaInfo): Scope {
  return { ...scope, specs: new Map([...scope.specs!].filter(([t]) => schema.columns.has(t))) };
}

/** Each side's groups in scope, read once, from that side's own database (see `Scope.groupIds`). */
async function resolveSideGroups(s: Omit<Sides, 'datetimes'>): Promise<void> {
  const one = async (scope: Scope, schema: SchemaInfo, conn: Connection) => {
    if (schema.columns.has('sentry_groupedmessage')) scope.groupIds = (await resolveGroupIds(conn.db, scope)) ?? undefined;
  };
  await Promise.all([one(s.scope, s.sa, s.source), one(s.targetScope, s.sb, s.target)]);
}

async function verifyTable(spec: TableSpec, s: Sides, o: Parameters<typeof compareTable>[2]): Promise<TableReport> {
  const table = spec.table;
  const base: TableReport = {
    table, equal: true, status: 'equal', sourceRows: null, targetRows: null, missing: 0, extra: 0, changed: 0, differences: [], rejected: 0,
    truncated: false, columnsOnlyInSource: [], columnsOnlyInTarget: [], columnsWithDataOnlyIn: [], segments: 0, differingSegments: 0, seconds: 0,
  };
  const keep = (c: ColumnInfo) => !isExcludedColumn(s.exclusions, table, c.name);
  const colsA = s.sa.columns.get(table)?.filter(keep);
  const colsB = s.sb.columns.get(table)?.filter(keep);
  if (!colsA || !colsB) {
    // The table exists on one side only: a difference when that side holds rows in scope.
    const [conn, cols, side, scope] = colsA ? [s.source, colsA, 'source', s.scope] : [s.target, colsB!, 'target', s.targetScope];
    const filter = scopeFilter(conn.db, spec, scope);
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
  for (const [side, conn, cols, scope] of [['source', s.source, base.columnsOnlyInSource, s.scope], ['target', s.target, base.columnsOnlyInTarget, s.targetScope]] as const) {
    const filter = scopeFilter(conn.db, spec, scope);
    for (const column of cols) {
      let q = conn.db.selectFrom(table).select(sql`COUNT(*)`.as('n')).where(sql.ref(column), 'is not', null);
      if (filter) q = q.where(filter);
      const values = Number((await q.executeTakeFirstOrThrow()).n);
      if (values > 0) base.columnsWithDataOnlyIn.push({ column, side, values });
    }
  }
  const shared = [...namesA].filter((n) => namesB.has(n)).sort();
  const hashed = hashColumns(colsA, colsB, shared);
  for (const [n, dt] of hashed.datetimes) s.datetimes[`${table}.${n}`] = describeDatetime(dt);

  const fa = scopeFilter(s.source.db, spec, s.scope);
  const fb = scopeFilter(s.target.db, spec, s.targetScope);
  const side = (conn: Connection, cols: SideTable['cols'], filter: Filter) => ({
    db: conn.db, d: conn.adapter.hash, table, cols, filter,
  });
  const a = side(s.source, hashed.source, fa ?? TRUE);
  const b = side(s.target, hashed.target, fb ?? TRUE);
  const pkA = s.sa.primaryKeys.get(table) ?? [];
  const pkB = s.sb.primaryKeys.get(table) ?? [];
  const keyName = pkA.length === 1 && pkB.length === 1 && pkA[0] === pkB[0] && namesA.has(pkA[0]) && namesB.has(pkA[0]) ? pkA[0] : null;
  const keyed = (x: typeof a, cols: ColumnInfo[]) => ({ ...x, key: cols.find((c) => c.name === keyName)! }) as SideTable;
  if ((fa === null || fb === null) && keyName) {
    // nodestore_node under a scope: each side's rows are the nodes its own in-scope events point at.
    const nodes = (conn: Connection, schema: SchemaInfo, scope: Scope, table: SideTable) => ({
      engine: conn.engine,
      table,
      events: schema.columns.has('sentry_message') ? { db: conn.db, url: conn.url, filter: scopeFilter(conn.db, catalogSpec('sentry_message'), scope)! } : null,
    });
    return summarize(base, await compareScopedNodes(nodes(s.source, s.sa, s.scope, keyed(a, colsA)), nodes(s.target, s.sb, s.targetScope, keyed(b, colsB)), o));
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
  if (t.columnsWithDataOnlyIn.length) kinds.push(`values in ${t.columnsWithDataOnlyIn.map((c) => `${c.column} (${c.side} only)`).join(', ')}`);
  if (kinds.length === 0 && r.truncated) kinds.push(r.sourceRows > r.targetRows ? 'missing rows' : r.sourceRows < r.targetRows ? 'extra rows' : 'changed rows');
  t.equal = kinds.length === 0;
  t.status = t.equal ? 'equal' : kinds.join(', ');
  return t;
}

/** map() with at most `limit` calls running; results in input order; the first failure wins. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
