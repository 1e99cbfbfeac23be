import { sql } from 'kysely';
import { type Connection, connect } from '../db/connect.js';
import { adapterFor } from '../db/connect.js';
import { isSentryTable } from '../db/introspect.js';
import { SENTRY_TABLES_77, schemaStatements } from '../db/schema-files.js';
import type { DbUrl } from '../db/url.js';
import { RuntimeFailure, UsageError } from '../errors.js';

export interface InitSchemaResult {
  database: string;
  engine: string;
  bigInts: boolean;
  tables: number;
  statements: number;
  createdDatabase: boolean;
}

/**
 * Create the Sentry 7.7 schema from sql/ in an empty database. Refuses (exit 2, nothing written)
 * a database that already holds Sentry tables. On PostgreSQL the whole schema is one transaction;
 * MySQL cannot roll back DDL, so a failure drops what this run created.
 */
export async function initSchema(url: DbUrl, opts: { bigInts: boolean; createDatabase?: boolean }): Promise<InitSchemaResult> {
  let createdDatabase = false;
  let conn: Connection;
  try {
    conn = await connect(url, { poolSize: 1 });
  } catch (err) {
    if (!opts.createDatabase || !/does not exist|Unknown database|ER_BAD_DB_ERROR/i.test(String((err as Error).message))) throw err;
    await (await adapterFor(url.engine)).createDatabase(url);
    createdDatabase = true;
    conn = await connect(url, { poolSize: 1 });
  }
  try {
    const existing = (await conn.adapter.listTables(conn.db)).filter(isSentryTable);
    if (existing.length > 0) {
      throw new UsageError(
        `${url.masked} already holds ${existing.length} Sentry tables (${existing.slice(0, 3).join(', ')}…); nothing was written`,
        'init-schema only creates the schema in an empty database; point --db at a new database',
      );
    }
    const statements = schemaStatements(conn.engine, { bigInts: opts.bigInts });
    await apply(conn, statements);
    return {
      database: url.masked, engine: conn.engine, bigInts: opts.bigInts,
      tables: SENTRY_TABLES_77.length, statements: statements.length, createdDatabase,
    };
  } finally {
    await conn.close();
  }
}

async function apply(conn: Connection, statements: string[]): Promise<void> {
  if (conn.engine === 'postgres') {
    await conn.db.transaction().execute(async (tx) => {
      for (const s of statements) await sql.raw(s).execute(tx);
    });
    return;
  }
  await conn.db.connection().execute(async (c) => {
    try {
      for (const s of statements) await sql.raw(s).execute(c);
    } catch (err) {
      // MySQL commits each DDL statement: undo this run's tables so the database is empty again.
      await sql.raw('SET FOREIGN_KEY_CHECKS = 0').execute(c);
      for (const t of await conn.adapter.listTables(c)) {
        if (SENTRY_TABLES_77.includes(t)) await sql.raw(`DROP TABLE ${conn.adapter.quoteIdent(t)}`).execute(c);
      }
      await sql.raw('SET FOREIGN_KEY_CHECKS = 1').execute(c);
      throw new RuntimeFailure(`creating the schema failed, and the tables made so far were dropped: ${(err as Error).message}`);
    }
  });
}
