import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RejectedRow {
  table: string;
  key: string;
  reason: string;
  row: Record<string, unknown>;
}

/**
 * Only the owner may read a file of whole rows: they hold password hashes, DSN secret keys and API
 * keys. Created 0600 whatever the umask, and set back to 0600 when an earlier version left it wider.
 */
export const ROW_DATA_MODE = 0o600;

/** Append `text` to a file holding row data, which only its owner may read. */
export function appendPrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', ROW_DATA_MODE);
  try {
    fchmodSync(fd, ROW_DATA_MODE);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Rejected rows, one JSON line each, appended (several importers may write their own files). */
export class RejectsFile {
  count = 0;
  constructor(readonly path: string) {}
  write(rows: RejectedRow[]): void {
    if (!rows.length) return;
    appendPrivate(this.path, rows.map((r) => JSON.stringify({ at: new Date().toISOString(), ...r })).join('\n') + '\n');
    this.count += rows.length;
  }
}

/**
 * The keys of the rows a rejects file lists, by table (for `verify --rejects FILE`). Read line by
 * line; a line that is not one of ours is a bad file, refused (exit 2) with its line number.
 */
export async function readRejectedKeys(path: string): Promise<Map<string, Set<string>>> {
  const { createReadStream, existsSync } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const { UsageError } = await import('../errors.js');
  if (!existsSync(path)) throw new UsageError(`--rejects ${path}: no such file`, 'give the rejects file the migration named in its report');
  const out = new Map<string, Set<string>>();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    let r: Partial<RejectedRow>;
    try {
      r = JSON.parse(line);
    } catch {
      r = {};
    }
    if (typeof r.table !== 'string' || typeof r.key !== 'string') throw new UsageError(`--rejects ${path}: line ${n} is not a rejected row written by sentry-admin`);
    let set = out.get(r.table);
    if (!set) out.set(r.table, (set = new Set()));
    set.add(r.key);
  }
  return out;
}
