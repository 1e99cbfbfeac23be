import type { Canonical, ColumnInfo, ColumnKind, ColumnLimits } from '../engine.js';

/** A value as mysql2 returns it (bigNumberStrings; datetimes as text on the snapshot reader) in the canonical form. */
export function mysqlCanonical(kind: ColumnKind, v: unknown): Canonical {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'bool':
      return typeof v === 'boolean' ? v : String(v) !== '0';
    case 'datetime':
      return String(v);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/** A utf8 (3-byte, utf8mb3) column holds no 4-byte character; a `datetime` no fraction and only years 1000-9999. */
export function mysqlColumnLimits(c: ColumnInfo): ColumnLimits {
  return { bmpOnly: c.charset === 'utf8' || c.charset === 'utf8mb3', mysqlDatetime: c.kind === 'datetime', pgText: false };
}
