import type { Expression, Kysely, RawBuilder } from 'kysely';
import type { BulkSession, Row } from './bulk.js';
import type { HashDialect } from './row-hash.js';
import type { SnapshotReader, SnapshotSession } from './snapshot.js';
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
 * A value in the one form both engines' readers are brought to (transfer/row-codec.ts describes it):
 * decimal strings for numbers, true/false, UTC `YYYY-MM-DD HH:MM:SS[.ffffff]` for datetimes, text as read.
 */
export type Canonical = string | boolean | null;

/** What a column of the target engine cannot hold, beyond its kind, nullability and length. */
export interface ColumnLimits {
  /** True when the target cannot store 4-byte UTF-8 (MySQL utf8 = utf8mb3). */
  bmpOnly: boolean;
  /** True for MySQL datetime (no fractional seconds, years 1000-9999). */
  mysqlDatetime: boolean;
  /** True for PostgreSQL text types (no NUL characters). */
  pgText: boolean;
}

/** Where one id sequence of a target stands against its table's ids (verify). */
export interface SequenceReport {
  table: string;
  column: string;
  sequence: string;
  /** The value the next nextval() returns. */
  nextValue: string;
  /** Largest id in the table (whole table, whatever the scope); null when empty. */
  maxId: string | null;
  ok: boolean;
}

/**
 * Everything that differs between MySQL and PostgreSQL lives behind this interface. The folders
 * `src/db/mysql/` and `src/db/postgres/` implement it, one same-named small file per concern
 * (open, introspection, locks, sequences, bulk-load, snapshot, row-hash, values), assembled in their
 * `adapter.ts`; nothing outside src/db branches on the engine. Callers get an adapter from
 * `src/db/connect.ts` (`connect`, `adapterFor`, `openBulkSession`, `openSnapshotReader`, `openSnapshotSession`).
 */
export interface EngineAdapter {
  readonly engine: Engine;
  /** The server's name in messages: `MySQL` or `PostgreSQL`. */
  readonly server: string;
  /** A pool on the database (sessions in UTC). */
  open(url: DbUrl, opts: { poolSize: number }): { db: Kysely<any>; close(): Promise<void> };
  /** One connection reading a consistent snapshot (src/db/snapshot.ts). */
  openSnapshotReader(url: DbUrl): Promise<SnapshotReader>;
  /**
   * A snapshot reader that also speaks kysely, on one or more connections sharing the snapshot (src/db/snapshot.ts).
   * `readOnly: false` only so that the session may hold temporary tables (a scoped comparison's key tables).
   */
  openSnapshotSession(url: DbUrl, o: { readOnly: boolean }): Promise<SnapshotSession>;
  /** Make the session's open transaction check foreign keys at each statement (PostgreSQL defers Sentry's). */
  checkForeignKeysNow(session: BulkSession): Promise<void>;
  /**
   * UPDATE these rows (`columns` order, `key` among them) of `table` by `key` in one statement, inside the
   * session's open transaction (sync's changed rows). Throws when any row is refused: the caller redoes them one by one.
   */
  updateByKey(session: BulkSession, table: string, key: string, columns: string[], rows: Row[]): Promise<void>;
  /**
   * A fingerprint of the writes committed to these tables, from the server's own counters; `showsWrites` says
   * whether two of them show a write in between (once a writer's counters have had time to show it).
   */
  writeFingerprint(db: Kysely<any>, tables: string[]): Promise<string>;
  /** Whether the tables took a write between two of those fingerprints. */
  showsWrites(before: string, after: string): boolean;
  /** How long a committed write may take to show in `writeFingerprint` (0: at once). */
  readonly writeStatsDelayMs: number;
  /** One connection for bulk loads (src/db/bulk.ts); `relaxChecks` turns off MySQL's unique and foreign key checks. */
  openBulkSession(url: DbUrl, opts: { relaxChecks?: boolean }): Promise<BulkSession>;
  serverVersion(db: Kysely<any>): Promise<string>;
  listTables(db: Kysely<any>): Promise<string[]>;
  /** The server's own estimate of each table's size in bytes (statistics, not a count): to order work, never to decide. */
  tableBytes(db: Kysely<any>): Promise<Map<string, number>>;
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
  /** True when id generators are objects of their own that a copy with explicit ids must move (PostgreSQL). */
  readonly idSequences: boolean;
  /** Where the id sequences of these columns stand against their tables' largest ids (none on MySQL). */
  checkSequences(db: Kysely<any>, columns: { table: string; column: string }[]): Promise<SequenceReport[]>;
  /** True when DDL is transactional: a failed schema script rolls back whole (PostgreSQL). */
  readonly transactionalDdl: boolean;
  /** Quote an identifier for the rare raw SQL text (bulk load statements). */
  quoteIdent(name: string): string;
  /**
   * The Python type Sentry's own driver hands Django for an integer column of this width, which is
   * what Sentry pickles into audit data: MySQLdb gives `long` for every INT/BIGINT column; psycopg2
   * gives `int` for integer and `long` for bigint.
   */
  pythonIntType(kind: 'int32' | 'int64'): 'int' | 'long';
  /**
   * A datetime as Django 1.6 stores `timezone.now()` in a Sentry column: whole seconds on MySQL (its backend
   * drops the microseconds of a DATETIME), the full time on PostgreSQL (timestamptz; JS dates carry milliseconds).
   */
  storedNow(now: Date): Date;
  /** The SQL pieces of verify's canonical row hash (src/db/row-hash.ts). */
  readonly hash: HashDialect;
  /** A value as this engine's drivers return it (snapshot reader or pool) in the canonical form. */
  canonical(kind: ColumnKind, v: unknown): Canonical;
  /** What a column of this engine cannot hold (the importer's row checks). */
  columnLimits(c: ColumnInfo): ColumnLimits;
  /** The server reading node ids out of `sentry_message.data` itself, or null where it cannot (no zlib in SQL). */
  readonly nodeRefs: NodeRefSql | null;
}

/**
 * SQL for the node id a `sentry_message.data` value points at (docs/sentry7-schema.md §8): `select` gives the
 * id for the common shape and NULL for anything else (the caller decodes those values itself); `probe` says
 * whether this server computes it as expected (a function may be missing on an older server).
 */
export interface NodeRefSql {
  select(data: Expression<unknown>): RawBuilder<string | null>;
  probe(db: Kysely<any>): Promise<boolean>;
}
