import { type Kysely, sql } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { ColumnInfo, ColumnKind } from '../db/engine.js';
import type { SchemaInfo } from '../db/introspect.js';
import { UsageError } from '../errors.js';
import type { TableSpec } from './catalog.js';
import { type Exclusions, checkExclusions, isExcludedColumn } from './exclusions.js';
import { type Scope, scopeFilter } from './scope.js';
import { type NotCarried, planTables } from './tables.js';

/** One table of a run as planned, and as staged in the namespace (Staging.setTables). */
export interface PlannedTable {
  table: string;
  columns: string[];
  kinds: ColumnKind[];
  pk: string;
  intPk: boolean;
  /** Rows in scope when the run was planned (for progress bars). */
  rows: number;
  /** Tables whose rows this one references: loaded first. (Absent in namespaces staged before 0.2.) */
  parents?: string[];
}

export interface MigrationPlan {
  tables: PlannedTable[];
  /** Tables of the source that the run does not carry, with the reason and whether they hold rows. */
  notCarried: (NotCarried & { holdsRows: boolean })[];
  /** Source columns the target lacks and that hold no value in scope: nothing of them is lost. */
  emptyColumnsLeft: string[];
  warnings: string[];
}

/**
 * Decide what to copy: every table of the source that holds data (Sentry's catalogue and every
 * other table, tables.ts), on the columns both sides share. Refuses (exit 2, nothing written) when
 * the target lacks a table the source has rows for, or a column in which the source has values,
 * or a NOT NULL column the source cannot fill: the only way past is an explicit exclusion.
 */
export async function planMigration(
  source: Connection, sourceSchema: SchemaInfo, targetSchema: SchemaInfo | null, scope: Scope, exclusions: Exclusions,
  o: { count?: boolean } = {},
): Promise<MigrationPlan> {
  checkExclusions(exclusions, [sourceSchema, targetSchema]);
  const run = planTables(sourceSchema.tables, [sourceSchema, targetSchema], scope, exclusions);
  const problems: string[] = [];
  const missingTables: string[] = [];
  const plan: MigrationPlan = { tables: [], notCarried: [], emptyColumnsLeft: [], warnings: [] };
  for (const n of run.notCarried) plan.notCarried.push({ ...n, holdsRows: await holdsRows(source.db, n.table) });
  for (const t of run.specs) {
    const srcCols = sourceSchema.columns.get(t.table)!;
    const pk = sourceSchema.primaryKeys.get(t.table);
    const filter = scopeFilter(source.db, t, scope);
    // `count: false` (sync needs no progress totals): only whether the table holds rows in scope, 0 or 1.
    const rows = !filter ? 0 : o.count === false ? Number(await holdsRows(source.db, t.table, filter)) : await countRows(source.db, t.table, filter);
    if (!pk || pk.length !== 1) {
      // Chunks are cut and resumed by one key column; Django gives every table an `id`, so only a
      // hand-made table lacks one. Empty, it loses nothing.
      if (rows > 0 || !filter) problems.push(`${t.table} has no single-column primary key on the source, so it cannot be cut into resumable chunks`);
      continue;
    }
    let cols = srcCols.filter((c) => !isExcludedColumn(exclusions, t.table, c.name));
    if (targetSchema) {
      const tgtCols = targetSchema.columns.get(t.table);
      if (!tgtCols) {
        if (rows > 0 || !filter) missingTables.push(`${t.table} (${filter && o.count !== false ? rows : 'some'} rows)`);
        continue;
      }
      const carried = new Set(cols.map((c) => c.name));
      for (const c of tgtCols) {
        if (!carried.has(c.name) && !c.nullable && c.defaultValue === null && !c.autoIncrement) {
          problems.push(`${t.table}.${c.name} is NOT NULL on the target and the source ${srcCols.some((s) => s.name === c.name) ? 'column is excluded' : 'has no such column'}`);
        }
      }
      const tgtNames = new Set(tgtCols.map((c) => c.name));
      for (const c of cols.filter((x) => !tgtNames.has(x.name))) {
        const values = await countRows(source.db, t.table, filter, c.name);
        if (values > 0) problems.push(`the target has no column ${t.table}.${c.name}; the source holds ${values} non-NULL values in it`);
        else plan.emptyColumnsLeft.push(`${t.table}.${c.name}`);
      }
      cols = cols.filter((c) => tgtNames.has(c.name));
    }
    plan.tables.push(plannedTable(t, cols, pk[0], srcCols, rows));
  }
  if (missingTables.length) problems.unshift(`the target has no table ${missingTables.join(', ')}`);
  if (problems.length) {
    throw new UsageError(
      `cannot migrate; nothing was written:\n  - ${problems.join('\n  - ')}`,
      'bring the target schema to Sentry 7.7 (`sentry upgrade`, or `sentry-admin init-schema` on an empty database), or leave data out explicitly with --exclude-table TABLE / --exclude-column TABLE.COLUMN',
    );
  }
  return plan;
}

function plannedTable(t: TableSpec, cols: ColumnInfo[], pk: string, srcCols: ColumnInfo[], rows: number): PlannedTable {
  const pkCol = srcCols.find((c) => c.name === pk)!;
  return {
    table: t.table,
    columns: cols.map((c) => c.name),
    kinds: cols.map((c) => c.kind),
    pk,
    intPk: pkCol.kind === 'int32' || pkCol.kind === 'int64' || pkCol.kind === 'int16',
    rows,
    parents: t.parents.filter((p) => p !== t.table),
  };
}

async function holdsRows(db: Kysely<any>, table: string, filter?: ReturnType<typeof scopeFilter>): Promise<boolean> {
  let q = db.selectFrom(table).select(sql<number>`1`.as('x'));
  if (filter) q = q.where(filter);
  const r = await q.limit(1).execute();
  return r.length > 0;
}

/** Rows in scope (no filter: the whole table), or those with a value in `column`. */
async function countRows(db: Kysely<any>, table: string, filter: ReturnType<typeof scopeFilter>, column?: string): Promise<number> {
  let q = db.selectFrom(table).select(sql<string>`COUNT(*)`.as('n'));
  if (filter) q = q.where(filter);
  if (column) q = q.where(sql.ref(column), 'is not', null);
  const r = await q.executeTakeFirst();
  return Number(r?.n ?? 0);
}
