/**
 * The canonical form of a row, written as SQL for each engine, so that MySQL and PostgreSQL compute
 * the same md5 for the same Sentry row inside the database (docs/sentry7-schema.md §1.2).
 *
 * Every MySQL/PostgreSQL difference of `verify` lives in the two small dialects at the bottom of
 * this file (chosen by `hashDialect(engine)`); the rest of verify only asks them for expressions.
 *
 * Canonical text of a value (`text()`, also what a changed row's columns are compared by):
 *   integers, ids         decimal
 *   booleans              1 / 0
 *   datetimes             UTC `YYYY-MM-DD HH:MM:SS`, `.ffffff` appended only when both sides are
 *                         PostgreSQL (MySQL `datetime` holds whole seconds: compare truncated)
 *   inet / char(39)       the address text (PostgreSQL `host()`)
 *   binary                lower-case hex
 *   text, varchar, other  the value, hashed as its UTF-8 bytes
 * A row is its columns in name order, each one either
 *   fixed grammar (both sides a number, boolean, datetime or binary): `<text>,` or `~,` for NULL
 *   free text (either side text-like):         `<characters>:<text>`  or `~`  for NULL
 * so NULL differs from '' and ('a','') from ('','a'). Its hash is md5 of that text; a segment's
 * hash is the exact sum of a 60-bit slice of its rows' md5s (as data-diff does), with a count.
 */
import { type RawBuilder, sql } from 'kysely';
import type { ColumnInfo, ColumnKind } from '../db/engine.js';
import type { Engine } from '../db/url.js';

export type Precision = 'second' | 'microsecond';

/** Datetimes compare at the precision both engines hold. */
export function datetimePrecision(a: Engine, b: Engine): Precision {
  return a === 'mysql' || b === 'mysql' ? 'second' : 'microsecond';
}

type Raw = RawBuilder<unknown>;

