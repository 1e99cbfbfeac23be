/**
 * nodestore_node under a scope. A node belongs to the scope when an in-scope event of the source
 * points at it, and that pointer sits inside the event's pickled `data`
 * (base64(zlib(pickle({'node_id': id})))), so no WHERE clause can pick the nodes. Walk the
 * source's in-scope events in key order, a page at a time, decode their node ids, and compare
 * exactly those nodes on both sides (the same key set on both, as the export carries them).
 */
import { type SqlBool, sql } from 'kysely';
import { decodeNodeRef } from '../codec/sentry-encodings.js';
import type { Filter, SideTable } from './verify-segments.js';
import { listing } from './verify-segments.js';
import { type TableCompareResult, check, diffListings } from './verify-table.js';

export interface EventSource {
  /** The source database and its in-scope filter for sentry_message. */
  db: SideTable['db'];
  d: SideTable['d'];
  filter: Filter;
}

export async function compareScopedNodes(
  src: SideTable, tgt: SideTable, events: EventSource, o: { maxDiffs: number; signal?: AbortSignal; page?: number },
): Promise<TableCompareResult> {
  const res: TableCompareResult = { sourceRows: 0, targetRows: 0, diffs: [], truncated: false, segments: 0, differingSegments: 0 };
  const page = o.page ?? 2000;
  const inKeys = (side: SideTable, ids: string[]) => sql<SqlBool>`${sql.ref(side.key.name)} IN (${sql.join(ids)})`;
  let last: string | null = null;
  for (;;) {
    check(o.signal);
    let q = events.db.selectFrom('sentry_message').select(['id', 'data']).where(events.filter);
    if (last !== null) q = q.where(sql<SqlBool>`id > ${events.d.int(last)}`);
    const rows = await q.orderBy('id').limit(page).execute();
    if (rows.length === 0) break;
    last = String(rows[rows.length - 1].id);
    const ids = [...new Set(rows.map((r) => nodeRef(r.data)).filter((x): x is string => x !== null))];
    if (ids.length === 0) continue;
    const [a, b] = await Promise.all([listing(src, inKeys(src, ids)), listing(tgt, inKeys(tgt, ids))]);
    res.segments++;
    res.sourceRows += a.size;
    res.targetRows += b.size;
    if (a.size === b.size && [...a].every(([k, h]) => b.get(k) === h)) continue;
    res.differingSegments++;
    if (res.diffs.length >= o.maxDiffs) res.truncated = true;
    else await diffListings(src, tgt, a, b, (x, y) => (x < y ? -1 : x > y ? 1 : 0), res, o);
  }
  return res;
}

/** Legacy inline event data or a damaged pickle points at no node (the export skips it too). */
function nodeRef(text: unknown): string | null {
  try {
    return decodeNodeRef(typeof text === 'string' ? text : null);
  } catch {
    return null;
  }
}
