import { sql } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { SchemaInfo } from '../db/introspect.js';
import { UsageError } from '../errors.js';
import { spec } from './catalog.js';
import type { PlannedTable } from './export.js';
import { type Scope, scopeFilter, tablesInScope } from './scope.js';

export interface MigrationPlan {
  tables: PlannedTable[];
  warnings: string[];
}

/**
 * Decide what to copy: the catalog tables in scope that the source has, on the columns both sides
 * share. Refuses (exit 2, nothing written) when the target lacks a table the source has rows for,
 * or a NOT NULL column the source cannot fill; columns only the source has are reported.
 */
export async function planMigration(source: Connection, sourceSchema: SchemaInfo, targetSchema: SchemaInfo | null, scope: Scope): Promise<MigrationPlan> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const tables: PlannedTable[] = [];
  for (const t of tablesInScope(scope, new Set(sourceSchema.tables))) {
    const srcCols = sourceSchema.columns.get(t.table)!;
    const pk = sourceSchema.primaryKeys.get(t.table);
    if (!pk || pk.length !== 1) {
      problems.push(`${t.table} has no single-column primary key on the source`);
      continue;
    }
    const filter = scopeFilter(source.db, t, scope);
    const rows = filter ? await countRows(source, t.table, filter) : 0;
    let cols = srcCols;
    if (targetSchema) {
      const tgtCols = targetSchema.columns.get(t.table);
      if (!tgtCols) {
        if (rows > 0 || !filter) problems.push(`the target has no table ${t.table} (the source has ${rows} rows in scope)`);
        continue;
      }
      const srcNames = new Set(srcCols.map((c) => c.name));
      const tgtNames = new Set(tgtCols.map((c) => c.name));
      for (const c of tgtCols) {
        if (!srcNames.has(c.name) && !c.nullable && c.defaultValue === null && !c.autoIncrement) {
          problems.push(`${t.table}.${c.name} is NOT NULL on the target and the source has no such column`);
        }
      }
      const dropped = srcCols.filter((c) => !tgtNames.has(c.name)).map((c) => c.name);
      if (dropped.length) warnings.push(`${t.table}: the target has no column ${dropped.join(', ')}; those values are not copied`);
      cols = srcCols.filter((c) => tgtNames.has(c.name));
    }
    const pkCol = srcCols.find((c) => c.name === pk[0])!;
    tables.push({
      table: t.table,
      columns: cols.map((c) => c.name),
      kinds: cols.map((c) => c.kind),
      pk: pk[0],
      intPk: pkCol.kind === 'int32' || pkCol.kind === 'int64' || pkCol.kind === 'int16',
      rows,
    });
  }
  if (problems.length) throw new UsageError(`cannot migrate; nothing was written:\n  - ${problems.join('\n  - ')}`, 'bring the target schema to Sentry 7.7 (`sentry upgrade`, or `sentry-admin init-schema` on an empty database)');
  return { tables, warnings };
}

async function countRows(conn: Connection, table: string, filter: NonNullable<ReturnType<typeof scopeFilter>>): Promise<number> {
  const r = await conn.db.selectFrom(table).select(sql<string>`COUNT(*)`.as('n')).where(filter).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export function describeTables(plan: MigrationPlan): string[] {
  return plan.tables.map((t) => `${t.table} (${t.rows} rows${spec(t.table).eventData ? ', event data' : ''})`);
}