export interface HashDialect {
  /** Canonical text of a non-NULL value of `col` (NULL stays NULL). */
  text(col: ColumnInfo, precision: Precision): Raw;
  /**
   * An expression that CONCAT turns into the same text as `text()`, as cheaply as the engine
   * allows (no casts where CONCAT converts by itself).
   */
  piece(col: ColumnInfo, precision: Precision): Raw;
  /** Concatenation that is NULL when any part is (PostgreSQL's CONCAT() skips NULLs). */
  cat(parts: Raw[]): Raw;
  /** Characters in a text expression. */
  charLength(e: Raw): Raw;
  md5(e: Raw): Raw;
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

/** A column as hashed: this side's description, and whether the pair needs the free-text form. */
export interface HashColumn {
  col: ColumnInfo;
  freeText: boolean;
}

const FIXED: ReadonlySet<ColumnKind> = new Set(['int16', 'int32', 'int64', 'bool', 'datetime', 'date', 'decimal', 'bytes']);
const TEXTUAL: ReadonlySet<ColumnKind> = new Set(['varchar', 'text']);

/** Free text unless both sides hold a fixed-grammar kind. */
export function needsFreeText(a: ColumnInfo, b: ColumnInfo): boolean {
  return !FIXED.has(a.kind) || !FIXED.has(b.kind);
}

/** md5 hex of the canonical row. */
export function rowMd5(d: HashDialect, cols: HashColumn[], precision: Precision): Raw {
  const parts: Raw[] = [];
  for (const { col, freeText } of cols) {
    if (freeText) {
      const t = TEXTUAL.has(col.kind) ? d.piece(col, precision) : d.text(col, precision);
      const prefixed = d.cat([d.charLength(t), sql`':'`, t]);
      parts.push(col.nullable ? sql`COALESCE(${prefixed}, '~')` : prefixed);
    } else {
      const t = d.piece(col, precision);
      parts.push(col.nullable ? sql`COALESCE(${t}, '~')` : t, sql`','`);
    }
  }
  return d.md5(concatAll(parts));
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

// ---------- PostgreSQL ----------

const postgres: HashDialect = {
  text(col, precision) {
    const ref = sql.ref(col.name);
    switch (col.kind) {
      case 'bool':
        return sql`(CASE WHEN ${ref} THEN '1' ELSE '0' END)`;
      case 'datetime': {
        const utc = col.type.includes('with time zone') ? sql`(${ref} AT TIME ZONE 'UTC')` : ref;
        return precision === 'second'
          ? sql`to_char(${utc}, 'YYYY-MM-DD HH24:MI:SS')`
          : sql`to_char(${utc}, 'YYYY-MM-DD HH24:MI:SS.US')`;
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
  piece: (col, precision) => (TEXTUAL.has(col.kind) ? sql.ref(col.name) : postgres.text(col, precision)),
  cat: (parts) => sql`(${sql.join(parts, sql` || `)})`,
  charLength: (e) => sql`length(${e})`,
  md5: (e) => sql`md5(${e})`,
  slice60: (h) => sql`CAST(CAST(CONCAT('x', substr(${h}, 18, 15)) AS BIT(60)) AS BIGINT)`,
  int: (v) => sql`CAST(${v} AS BIGINT)`,
  bucket: (key, lo, width) => sql`((${key} - CAST(${lo} AS BIGINT)) / CAST(${width} AS BIGINT))`,
  hexPrefix: (key, digits) => sql`substr(md5(CAST(${key} AS TEXT)), 1, ${sql.lit(digits)})`,
  sumText: (e) => sql`CAST(COALESCE(SUM(${e}), 0) AS TEXT)`,
};

// ---------- MySQL / MariaDB ----------

const mysql: HashDialect = {
  text(col, precision) {
    const ref = sql.ref(col.name);
    switch (col.kind) {
      case 'bool':
        return sql`(CASE WHEN ${ref} <> 0 THEN '1' ELSE '0' END)`;
      case 'datetime':
        // The session time zone is UTC (src/db/mysql.ts), so `timestamp` columns read as UTC too.
        return precision === 'second'
          ? sql`DATE_FORMAT(${ref}, '%Y-%m-%d %H:%i:%s')`
          : sql`DATE_FORMAT(${ref}, '%Y-%m-%d %H:%i:%s.%f')`;
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
  piece(col, precision) {
    // CONCAT writes integers in decimal and a whole-second `datetime` as `YYYY-MM-DD HH:MM:SS` by
    // itself, and utf8 text as its UTF-8 bytes (Sentry's tables are utf8): no per-row casts.
    const ref = sql.ref(col.name);
    if (/^int/.test(col.kind) || TEXTUAL.has(col.kind)) return ref;
    if (col.kind === 'bool') return sql`(${ref} <> 0)`;
    if (col.kind === 'datetime' && precision === 'second' && (col.type === 'datetime' || col.type === 'timestamp')) return ref;
    return mysql.text(col, precision);
  },
  cat: (parts) => sql`CONCAT(${sql.join(parts)})`,
  charLength: (e) => sql`CHAR_LENGTH(${e})`,
  md5: (e) => sql`MD5(${e})`,
  slice60: (h) => sql`CAST(CONV(SUBSTRING(${h}, 18, 15), 16, 10) AS UNSIGNED)`,
  int: (v) => sql`CAST(${v} AS SIGNED)`,
  bucket: (key, lo, width) => sql`((${key} - CAST(${lo} AS SIGNED)) DIV CAST(${width} AS SIGNED))`,
  hexPrefix: (key, digits) => sql`SUBSTRING(MD5(CONVERT(${key} USING utf8mb4)), 1, ${sql.lit(digits)})`,
  sumText: (e) => sql`CAST(COALESCE(SUM(${e}), 0) AS CHAR)`,
};

export function hashDialect(engine: Engine): HashDialect {
  return engine === 'mysql' ? mysql : postgres;
}
