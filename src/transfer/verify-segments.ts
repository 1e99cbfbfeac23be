/**
 * Key spaces for `verify`: how a table is cut into segments whose count and hash each database
 * computes itself, and how a segment is cut again or listed row by row.
 *
 * - Integer primary keys (every Sentry table but one): ranges [lo, hi) of the key, read through the
 *   primary key index. The top level walks the key in spans of `segmentsPerQuery` segments (more
 *   in a big table: about 16 spans at most), one grouped query per span and side, and skips empty stretches with an index seek, so sparse or
 *   64-bit ids cost nothing extra. Bounds are BigInts; a range that would end past 2^63-1 has no
 *   upper bound in SQL (END), so keys from -2^63 to 2^63-1 are all reachable.
 * - Text primary keys (nodestore_node.id): buckets by the first hex digits of md5(key). Collations
 *   order text differently on the two engines; md5 prefixes mean the same everywhere.
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { ColumnInfo } from '../db/engine.js';
import type { HashColumn, HashDialect } from '../db/row-hash.js';
import { partHex, rowMd5 } from './row-hash.js';

export type Filter = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

/** One side of a table comparison: its database and the columns both sides share, in name order. */
export interface SideTable {
  db: Kysely<any>;
  d: HashDialect;
  table: string;
  key: ColumnInfo;
  cols: HashColumn[];
  filter: Filter | null;
}

export interface Sum {
  n: number;
  s: string;
}
export const EMPTY: Sum = { n: 0, s: '0' };

export interface Pair<S> {
  seg: S;
  a: Sum;
  b: Sum;
}

export interface KeySpace<S> {
  /**
   * Top-level segments in batches, with each side's count and hash. Each batch is a query already
   * running (boxed: an async generator would await a bare promise): the caller keeps a few in
   * flight and consumes them in order.
   */
  top(): AsyncGenerator<{ batch: Promise<Pair<S>[]> }>;
  /** The sub-segments of the given segments, or null when a segment cannot be cut further. */
  children(segs: S[]): Promise<Pair<S>[] | null>;
  /** key -> md5 of every row of these segments, per side. */
  rows(segs: S[]): Promise<[Map<string, string>, Map<string, string>]>;
  /** Order of keys in the report. */
  compareKeys(x: string, y: string): number;
  /**
   * Segments listed (or cut) per query. An integer key range is an index seek, so a few at a time; a text
   * key's md5-prefix bucket is found only by reading every key, so each query takes as many as it can.
   */
  perQuery: number;
}

export const sameSum = (x: Sum, y: Sum) => x.n === y.n && x.s === y.s;

function base(side: SideTable) {
  const q = side.db.selectFrom(side.table);
  return side.filter ? q.where(side.filter) : q;
}
const keyRef = (side: SideTable) => sql.ref(side.key.name);
const segHash = (side: SideTable) => side.d.sumText(side.d.slice60(rowMd5(side.d, side.cols)));

async function summaries(side: SideTable, bucket: Expression<unknown>, where: Expression<SqlBool> | null): Promise<Map<string, Sum>> {
  let q = base(side).select([sql`${bucket}`.as('b'), sql`COUNT(*)`.as('n'), segHash(side).as('s')]);
  if (where) q = q.where(where);
  // Positional: a repeated bucket expression would carry its own parameters on PostgreSQL.
  const rows = await q.groupBy(sql`1`).execute();
  const out = new Map<string, Sum>();
  for (const r of rows) out.set(String(r.b), { n: Number(r.n), s: String(r.s) });
  return out;
}

export async function listing(side: SideTable, where: Expression<SqlBool>): Promise<Map<string, string>> {
  const rows = await base(side)
    .select([sql`${keyRef(side)}`.as('k'), sql`${rowMd5(side.d, side.cols)}`.as('h')])
    .where(where)
    .execute();
  return new Map(rows.map((r) => [String(r.k), String(r.h)]));
}

