/**
 * How the seed hands rows to the loader, and the Python-value helpers its encoded columns share.
 */
import { PyStr, PyTuple, type PyValue } from '../codec/py-value.js';
import type { Row, SqlValue } from '../db/bulk.js';
import type { SentryDb } from '../db/sentry-db.js';

export type SentryTable = keyof SentryDb & string;
export type ColumnOf<T extends SentryTable> = keyof SentryDb[T] & string;

/** One table's rows for the bulk loader. `rows` may be a generator: big tables are never arrays. */
export interface RowsOf<T extends SentryTable> {
  table: T;
  /** Columns of the table (SentryDb), in the order of each row's values. */
  columns: ColumnOf<T>[];
  rows: Iterable<Row>;
  /** How many rows `rows` will give, when known ahead (for progress lines). */
  expected?: number;
}

/** The rows of any one Sentry table. */
export type TableRows = { [T in SentryTable]: RowsOf<T> }[SentryTable];

/** A row of a Sentry table as the loader takes it: the columns it names, loader values. */
export type RecordOf<T extends SentryTable> = { [C in ColumnOf<T>]?: SqlValue };

/** A small table from records; the columns are the first record's keys (every record has the same). */
export function records<T extends SentryTable>(table: T, list: RecordOf<T>[]): TableRows {
  const columns = (list.length ? Object.keys(list[0]) : []) as ColumnOf<T>[];
  return { table, columns, rows: list.map((r) => columns.map((c) => r[c] ?? null)) } as RowsOf<T> as TableRows;
}

/** An id as the loader takes it: a string (ids may be 64-bit). */
export function id(n: number | null | undefined): string | null {
  return n === null || n === undefined ? null : String(n);
}

/**
 * A Python dict as Sentry's code builds it: keys are `str` literals in Sentry's source, so they pickle
 * as `str`; string values are `unicode` (they come from the database or JSON) unless `strValues` says
 * they are literals too. Arrays become lists, nested objects dicts, `Tuple` instances tuples.
 */
export function pyDict(obj: Record<string, unknown>, opts: { strValues?: boolean } = {}): Map<PyValue, PyValue> {
  return new Map(Object.entries(obj).map(([k, v]) => [new PyStr(k), pyValue(v, opts)]));
}

export function pyValue(v: unknown, opts: { strValues?: boolean } = {}): PyValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return opts.strValues ? new PyStr(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof PyStr || v instanceof PyTuple || v instanceof Map) return v as PyValue;
  if (Array.isArray(v)) return v.map((x) => pyValue(x, opts));
  return pyDict(v as Record<string, unknown>, opts);
}
