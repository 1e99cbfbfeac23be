/**
 * Serial sequences: a PostgreSQL target must hand out ids past the ones copied into it. After a copy that wrote
 * explicit ids, each serial sequence has to be moved past its table's largest id, or Sentry's next insert fails on
 * a duplicate key (MySQL's AUTO_INCREMENT moves by itself).
 */
import { type Kysely, sql } from 'kysely';
import type { SequenceReport } from '../engine.js';

/** The adapter's `insertReturningIds`: INSERT … RETURNING id, 1000 rows a statement. */
export async function insertReturningIds(db: Kysely<any>, table: string, rows: Record<string, unknown>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const r = await db.insertInto(table).values(rows.slice(i, i + 1000)).returning('id').execute();
    for (const x of r) out.push(String(x.id));
  }
  return out;
}

/** The adapter's `syncIdSequence`: the column's serial sequence moved past the table's largest id, never back. */
export async function syncIdSequence(db: Kysely<any>, table: string, column: string): Promise<void> {
  const seq = await sql<{ s: string | null }>`SELECT pg_get_serial_sequence(${table}, ${column}) AS s`.execute(db);
  const name = seq.rows[0]?.s;
  if (!name) return;
  // Only forward: the larger of the highest id and the sequence's own last value (null before first use).
  await sql`
    SELECT setval(${name}::regclass, GREATEST(m.top, COALESCE(pg_sequence_last_value(${name}::regclass), 0)), true)
    FROM (SELECT MAX(${sql.ref(column)}) AS top FROM ${sql.table(table)}) m
    WHERE m.top IS NOT NULL`.execute(db);
}

/** The adapter's `checkSequences`: each column's serial sequence (if it has one) against its table's largest id. */
export async function checkSequences(db: Kysely<any>, columns: { table: string; column: string }[]): Promise<SequenceReport[]> {
  const out: SequenceReport[] = [];
  for (const { table, column } of columns) {
    const seqRow = await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${table}, ${column}) AS seq`.execute(db);
    const seq = seqRow.rows[0]?.seq;
    if (!seq) continue;
    // `seq` is the server's own quoted, schema-qualified name (quote_ident), not user input.
    const state = await sql<{ last_value: string; is_called: boolean; increment: string }>`
      SELECT s.last_value, s.is_called, p.seqincrement AS increment
      FROM ${sql.raw(seq)} s, pg_sequence p WHERE p.seqrelid = ${seq}::regclass`.execute(db);
    const { last_value, is_called, increment } = state.rows[0];
    const next = is_called ? BigInt(last_value) + BigInt(increment) : BigInt(last_value);
    const max = await db.selectFrom(table).select(sql`MAX(${sql.ref(column)})`.as('m')).executeTakeFirst();
    const maxId = max?.m === null || max?.m === undefined ? null : String(max.m);
    out.push({ table, column, sequence: seq, nextValue: next.toString(), maxId, ok: maxId === null || next > BigInt(maxId) });
  }
  return out;
}