function pairUp<S>(a: Map<string, Sum>, b: Map<string, Sum>, seg: (bucket: string) => S): Pair<S>[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].map((k) => ({ seg: seg(k), a: a.get(k) ?? EMPTY, b: b.get(k) ?? EMPTY }));
}

// ---------- integer keys ----------

export interface Range {
  lo: bigint;
  /** Exclusive; END (2^63, one past the largest int64) for a range that runs to the end. */
  hi: bigint;
}

/** Top-level queries per table and side, about, however large the table (see `top()`). */
const TOP_QUERIES = 16n;

/** One past the largest signed 64-bit key: never written into SQL (no engine can parse it). */
export const END = 2n ** 63n;

export function intKeySpace(src: SideTable, tgt: SideTable, o: { segmentRows: number; segmentsPerQuery: number; fanout: number }): KeySpace<Range> {
  const width = BigInt(Math.max(1, o.segmentRows));
  const span = width * BigInt(Math.max(1, o.segmentsPerQuery));
  const fanout = BigInt(Math.max(2, o.fanout));
  // Ranges only ever start at a key that exists (>= -2^63), and `key - lo` is computed only for
  // keys in the range, so it stays below the range's width: no overflow at either end of int64.
  const inRange = (side: SideTable, r: Range) =>
    r.hi >= END
      ? sql<SqlBool>`(${keyRef(side)} >= ${side.d.int(String(r.lo))})`
      : sql<SqlBool>`(${keyRef(side)} >= ${side.d.int(String(r.lo))} AND ${keyRef(side)} < ${side.d.int(String(r.hi))})`;
  const upTo = (x: bigint) => (x < END ? x : END);

  const minFrom = async (side: SideTable, from: bigint | null): Promise<bigint | null> => {
    let q = base(side).select(sql`MIN(${keyRef(side)})`.as('m'));
    if (from !== null) q = q.where(sql<SqlBool>`${keyRef(side)} >= ${side.d.int(String(from))}`);
    const r = await q.executeTakeFirst();
    return r?.m === null || r?.m === undefined ? null : BigInt(String(r.m));
  };
  const maxKey = async (side: SideTable): Promise<bigint | null> => {
    const m = (await base(side).select(sql`MAX(${keyRef(side)})`.as('m')).executeTakeFirst())?.m;
    return m === null || m === undefined ? null : BigInt(String(m));
  };
  const nextStart = async (from: bigint | null) => {
    if (from !== null && from >= END) return null;
    const [x, y] = await Promise.all([minFrom(src, from), minFrom(tgt, from)]);
    return x === null ? y : y === null ? x : x < y ? x : y;
  };
  const grouped = async (r: Range, w: bigint): Promise<Pair<Range>[]> => {
    const bucket = (side: SideTable) => side.d.bucket(keyRef(side), String(r.lo), String(w));
    const [a, b] = await Promise.all([src, tgt].map((s) => summaries(s, bucket(s), inRange(s, r))));
    return pairUp(a, b, (k) => {
      const lo = r.lo + BigInt(k) * w;
      const hi = lo + w < r.hi ? lo + w : r.hi;
      return { lo, hi };
    });
  };

  return {
    async *top() {
      let start = await nextStart(null);
      if (start === null) return;
      // At most about TOP_QUERIES spans: under a scope, MariaDB may drive a query from the scope's
      // groups (a join, not the key range), walking every in-scope row's index entry per query.
      const ends = (await Promise.all([maxKey(src), maxKey(tgt)])).filter((x): x is bigint => x !== null);
      const last = ends.reduce((x, y) => (x > y ? x : y), start);
      const even = (last - start + 1n + TOP_QUERIES - 1n) / TOP_QUERIES;
      const step = even > span ? ((even + width - 1n) / width) * width : span;
      while (start !== null) {
        const r = { lo: start, hi: upTo(start + step) };
        yield { batch: grouped(r, width) };
        start = await nextStart(r.hi);
      }
    },
    async children(segs) {
      const out: Pair<Range>[] = [];
      for (const r of segs) {
        if (r.hi - r.lo <= 1n) return null;
        const w = (r.hi - r.lo + fanout - 1n) / fanout;
        out.push(...(await grouped(r, w)));
      }
      return out;
    },
    async rows(segs) {
      const any = (side: SideTable) => sql<SqlBool>`(${sql.join(segs.map((r) => inRange(side, r)), sql` OR `)})`;
      return (await Promise.all([listing(src, any(src)), listing(tgt, any(tgt))])) as [Map<string, string>, Map<string, string>];
    },
    perQuery: 16,
    compareKeys: (x, y) => {
      const a = BigInt(x);
      const b = BigInt(y);
      return a < b ? -1 : a > b ? 1 : 0;
    },
  };
}

