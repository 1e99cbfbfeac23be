import type { Kysely } from 'kysely';
import type { EngineAdapter } from '../db/engine.js';
import { RuntimeFailure } from '../errors.js';
import { type AuditActor, type AuditEntryInput, insertAuditEntries } from './audit-log.js';
import { type JournalChange, journalRow } from '../journal/journal.js';

/**
 * The row writes a repair plan consists of. The plan is a list of these, shown in the preview and
 * executed as they are by `executeOps`, so the preview is exactly what `--apply` writes. Every op
 * becomes a journal change (`undo` reverses them); nothing here ever deletes a row.
 */
export type RowValue = string | number | boolean | Date | null;
export type Row = Record<string, RowValue>;

export type Op =
  /** `row.id` set: inserted with that id; otherwise the id comes from the table's sequence. */
  | { kind: 'insert'; table: string; row: Row }
  /** Update one row by id, guarded: it must still hold `before`, or the whole repair is refused. */
  | { kind: 'update'; table: string; id: string; set: Row; before: Row }
  | { kind: 'audit'; entry: AuditEntryInput }
  /** After inserting explicit ids: make the table's id sequence hand out larger ones (PostgreSQL). */
  | { kind: 'sync-sequence'; table: string };

export class OpList {
  readonly ops: Op[] = [];
  /** `actor`: who every audit entry of the plan names (`--actor`), whatever label its planner gave. */
  constructor(private readonly actor?: AuditActor) {}
  insert(table: string, row: Row): void {
    this.ops.push({ kind: 'insert', table, row });
  }
  update(table: string, id: string, set: Row, before: Row): void {
    this.ops.push({ kind: 'update', table, id, set, before });
  }
  audit(entry: AuditEntryInput): void {
    this.ops.push({ kind: 'audit', entry: this.actor ? { ...entry, actorLabel: this.actor.label, actorId: this.actor.id } : entry });
  }
  syncSequence(table: string): void {
    this.ops.push({ kind: 'sync-sequence', table });
  }
}

/**
 * Execute the ops inside the caller's transaction and return the journal changes. Ops are grouped
 * set-wise, in the order each group first appears: inserts per table become one multi-row insert,
 * updates of one table with the same values one `UPDATE … WHERE id IN (…)` (a statement touching
 * fewer rows than planned means someone changed them meanwhile: refuse). Sequences are synced
 * after the inserts; audit entries are written last, in one call.
 * Untyped (`Kysely<any>`) on purpose: an op names its table as data, so these writes are generic over tables.
 */
export async function executeOps(tx: Kysely<any>, adapter: EngineAdapter, ops: Op[]): Promise<JournalChange[]> {
  const groups = new Map<string, Op[]>();
  for (const op of ops) {
    const key = op.kind === 'insert' ? JSON.stringify(['insert', op.table, 'id' in op.row])
      : op.kind === 'update' ? JSON.stringify(['update', op.table, Object.entries(op.set), Object.entries(op.before)])
      : op.kind === 'audit' ? 'audit' : `sync:${op.table}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(op);
  }
  const changes: JournalChange[] = [];
  const later: Op[][] = [];
  for (const batch of groups.values()) {
    const op = batch[0];
    if (op.kind === 'insert') changes.push(...(await insertRows(tx, adapter, op.table, batch.map((o) => (o as typeof op).row))));
    else if (op.kind === 'update') changes.push(...(await updateRows(tx, batch as (typeof op)[])));
    else later.push(batch);
  }
  for (const batch of later) {
    if (batch[0].kind === 'sync-sequence') await adapter.syncIdSequence(tx, batch[0].table, 'id');
  }
  const audits = later.flat().flatMap((o) => (o.kind === 'audit' ? [o.entry] : []));
  if (audits.length) changes.push(...(await insertAuditEntries(tx, adapter, audits)));
  return changes;
}

async function insertRows(tx: Kysely<any>, adapter: EngineAdapter, table: string, rows: Row[]): Promise<JournalChange[]> {
  let ids: string[];
  if ('id' in rows[0]) {
    await tx.insertInto(table).values(rows).execute();
    ids = rows.map((r) => String(r.id));
  } else {
    ids = await adapter.insertReturningIds(tx, table, rows);
  }
  // Journal the rows as the database stored them (datetime precision, booleans), so undo can
  // recognise them unchanged.
  const stored = await tx.selectFrom(table).selectAll().where('id', 'in', ids).execute();
  const byId = new Map(stored.map((r) => [String(r.id), r]));
  return ids.map((id) => ({ table, key: { id }, op: 'insert' as const, after: journalRow(byId.get(id)!) }));
}

async function updateRows(tx: Kysely<any>, batch: (Op & { kind: 'update' })[]): Promise<JournalChange[]> {
  const { table, set, before } = batch[0];
  const ids = batch.map((o) => o.id);
  let q = tx.updateTable(table).set(set).where('id', 'in', ids);
  for (const [col, value] of Object.entries(before)) q = value === null ? q.where(col, 'is', null) : q.where(col, '=', value);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) !== ids.length) {
    throw new RuntimeFailure(
      `${table}: ${ids.length - Number(r.numUpdatedRows)} of ${ids.length} row(s) changed while the repair was being planned; nothing was written`,
      'run the command again to plan from the current state',
    );
  }
  return batch.map((o) => ({ table, key: { id: o.id }, op: 'update' as const, before: journalRow(o.before), after: journalRow(o.set) }));
}

/**
 * A slug that does not collide (case-insensitively, as MySQL's collation and Sentry's
 * `slug__iexact` check both see it) with `taken`: the slug itself, else `slug-1`, `slug-2`…,
 * cut to fit `max` the way Sentry 7.7's `slugify_instance` does. The result is added to `taken`.
 */
export function freeSlug(slug: string, taken: Set<string>, max = 50): string {
  let candidate = slug;
  for (let n = 1; taken.has(candidate.toLowerCase()); n++) candidate = `${slug.slice(0, max - String(n).length - 1)}-${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
