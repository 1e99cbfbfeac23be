/**
 * The canonical form of a row, written as SQL for each engine, so that MySQL and PostgreSQL compute
 * the same md5 for the same Sentry row inside the database (../shared/sentry7-schema.md §1.2).
 *
 * Every MySQL/PostgreSQL difference of `verify` lives in the two small dialects at the bottom of
 * this file; verify-table.ts only asks them for expressions.
 *
 * Canonical value of one column (never NULL itself):
 *   NULL                  -> `~`
 *   anything else         -> `<UTF-8 byte length>:<text>`   (so ('a','') differs from ('','a'))
 * where <text> is
 *   integers, ids         decimal
 *   booleans              1 / 0
 *   datetimes             UTC `YYYY-MM-DD HH:MM:SS`, `.ffffff` appended only when both sides are
 *                         PostgreSQL (MySQL `datetime` holds whole seconds: compare truncated)
 *   inet / char(39)       the address text (PostgreSQL `host()`)
 *   binary                lower-case hex
 *   text, varchar, other  the value as UTF-8 text
 * The row is the concatenation of its columns in name order; its hash is md5 of that text, and a
 * segment's hash is the exact sum of a 60-bit slice of the row md5s (as data-diff does), with count.
 */
import { type RawBuilder, sql } from 'kysely';
import type { ColumnInfo } from '../db/engine.js';
import type { Engine } from '../db/url.js';

export type Precision = 'second' | 'microsecond';

/** Datetimes compare at the precision both engines hold. */
export function datetimePrecision(a: Engine, b: Engine): Precision {
  return a === 'mysql' || b === 'mysql' ? 'second' : 'microsecond';
}

type Raw = RawBuilder<unknown>;

export interface HashDialect {
  /** Canonical text of a non-NULL value of `col`. */
  text(col: ColumnInfo, precision: Precision): Raw;
  /** Length in UTF-8 bytes of a text expression. */
  byteLength(e: Raw): Raw;
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

/** The canonical text of a whole row over `cols` (already in the agreed order). */
export function rowText(d: HashDialect, cols: ColumnInfo[], precision: Precision): Raw {
  const pieces = cols.map((c) => columnPiece(d, c, precision));
  return concatAll(pieces);
}

/** `~` for NULL, else `<bytes>:<text>`. */
export function columnPiece(d: HashDialect, col: ColumnInfo, precision: Precision): Raw {
  const ref = sql.ref(col.name);
  const t = d.text(col, precision);
  return sql`(CASE WHEN ${ref} IS NULL THEN '~' ELSE CONCAT(${d.byteLength(t)}, ':', ${t}) END)`;
}

/** Canonical text of a column, NULL staying NULL: what the row fetch compares column by column. */
export function columnValue(d: HashDialect, col: ColumnInfo, precision: Precision): Raw {
  return d.text(col, precision);
}

/** md5 hex of the canonical row. */
export function rowMd5(d: HashDialect, cols: ColumnInfo[], precision: Precision): Raw {
  return d.md5(rowText(d, cols, precision));
}

/** CONCAT in groups of 40: PostgreSQL functions take at most 100 arguments. */
function concatAll(parts: Raw[]): Raw {
  if (parts.length === 0) return sql`''`;
  if (parts.length === 1) return parts[0];
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
      case 'inet':
        return sql`host(${ref})`;
      case 'bytes':
        return sql`encode(${ref}, 'hex')`;
      default:
        return sql`CAST(${ref} AS TEXT)`;
    }
  },
  byteLength: (e) => sql`octet_length(${e})`,
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
      case 'bytes':
        return sql`LOWER(HEX(${ref}))`;
      case 'int16': case 'int32': case 'int64': case 'decimal': case 'float':
        return sql`CAST(${ref} AS CHAR)`;
      default:
        // Sentry's columns are utf8 (3-byte); hash their UTF-8 bytes whatever the column charset.
        return sql`CONVERT(${ref} USING utf8mb4)`;
    }
  },
  byteLength: (e) => sql`LENGTH(${e})`,
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
