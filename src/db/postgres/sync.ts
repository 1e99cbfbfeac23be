import { type Kysely, sql } from 'kysely';
import type { BulkSession, Row } from '../bulk.js';

/**
 * Foreign keys checked at each statement of the session's open transaction (EngineAdapter.checkForeignKeysNow).
 * Sentry's PostgreSQL constraints are DEFERRABLE INITIALLY DEFERRED (Django's default there), so a batch would
 * learn of a row whose parent was rejected only at COMMIT, too late to reject just that row.
 */
export async function checkForeignKeysNow(session: BulkSession): Promise<void> {
  await session.query('SET CONSTRAINTS ALL IMMEDIATE');
}

/**
 * The writes these tables have taken (EngineAdapter.writeFingerprint): inserted + updated + deleted tuples of
 * `pg_stat_user_tables`, which a writing backend reports at most about once a second; read with a fresh
 * statistics snapshot (a transaction otherwise keeps the first one it read).
 */
export async function writeFingerprint(db: Kysely<any>, tables: string[]): Promise<string> {
  if (!tables.length) return '';
  await sql`SELECT pg_stat_clear_snapshot()`.execute(db);
  const r = await sql<{ n: string | null }>`
    SELECT SUM(n_tup_ins + n_tup_upd + n_tup_del)::text AS n FROM pg_stat_user_tables
    WHERE schemaname = current_schema() AND relname IN (${sql.join(tables)})`.execute(db);
  return String(r.rows[0]?.n ?? 0);
}

/** Whether a table took a write between two fingerprints: the tuple counts only ever grow with writes. */
export function showsWrites(before: string, after: string): boolean {
  return before !== after;
}

/**
 * UPDATE these rows of `table` by `key`, every one of `columns`, in one statement (EngineAdapter.updateByKey):
 * the rows are COPYed into a temporary table of the same column types, then `UPDATE … FROM`. The temporary
 * table is dropped after, or goes with the transaction (ON COMMIT DROP, or a rollback to the caller's savepoint).
 */
export async function updateByKey(session: BulkSession, table: string, key: string, columns: string[], rows: Row[]): Promise<void> {
  const q = session.db;
  const temp = sql.table(`pg_temp.${UPDATE_TEMP}`);
  await sql`DROP TABLE IF EXISTS ${temp}`.execute(q);
  await sql`CREATE TEMPORARY TABLE ${sql.table(UPDATE_TEMP)} ON COMMIT DROP AS SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)} LIMIT 0`.execute(q);
  await session.load(UPDATE_TEMP, columns, rows);
  // Never analyzed by autovacuum: without statistics the planner may scan the whole table instead of looking the keys up.
  await sql`ANALYZE ${temp}`.execute(q);
  const set = columns.filter((c) => c !== key).map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}`);
  await sql`UPDATE ${sql.table(table)} AS t SET ${sql.join(set)} FROM ${temp} AS u WHERE t.${sql.ref(key)} = u.${sql.ref(key)}`.execute(q);
  await sql`DROP TABLE ${temp}`.execute(q);
}

const UPDATE_TEMP = 'sentry_admin_sync_update';
