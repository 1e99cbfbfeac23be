import { sql } from 'kysely';
import type { KeysOf, TempKeys } from '../temp-keys.js';

/**
 * PostgreSQL: the keys arrive as one text[] parameter per batch (unnest), whatever their number.
 * Autovacuum never analyzes a temporary table, so `ready` does: without statistics the planner
 * guesses its size and may probe the index per key instead of hashing the keys once.
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
      await sql`ALTER TABLE ${table} ADD PRIMARY KEY (k)`.execute(db);
    },
    async add(db, keys) {
      if (!keys.length) return;
      await sql`INSERT INTO ${table} (k) SELECT unnest(CAST(${keys} AS text[])) ON CONFLICT DO NOTHING`.execute(db);
    },
    async ready(db) {
      await sql`ANALYZE ${table}`.execute(db);
    },
    async drop(db) {
      await drop.execute(db);
    },
  };
}
