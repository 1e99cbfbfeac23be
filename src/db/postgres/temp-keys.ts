import { sql } from 'kysely';
import type { KeysOf, TempKeys } from '../temp-keys.js';

/**
 * PostgreSQL: the keys arrive as one text[] parameter per batch (unnest), whatever their number.
 * No index: the planner hashes the keys for `IN` (a semi-join, so a key stored twice still picks
 * its row once), and an index kept up under random inserts cost five times the load (124k node ids:
 * 4 s against 0.8 s). Autovacuum never analyzes a temporary table, so `ready` does: without
 * statistics the planner guesses its size.
 */
export function postgresTempKeys(name: string, like: KeysOf): TempKeys {
  // pg_temp: never a permanent table of the same name.
  const table = sql.table(`pg_temp.${name}`);
  const drop = sql`DROP TABLE IF EXISTS ${table}`;
  return {
    select: sql`SELECT k FROM ${table}`,
    async create(db) {
      await drop.execute(db);
      await sql`CREATE TEMPORARY TABLE ${sql.table(name)} AS SELECT ${sql.ref(like.column)} AS k FROM ${sql.table(like.table)} LIMIT 0`.execute(db);
    },
    async add(db, keys) {
      if (!keys.length) return;
      await sql`INSERT INTO ${table} (k) SELECT unnest(CAST(${keys} AS text[]))`.execute(db);
    },
    async ready(db) {
      await sql`ANALYZE ${table}`.execute(db);
    },
    async drop(db) {
      await drop.execute(db);
    },
  };
}
