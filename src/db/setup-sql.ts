/**
 * What differs between MySQL and PostgreSQL when src/setup creates the schema and loads the seed: one implementation
 * per engine (src/db/mysql/setup-sql.ts, src/db/postgres/setup-sql.ts), chosen by engineSql() in src/db/engine-sql.ts.
 */
import type { BulkSession } from './bulk.js';
import type { Connection } from './connect.js';

export interface SetupSql {
  /** Run the schema statements in an empty database; on a failure leave it empty again (and throw). */
  createSchema(conn: Connection, statements: string[], tables: readonly string[]): Promise<void>;
  /** Empty these tables (the seed's, after a failed load: every Sentry table was empty when it began). */
  emptyTables(conn: Connection, tables: readonly string[]): Promise<void>;
  /** Session settings for loading the seed on an empty schema. */
  prepareSeedSession(s: BulkSession): Promise<void>;
  /**
   * The table stores its rows in primary-key order (InnoDB's clustered index): a big table loads much faster in
   * that order (seed-events.ts keyOrder).
   */
  clusteredByKey: boolean;
}
