import { type Connection, adapterFor, connect } from '../db/connect.js';
import { setupSql } from '../db/engine-sql.js';
import { isSentryTable } from '../db/introspect.js';
import { SENTRY_TABLES_77, schemaStatements } from '../db/schema-files.js';
import type { DbUrl } from '../db/url.js';
import { UsageError } from '../errors.js';

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
    await setupSql(conn.engine).createSchema(conn, statements, SENTRY_TABLES_77);
    return {
      database: url.masked, engine: conn.engine, bigInts: opts.bigInts,
      tables: SENTRY_TABLES_77.length, statements: statements.length, createdDatabase,
    };
  } finally {
    await conn.close();
  }
}
