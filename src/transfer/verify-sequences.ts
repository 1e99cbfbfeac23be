/**
 * A PostgreSQL target must hand out ids past the ones copied into it: after a migration that wrote
 * explicit ids, each serial sequence has to be moved past its table's largest id, or Sentry's next
 * insert fails on a duplicate key. MySQL's AUTO_INCREMENT moves by itself.
 */
import { sql } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { SchemaInfo } from '../db/introspect.js';

export interface SequenceReport {
  table: string;
  column: string;
  sequence: string;
  /** The value the next nextval() returns. */
  nextValue: string;
  /** Largest id in the table (whole table, whatever the scope); null when empty. */
  maxId: string | null;
  ok: boolean;
}

export async function checkSequences(target: Connection, schema: SchemaInfo, tables: string[]): Promise<SequenceReport[]> {
  const out: SequenceReport[] = [];
  for (const table of tables) {
    for (const col of schema.columns.get(table) ?? []) {
      if (!col.autoIncrement) continue;
      const seqRow = await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${table}, ${col.name}) AS seq`.execute(target.db);
      const seq = seqRow.rows[0]?.seq;
      if (!seq) continue;
      // `seq` is the server's own quoted, schema-qualified name (quote_ident), not user input.
      const state = await sql<{ last_value: string; is_called: boolean; increment: string }>`
        SELECT s.last_value, s.is_called, p.seqincrement AS increment
        FROM ${sql.raw(seq)} s, pg_sequence p WHERE p.seqrelid = ${seq}::regclass`.execute(target.db);
      const { last_value, is_called, increment } = state.rows[0];
      const next = is_called ? BigInt(last_value) + BigInt(increment) : BigInt(last_value);
      const max = await target.db.selectFrom(table).select(sql`MAX(${sql.ref(col.name)})`.as('m')).executeTakeFirst();
      const maxId = max?.m === null || max?.m === undefined ? null : String(max.m);
      out.push({ table, column: col.name, sequence: seq, nextValue: next.toString(), maxId, ok: maxId === null || next > BigInt(maxId) });
    }
  }
  return out;
}
