import { type Kysely, sql } from 'kysely';
import type { BulkSession } from '../bulk.js';

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
