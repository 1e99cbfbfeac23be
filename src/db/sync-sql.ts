import { sql } from 'kysely';
import type { BulkSession } from './bulk.js';
import type { Connection } from './connect.js';

/**
 * What `sync` asks of each engine beyond the adapter: foreign keys checked at each statement, and a
 * cheap fingerprint of the writes a database has taken.
 */

/**
 * Make the session's open transaction check foreign keys at each statement. Sentry's PostgreSQL
 * constraints are DEFERRABLE INITIALLY DEFERRED (Django's default there), so a batch would learn of
 * a row whose parent was rejected only at COMMIT, too late to reject just that row. MySQL checks at
 * each statement already.
 */
export async function checkForeignKeysNow(session: BulkSession): Promise<void> {
  if (session.engine === 'postgres') await session.query('SET CONSTRAINTS ALL IMMEDIATE');
}

/**
 * A fingerprint of the writes committed to these tables, from the server's own counters: equal at two
 * moments means no write reached them in between (or so few that the server has not counted them
 * yet; `sync --final` waits long enough for a running writer to show).
 *  - PostgreSQL: inserted + updated + deleted tuples of `pg_stat_user_tables`, the statistics a
 *    writing backend reports at most about once a second (read with a fresh statistics snapshot).
 *  - MariaDB/MySQL: InnoDB's per-table `MODIFIED_COUNTER` (rows changed since its statistics were last
 *    computed) and the tables' `UPDATE_TIME` (the last commit that changed them).
 */
export async function writeFingerprint(conn: Connection, tables: string[]): Promise<string> {
  if (!tables.length) return '';
  if (conn.engine === 'postgres') {
    await sql`SELECT pg_stat_clear_snapshot()`.execute(conn.db);
    const r = await sql<{ n: string | null }>`
      SELECT SUM(n_tup_ins + n_tup_upd + n_tup_del)::text AS n FROM pg_stat_user_tables
      WHERE schemaname = current_schema() AND relname IN (${sql.join(tables)})`.execute(conn.db);
    return String(r.rows[0]?.n ?? 0);
  }
  const [{ db }] = (await sql<{ db: string }>`SELECT DATABASE() AS db`.execute(conn.db)).rows;
  const modified = await sql<{ n: string | null }>`
    SELECT SUM(MODIFIED_COUNTER) AS n FROM information_schema.INNODB_SYS_TABLESTATS
    WHERE NAME IN (${sql.join(tables.map((t) => `${innodbName(db)}/${innodbName(t)}`))})`.execute(conn.db).catch(() => ({ rows: [{ n: null }] }));
  const updated = await sql<{ t: unknown }>`
    SELECT MAX(UPDATE_TIME) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${sql.join(tables)})`.execute(conn.db);
  return `${modified.rows[0]?.n ?? '-'}|${String(updated.rows[0]?.t ?? '-')}`;
}

/** InnoDB's file-name encoding of a database or table name (`-` is `@002d`, …); plain names stay as they are. */
function innodbName(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, (c) => `@${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
