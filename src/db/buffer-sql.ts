/**
 * What differs between MySQL and PostgreSQL when src/drain applies Sentry's counter buffer: one implementation per
 * engine (src/db/mysql/buffer-sql.ts, src/db/postgres/buffer-sql.ts), chosen by engineSql() in src/db/engine-sql.ts.
 *
 * Sentry's score, `ScoreClause.evaluate` (sentry/event_manager.py at 7.7.0), emits, verbatim:
 *   postgresql: log(times_seen) * 600 + last_seen::abstime::int
 *   mysql:      log(times_seen) * 600 + unix_timestamp(last_seen)
 * and each engine's detectScore() says which text this server needs to give the same number.
 *
 * The set-based statements (src/drain/apply-set.ts decides what goes through them):
 *   lockTargets   which row each entry's filters match, locked, one statement (or a few) per table;
 *   updateRows    one UPDATE for many rows of one shape (the same SET columns), by id.
 */
import type { Kysely, RawBuilder } from 'kysely';
import type { PyValue } from '../codec/py-value.js';
import type { SentryDb } from './sentry-db.js';

/** The tables of the six models Sentry 7.7 buffers (src/drain/buffer-models.ts). */
export type BufferTable = 'sentry_groupedmessage' | 'sentry_release' | 'sentry_filtervalue' | 'sentry_messagefiltervalue'
  | 'sentry_filterkey' | 'sentry_grouptagkey';

/**
 * The buffered tables as create_or_update sees them: columns named at run time (a model's filters, counters and
 * extras, src/drain/buffer-models.ts), values as the drain sends them.
 */
export type BufferRows = Record<BufferTable, Record<string, string | number | boolean | null>>;

/** The buffered tables of a typed pool or transaction, their columns named at run time. */
export function bufferRows(db: Kysely<SentryDb>): Kysely<BufferRows> {
  return db as unknown as Kysely<BufferRows>;
}

/** A buffered model's table and its filter columns, in the model's order. */
export interface BufferTarget {
  table: BufferTable;
  filters: readonly string[];
}

/** An entry to look up: its position, and its (non-null) filter values in `filters` order. */
export interface Target {
  i: number;
  filters: string[];
}

/** A row id as the driver returns it (a number when 32-bit, a string when 64-bit). */
export type RowId = string | number;

/** A UTC instant with microseconds, as Django would send it, in each engine's literal. */
export interface UtcTime {
  /** PostgreSQL timestamptz literal, microseconds kept. */
  pg: string;
  /** MySQL DATETIME: naive UTC, microseconds dropped (Django 1.6). */
  mysql: string;
}

/**
 * What one entry's UPDATE assigns, as plain values, and in which order. Sentry's SET order is CPython 2.7's dict
 * order of the update's keyword arguments (src/drain/py27-dict.ts): on MySQL assignments run left to right on updated
 * values, so it decides whether `score` reads the new `times_seen` and the new `last_seen` (a Group hash with `level`
 * but not both `message` and `culprit`, and no `time_spent`, assigns `last_seen` first). Both paths assign in exactly
 * this order. See docs/sentry7-buffer.md §2.6.
 */
export interface Assignments {
  counters: [col: string, n: bigint][];
  /** message, level, view (culprit), data. */
  values: [col: string, v: string | number | null][];
  score: boolean;
  lastSeen?: string;
  /** Every assigned column (counters, values, `score`, `last_seen`) in Sentry's SET order. */
  order: string[];
}

/** A row to update and what to assign; every row of one updateRows call has the same shape. */
export interface RowUpdate {
  id: RowId;
  a: Assignments;
}

export interface ScoreSql {
  score: RawBuilder<number>;
  scoreText: string;
  /** The server can say whether a past transaction committed (PostgreSQL >= 10, txid_status): exact replay. */
  txStatus: boolean;
  notes: string[];
}

/** How a unit's transaction is named in the journal: PostgreSQL's txid where it can be checked later. */
export type TxRef = { pg_txid: string } | { none: true };

export interface BufferSql {
  /** Sentry's score expression for this server, and what the drain should tell about it. */
  detectScore(db: Kysely<SentryDb>): Promise<ScoreSql>;
  /** First statements of a unit's transaction; returns how the journal names it (`txStatus`: it can be checked). */
  beginUnit(trx: Kysely<SentryDb>, txStatus: boolean): Promise<TxRef>;
  /** 'committed' | 'aborted' | 'in progress' for a journaled transaction, or null when the server cannot tell. */
  transactionStatus(db: Kysely<SentryDb>, tx: TxRef): Promise<string | null>;
  /** A UTC instant as this engine's datetime literal. */
  time(t: UtcTime): string;
  /** The error is one Django 1.6 would have caught as IntegrityError. */
  isIntegrityError(err: unknown): boolean;
  /**
   * RELEASE SAVEPOINT where savepoints nest (PostgreSQL); MySQL replaces a savepoint of the same name, so there it
   * does nothing.
   */
  releaseSavepoint(trx: Kysely<SentryDb>, name: string): Promise<void>;
  /** INSERT a Release row and return its new id. */
  insertRelease(trx: Kysely<SentryDb>, row: ReleaseRow): Promise<RowId>;
  /** A new id as the Python value Sentry's driver hands back (what Sentry pickles into a TagValue's data). */
  pythonId(id: RowId): PyValue;
  /** [entry position, row id] for every row the targets' filters match, locked in target order. */
  lockTargets(trx: Kysely<SentryDb>, model: BufferTarget, targets: Target[]): Promise<[number, RowId][]>;
  /** UPDATE the rows (all of one shape, already locked); returns how many rows the server says it matched. */
  updateRows(trx: Kysely<SentryDb>, score: RawBuilder<number>, model: BufferTarget, rows: RowUpdate[]): Promise<number>;
}

/** The sentry_release row ensure_release_exists creates (src/drain/release-receiver.ts). */
export interface ReleaseRow {
  project_id: string | null;
  version: string;
  ref: null;
  url: null;
  date_added: string;
  date_started: null;
  date_released: null;
  data: string;
  new_groups: number;
}

/** A counter as a query parameter: a number when it is exact as one, else its decimal string. */
export function num(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** A row's increment of counter `c`, as a parameter. */
export function counterOf(r: RowUpdate, c: string): number | string {
  return num(r.a.counters.find(([x]) => x === c)![1]);
}
