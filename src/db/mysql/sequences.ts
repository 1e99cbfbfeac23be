import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export const AUTO_INCREMENT_SQL = 'SELECT @@innodb_autoinc_lock_mode AS m, @@auto_increment_increment AS step';
export interface AutoIncrementRow {
  m: number | string;
  step: number | string;
}

/**
 * What the server's auto-increment settings let us know about the ids one statement gets: under the "traditional"
 * (0) and "consecutive" (1) lock modes a multi-row INSERT or a LOAD DATA gets consecutive ids (step
 * auto_increment_increment) from the first one the server reports; the "interleaved" mode (2) promises nothing.
 */
export function autoIncrement(row: AutoIncrementRow): { consecutive: boolean; ids: (first: bigint | string | number, count: number) => string[] } {
  const step = BigInt(row.step);
  return {
    consecutive: Number(row.m) <= 1,
    ids: (first, count) => Array.from({ length: count }, (_, k) => (BigInt(first) + BigInt(k) * step).toString()),
  };
}

/** The adapter's `insertReturningIds`: one multi-row INSERT per 1000 rows when the ids are consecutive, else one per row. */
export async function insertReturningIds(db: Kysely<any>, table: string, rows: Record<string, unknown>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const mode = autoIncrement((await sql.raw<AutoIncrementRow>(AUTO_INCREMENT_SQL).execute(db)).rows[0]);
  const batch = mode.consecutive ? 1000 : 1;
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const r = await db.insertInto(table).values(part).executeTakeFirstOrThrow();
    out.push(...mode.ids(r.insertId!, part.length));
  }
  return out;
}
