import { createHash } from 'node:crypto';
import type { Engine } from '../db/url.js';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * The undo journal every writing admin command (src/admin) and `import --replace-defaults`
 * (src/transfer/target-check.ts) leave behind: a facility below both. It holds, per changed row, the
 * values before and after, enough for `undo` to reverse the change exactly, and to refuse rows
 * that someone changed since.
 *
 * Life cycle: written with status "pending" and fsynced BEFORE the transaction commits, then
 * rewritten as "applied" after. A crash in between leaves a pending journal whose changes may or
 * may not be in the database; `undo` tells which by comparing the rows with `after`.
 *
 * Every write seals the journal with `checksum`, a SHA-256 of everything in it but `status` (which is marked in
 * place) and the checksum itself: the changes, the database and engine they belong to, the command. `undo` refuses
 * a journal whose checksum does not match (edited by hand, cut short, or never sealed), so a changed key or value
 * can never be written back to a database. It guards against edits, not against someone who reseals on purpose.
 */
export type JournalValue = string | number | boolean | null;
export type JournalRow = Record<string, JournalValue>;

export interface JournalChange {
  table: string;
  /** Set by undo on a change it reversed (or found already reversed) while it refused others: skipped next time. */
  undone?: true;
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
  engine: Engine;
  status: 'pending' | 'applied' | 'undone';
  createdAt: string;
  summary: string;
  changes: JournalChange[];
  /** Set by undo when it reverses this journal. */
  undoneAt?: string;
  /** Set by undo when it reversed part of this journal and refused the rest (those changes stay to retry). */
  partlyUndoneAt?: string;
  /** See journalChecksum(); set by writeJournal(). */
  checksum?: string;
}

export function newJournal(command: string, database: string, engine: Engine, summary: string): Journal {
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

/**
 * SHA-256 (hex) of the journal without `status` and `checksum`: its other header fields in a fixed order, then each
 * change as the JSON it is written as.
 */
export function journalChecksum(journal: Journal): string {
  const { status: _status, checksum: _checksum, changes, ...head } = journal;
  const h = createHash('sha256');
  const fields = Object.entries(head).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  h.update(JSON.stringify(fields));
  for (const c of changes) h.update('\n' + JSON.stringify(c));
  return h.digest('hex');
}

/** Refuse (exit 2) a journal whose checksum is missing or does not match its content. */
export function checkJournal(path: string, journal: Journal): void {
  if (!journal.checksum) {
    throw new UsageError(`journal ${path} carries no checksum: it was not written whole by sentry-admin, so undo will not trust it`,
      'undo only a journal as sentry-admin wrote it; restore the original file from a backup if it was edited');
  }
  if (journalChecksum(journal) !== journal.checksum) {
    throw new UsageError(`journal ${path} does not match its checksum: it was edited or cut short since sentry-admin wrote it, so undo will not trust it`,
      'undo only a journal as sentry-admin wrote it; restore the original file from a backup if it was edited');
  }
}

/** Write atomically (temp file, fsync, rename) so a crash never leaves half a journal; seals it with its checksum. */
export function writeJournal(path: string, journal: Journal): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, serializeJournal({ ...journal, checksum: journalChecksum(journal) }));
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
  const { format, status, changes, checksum, ...rest } = journal;
  const head = JSON.stringify({ format, status, ...rest, checksum }, null, 1);
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
