/**
 * The canonical form of a row, written as SQL for each engine, so that MySQL and PostgreSQL compute
 * the same md5 for the same Sentry row inside the database (docs/sentry7-schema.md §1.2).
 *
 * Every MySQL/PostgreSQL difference of `verify` lives in the engine's `HashDialect`
 * (src/db/mysql/row-hash.ts, src/db/postgres/row-hash.ts; a connection's `adapter.hash`); this file
 * and the rest of verify only ask it for expressions.
 *
 * Canonical text of a non-NULL value (`text()`; NULL stays NULL for every kind):
 *   integers, ids         decimal
 *   booleans              1 / 0
 *   datetimes             UTC `YYYY-MM-DD HH:MM:SS`, then `.` and the column pair's fraction digits
 *                         (see `datetimeDigits`)
 *   inet / char(39)       the address text (PostgreSQL `host()`)
 *   binary                lower-case hex
 *   text, varchar, other  the value, hashed as its UTF-8 bytes
 * A column's part of the row (`columnPart()`) is either
 *   fixed grammar (both sides a number, boolean, datetime or binary): `<text>,` or `~,` for NULL
 *   free text (either side text-like):         `<characters>:<text>`  or `~`  for NULL
 * so NULL differs from every value ('', 0, false, '~') and ('a','') from ('','a'). A row is its
 * columns' parts in name order; its hash is md5 of that text; a segment's hash is the exact sum of
 * a 60-bit slice of its rows' md5s (as data-diff does), with a count. When a row's md5 differs,
 * the same parts are read back as hex (`partHex`), so columns compare byte for byte as hashed.
 */
import { sql } from 'kysely';
import type { ColumnInfo, ColumnKind } from '../db/engine.js';
import { type HashColumn, type HashDialect, type Raw, TEXTUAL, fractionDigits } from '../db/row-hash.js';

const FIXED: ReadonlySet<ColumnKind> = new Set(['int16', 'int32', 'int64', 'bool', 'datetime', 'date', 'decimal', 'bytes']);

/** Free text unless both sides hold a fixed-grammar kind. */
export function needsFreeText(a: ColumnInfo, b: ColumnInfo): boolean {
  return !FIXED.has(a.kind) || !FIXED.has(b.kind);
}

/**
 * How a datetime column pair is compared. A target that holds at least the source's digits must
 * hold the source's value exactly: a MySQL `datetime` source (whole seconds, as every Sentry
 * install on MySQL) against a PostgreSQL target is compared to the microsecond, so a fraction the
 * target gained is a difference. Only where the target column holds fewer digits than the source
 * (PostgreSQL -> MySQL `datetime`) did the migration have to drop the rest (the importer cuts the
 * fraction, row-codec.ts `fraction-dropped`): there the source side is truncated to the target's
 * digits and the column is reported as truncated.
 */
export interface DatetimeComparison {
  digits: number;
  /** The source's value was cut to `digits` (the target column cannot hold more). */
  truncated: boolean;
}

export function datetimeDigits(source: ColumnInfo, target: ColumnInfo): DatetimeComparison {
  const s = fractionDigits(source);
  const t = fractionDigits(target);
  return s <= t ? { digits: t, truncated: false } : { digits: t, truncated: true };
}

/**
 * The hashed columns of a table on each side, in name order: `names` are the columns both sides
 * share. Also the datetime pairs and how they are compared (for the report).
 */
export function hashColumns(a: ColumnInfo[], b: ColumnInfo[], names: string[]): { source: HashColumn[]; target: HashColumn[]; datetimes: Map<string, DatetimeComparison> } {
  const source: HashColumn[] = [];
  const target: HashColumn[] = [];
  const datetimes = new Map<string, DatetimeComparison>();
  for (const n of [...names].sort()) {
    const x = a.find((c) => c.name === n)!;
    const y = b.find((c) => c.name === n)!;
    const freeText = needsFreeText(x, y);
    let digits = 0;
    if (x.kind === 'datetime' && y.kind === 'datetime') {
      const dt = datetimeDigits(x, y);
      datetimes.set(n, dt);
      digits = dt.digits;
    } else if (x.kind === 'datetime' || y.kind === 'datetime') {
      digits = fractionDigits(x.kind === 'datetime' ? x : y); // kinds differ: every value differs anyway
    }
    source.push({ col: x, freeText, digits });
    target.push({ col: y, freeText, digits });
  }
  return { source, target, datetimes };
}

/**
 * The arguments of CONCAT that make one column's part of the row: never NULL (a NULL part would
 * make the row's md5 NULL, and SUM() would skip the row).
 */
function partArgs(d: HashDialect, c: HashColumn): Raw[] {
  if (c.freeText) {
    const t = TEXTUAL.has(c.col.kind) ? d.piece(c) : d.text(c);
    return [sql`COALESCE(${d.cat([d.charLength(t), sql`':'`, t])}, '~')`];
  }
  return [sql`COALESCE(${d.piece(c)}, '~')`, sql`','`];
}

/** One column's part of the canonical row, as text. */
export function columnPart(d: HashDialect, c: HashColumn): Raw {
  return concatAll(partArgs(d, c));
}

/** md5 hex of the canonical row. */
export function rowMd5(d: HashDialect, cols: HashColumn[]): Raw {
  return d.md5(concatAll(cols.flatMap((c) => partArgs(d, c))));
}

/** Hex of one column's part: the exact bytes the row's md5 read. */
export function partHex(d: HashDialect, c: HashColumn): Raw {
  return d.hex(columnPart(d, c));
}

/**
 * A part read back as hex, as the value it carries: null for NULL, else the text (UTF-8), or
 * `0x…` when the bytes are not valid UTF-8 (so two different byte strings never look alike).
 */
export function partValue(c: Pick<HashColumn, 'freeText'>, hex: string): string | null {
  let b = Buffer.from(hex, 'hex');
  if (c.freeText) {
    if (b.length === 1 && b[0] === 0x7e) return null;
    b = b.subarray(b.indexOf(0x3a) + 1);
  } else {
    b = b.subarray(0, b.length - 1);
    if (b.length === 1 && b[0] === 0x7e) return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return `0x${b.toString('hex')}`;
  }
}

/** CONCAT in groups of 40: PostgreSQL functions take at most 100 arguments. */
function concatAll(parts: Raw[]): Raw {
  if (parts.length === 0) return sql`''`;
  if (parts.length === 1) return sql`CONCAT(${parts[0]}, '')`;
  if (parts.length <= 40) return sql`CONCAT(${sql.join(parts)})`;
  const groups: Raw[] = [];
  for (let i = 0; i < parts.length; i += 40) groups.push(concatAll(parts.slice(i, i + 40)));
  return concatAll(groups);
}

/** A datetime comparison as the report says it: `microseconds`, `seconds`, `seconds (source truncated)`. */
export function describeDatetime(dt: DatetimeComparison): string {
  const at = dt.digits === 6 ? 'microseconds' : dt.digits === 0 ? 'seconds' : `${dt.digits} fraction digits`;
  return dt.truncated ? `${at} (source truncated)` : at;
}
