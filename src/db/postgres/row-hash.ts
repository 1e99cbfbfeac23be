/** PostgreSQL's pieces of the canonical row (src/db/row-hash.ts; docs/sentry7-schema.md §1.2). */
import { sql } from 'kysely';
import { type HashDialect, TEXTUAL, cutTo } from '../row-hash.js';

export const postgresHash: HashDialect = {
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
  piece: (c) => (TEXTUAL.has(c.col.kind) ? sql.ref(c.col.name) : postgresHash.text(c)),
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
