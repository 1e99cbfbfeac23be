/**
 * The tag counters of new events, as Sentry 7.7's buffer flushes leave them: `GroupManager.add_tags`
 * (`models/group.py`) queues `buffer.incr(TagValue, {times_seen: 1}, extra={last_seen})` and the same
 * for GroupTagValue per tag of each event; the flush (`buffer/base.py` `Buffer.process`) is a
 * `create_or_update`, and when it created the row, `receivers/core.py` `record_project_tag_count` /
 * `record_group_tag_count` add 1 to `values_seen` of the TagKey / GroupTagKey (created when missing).
 * Aggregated per row first, so each table gets one UPDATE and one INSERT per batch.
 */
import type { Connection } from '../../src/db/connect.js';
import { type Changes, type RowDelta, addToRows, count, insertRows, selectIn } from './source-changes-sql.js';

export interface TagCount {
  project: string;
  group: string;
  key: string;
  value: string;
  at: Date;
}

interface Seen {
  project: string;
  group: string;
  key: string;
  value: string;
  n: number;
  first: Date;
  last: Date;
}

const SEP = '\u0000';

function aggregate(tags: TagCount[], withGroup: boolean): Map<string, Seen> {
  const out = new Map<string, Seen>();
  for (const t of tags) {
    const k = [t.project, withGroup ? t.group : '', t.key, t.value].join(SEP);
    const s = out.get(k);
    if (!s) out.set(k, { ...t, group: withGroup ? t.group : '', n: 1, first: t.at, last: t.at });
    else {
      s.n++;
      if (t.at < s.first) s.first = t.at;
      if (t.at > s.last) s.last = t.at;
    }
  }
  return out;
}

/** Write the counters of these tag occurrences; `newGroups` have no GroupTagValue rows yet. */
export async function writeTags(conn: Connection, tags: TagCount[], newGroups: Set<string>): Promise<Changes> {
  const changes: Changes = {};
  if (!tags.length) return changes;
  const keys = [...new Set(tags.map((t) => t.key))];
  const projects = [...new Set(tags.map((t) => t.project))];

  // TagValue (sentry_filtervalue) and TagKey (sentry_filterkey).
  const values = aggregate(tags, false);
  const existing = await conn.db.selectFrom('sentry_filtervalue').select(['id', 'project_id', 'key', 'value'])
    .where('project_id', 'in', projects).where('key', 'in', keys).execute();
  const created = await upsertCounts(conn, 'sentry_filtervalue', values, existing.map((r: any) => [[r.project_id, '', r.key, r.value].join(SEP), r.id]),
    (s) => ({ key: s.key, value: s.value, project_id: s.project, times_seen: s.n, last_seen: s.last, first_seen: s.first, data: null }), changes);
  const tagKeys = await conn.db.selectFrom('sentry_filterkey').select(['id', 'project_id', 'key']).where('project_id', 'in', projects).execute();
  await addValuesSeen(conn, 'sentry_filterkey', created, (s) => [s.project, s.key].join(SEP),
    tagKeys.map((r: any) => [[r.project_id, r.key].join(SEP), r.id]),
    (s, n) => ({ project_id: s.project, key: s.key, values_seen: n, label: null, status: 0 }), changes);

  // GroupTagValue (sentry_messagefiltervalue) and GroupTagKey (sentry_grouptagkey).
  const groupValues = aggregate(tags, true);
  const oldGroups = [...new Set(tags.map((t) => t.group))].filter((g) => !newGroups.has(g));
  const existingG = await selectIn(oldGroups, (slice) => conn.db.selectFrom('sentry_messagefiltervalue')
    .select(['id', 'project_id', 'group_id', 'key', 'value']).where('group_id', 'in', slice).where('key', 'in', keys).execute());
  const createdG = await upsertCounts(conn, 'sentry_messagefiltervalue', groupValues,
    existingG.map((r: any) => [[r.project_id, r.group_id, r.key, r.value].join(SEP), r.id]),
    (s) => ({ group_id: s.group, times_seen: s.n, key: s.key, value: s.value, project_id: s.project, last_seen: s.last, first_seen: s.first }), changes);
  const groupKeys = await selectIn(oldGroups, (slice) => conn.db.selectFrom('sentry_grouptagkey').select(['id', 'project_id', 'group_id', 'key'])
    .where('group_id', 'in', slice).execute());
  await addValuesSeen(conn, 'sentry_grouptagkey', createdG, (s) => [s.project, s.group, s.key].join(SEP),
    groupKeys.map((r: any) => [[r.project_id, r.group_id, r.key].join(SEP), r.id]),
    (s, n) => ({ project_id: s.project, group_id: s.group, key: s.key, values_seen: n }), changes);
  return changes;
}

/** Add the counts to the rows that exist, insert the others; returns the rows inserted (the `created` of the flush). */
async function upsertCounts(
  conn: Connection, table: string, seen: Map<string, Seen>, existing: [string, unknown][], row: (s: Seen) => Record<string, unknown>, changes: Changes,
): Promise<Seen[]> {
  const ids = new Map(existing.map(([k, id]) => [k, String(id)]));
  const updates: RowDelta[] = [];
  const inserts: Seen[] = [];
  for (const [k, s] of seen) {
    const id = ids.get(k);
    if (id) updates.push({ id, add: [s.n], latest: s.last });
    else inserts.push(s);
  }
  count(changes, table, 'updated', await addToRows(conn, table, ['times_seen'], 'last_seen', updates));
  count(changes, table, 'inserted', await insertRows(conn, table, inserts.map(row)));
  return inserts;
}

/** `values_seen + 1` per created value on its key row, made when missing. */
async function addValuesSeen(
  conn: Connection, table: string, created: Seen[], keyOf: (s: Seen) => string, existing: [string, unknown][],
  row: (s: Seen, n: number) => Record<string, unknown>, changes: Changes,
): Promise<void> {
  const ids = new Map(existing.map(([k, id]) => [k, String(id)]));
  const perKey = new Map<string, { s: Seen; n: number }>();
  for (const s of created) {
    const k = keyOf(s);
    const c = perKey.get(k);
    if (c) c.n++;
    else perKey.set(k, { s, n: 1 });
  }
  const updates: RowDelta[] = [];
  const inserts: Record<string, unknown>[] = [];
  for (const [k, { s, n }] of perKey) {
    const id = ids.get(k);
    if (id) updates.push({ id, add: [n] });
    else inserts.push(row(s, n));
  }
  count(changes, table, 'updated', await addToRows(conn, table, ['values_seen'], null, updates));
  count(changes, table, 'inserted', await insertRows(conn, table, inserts));
}
