import { sql, type Transaction } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';
import type { ColumnInfo } from '../db/engine.js';
import { UsageError } from '../errors.js';
import { type Journal, type JournalChange, type JournalRow, checkJournal, journalRow, readJournal, writeJournal } from '../journal/journal.js';
import { withConnection } from './with-connection.js';

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
 * The `undo` command as one call: reads the journal (one that cannot be read is refused before connecting), opens
 * the database, previews or reverses, closes it. Returns the journal as read, for its command and summary.
 */
export async function runUndo(url: DbUrl, path: string, opts: { apply: boolean }): Promise<{ journal: Journal; result: UndoResult }> {
  const journal = readJournal(path);
  return { journal, result: await withConnection(url, (conn) => undo(conn, path, journal, opts)) };
}

/**
 * Reverse an applied journal, newest change first, in one transaction. A row that changed since
 * the journal was written is refused and reported, never overwritten. Without `apply` the same
 * checks run and the transaction is rolled back, so the preview is exactly what apply would do.
 *
 * Set-based: consecutive changes of one table and one kind, on distinct rows, form a run (up to
 * 1000) whose order does not matter; a run locks its rows with one SELECT … FOR UPDATE and is
 * reversed with one DELETE, one UPDATE per distinct set of old values, and one multi-row INSERT.
 *
 * A journal that does not match its checksum is refused before anything is read (exit 2). When some rows are
 * refused, the rest is committed and the journal is rewritten with those changes marked `undone` and its status
 * left as it was, so running undo again, once the refused rows are resolved, reverses just them.
 * Untyped (`Transaction<any>`) on purpose: the journal names the tables and columns, so undo is generic over tables.
 */
export async function undo(conn: Connection, path: string, journal: Journal, opts: { apply: boolean }): Promise<UndoResult> {
  checkJournal(path, journal);
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
  const done = new Set<JournalChange>();
  const pending = journal.changes.filter((c) => !c.undone);
  result.alreadyReverted = journal.changes.length - pending.length;
  try {
    await conn.db.transaction().execute(async (tx) => {
      for (const run of runs([...pending].reverse())) await revertRun(tx, run, kinds, result, done);
      if (!opts.apply) throw preview;
    });
    result.applied = opts.apply;
  } catch (err) {
    if (err !== preview) throw err;
  }
  if (opts.apply) {
    const at = new Date().toISOString();
    if (result.conflicts.length) {
      const changes = journal.changes.map((c) => (done.has(c) ? { ...c, undone: true as const } : c));
      writeJournal(path, { ...journal, changes, partlyUndoneAt: at });
    } else {
      writeJournal(path, { ...journal, status: 'undone', undoneAt: at });
    }
  }
  return result;
}

const RUN = 1000;

/** Split (newest-first) changes into runs of one table and op with distinct keys, keeping their order. */
function* runs(changes: JournalChange[]): Generator<JournalChange[]> {
  let run: JournalChange[] = [];
  let keys = new Set<string>();
  for (const c of changes) {
    const k = JSON.stringify(c.key);
    const head = run[0];
    if (head && (head.table !== c.table || head.op !== c.op || keys.has(k) || run.length >= RUN || !sameKeyColumns(head, c))) {
      yield run;
      run = [];
      keys = new Set();
    }
    run.push(c);
    keys.add(k);
  }
  if (run.length) yield run;
}

const sameKeyColumns = (a: JournalChange, b: JournalChange) => Object.keys(a.key).join() === Object.keys(b.key).join();

type Kinds = Map<string, Map<string, ColumnInfo>>;

function columnKinds(cols: ColumnInfo[]): Kinds {
  const m: Kinds = new Map();
  for (const c of cols) {
    if (!m.has(c.table)) m.set(c.table, new Map());
    m.get(c.table)!.set(c.name, c);
  }
  return m;
}

