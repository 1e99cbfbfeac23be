/**
 * The drain journal: what was taken out of Sentry's Redis, byte for byte, and what became of it.
 *
 * Append-only JSON lines, fsynced once per batch, rather than src/journal/journal.ts's rewrite-the-whole-file:
 * a drain of a million keys would rewrite hundreds of megabytes per batch. A torn last line (crash while
 * writing) is ignored on read; it was never fsynced, so no apply had started for it.
 *
 * Lines (`t`):
 *   header     run facts, the l:b:p token (replay refuses while that token still holds the lock)
 *   take       {id, host, key, fields: [[b64 name, b64 value]…]} written BEFORE any apply
 *   intent     {unit, ids, tx} written and fsynced BEFORE the unit's COMMIT; tx = {pg_txid} when checkable
 *   commit     {unit} after COMMIT returned
 *   rebuffer   {ids, reason} BEFORE the raw fields go back to Redis; rebuffered {ids} after
 *   resolved   {unit, status} written by replay after it asked the database about an unfinished unit
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TxRef } from '../db/buffer-sql.js';
import type { Engine } from '../db/url.js';
import { UsageError } from '../errors.js';
import type { RawFields } from './buffer-redis.js';

export const DRAIN_JOURNAL_FORMAT = 'sentry-admin-drain-journal/1';

export interface JournalHeader {
  t: 'header';
  format: typeof DRAIN_JOURNAL_FORMAT;
  createdAt: string;
  database: string;
  engine: Engine;
  hosts: string[];
  token: string;
  pid: number;
  replayOf?: string;
}

export type { TxRef };

export type JournalLine =
  | JournalHeader
  | { t: 'take'; id: string; host: number; key: string; fields: [string, string][] }
  | { t: 'intent'; unit: string; ids: string[]; tx: TxRef }
  | { t: 'commit'; unit: string }
  | { t: 'rebuffer'; ids: string[]; reason: string }
  | { t: 'rebuffered'; ids: string[] }
  | { t: 'resolved'; unit: string; status: 'committed' | 'aborted' }
  | { t: 'end'; at: string };

export function drainJournalPath(dir: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(resolve(dir), `drain-buffer-${stamp}-${process.pid}.jsonl`);
}

export class DrainJournal {
  private fd: number;
  private pending: string[] = [];
  bytes = 0;

  private constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  static create(path: string, header: JournalHeader): DrainJournal {
    mkdirSync(resolve(path, '..'), { recursive: true });
    const j = new DrainJournal(path);
    j.write(header);
    j.sync();
    return j;
  }

  /** Re-open an existing journal to append (replay records its outcomes in the same file). */
  static reopen(path: string): DrainJournal {
    return new DrainJournal(path);
  }

  write(line: JournalLine): void {
    this.pending.push(JSON.stringify(line) + '\n');
  }

  /** Write everything buffered and fsync: after this returns the lines survive a crash. */
  sync(): void {
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    fsyncSync(this.fd);
    this.bytes += buf.length;
  }

  close(): void {
    if (this.fd < 0) return;
    this.sync();
    closeSync(this.fd);
    this.fd = -1;
  }
}

export function encodeFields(fields: RawFields): [string, string][] {
  return fields.map(([n, v]) => [n.toString('base64'), v.toString('base64')]);
}

export function decodeFields(fields: [string, string][]): RawFields {
  return fields.map(([n, v]) => [Buffer.from(n, 'base64'), Buffer.from(v, 'base64')]);
}

export interface ReadJournal {
  header: JournalHeader;
  lines: JournalLine[];
  /** A torn final line was ignored. */
  torn: boolean;
}

export function readDrainJournal(path: string): ReadJournal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read drain journal ${path}: ${(e as Error).message}`);
  }
  const rows = text.split('\n');
  const lines: JournalLine[] = [];
  let torn = false;
  rows.forEach((row, i) => {
    if (!row) return;
    try {
      lines.push(JSON.parse(row));
    } catch {
      if (i >= rows.length - 2) torn = true;
      else throw new UsageError(`${path} line ${i + 1} is not JSON; this is not an intact drain journal`);
    }
  });
  const header = lines[0];
  if (header?.t !== 'header' || header.format !== DRAIN_JOURNAL_FORMAT) {
    throw new UsageError(`${path} is not a drain-buffer journal (expected format ${DRAIN_JOURNAL_FORMAT})`);
  }
  return { header, lines, torn };
}

export type TakeState = 'committed' | 'rebuffered' | 'pending' | 'uncertain' | 'unit-open';

export interface TakeRecord {
  id: string;
  host: number;
  key: string;
  fields: RawFields;
  state: TakeState;
  unit?: string;
  tx?: TxRef;
  why?: string;
}

/**
 * Fold the lines into one record per taken key: committed (a unit with a commit or a resolved=committed line),
 * rebuffered (confirmed), uncertain (a re-buffer that may or may not have reached Redis), unit-open (an intent
 * without a commit: replay must ask the database), or pending (taken, nothing started: replay applies it).
 */
export function foldJournal(lines: JournalLine[]): TakeRecord[] {
  const takes = new Map<string, TakeRecord>();
  const unitOf = new Map<string, { ids: string[]; tx: TxRef }>();
  const done = new Set<string>();
  const aborted = new Set<string>();
  for (const l of lines) {
    if (l.t === 'take') takes.set(l.id, { id: l.id, host: l.host, key: l.key, fields: decodeFields(l.fields), state: 'pending' });
    else if (l.t === 'intent') unitOf.set(l.unit, { ids: l.ids, tx: l.tx });
    else if (l.t === 'commit') done.add(l.unit);
    else if (l.t === 'resolved') (l.status === 'committed' ? done : aborted).add(l.unit);
  }
  for (const [unit, u] of unitOf) {
    for (const id of u.ids) {
      const r = takes.get(id);
      if (!r || r.state === 'committed') continue;
      if (done.has(unit)) r.state = 'committed';
      else if (aborted.has(unit)) r.state = 'pending';
      else Object.assign(r, { state: 'unit-open', unit, tx: u.tx });
    }
  }
  for (const l of lines) {
    if (l.t === 'rebuffer') for (const id of l.ids) { const r = takes.get(id); if (r && r.state !== 'committed') Object.assign(r, { state: 'uncertain', why: l.reason }); }
    if (l.t === 'rebuffered') for (const id of l.ids) { const r = takes.get(id); if (r && r.state !== 'committed') r.state = 'rebuffered'; }
  }
  return [...takes.values()];
}
