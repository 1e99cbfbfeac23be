/** MySQL/MariaDB side of src/db/setup-sql.ts. */
import { sql } from 'kysely';
import { RuntimeFailure } from '../../errors.js';
import type { SetupSql } from '../setup-sql.js';

export const mysqlSetupSql: SetupSql = {
  async createSchema(conn, statements, tables) {
    await conn.db.connection().execute(async (c) => {
      try {
        for (const s of statements) await sql.raw(s).execute(c);
      } catch (err) {
        // MySQL commits each DDL statement: undo this run's tables so the database is empty again.
        await sql.raw('SET FOREIGN_KEY_CHECKS = 0').execute(c);
        for (const t of await conn.adapter.listTables(c)) {
          if (tables.includes(t)) await sql.raw(`DROP TABLE ${conn.adapter.quoteIdent(t)}`).execute(c);
        }
        await sql.raw('SET FOREIGN_KEY_CHECKS = 1').execute(c);
        throw new RuntimeFailure(`creating the schema failed, and the tables made so far were dropped: ${(err as Error).message}`);
      }
    });
  },

  async emptyTables(conn, tables) {
    await conn.db.connection().execute(async (c) => {
      await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(c);
      try {
        for (const t of tables) await sql`TRUNCATE TABLE ${sql.table(t)}`.execute(c);
      } finally {
        await sql`SET FOREIGN_KEY_CHECKS = 1`.execute(c);
      }
    });
  },

  async prepareSeedSession(s) {
    // A busy server can leave a LOAD DATA stream waiting longer than the default 30 s; do not let it drop the load.
    await s.query('SET SESSION net_read_timeout = 600, net_write_timeout = 600');
  },

  clusteredByKey: true,
};
