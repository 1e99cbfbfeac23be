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
