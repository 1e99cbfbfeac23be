/**
 * nodestore_node under a scope. A node belongs to a side's scope when an in-scope event of that
 * side points at it, and that pointer sits inside the event's pickled `data`
 * (base64(zlib(pickle({'node_id': id}))), docs/sentry7-schema.md §8), so no WHERE clause can pick
 * the nodes. Each side reads its own in-scope events once, streamed (never a sort, never a page
 * re-read from the start), decodes their node ids and loads them into a temporary table on a
 * connection it keeps for the whole comparison (src/db/temp-keys.ts). Then nodestore_node is
 * compared exactly as an unscoped text-key table is (md5-prefix buckets, narrowed where they
 * differ: verify-segments.ts), each side's rows being those whose id is in its own table of keys.
 * Nothing of one side decides what is read on the other: a node an event points at that is gone
 * from its side's nodestore, or differs there, is a difference like any other row.
 */
import { type Kysely, type SqlBool, sql } from 'kysely';
import { decodeNodeRef } from '../codec/sentry-encodings.js';
import { adapterFor, openSnapshotReader } from '../db/connect.js';
import { type TempKeys, tempKeys } from '../db/temp-keys.js';
import type { DbUrl, Engine } from '../db/url.js';
import type { Filter, SideTable } from './verify-segments.js';
import { type TableCompareOptions, type TableCompareResult, check, compareTable } from './verify-table.js';

export interface EventSource {
  /** A database (its URL: the events stream on a connection of their own) and its in-scope filter for sentry_message. */
  db: SideTable['db'];
  url: DbUrl;
  filter: Filter;
}

export interface ScopedNodesSide {
  engine: Engine;
  /** The side's nodestore_node; a connection of its pool is kept for the whole comparison. */
  table: SideTable;
  /** That side's own in-scope events; null when it has no sentry_message (then no node is in its scope). */
  events: EventSource | null;
}

export interface ScopedNodesOptions extends TableCompareOptions {
  /** Node ids sent to the database per statement. Default 20,000. */
  batch?: number;
}

/** Session-private: one name serves every comparison, each on its own connection. */
const KEYS_TABLE = 'sa_verify_scope_nodes';

export async function compareScopedNodes(src: ScopedNodesSide, tgt: ScopedNodesSide, o: ScopedNodesOptions): Promise<TableCompareResult> {
  return src.table.db.connection().execute((da) => tgt.table.db.connection().execute(async (db) => {
    const [ka, kb] = [keysFor(src), keysFor(tgt)];
    try {
      const [na, nb] = await settled([loadKeys(da, src, ka, o), loadKeys(db, tgt, kb, o)]);
      // The keys loaded size the buckets: no count of the rows is read first.
      return await compareTable(onKeys(src.table, da, ka), onKeys(tgt.table, db, kb), { ...o, rows: Math.max(na, nb) });
    } finally {
      await Promise.allSettled([ka.drop(da), kb.drop(db)]);
    }
  }));
}

function keysFor(side: ScopedNodesSide): TempKeys {
  return tempKeys(side.engine, KEYS_TABLE, { table: side.table.table, column: side.table.key.name });
}

/** The side's table read on its pinned connection, narrowed to the keys loaded there. */
function onKeys(side: SideTable, db: Kysely<any>, keys: TempKeys): SideTable {
  return { ...side, db, filter: () => sql<SqlBool>`${sql.ref(side.key.name)} IN (${keys.select})` };
}

/** Every load finishes (each holds its own connection) before the first failure is thrown. */
async function settled<T>(jobs: Promise<T>[]): Promise<T[]> {
  const done = await Promise.allSettled(jobs);
  const failed = done.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return done.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * The node ids of the side's in-scope events into its table of keys, a batch at a time, the next
 * batch decoded while the last one is inserted. An id longer than the key column cannot be any
 * node's id there: it is left out (its event is compared in sentry_message).
 */
async function loadKeys(db: Kysely<any>, side: ScopedNodesSide, keys: TempKeys, o: ScopedNodesOptions): Promise<number> {
  await keys.create(db);
  let count = 0;
  if (side.events) {
    const max = side.table.key.maxLength;
    let inserting: Promise<void> = Promise.resolve();
    try {
      for await (const ids of nodeIdsOfEvents(db, side.events, Math.max(1, o.batch ?? 20_000), o.signal)) {
        await inserting;
        const fit = max === null ? ids : ids.filter((id) => id.length <= max);
        count += fit.length;
        inserting = keys.add(db, fit);
        inserting.catch(() => undefined); // awaited on the next batch or below
      }
    } finally {
      await inserting.catch(() => undefined);
    }
    await inserting;
  }
  await keys.ready(db);
  return count;
}

/**
 * The node ids of a side's in-scope events, read in one streamed query on a connection of its own,
 * in batches of distinct ids. One pass whatever plan the server picks: MariaDB runs the group
 * sub-select of a scope as a join driven by the groups, so any read cut by event id (a page after
 * the last id, or an id range) would walk every in-scope event again for each cut. Where the server
 * can read a node id out of `data` itself (MySQL/MariaDB: src/db/mysql/node-refs.ts), it sends the id
 * and only the values it could not read are sent whole and decoded here.
 */
async function* nodeIdsOfEvents(pinned: Kysely<any>, events: EventSource, want: number, signal?: AbortSignal): AsyncGenerator<string[]> {
  const q = (await eventsQuery(pinned, events)).compile();
  const reader = await openSnapshotReader(events.url);
  try {
    let ids = new Set<string>();
    for await (const [id, data] of reader.stream(q.sql, q.parameters)) {
      const node = id === null || id === undefined ? nodeRef(data) : String(id);
      if (node !== null) ids.add(node);
      if (ids.size >= want) {
        check(signal);
        yield [...ids];
        ids = new Set();
      }
    }
    if (ids.size) yield [...ids];
  } finally {
    await reader.close();
  }
}

/**
 * `(node id read by the server or NULL, data when the server read none)` of each in-scope event. The server
 * is asked whether it can on the side's pinned connection: a snapshot session may have no other.
 */
async function eventsQuery(pinned: Kysely<any>, events: EventSource) {
  const data = sql.ref('data');
  const refs = (await adapterFor(events.url.engine)).nodeRefs;
  const base = events.db.selectFrom('sentry_message').where(events.filter);
  if (!refs || !(await refs.probe(pinned))) return base.select([sql<null>`NULL`.as('node'), data.as('data')]);
  const node = refs.select(data);
  return base.select([node.as('node'), sql<string | null>`CASE WHEN ${node} IS NULL THEN ${data} END`.as('data')]);
}

/** Legacy inline event data or a damaged pickle points at no node (the export skips it too). */
function nodeRef(text: unknown): string | null {
  try {
    return decodeNodeRef(typeof text === 'string' ? text : null);
  } catch {
    return null;
  }
}
