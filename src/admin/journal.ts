import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * The undo journal every writing admin command leaves behind. It holds, per changed row, the
 * values before and after, enough for `undo` to reverse the change exactly, and to refuse rows
 * that someone changed since.
 *
 * Life cycle: written with status "pending" and fsynced BEFORE the transaction commits, then
 * rewritten as "applied" after. A crash in between leaves a pending journal whose changes may or
 * may not be in the database; `undo` tells which by comparing the rows with `after`.
 */
export type JournalValue = string | number | boolean | null;
export type JournalRow = Record<string, JournalValue>;

export interface JournalChange {
  table: string;
  /** Primary key columns and values. */
  key: JournalRow;
  op: 'insert' | 'update' | 'delete';
  /** update/delete: the columns as they were (delete: the whole row). */
  before?: JournalRow;
  /** insert/update: the columns as written (insert: the whole row). */
  after?: JournalRow;
}

export interface Journal {
  format: 'sentry-admin-journal/1';
  command: string;
  database: string;
  engine: 'mysql' | 'postgres';
  status: 'pending' | 'applied' | 'undone';
  createdAt: string;
  summary: string;
  changes: JournalChange[];
  /** Set by undo when it reverses this journal. */
  undoneAt?: string;
}

export function newJournal(command: string, database: string, engine: 'mysql' | 'postgres', summary: string): Journal {
  return { format: 'sentry-admin-journal/1', command, database, engine, status: 'pending', createdAt: new Date().toISOString(), summary, changes: [] };
}

/** Where journals go: the directory given (the CLI resolves --journal-dir / SENTRY_ADMIN_JOURNAL_DIR / .env in src/config), else ./journals. */
export function journalDir(explicit?: string): string {
  return resolve(explicit ?? 'journals');
}

export function journalPath(dir: string, command: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(dir, `${command}-${stamp}-${process.pid}.json`);
}

/** Write atomically (temp file, fsync, rename) so a crash never leaves half a journal. */
export function writeJournal(path: string, journal: Journal): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, serializeJournal(journal));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * The journal as JSON a person can read and grep: the header fields one a line, `status` right after `format`,
 * then one change a line (a reset of 100,000 memberships journals 200,000 changes).
 */
export function serializeJournal(journal: Journal): string {
  const { format, status, changes, ...rest } = journal;
  const head = JSON.stringify({ format, status, ...rest }, null, 1);
  return `${head.slice(0, -2)},\n "changes": [\n${changes.map((c) => `  ${JSON.stringify(c)}`).join(',\n')}\n ]\n}\n`;
}

/**
 * Mark a pending journal applied once its transaction committed. The status sits in the first line after `format`,
 * so it is rewritten in place (same length, one sector, fsynced) instead of writing the whole journal again; a
 * journal laid out otherwise is rewritten whole.
 */
export function markJournalApplied(path: string, journal: Journal): void {
  const from = Buffer.from('"status": "pending"');
  const to = Buffer.from('"status": "applied"');
  const fd = openSync(path, 'r+');
  try {
    const head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    const at = head.subarray(0, n).indexOf(from);
    if (at >= 0 && at === head.indexOf('"status"')) {
      writeSync(fd, to, 0, to.length, at);
      fsyncSync(fd);
      return;
    }
  } finally {
    closeSync(fd);
  }
  writeJournal(path, { ...journal, status: 'applied' });
}

export function readJournal(path: string): Journal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read journal ${path}: ${(err as Error).message}`);
  }
  let j: Journal;
  try {
    j = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not a sentry-admin journal (not JSON)`);
  }
  if (j?.format !== 'sentry-admin-journal/1' || !Array.isArray(j.changes)) {
    throw new UsageError(`${path} is not a sentry-admin journal (format ${JSON.stringify(j?.format)})`);
  }
  return j;
}

/** Normalise a database value for the journal and for comparisons: ids as strings, dates as ISO. */
export function journalValue(v: unknown): JournalValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function journalRow(row: Record<string, unknown>): JournalRow {
  const out: JournalRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = journalValue(v);
  return out;
}
