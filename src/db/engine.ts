import type { Kysely } from 'kysely';
import type { DbUrl, Engine } from './url.js';

/** One column as the database describes it. */
export interface ColumnInfo {
  table: string;
  name: string;
  /** Engine-native type, lower case: `bigint`, `int(10) unsigned`, `timestamp with time zone`, `tinyint(1)`… */
  type: string;
  /** Normalised family shared by both engines. */
  kind: ColumnKind;
  nullable: boolean;
  /** Column default as text (null when none; sequences/auto_increment are reported in `autoIncrement`). */
  defaultValue: string | null;
  autoIncrement: boolean;
  unsigned: boolean;
  /** For varchar/char: maximum characters. */
  maxLength: number | null;
  /** MySQL character set of a text column (utf8 = 3-byte utf8mb3), null elsewhere. */
  charset: string | null;
  position: number;
}

export type ColumnKind =
  | 'int32' | 'int64' | 'int16' | 'bool' | 'float' | 'decimal'
  | 'varchar' | 'text' | 'datetime' | 'date' | 'inet' | 'bytes' | 'json' | 'other';

export interface ForeignKeyInfo {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  deferrable: boolean;
}

export interface UniqueKeyInfo {
  name: string;
  table: string;
  columns: string[];
  primary: boolean;
}

/**
 * Everything that differs between MySQL and PostgreSQL lives behind this interface.
 * `src/db/mysql.ts` and `src/db/postgres.ts` implement it; nothing else branches on the engine
 * for SQL text.
 */
export interface EngineAdapter {
  readonly engine: Engine;
  open(url: DbUrl, opts: { poolSize: number }): { db: Kysely<any>; close(): Promise<void> };
  serverVersion(db: Kysely<any>): Promise<string>;
  listTables(db: Kysely<any>): Promise<string[]>;
  columns(db: Kysely<any>): Promise<ColumnInfo[]>;
  foreignKeys(db: Kysely<any>): Promise<ForeignKeyInfo[]>;
  uniqueKeys(db: Kysely<any>): Promise<UniqueKeyInfo[]>;
  /**
   * Try to take a named session lock on a pinned connection. Returns a release function, or null
   * when another session holds it. The lock dies with the connection, so a killed run never leaves
   * a stale lock behind.
   */
  tryLock(db: Kysely<any>, name: string): Promise<(() => Promise<void>) | null>;
  /** CREATE DATABASE / DROP DATABASE on the server of `url` (used by tests and the demo). */
  createDatabase(url: DbUrl): Promise<void>;
  dropDatabase(url: DbUrl): Promise<void>;
  /**
   * Multi-row INSERT that returns the new auto-increment ids in row order, in one statement
   * where the engine can promise the order (PG RETURNING; MySQL consecutive auto-increment under
   * innodb_autoinc_lock_mode <= 1), one statement per row otherwise.
   */
  insertReturningIds(db: Kysely<any>, table: string, rows: Record<string, unknown>[]): Promise<string[]>;
  /**
   * After rows were inserted with explicit ids: make sure the table's id generator hands out ids
   * above them. PostgreSQL moves the serial sequence forward (never back; not transactional);
   * MySQL/InnoDB already moves AUTO_INCREMENT past an explicit id, so it does nothing.
   */
  syncIdSequence(db: Kysely<any>, table: string, column: string): Promise<void>;
  /** Quote an identifier for the rare raw SQL text (bulk load statements). */
  quoteIdent(name: string): string;
  /**
   * The Python type Sentry's own driver hands Django for an integer column of this width, which is
   * what Sentry pickles into audit data: MySQLdb gives `long` for every INT/BIGINT column; psycopg2
   * gives `int` for integer and `long` for bigint.
   */
  pythonIntType(kind: 'int32' | 'int64'): 'int' | 'long';
}