// ---------- text keys ----------

export function textKeySpace(src: SideTable, tgt: SideTable, o: { segmentRows: number; batch: number; rows?: number }): KeySpace<string> {
  const prefixIn = (side: SideTable, prefixes: string[]) =>
    sql<SqlBool>`${side.d.hexPrefix(keyRef(side), prefixes[0].length)} IN (${sql.join(prefixes)})`;
  const grouped = async (parents: string[] | null, digits: number): Promise<Pair<string>[]> => {
    const [a, b] = await Promise.all(
      [src, tgt].map((s) => summaries(s, s.d.hexPrefix(keyRef(s), digits), parents ? prefixIn(s, parents) : null)),
    );
    return pairUp(a, b, (k) => k);
  };
  const count = async (side: SideTable) => Number((await base(side).select(sql`COUNT(*)`.as('n')).executeTakeFirst())?.n ?? 0);

  return {
    async *top() {
      const n = o.rows ?? Math.max(...(await Promise.all([count(src), count(tgt)])));
      const digits = Math.min(6, Math.max(1, Math.ceil(Math.log(Math.max(1, n / o.segmentRows)) / Math.log(16))));
      const all = await grouped(null, digits);
      all.sort((x, y) => (x.seg < y.seg ? -1 : 1));
      for (let i = 0; i < all.length; i += 256) yield { batch: Promise.resolve(all.slice(i, i + 256)) };
    },
    async children(segs) {
      const digits = segs[0].length;
      if (digits >= 30) return null;
      const out: Pair<string>[] = [];
      for (let i = 0; i < segs.length; i += o.batch) out.push(...(await grouped(segs.slice(i, i + o.batch), digits + 2)));
      return out;
    },
    async rows(segs) {
      const byLen = new Map<number, string[]>();
      for (const s of segs) byLen.set(s.length, [...(byLen.get(s.length) ?? []), s]);
      const maps: [Map<string, string>, Map<string, string>] = [new Map(), new Map()];
      for (const group of byLen.values()) {
        const [a, b] = await Promise.all([listing(src, prefixIn(src, group)), listing(tgt, prefixIn(tgt, group))]);
        for (const [k, v] of a) maps[0].set(k, v);
        for (const [k, v] of b) maps[1].set(k, v);
      }
      return maps;
    },
    compareKeys: (x, y) => (x < y ? -1 : x > y ? 1 : 0),
    perQuery: o.batch,
  };
}

// ---------- rows by key ----------

/**
 * Each column's part of the canonical row, as hex of the bytes the row's md5 read, for the rows
 * with these keys: key -> hex in `side.cols` order. Compared byte for byte: no driver decoding
 * stands between what was hashed and what is compared.
 */
export async function fetchCanonical(side: SideTable, keys: string[]): Promise<Map<string, string[]>> {
  if (keys.length === 0) return new Map();
  const isInt = /^int/.test(side.key.kind);
  const list = sql.join(keys.map((k) => (isInt ? side.d.int(k) : sql`${k}`)));
  const selects = side.cols.map((c, i) => sql`${partHex(side.d, c)}`.as(`v${i}`));
  const rows = await side.db
    .selectFrom(side.table)
    .select([sql`${keyRef(side)}`.as('k'), ...selects])
    .where(sql<SqlBool>`${keyRef(side)} IN (${list})`)
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(String(r.k), side.cols.map((_, i) => String(r[`v${i}`])));
  return out;
}
