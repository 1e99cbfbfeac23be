import type { Kysely } from 'kysely';
import { RuntimeFailure } from '../errors.js';
import type { Engine } from './url.js';

/** A value as the bulk loaders accept it. Strings carry bigints and exact decimals. */
export type SqlValue = string | number | bigint | boolean | Date | null;
export type Row = SqlValue[];

export interface LoadResult {
  rows: number;
  /** MySQL warnings raised by the load (LOAD DATA LOCAL turns errors into warnings). */
  warnings: string[];
}

/**
 * How a chunk's foreign keys are checked (src/db/postgres/fk-check.ts): `set-based`, the database's per-row checks
 * off for the chunk's transaction and one anti-join per foreign key before COMMIT; `per-row`, the database's own
 * (MySQL at each statement; PostgreSQL at COMMIT, Sentry's constraints being deferred).
 */
export type ForeignKeyChecks = 'set-based' | 'per-row';

/** A chunk's rows in its table: its key range (integer keys, inclusive) or its list of keys. */
export type ChunkSpan = { first: string; last: string } | { keys: string[] };

/** A loaded row whose parent is missing, taken back out of the table before COMMIT. */
export interface MissingParent {
  key: string;
  /** The database's words: the constraint, the key and the parent table. */
  reason: string;
}

/**
 * One dedicated connection for bulk work: COPY FROM STDIN on PostgreSQL (src/db/postgres/bulk-load.ts), LOAD DATA
 * LOCAL INFILE on MySQL (src/db/mysql/bulk-load.ts), both fed by a stream encoded there. Opened with
 * `openBulkSession` (src/db/connect.ts). Transactions are explicit (begin/commit), so a caller can make "delete the
 * chunk's range, load the chunk" one atomic step.
 */
export interface BulkSession {
  readonly engine: Engine;
  /** The server's name in messages: `MySQL` or `PostgreSQL`. */
  readonly server: string;
  query(text: string, params?: unknown[]): Promise<any[]>;
  load(table: string, columns: string[], rows: Iterable<Row> | AsyncIterable<Row>): Promise<LoadResult>;
  /**
   * Load rows inside the open transaction and refuse only the rows the database refuses (a CHECK, a foreign key, a
   * value nobody foresaw): each goes to `refused` with the driver's error, the others stay loaded. Returns how many
   * loaded. PostgreSQL bisects with savepoints; MySQL (whose LOAD DATA LOCAL downgrades errors to warnings) redoes a
   * chunk with warnings as strict single-row INSERTs.
   */
  loadRefusing(table: string, columns: string[], rows: Row[], refused: (row: Row, err: Error) => void): Promise<number>;
  /**
   * In the open transaction, before loading a chunk of `table`: say how its foreign keys are checked, and turn the
   * database's per-row checks off for the rest of the transaction when that is `set-based`.
   */
  startChunk(table: string): Promise<ForeignKeyChecks>;
  /**
   * Before COMMIT of a chunk's transaction: delete the rows of `table` within `span` whose parent is missing through
   * one of the table's foreign keys (the target's own catalogue), by one anti-join per key, and return them. None on
   * MySQL, which refuses such a row at its load (loadRefusing).
   */
  removeOrphans(table: string, pk: string, span: ChunkSpan): Promise<MissingParent[]>;
  /**
   * Load rows into a table whose `id` the database assigns and return the ids in row order, or null when this
   * database cannot tell them for a bulk load (the caller inserts another way). Any warning or short count throws.
   */
  loadReturningIds(table: string, columns: string[], rows: Row[]): Promise<string[] | null>;
  /**
   * Try once to take a named session-level lock on this connection (GET_LOCK on MySQL, pg_advisory_lock on
   * PostgreSQL): true when taken. It dies with the connection.
   */
  tryLock(name: string): Promise<boolean>;
  unlock(name: string): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
  /**
   * kysely on this same connection: a transaction begun through it and this session's loads are one database
   * transaction (an admin command can COPY its audit rows inside the transaction that made its changes).
   */
  readonly db: Kysely<any>;
}

/** How one engine's load stream writes a non-NULL value that is not a number. */
export interface RowText {
  text(s: string): string;
  true: string;
  false: string;
  datetime(d: Date): string;
}

/** One line of a tab-separated load stream (COPY text, LOAD DATA): `\N` for NULL, the engine's `RowText` for the rest. */
export function encodeRow(row: Row, t: RowText): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i) line += '\t';
    const v = row[i];
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'string') line += t.text(v);
    else if (typeof v === 'boolean') line += v ? t.true : t.false;
    else if (v instanceof Date) line += t.datetime(v);
    else line += String(v);
  }
  return line + '\n';
}

/** Join encoded rows into ~256 KiB strings so the stream is not one write per row. */
export async function* encodeBatches(
  rows: Iterable<Row> | AsyncIterable<Row>,
  encode: (r: Row) => string,
  counted: (n: number) => void,
): AsyncGenerator<Buffer> {
  let buf = '';
  let n = 0;
  for await (const r of rows as AsyncIterable<Row>) {
    buf += encode(r);
    n++;
    if (buf.length > 262_144) {
      counted(n);
      n = 0;
      yield Buffer.from(buf, 'utf8');
      buf = '';
    }
  }
  counted(n);
  if (buf) yield Buffer.from(buf, 'utf8');
}

export function assertNoWarnings(table: string, r: LoadResult): void {
  if (r.warnings.length) throw new RuntimeFailure(`loading ${table} raised warnings: ${r.warnings.slice(0, 3).join('; ')}`);
}
