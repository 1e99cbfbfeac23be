import type { Canonical, ColumnInfo, ColumnKind, ColumnLimits } from '../engine.js';

/** A value as pg returns it (raw text on the snapshot reader, `t`/`f` booleans) in the canonical form. */
export function postgresCanonical(kind: ColumnKind, v: unknown): Canonical {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'bool':
      return typeof v === 'boolean' ? v : v === 't' || v === 'true';
    case 'datetime':
      return pgTimestamp(String(v));
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/** '2015-07-28 20:41:30.123456+00' -> '2015-07-28 20:41:30.123456' (the session runs in UTC). */
function pgTimestamp(s: string): string {
  const m = /^(.*?)(?:[+-]\d\d(?::?\d\d)?)?$/.exec(s);
  return m ? m[1] : s;
}

/** A text column holds no NUL character. */
export function postgresColumnLimits(c: ColumnInfo): ColumnLimits {
  return { bmpOnly: false, mysqlDatetime: false, pgText: c.kind === 'varchar' || c.kind === 'text' };
}
