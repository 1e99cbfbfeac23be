/**
 * Compare one table on two databases: segment hashes first, then only the differing segments are
 * cut (bisected) until they are small enough to list as (key, row md5) pairs, and only the rows
 * whose md5 differs are fetched, column by column, to name what changed.
 */
import { sql } from 'kysely';
import { RuntimeFailure } from '../errors.js';
import { partValue, rowMd5 } from './row-hash.js';
import {
  type KeySpace, type Pair, type SideTable, type Sum, fetchCanonical, intKeySpace, sameSum, textKeySpace,
} from './verify-segments.js';

export type DiffKind = 'missing' | 'extra' | 'changed';

/** One differing row. `missing`: in the source only; `extra`: in the target only. */
export interface RowDiff {
  kind: DiffKind;
  key: Record<string, string>;
  /** For `changed`: the columns whose canonical bytes differ (empty: the row changed while read). */
  columns?: string[];
  /** For `changed`: short previews [source, target] of each differing column (secrets hidden). */
  values?: Record<string, [string | null, string | null]>;
}

export interface TableCompareOptions {
  maxDiffs: number;
  segmentRows: number;
  segmentsPerQuery: number;
  /** Largest segment listed row by row; bigger differing segments are cut into `fanout` parts. */
  leafRows: number;
  fanout: number;
  /** Top-level segment queries kept running at once, per side. */
  parallel: number;
  /** Rows in scope on the larger side, when already known (text keys: sizes the buckets without a count). */
  rows?: number;
  signal?: AbortSignal;
}

export interface TableCompareResult {
  sourceRows: number;
  targetRows: number;
  diffs: RowDiff[];
  /** More differences exist than were listed (maxDiffs reached). */
  truncated: boolean;
  /** Segments compared at the top level, and how many of them differed. */
  segments: number;
  differingSegments: number;
  /** Set when rows could not be named (no single-column key): the table was compared as a whole. */
  note?: string;
}

export async function compareTable(src: SideTable, tgt: SideTable, o: TableCompareOptions): Promise<TableCompareResult> {
  const res: TableCompareResult = { sourceRows: 0, targetRows: 0, diffs: [], truncated: false, segments: 0, differingSegments: 0 };
  if (/^int/.test(src.key.kind) && /^int/.test(tgt.key.kind)) {
    await walk(intKeySpace(src, tgt, o), src, tgt, o, res);
  } else if (isText(src.key.kind) && isText(tgt.key.kind)) {
    await walk(textKeySpace(src, tgt, { segmentRows: o.segmentRows, batch: 4096, rows: o.rows }), src, tgt, o, res);
  } else {
    throw new Error(`${src.table}: key ${src.key.name} is ${src.key.kind} on one side and ${tgt.key.kind} on the other`);
  }
  return res;
}

const isText = (k: string) => k === 'varchar' || k === 'text';

/** A table without a usable single-column key: one count and hash for the whole (scoped) table. */
export async function compareWhole(src: Omit<SideTable, 'key'>, tgt: Omit<SideTable, 'key'>): Promise<TableCompareResult> {
  const one = async (s: Omit<SideTable, 'key'>): Promise<Sum> => {
    let q = s.db.selectFrom(s.table).select([sql`COUNT(*)`.as('n'), s.d.sumText(s.d.slice60(rowMd5(s.d, s.cols))).as('s')]);
    if (s.filter) q = q.where(s.filter);
    const r = await q.executeTakeFirstOrThrow();
    return { n: Number(r.n), s: String(r.s) };
  };
  const [a, b] = await Promise.all([one(src), one(tgt)]);
  const same = sameSum(a, b);
  return {
    sourceRows: a.n, targetRows: b.n, diffs: [], truncated: !same, segments: 1, differingSegments: same ? 0 : 1,
    note: 'no single-column primary key: compared as a whole, differing rows not named',
  };
}

