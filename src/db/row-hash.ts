/**
 * What each engine's row hashing (src/db/mysql/row-hash.ts, src/db/postgres/row-hash.ts) provides: the SQL pieces
 * transfer/row-hash.ts assembles into the canonical row and its md5 (docs/sentry7-schema.md §1.2). The canonical
 * text itself is described there; here is only what both engines' pieces share.
 */
import type { RawBuilder } from 'kysely';
import type { ColumnInfo, ColumnKind } from './engine.js';

export type Raw = RawBuilder<unknown>;

export interface HashDialect {
  /** Canonical text of a non-NULL value of the column (NULL stays NULL, for every kind). */
  text(c: HashColumn): Raw;
  /**
   * An expression that CONCAT turns into the same text as `text()`, as cheaply as the engine
   * allows (no casts where CONCAT converts by itself). NULL stays NULL.
   */
  piece(c: HashColumn): Raw;
  /** Concatenation that is NULL when any part is (PostgreSQL's CONCAT() skips NULLs). */
  cat(parts: Raw[]): Raw;
  /** Characters in a text expression. */
  charLength(e: Raw): Raw;
  md5(e: Raw): Raw;
  /** Lower-case hex of the bytes of a text expression, as md5() reads them. */
  hex(e: Raw): Raw;
  /** The 60-bit integer made of hex digits 18..32 of an md5 digest (fits a signed bigint). */
  slice60(md5hex: Raw): Raw;
  /** A decimal string as a 64-bit integer expression (never compared or computed as a double). */
  int(value: string): Raw;
  /** floor((key - lo) / width), integer division, for keys >= lo. */
  bucket(key: Raw, lo: string, width: string): Raw;
  /** The first `digits` hex digits of md5(key): a bucket for keys that are text. */
  hexPrefix(key: Raw, digits: number): Raw;
  /** A sum() result as exact decimal text. */
  sumText(e: Raw): Raw;
}

/**
 * A column as hashed on one side: this side's description, whether the pair needs the free-text
 * form, and for datetimes how many fraction digits both sides are compared at.
 */
export interface HashColumn {
  col: ColumnInfo;
  freeText: boolean;
  /** Datetimes: fraction digits in the canonical text (0 = whole seconds, no `.`). */
  digits: number;
}

/** Kinds hashed as their characters (CONCAT takes them as they are). */
export const TEXTUAL: ReadonlySet<ColumnKind> = new Set(['varchar', 'text']);

/**
 * Fraction digits a datetime column holds: MySQL `datetime`/`timestamp` whole seconds unless
 * declared `(n)`; PostgreSQL microseconds unless declared `timestamp(n)`.
 */
export function fractionDigits(col: ColumnInfo): number {
  const m = /^(?:datetime|timestamp)\((\d)\)/.exec(col.type);
  if (m) return Number(m[1]);
  return /with(out)? time zone/.test(col.type) ? 6 : 0;
}

/** Where to cut `YYYY-MM-DD HH:MM:SS.ffffff` text to keep `digits` fraction digits (0: no `.`). */
export const cutTo = (digits: number) => (digits === 0 ? 19 : 20 + digits);
