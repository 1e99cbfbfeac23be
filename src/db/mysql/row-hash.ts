/** MySQL/MariaDB's pieces of the canonical row (src/db/row-hash.ts; docs/sentry7-schema.md §1.2). */
import { sql } from 'kysely';
import { type HashDialect, TEXTUAL, cutTo, fractionDigits } from '../row-hash.js';

export const mysqlHash: HashDialect = {
  text({ col, digits }) {
    const ref = sql.ref(col.name);
    switch (col.kind) {
      case 'bool':
        return sql`(CASE WHEN ${ref} <> 0 THEN '1' WHEN ${ref} = 0 THEN '0' END)`;
      case 'datetime': {
        // The session time zone is UTC (src/db/mysql/open.ts), so `timestamp` columns read as UTC too.
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
    return mysqlHash.text(c);
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
