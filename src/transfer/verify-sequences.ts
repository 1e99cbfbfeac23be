/**
 * The target's id generators against the ids copied into it: each id column's sequence must hand out ids past its
 * table's largest id, or Sentry's next insert fails on a duplicate key. The engine says whether it has such
 * sequences and how to read them (PostgreSQL: src/db/postgres/sequences.ts; MySQL's AUTO_INCREMENT moves by
 * itself, so it reports none).
 */
import type { Connection } from '../db/connect.js';
import type { SequenceReport } from '../db/engine.js';
import type { SchemaInfo } from '../db/introspect.js';

export async function checkSequences(target: Connection, schema: SchemaInfo, tables: string[]): Promise<SequenceReport[]> {
  const columns = tables.flatMap((table) => (schema.columns.get(table) ?? []).filter((c) => c.autoIncrement).map((c) => ({ table, column: c.name })));
  return target.adapter.checkSequences(target.db, columns);
}