async function walk<S>(space: KeySpace<S>, src: SideTable, tgt: SideTable, o: TableCompareOptions, res: TableCompareResult) {
  const narrow = async (pairs: Pair<S>[]): Promise<void> => {
    const leaves: S[] = [];
    const inner: S[] = [];
    for (const p of pairs) (Math.max(p.a.n, p.b.n) <= o.leafRows ? leaves : inner).push(p.seg);
    for (let i = 0; i < leaves.length && !full(); i += space.perQuery) await listRows(leaves.slice(i, i + space.perQuery));
    const cut = space.perQuery > 16 ? space.perQuery : 8;
    for (let i = 0; i < inner.length && !full(); i += cut) {
      check(o.signal);
      const part = inner.slice(i, i + cut);
      const kids = await space.children(part);
      if (kids === null) await listRows(part);
      else await narrow(kids.filter((k) => !sameSum(k.a, k.b)));
    }
    if (full() && (leaves.length || inner.length)) res.truncated = true;
  };

  const listRows = async (segs: S[]) => {
    check(o.signal);
    const [a, b] = await space.rows(segs);
    await diffListings(src, tgt, a, b, space.compareKeys, res, o);
  };
  const full = () => res.diffs.length >= o.maxDiffs;

  const consume = async (batch: Pair<S>[]) => {
    check(o.signal);
    res.segments += batch.length;
    for (const p of batch) {
      res.sourceRows += p.a.n;
      res.targetRows += p.b.n;
    }
    const differing = batch.filter((p) => !sameSum(p.a, p.b));
    res.differingSegments += differing.length;
    if (differing.length) {
      if (full()) res.truncated = true;
      else await narrow(differing);
    }
  };
  // Keep `parallel` top-level queries running while the oldest is consumed (and maybe narrowed).
  const inflight: Promise<Pair<S>[]>[] = [];
  try {
    for await (const { batch: job } of space.top()) {
      job.catch(() => undefined); // awaited below; do not let an early failure go unhandled
      inflight.push(job);
      if (inflight.length >= o.parallel) await consume(await inflight.shift()!);
    }
    while (inflight.length) await consume(await inflight.shift()!);
  } finally {
    await Promise.allSettled(inflight);
  }
}

/**
 * Turn two (key -> row md5) listings into differences: keys on one side only are missing or extra
 * rows; keys whose md5 differs are read again column by column to name what changed.
 */
export async function diffListings(
  src: SideTable, tgt: SideTable, a: Map<string, string>, b: Map<string, string>,
  compareKeys: (x: string, y: string) => number, res: TableCompareResult, o: { maxDiffs: number },
): Promise<void> {
  const full = () => res.diffs.length >= o.maxDiffs;
  const push = (d: RowDiff) => {
    if (full()) res.truncated = true;
    else res.diffs.push(d);
  };
  const key = (k: string) => ({ [src.key.name]: k });
  const changed: string[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort(compareKeys)) {
    const x = a.get(k);
    const y = b.get(k);
    if (x === y) continue;
    if (x === undefined) push({ kind: 'extra', key: key(k) });
    else if (y === undefined) push({ kind: 'missing', key: key(k) });
    else changed.push(k);
  }
  for (let i = 0; i < changed.length; i += 200) {
    if (full()) {
      res.truncated = true;
      break;
    }
    const keys = changed.slice(i, i + 200);
    const [va, vb] = await Promise.all([fetchCanonical(src, keys), fetchCanonical(tgt, keys)]);
    for (const k of keys) {
      const x = va.get(k);
      const y = vb.get(k);
      // Gone or appeared between the listing and this read (a live database): report as seen now.
      if (!x || !y) {
        if (x || y) push({ kind: x ? 'missing' : 'extra', key: key(k) });
        continue;
      }
      const columns: string[] = [];
      const values: Record<string, [string | null, string | null]> = {};
      let forgiven = false;
      src.cols.forEach((c, i) => {
        if (x[i] === y[i]) return;
        const [vx, vy] = [partValue(c, x[i]), partValue(tgt.cols[i], y[i])];
        if ((c.col.kind === 'inet' || tgt.cols[i].col.kind === 'inet') && sameAddress(vx, vy)) {
          forgiven = true;
          return;
        }
        columns.push(c.col.name);
        values[c.col.name] = [preview(c.col.name, vx), preview(c.col.name, vy)];
      });
      // Every part read back equal yet the md5s differed: the row changed between the two reads.
      // Report it rather than drop it (nothing is called equal that was not seen equal).
      if (columns.length === 0 && !forgiven) push({ kind: 'changed', key: key(k), columns: [] });
      else if (columns.length) push({ kind: 'changed', key: key(k), columns, values });
    }
  }
}

export function check(signal?: AbortSignal) {
  if (signal?.aborted) throw new RuntimeFailure('verify interrupted before it finished', 'nothing was written; run verify again');
}

/** Addresses compare as addresses (PostgreSQL writes IPv6 compressed, MySQL keeps the text). */
export function sameAddress(x: string | null, y: string | null): boolean {
  if (x === null || y === null) return x === y;
  return canonicalAddress(x) === canonicalAddress(y);
}

export function canonicalAddress(text: string): string {
  const t = text.trim();
  if (!t.includes(':')) return t;
  try {
    return new URL(`http://[${t}]/`).hostname;
  } catch {
    return t.toLowerCase();
  }
}

const SECRET = /password|secret|token|key$|^key|hash/i;

/** A value short enough for a report line; secrets never leave the database. */
export function preview(column: string, v: string | null): string | null {
  if (v === null) return null;
  if (SECRET.test(column)) return `(hidden, ${Buffer.byteLength(v)} bytes)`;
  return v.length > 60 ? `${v.slice(0, 57)}… (${Buffer.byteLength(v)} bytes)` : v;
}
