import type { Canonical, ColumnInfo, ColumnKind, ColumnLimits, EngineAdapter } from '../db/engine.js';
import type { SqlValue } from '../db/bulk.js';

/**
 * Pure converters between the two engines, through one canonical form carried in the chunks:
 *   ids and integers  -> decimal strings (never a JS number: 64-bit ids stay exact)
 *   booleans          -> true / false
 *   datetimes         -> 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, no zone (MySQL zero dates kept as read)
 *   everything else   -> the text as read
 * A value the target cannot hold is never changed silently: `toTarget` returns a rejection
 * reason instead, unless the user chose an explicit alternative (--on-reject).
 */
export type { Canonical };

/**
 * A target column as the row checks see it. Each engine reads its raw values into the canonical form itself
 * (EngineAdapter.canonical, src/db/<engine>/values.ts) and says what its columns cannot hold (`ColumnLimits`).
 */
export interface TargetColumn extends ColumnLimits {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
  unsigned: boolean;
  maxLength: number | null;
}

export function targetColumn(c: ColumnInfo, target: Pick<EngineAdapter, 'columnLimits'>): TargetColumn {
  return { name: c.name, kind: c.kind, nullable: c.nullable, unsigned: c.unsigned, maxLength: c.maxLength, ...target.columnLimits(c) };
}

export interface RejectPolicy {
  /** Store NULL for a MySQL zero date in a nullable column instead of rejecting the row. */
  zeroDatesToNull: boolean;
}

export interface Conversion {
  value: SqlValue;
  /** Set when the row must be rejected. */
  reject?: string;
  /** Set when the value was adapted as documented (counted in the report). */
  note?: 'fraction-dropped' | 'zero-date-null';
}

const RANGE: Partial<Record<ColumnKind, [bigint, bigint]>> = {
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
};
const ZERO_DATE = /^0000-00-00|-00-|-00 /;
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;

/** The values an integer column of the target can hold, or null for a column that is not an integer. */
export function intRange(col: Pick<TargetColumn, 'kind' | 'unsigned'>): [bigint, bigint] | null {
  const r = RANGE[col.kind];
  if (!r) return null;
  return col.unsigned ? [0n, col.kind === 'int16' ? 65535n : col.kind === 'int32' ? 4294967295n : 18446744073709551615n] : r;
}

/** Canonical value -> what the target's bulk loader writes, or a rejection reason. */
export function toTarget(col: TargetColumn, v: Canonical, policy: RejectPolicy): Conversion {
  if (v === null) return col.nullable ? { value: null } : { value: null, reject: `NULL in NOT NULL column ${col.name}` };
  switch (col.kind) {
    case 'bool':
      return { value: typeof v === 'boolean' ? v : v !== '0' && v !== 'f' && v !== 'false' };
    case 'int16':
    case 'int32':
    case 'int64': {
      const s = String(v === true ? 1 : v === false ? 0 : v);
      if (!/^-?\d+$/.test(s)) return { value: null, reject: `${col.name}: "${s}" is not an integer` };
      const n = BigInt(s);
      const [lo, hi] = intRange(col)!;
      if (n < lo || n > hi) return { value: null, reject: `${col.name}: ${s} is out of range for the target column (${lo}..${hi})` };
      return { value: s };
    }
    case 'datetime': {
      const s = String(v);
      if (ZERO_DATE.test(s)) {
        if (col.mysqlDatetime) return { value: s };
        if (policy.zeroDatesToNull && col.nullable) return { value: null, note: 'zero-date-null' };
        const why = policy.zeroDatesToNull ? ' (--on-reject null-zero-dates cannot apply: the column is NOT NULL)' : '';
        return { value: null, reject: `${col.name}: MySQL zero date "${s}" has no PostgreSQL equivalent${why}` };
      }
      if (s === 'infinity' || s === '-infinity') return { value: null, reject: `${col.name}: "${s}" cannot be stored in MySQL` };
      if (col.mysqlDatetime) {
        const year = Number(s.slice(0, 4));
        if (!(year >= 1000 && year <= 9999) || s.includes('BC')) return { value: null, reject: `${col.name}: "${s}" is outside MySQL's datetime range` };
        const dot = s.indexOf('.');
        if (dot > 0) return { value: s.slice(0, dot), note: /^\.0*$/.test(s.slice(dot)) ? undefined : 'fraction-dropped' };
        return { value: s };
      }
      return { value: s + '+00' };
    }
    default: {
      const s = String(v);
      if (col.pgText && s.includes('\u0000')) return { value: null, reject: `${col.name}: NUL character, which PostgreSQL text cannot hold` };
      if (col.bmpOnly && ASTRAL.test(s)) return { value: null, reject: `${col.name}: 4-byte UTF-8 character (e.g. emoji), which the MySQL utf8 column cannot hold` };
      if (col.maxLength !== null && s.length > col.maxLength && [...s].length > col.maxLength) {
        return { value: null, reject: `${col.name}: ${[...s].length} characters, longer than the target's ${col.maxLength}` };
      }
      return { value: s };
    }
  }
}
