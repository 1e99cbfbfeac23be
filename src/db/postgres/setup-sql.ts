/** PostgreSQL side of src/db/setup-sql.ts. */
import { sql } from 'kysely';
import type { SetupSql } from '../setup-sql.js';

export const postgresSetupSql: SetupSql = {
  async createSchema(conn, statements) {
    // DDL is transactional here: the whole schema or nothing.
    await conn.db.transaction().execute(async (tx) => {
      for (const s of statements) await sql.raw(s).execute(tx);
    });
  },

  async emptyTables(conn, tables) {
    await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))} CASCADE`.execute(conn.db);
  },

  async prepareSeedSession(s) {
    // Skip FK triggers on our own, consistent rows when allowed (superuser); otherwise parents-first order keeps them satisfied.
    await s.query('SET session_replication_role = replica').catch(() => undefined);
  },

  clusteredByKey: false,
};