async function revertRun(tx: Transaction<any>, run: JournalChange[], kinds: Kinds, result: UndoResult, done: Set<JournalChange>): Promise<void> {
  const { table, op } = run[0];
  const cols = kinds.get(table);
  if (!cols) {
    for (const c of run) result.conflicts.push({ table, key: c.key, reason: 'table no longer exists' });
    return;
  }
  const keyCols = Object.keys(run[0].key);
  const current = await lockRows(tx, table, keyCols, run, cols);
  const conflict = (c: JournalChange, reason: string) => result.conflicts.push({ table, key: c.key, reason });
  const already = (c: JournalChange) => (result.alreadyReverted++, done.add(c));
  const remove: JournalChange[] = [];
  const restore: JournalChange[] = [];
  const setBack = new Map<string, { values: JournalRow; changes: JournalChange[] }>();

  for (const c of run) {
    const cur = current.get(keyOf(c.key, keyCols)) ?? null;
    const equals = (want: JournalRow | undefined) => !!cur && !!want && Object.entries(want).every(([k, v]) => same(cur[k], v, cols.get(k)));
    switch (op) {
      case 'insert':
        if (!cur) already(c);
        else if (!equals(c.after)) conflict(c, 'row changed since it was inserted');
        else remove.push(c);
        break;
      case 'update':
        if (!cur) conflict(c, 'row was deleted since');
        else if (equals(c.after)) {
          const id = JSON.stringify(c.before);
          (setBack.get(id) ?? setBack.set(id, { values: c.before!, changes: [] }).get(id)!).changes.push(c);
        } else if (equals(c.before)) already(c);
        else conflict(c, `row changed since: ${describeDiff(cur, c.after!, cols)}`);
        break;
      case 'delete':
        if (!cur) restore.push(c);
        else if (equals(c.before)) already(c);
        else conflict(c, 'a row with this key exists again');
        break;
    }
  }
  if (remove.length) await whereKeys(tx.deleteFrom(table), keyCols, remove, cols).execute();
  for (const { values, changes } of setBack.values()) {
    await whereKeys(tx.updateTable(table).set(toDb(values, cols)), keyCols, changes, cols).execute();
  }
  if (restore.length) await tx.insertInto(table).values(restore.map((c) => toDb(c.before!, cols))).execute();
  for (const c of [...remove, ...restore, ...[...setBack.values()].flatMap((g) => g.changes)]) done.add(c);
  const n = remove.length + restore.length + [...setBack.values()].reduce((a, g) => a + g.changes.length, 0);
  result.reverted += n;
  if (n) result.byTable[table] = (result.byTable[table] ?? 0) + n;
}

/** The run's rows as they are now, locked, by key. */
async function lockRows(tx: Transaction<any>, table: string, keyCols: string[], run: JournalChange[], cols: Map<string, ColumnInfo>) {
  const rows = await whereKeys(tx.selectFrom(table).selectAll(), keyCols, run, cols).forUpdate().execute();
  const out = new Map<string, JournalRow>();
  for (const r of rows) {
    const row = journalRow(r);
    out.set(keyOf(row, keyCols), row);
  }
  return out;
}

/** Key columns are ids, as text in journals and in journalRow(): their text is their identity. */
function keyOf(key: JournalRow, keyCols: string[]): string {
  return JSON.stringify(keyCols.map((k) => (key[k] === null ? null : String(key[k]))));
}

/** `key IN (…)` for one key column, else (k1 = … AND k2 = …) OR …. */
function whereKeys<Q extends { where: (...a: any[]) => any }>(q: Q, keyCols: string[], changes: JournalChange[], cols: Map<string, ColumnInfo>): Q {
  const val = (c: JournalChange, k: string) => toDbValue(c.key[k], cols.get(k));
  if (keyCols.length === 1) {
    const [k] = keyCols;
    return q.where(sql.ref(k), 'in', changes.map((c) => val(c, k)));
  }
  return q.where((eb: any) => eb.or(changes.map((c) => eb.and(keyCols.map((k) => eb(sql.ref(k), '=', val(c, k)))))));
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

