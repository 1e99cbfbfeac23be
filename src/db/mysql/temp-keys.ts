import { sql } from 'kysely';
import type { KeysOf, TempKeys } from '../temp-keys.js';

/**
 * MySQL/MariaDB: CREATE TEMPORARY TABLE … SELECT copies the column's type, character set and
 * collation, so the keys compare as the column does. The primary key lets MariaDB pull
 * `key IN (SELECT k FROM t)` out into a join driven by this table in key order: the rows are then
 * read in the clustered index's order, each page once, where scattered look-ups of the same keys
 * (an IN list in event order) read pages again and again once the table outgrows the buffer pool.
 *
 * Past about a third of the table, even look-ups in key order cost more than reading every row in
 * order and probing the keys for each (nodestore_node, 124k keys of 200k rows: 3.7 s against
 * 2.8 s): `ready` then turns semi-joins off for the session (`optimizer_switch`), so the IN runs as
 * a unique_subquery probe per row of a table scan, as an unscoped comparison reads the table.
 * `drop` sets the session's switches back.
 */
export function mysqlTempKeys(name: string, like: KeysOf): TempKeys {
  const table = sql.table(name);
  const drop = sql`DROP TEMPORARY TABLE IF EXISTS ${table}`;
  let switches: string | null = null;
  return {
    select: sql`SELECT k FROM ${table}`,
    async create(db) {
      await drop.execute(db);
      await sql`CREATE TEMPORARY TABLE ${table} (PRIMARY KEY (k)) SELECT ${sql.ref(like.column)} AS k FROM ${sql.table(like.table)} LIMIT 0`.execute(db);
    },
    async add(db, keys) {
      if (!keys.length) return;
      // Not INSERT IGNORE: it would also turn a value the column cannot hold into a warning.
      await sql`INSERT INTO ${table} (k) VALUES ${sql.join(keys.map((k) => sql`(${k})`))} ON DUPLICATE KEY UPDATE k = k`.execute(db);
    },
    async ready(db, count) {
      const est = await sql<{ n: unknown }>`SELECT table_rows AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ${like.table}`.execute(db);
      if (count * 3 < Number(est.rows[0]?.n ?? 0)) return;
      switches = String((await sql<{ v: unknown }>`SELECT @@SESSION.optimizer_switch AS v`.execute(db)).rows[0].v);
      await sql`SET SESSION optimizer_switch = 'semijoin=off'`.execute(db);
    },
    async drop(db) {
      try {
        if (switches !== null) await sql`SET SESSION optimizer_switch = ${switches}`.execute(db);
        switches = null;
      } finally {
        await drop.execute(db);
      }
    },
  };
}
