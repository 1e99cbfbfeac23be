/**
 * Set-based predicates, run in the SOURCE database, that find the values a target column cannot
 * hold: the same rules `toTarget` (transfer/row-codec.ts) applies row by row during a migration,
 * said as SQL of the source's engine so `migrate --dry-run` can count them without reading rows.
 * The two must agree; test/integration/dry-run.test.ts runs both on the same data.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ColumnInfo } from './engine.js';
import type { Engine } from './url.js';

export interface TargetShape {
  kind: ColumnInfo['kind'];
  nullable: boolean;
  unsigned: boolean;
  maxLength: number | null;
  engine: Engine;
  charset: string | null;
}

export interface ValueScan {
  /** What a run's rejects file would say, in short. */
  reason: string;
  where: RawBuilder<SqlBool>;
}

const RANGE: Record<string, [bigint, bigint]> = {
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
};

const isText = (k: ColumnInfo['kind']) => !['int16', 'int32', 'int64', 'bool', 'datetime', 'float', 'decimal', 'date'].includes(k);

/** The scans that apply to one source column bound for one target column (none when every value fits). */
export function valueScans(source: Engine, col: ColumnInfo, target: TargetShape, opts: { zeroDatesToNull: boolean }): ValueScan[] {
  const c = sql.ref(col.name);
  const out: ValueScan[] = [];
  if (col.nullable && !target.nullable) out.push({ reason: `NULL in NOT NULL column ${col.name}`, where: sql<SqlBool>`${c} IS NULL` });
  if (/^int/.test(target.kind) && /^int/.test(col.kind)) {
    let [lo, hi] = RANGE[target.kind];
    if (target.unsigned) [lo, hi] = [0n, target.kind === 'int16' ? 65535n : target.kind === 'int32' ? 4294967295n : 18446744073709551615n];
    const [slo, shi] = col.unsigned ? [0n, 2n ** (col.kind === 'int16' ? 16n : col.kind === 'int32' ? 32n : 64n) - 1n] : RANGE[col.kind];
    // Only the bounds the source type can cross, as plain numeric literals (a quoted one would be cast
    // to the column's own type, and the other engine's bound may not fit it).
    const parts = [slo < lo && sql`${c} < ${sql.raw(lo.toString())}`, shi > hi && sql`${c} > ${sql.raw(hi.toString())}`].filter((x) => x !== false);
    if (parts.length) {
      out.push({ reason: `${col.name}: out of range for the target column (${lo}..${hi})`, where: sql<SqlBool>`(${sql.join(parts, sql` OR `)})` });
    }
  }
  if (target.kind === 'datetime' && col.kind === 'datetime') {
    if (source === 'mysql' && target.engine === 'postgres' && !(opts.zeroDatesToNull && target.nullable)) {
      // MySQL zero dates ('0000-00-00', or a zero month or day) have no PostgreSQL equivalent.
      out.push({ reason: `${col.name}: MySQL zero date`, where: sql<SqlBool>`(MONTH(${c}) = 0 OR DAYOFMONTH(${c}) = 0)` });
    }
    if (source === 'postgres' && target.engine === 'mysql') {
      out.push({
        reason: `${col.name}: outside MySQL's datetime range`,
        where: sql<SqlBool>`(NOT isfinite(${c}) OR extract(year from ${c} AT TIME ZONE 'UTC') < 1000 OR extract(year from ${c} AT TIME ZONE 'UTC') > 9999)`,
      });
    }
  }
  if (isText(target.kind) && isText(col.kind)) {
    // PostgreSQL's inet and json are text here only once cast; MySQL stores them as text already.
    const t = source === 'postgres' ? sql`CAST(${c} AS text)` : c;
    if (source === 'mysql' && target.engine === 'postgres' && (target.kind === 'varchar' || target.kind === 'text')) {
      out.push({ reason: `${col.name}: NUL character, which PostgreSQL text cannot hold`, where: sql<SqlBool>`INSTR(${c}, CHAR(0)) > 0` });
    }
    const bmpOnly = target.engine === 'mysql' && (target.charset === 'utf8' || target.charset === 'utf8mb3');
    if (bmpOnly && source === 'postgres') {
      out.push({ reason: `${col.name}: 4-byte UTF-8 character`, where: sql<SqlBool>`${t} ~ '[\\U00010000-\\U0010FFFF]'` });
    }
    if (bmpOnly && source === 'mysql' && col.charset === 'utf8mb4') {
      // A 4-byte character converts to '?' (one byte): the byte lengths then differ.
      out.push({ reason: `${col.name}: 4-byte UTF-8 character`, where: sql<SqlBool>`LENGTH(${c}) <> LENGTH(CONVERT(${c} USING utf8mb3))` });
    }
    if (target.maxLength !== null && (col.maxLength === null || col.maxLength > target.maxLength)) {
      const len = source === 'mysql' ? sql`CHAR_LENGTH(${c})` : sql`char_length(${t})`;
      out.push({ reason: `${col.name}: longer than the target's ${target.maxLength} characters`, where: sql<SqlBool>`${len} > ${sql.lit(target.maxLength)}` });
    }
  }
  return out;
}
