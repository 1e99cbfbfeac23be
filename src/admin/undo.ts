import { sql, type Transaction } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { ColumnInfo } from '../db/engine.js';
import { UsageError } from '../errors.js';
import { type Journal, type JournalChange, type JournalRow, journalRow, writeJournal } from './journal.js';

export interface UndoConflict {
  table: string;
  key: JournalRow;
  reason: string;
}

export interface UndoResult {
  journal: string;
  command: string;
  applied: boolean;
  /** Changes reversed (or that would be, in a preview). */
  reverted: number;
  /** Changes already not in the database (never committed, or undone before). */
  alreadyReverted: number;
  conflicts: UndoConflict[];
  byTable: Record<string, number>;
}

/**
 * Reverse an applied journal, newest change first, in one transaction. A row that changed since
 * the journal was written is refused and reported, never overwritten. Without `apply` the same
 * checks run and the transaction is rolled back, so the preview is exactly what apply would do.
 */
export async function undo(conn: Connection, path: string, journal: Journal, opts: { apply: boolean }): Promise<UndoResult> {
  if (journal.engine !== conn.engine) {
    throw new UsageError(`journal ${path} was written on ${journal.engine} (${journal.database}), not on ${conn.url.masked}`);
  }
  const dbName = (s: string) => s.replace(/^.*\//, '');
  if (dbName(journal.database) !== conn.url.database) {
    throw new UsageError(`journal ${path} belongs to database "${dbName(journal.database)}", not "${conn.url.database}"`, 'point --db at the database the change was applied to');
  }
  if (journal.status === 'undone') throw new UsageError(`journal ${path} was already undone at ${journal.undoneAt}`);
  const kinds = columnKinds(await conn.adapter.columns(conn.db));
  const result: UndoResult = {
    journal: path, command: journal.command, applied: false, reverted: 0, alreadyReverted: 0, conflicts: [], byTable: {},
  };
  const preview = new Error('preview');
  try {
    await conn.db.transaction().execute(async (tx) => {
      for (const change of [...journal.changes].reverse()) await revert(tx, change, kinds, result);
      if (!opts.apply) throw preview;
    });
    result.applied = opts.apply;
  } catch (err) {
    if (err !== preview) throw err;
  }
  if (opts.apply) {
    writeJournal(path, { ...journal, status: 'undone', undoneAt: new Date().toISOString() });
  }
  return result;
}

type Kinds = Map<string, Map<string, ColumnInfo>>;

function columnKinds(cols: ColumnInfo[]): Kinds {
  const m: Kinds = new Map();
  for (const c of cols) {
    if (!m.has(c.table)) m.set(c.table, new Map());
    m.get(c.table)!.set(c.name, c);
  }
  return m;
}

async function revert(tx: Transaction<any>, change: JournalChange, kinds: Kinds, result: UndoResult): Promise<void> {
  const cols = kinds.get(change.table);
  if (!cols) {
    result.conflicts.push({ table: change.table, key: change.key, reason: 'table no longer exists' });
    return;
  }
  const current = await lockRow(tx, change.table, change.key, cols);
  const cur = current ? journalRow(current) : null;
  const equals = (want: JournalRow | undefined) => !!cur && !!want && Object.entries(want).every(([k, v]) => same(cur[k], v, cols.get(k)));
  const conflict = (reason: string) => result.conflicts.push({ table: change.table, key: change.key, reason });
  const count = () => {
    result.reverted++;
    result.byTable[change.table] = (result.byTable[change.table] ?? 0) + 1;
  };

  switch (change.op) {
    case 'insert':
      if (!cur) return void result.alreadyReverted++;
      if (!equals(change.after)) return void conflict('row changed since it was inserted');
      await where(tx.deleteFrom(change.table), change.key, cols).execute();
      return count();
    case 'update':
      if (!cur) return void conflict('row was deleted since');
      if (equals(change.after)) {
        await where(tx.updateTable(change.table).set(toDb(change.before!, cols)), change.key, cols).execute();
        return count();
      }
      if (equals(change.before)) return void result.alreadyReverted++;
      return void conflict(`row changed since: ${describeDiff(cur, change.after!, cols)}`);
    case 'delete':
      if (!cur) {
        await tx.insertInto(change.table).values(toDb(change.before!, cols)).execute();
        return count();
      }
      if (equals(change.before)) return void result.alreadyReverted++;
      return void conflict('a row with this key exists again');
  }
}

function lockRow(tx: Transaction<any>, table: string, key: JournalRow, cols: Map<string, ColumnInfo>) {
  return where(tx.selectFrom(table).selectAll(), key, cols).forUpdate().executeTakeFirst();
}

function where<Q extends { where: (...a: any[]) => any }>(q: Q, key: JournalRow, cols: Map<string, ColumnInfo>): Q {
  let out: any = q;
  for (const [k, v] of Object.entries(key)) out = out.where(sql.ref(k), '=', toDbValue(v, cols.get(k)));
  return out;
}

function toDb(row: JournalRow, cols: Map<string, ColumnInfo>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = toDbValue(v, cols.get(k));
  return out;
}

function toDbValue(v: unknown, col?: ColumnInfo): unknown {
  if (v === null || !col) return v;
  if (col.kind === 'datetime' && typeof v === 'string') return new Date(v);
  if (col.kind === 'bool') return v === true || v === 'true' || v === '1' || v === 1;
  return v;
}

function same(a: unknown, b: unknown, col?: ColumnInfo): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (col?.kind === 'datetime') return new Date(String(a)).getTime() === new Date(String(b)).getTime();
  return String(a) === String(b);
}

function describeDiff(cur: JournalRow, want: JournalRow, cols: Map<string, ColumnInfo>): string {
  return Object.entries(want)
    .filter(([k, v]) => !same(cur[k], v, cols.get(k)))
    .map(([k, v]) => `${k} is ${JSON.stringify(cur[k])}, journal wrote ${JSON.stringify(v)}`)
    .join('; ');
}

