/**
 * The canonical form of a row, written as SQL for each engine, so that MySQL and PostgreSQL compute
 * the same md5 for the same Sentry row inside the database (docs/sentry7-schema.md §1.2).
 *
 * Every MySQL/PostgreSQL difference of `verify` lives in the two small dialects at the bottom of
 * this file (chosen by `hashDialect(engine)`); the rest of verify only asks them for expressions.
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
import { type RawBuilder, sql } from 'kysely';
import type { ColumnInfo, ColumnKind } from '../db/engine.js';
import type { Engine } from '../db/url.js';

type Raw = RawBuilder<unknown>;

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

const FIXED: ReadonlySet<ColumnKind> = new Set(['int16', 'int32', 'int64', 'bool', 'datetime', 'date', 'decimal', 'bytes']);
const TEXTUAL: ReadonlySet<ColumnKind> = new Set(['varchar', 'text']);

/** Free text unless both sides hold a fixed-grammar kind. */
export function needsFreeText(a: ColumnInfo, b: ColumnInfo): boolean {
  return !FIXED.has(a.kind) || !FIXED.has(b.kind);
}

/**
 * Fraction digits a datetime column holds: MySQL `datetime`/`timestamp` whole seconds unless
 * declared `(n)`; PostgreSQL microseconds unless declared `timestamp(n)`.
 */
export function fractionDigits(col: ColumnInfo): number {
  const m = /^(?:datetime|timestamp)\((\d)\)/.exec(col.type);
  if (m) return Number(m[1]);
  return /with(out)? time zone/.test(col.type) ? 6 : 0;
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

/** Cut `YYYY-MM-DD HH:MM:SS.ffffff` text to `digits` fraction digits (0: no `.`). */
const cutTo = (digits: number) => (digits === 0 ? 19 : 20 + digits);

// ---------- PostgreSQL ----------

const postgres: HashDialect = {
  text({ col, digits }) {
    const ref = sql.ref(col.name);
    switch (col.kind) {
      case 'bool':
        return sql`(CASE WHEN ${ref} THEN '1' WHEN NOT ${ref} THEN '0' END)`;
      case 'datetime': {
        // to_char prints the fields as stored: a fraction is cut, never rounded.
        const utc = col.type.includes('with time zone') ? sql`(${ref} AT TIME ZONE 'UTC')` : ref;
        if (digits === 0) return sql`to_char(${utc}, 'YYYY-MM-DD HH24:MI:SS')`;
        const full = sql`to_char(${utc}, 'YYYY-MM-DD HH24:MI:SS.US')`;
        return digits === 6 ? full : sql`substr(${full}, 1, ${sql.lit(cutTo(digits))})`;
      }
      case 'date':
        return sql`to_char(${ref}, 'YYYY-MM-DD')`;
      case 'inet':
        return sql`host(${ref})`;
      case 'bytes':
        return sql`encode(${ref}, 'hex')`;
      default:
        return sql`CAST(${ref} AS TEXT)`;
    }
  },
  piece: (c) => (TEXTUAL.has(c.col.kind) ? sql.ref(c.col.name) : postgres.text(c)),
  cat: (parts) => sql`(${sql.join(parts, sql` || `)})`,
  charLength: (e) => sql`length(${e})`,
  md5: (e) => sql`md5(${e})`,
  hex: (e) => sql`encode(convert_to(${e}, 'UTF8'), 'hex')`,
  slice60: (h) => sql`CAST(CAST(CONCAT('x', substr(${h}, 18, 15)) AS BIT(60)) AS BIGINT)`,
  int: (v) => sql`CAST(${v} AS BIGINT)`,
  bucket: (key, lo, width) => sql`((${key} - CAST(${lo} AS BIGINT)) / CAST(${width} AS BIGINT))`,
  hexPrefix: (key, digits) => sql`substr(md5(CAST(${key} AS TEXT)), 1, ${sql.lit(digits)})`,
  sumText: (e) => sql`CAST(COALESCE(SUM(${e}), 0) AS TEXT)`,
};

// ---------- MySQL / MariaDB ----------

const mysql: HashDialect = {
  text({ col, digits }) {
    const ref = sql.ref(col.name);
    switch (col.kind) {
      case 'bool':
        return sql`(CASE WHEN ${ref} <> 0 THEN '1' WHEN ${ref} = 0 THEN '0' END)`;
      case 'datetime': {
        // The session time zone is UTC (src/db/mysql.ts), so `timestamp` columns read as UTC too.
        if (digits === 0) return sql`DATE_FORMAT(${ref}, '%Y-%m-%d %H:%i:%s')`;
        const full = sql`DATE_FORMAT(${ref}, '%Y-%m-%d %H:%i:%s.%f')`;
        return digits === 6 ? full : sql`SUBSTRING(${full}, 1, ${sql.lit(cutTo(digits))})`;
      }
      case 'date':
        return sql`DATE_FORMAT(${ref}, '%Y-%m-%d')`;
      case 'bytes':
        return sql`LOWER(HEX(${ref}))`;
      case 'int16': case 'int32': case 'int64': case 'decimal': case 'float':
        return sql`CAST(${ref} AS CHAR)`;
      default:
        // Sentry's columns are utf8 (3-byte); hash their UTF-8 bytes whatever the column charset.
        return sql`CONVERT(${ref} USING utf8mb4)`;
    }
  },
  piece(c) {
    // CONCAT writes integers in decimal and a `datetime(n)` as `YYYY-MM-DD HH:MM:SS[.n digits]`
    // by itself, and utf8 text as its UTF-8 bytes (Sentry's tables are utf8): no per-row casts.
    const { col, digits } = c;
    const ref = sql.ref(col.name);
    if (/^int/.test(col.kind) || TEXTUAL.has(col.kind)) return ref;
    if (col.kind === 'bool') return sql`(${ref} <> 0)`;
    if (col.kind === 'datetime' && /^(datetime|timestamp)(\(\d\))?$/.test(col.type)) {
      const held = fractionDigits(col);
      if (held === digits) return ref;
      // A whole-second column compared at a finer precision: its fraction is zero.
      if (held === 0) return sql`CONCAT(${ref}, ${sql.lit(`.${'0'.repeat(digits)}`)})`;
    }
    return mysql.text(c);
  },
  cat: (parts) => sql`CONCAT(${sql.join(parts)})`,
  charLength: (e) => sql`CHAR_LENGTH(${e})`,
  md5: (e) => sql`MD5(${e})`,
  hex: (e) => sql`LOWER(HEX(${e}))`,
  slice60: (h) => sql`CAST(CONV(SUBSTRING(${h}, 18, 15), 16, 10) AS UNSIGNED)`,
  int: (v) => sql`CAST(${v} AS SIGNED)`,
  bucket: (key, lo, width) => sql`((${key} - CAST(${lo} AS SIGNED)) DIV CAST(${width} AS SIGNED))`,
  hexPrefix: (key, digits) => sql`SUBSTRING(MD5(CONVERT(${key} USING utf8mb4)), 1, ${sql.lit(digits)})`,
  sumText: (e) => sql`CAST(COALESCE(SUM(${e}), 0) AS CHAR)`,
};

export function hashDialect(engine: Engine): HashDialect {
  return engine === 'mysql' ? mysql : postgres;
}

/** A datetime comparison as the report says it: `microseconds`, `seconds`, `seconds (source truncated)`. */
export function describeDatetime(dt: DatetimeComparison): string {
  const at = dt.digits === 6 ? 'microseconds' : dt.digits === 0 ? 'seconds' : `${dt.digits} fraction digits`;
  return dt.truncated ? `${at} (source truncated)` : at;
}
