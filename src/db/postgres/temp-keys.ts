import { sql } from 'kysely';
import type { KeysOf, TempKeys } from '../temp-keys.js';

/**
 * PostgreSQL: the keys arrive as one text[] parameter per batch (unnest), whatever their number.
 * No index: the planner hashes the keys for `IN` (a semi-join, so a key stored twice still picks
 * its row once), and an index kept up under random inserts cost five times the load (124k node ids:
 * 4 s against 0.8 s). Autovacuum never analyzes a temporary table, so `ready` does: without
 * statistics the planner guesses its size.
 *
 * Even so the planner cannot know how few buckets a comparison groups the joined rows into (16 to
 * 4096), and plans a sort of every joined row, wide as it is, before grouping: for 124k of 200k
 * nodes, an external sort of 135 MB and 1.65 s against 1.2 s by hashing (EXPLAIN ANALYZE, three runs
 * each, PostgreSQL 15). `ready` turns sorts off for the session, `drop` sets the setting back: the
 * session only runs the comparison's grouped and listing queries, none of which needs an order.
 */
export function postgresTempKeys(name: string, like: KeysOf): TempKeys {
  // pg_temp: never a permanent table of the same name.
  const table = sql.table(`pg_temp.${name}`);
  const drop = sql`DROP TABLE IF EXISTS ${table}`;
  let sorts: string | null = null;
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
      sorts = String((await sql<{ v: unknown }>`SELECT current_setting('enable_sort') AS v`.execute(db)).rows[0].v);
      await sql`SET enable_sort = off`.execute(db);
    },
    async drop(db) {
      try {
        if (sorts !== null) await sql`SELECT set_config('enable_sort', ${sorts}, false)`.execute(db);
        sorts = null;
      } finally {
        await drop.execute(db);
      }
    },
  };
}
