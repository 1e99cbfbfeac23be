/**
 * nodestore_node under a scope. A node belongs to the scope when an in-scope event of the source
 * points at it, and that pointer sits inside the event's pickled `data`
 * (base64(zlib(pickle({'node_id': id}))), docs/sentry7-schema.md §8), so no WHERE clause can pick
 * the nodes. The source's in-scope events are read once, streamed (never a sort, never a page
 * re-read from the start), their node ids decoded, and the ids gathered into batches. A batch is a segment: each database gives its count and hash of the
 * nodes with those ids in one aggregate query, and only a batch whose sums differ is listed row by
 * row. Event reads and batch hashes overlap (`parallel` batches in flight).
 */
import { type SqlBool, sql } from 'kysely';
import { decodeNodeRef } from '../codec/sentry-encodings.js';
import { openSnapshotReader } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';
import { rowMd5 } from './row-hash.js';
import { type Filter, type SideTable, type Sum, listing, sameSum } from './verify-segments.js';
import { type TableCompareResult, check, diffListings } from './verify-table.js';

export interface EventSource {
  /** The source database (its URL: the events stream on a connection of their own) and its in-scope filter for sentry_message. */
  db: SideTable['db'];
  url: DbUrl;
  filter: Filter;
}

export interface ScopedNodesOptions {
  maxDiffs: number;
  signal?: AbortSignal;
  /** Node ids per hashed batch. Default 5,000. */
  batch?: number;
  /** Batches hashed at once while the next events are read. Default 2. */
  parallel?: number;
}

export async function compareScopedNodes(src: SideTable, tgt: SideTable, events: EventSource, o: ScopedNodesOptions): Promise<TableCompareResult> {
  const res: TableCompareResult = { sourceRows: 0, targetRows: 0, diffs: [], truncated: false, segments: 0, differingSegments: 0 };
  const size = Math.max(1, o.batch ?? 5000);
  const inflight: Promise<void>[] = [];
  const compare = async (ids: string[]) => {
    const [a, b] = await Promise.all([batchSum(src, ids), batchSum(tgt, ids)]);
    res.segments++;
    res.sourceRows += a.n;
    res.targetRows += b.n;
    if (sameSum(a, b)) return;
    res.differingSegments++;
    if (res.diffs.length >= o.maxDiffs) {
      res.truncated = true;
      return;
    }
    const [x, y] = await Promise.all([listing(src, inKeys(src, ids)), listing(tgt, inKeys(tgt, ids))]);
    await diffListings(src, tgt, x, y, (p, q) => (p < q ? -1 : p > q ? 1 : 0), res, o);
  };
  try {
    let batch = new Set<string>();
    const flush = async () => {
      const job = compare([...batch]);
      job.catch(() => undefined); // awaited below; an early failure must not go unhandled
      inflight.push(job);
      batch = new Set();
      if (inflight.length >= Math.max(1, o.parallel ?? 2)) await inflight.shift();
    };
    for await (const ids of nodeIdsOfEvents(events, size, o.signal)) {
      for (const id of ids) batch.add(id);
      if (batch.size >= size) await flush();
    }
    if (batch.size) await flush();
    while (inflight.length) await inflight.shift();
  } finally {
    await Promise.allSettled(inflight);
  }
  return res;
}

const inKeys = (side: SideTable, ids: string[]) => sql<SqlBool>`${sql.ref(side.key.name)} IN (${sql.join(ids)})`;

/** Count and hash of the nodes with these ids, computed by the database. */
async function batchSum(side: SideTable, ids: string[]): Promise<Sum> {
  const r = await side.db.selectFrom(side.table)
    .select([sql`COUNT(*)`.as('n'), side.d.sumText(side.d.slice60(rowMd5(side.d, side.cols))).as('s')])
    .where(inKeys(side, ids))
    .executeTakeFirstOrThrow();
  return { n: Number(r.n), s: String(r.s) };
}

/**
 * The node ids of the in-scope source events, read in one streamed query on a connection of its
 * own. One pass whatever plan the server picks: MariaDB runs the group sub-select of a scope as a
 * join driven by the groups, so any read cut by event id (a page after the last id, or an id
 * range) would walk every in-scope event again for each cut.
 */
async function* nodeIdsOfEvents(events: EventSource, want: number, signal?: AbortSignal): AsyncGenerator<string[]> {
  const q = events.db.selectFrom('sentry_message').select('data').where(events.filter).compile();
  const reader = await openSnapshotReader(events.url);
  try {
    let ids: string[] = [];
    for await (const [data] of reader.stream(q.sql, q.parameters)) {
      const node = nodeRef(data);
      if (node !== null) ids.push(node);
      if (ids.length >= want) {
        check(signal);
        yield ids;
        ids = [];
      }
    }
    if (ids.length) yield ids;
  } finally {
    await reader.close();
  }
}

/** Legacy inline event data or a damaged pickle points at no node (the export skips it too). */
function nodeRef(text: unknown): string | null {
  try {
    return decodeNodeRef(typeof text === 'string' ? text : null);
  } catch {
    return null;
  }
}
