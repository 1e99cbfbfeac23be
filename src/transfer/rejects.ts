import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RejectedRow {
  table: string;
  key: string;
  reason: string;
  row: Record<string, unknown>;
}

/** Rejected rows, one JSON line each, appended (several importers may write their own files). */
export class RejectsFile {
  count = 0;
  constructor(readonly path: string) {}
  write(rows: RejectedRow[]): void {
    if (!rows.length) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, rows.map((r) => JSON.stringify({ at: new Date().toISOString(), ...r })).join('\n') + '\n');
    this.count += rows.length;
  }
}
