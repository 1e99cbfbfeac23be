/**
 * The templates of new events: each group's latest event, with its node's body and the tags in it.
 * A new event of the group repeats that body (one of the seed's variants, `seed-variants.ts`) under
 * a new node id, event id and time.
 */
import type { Connection } from '../../src/db/connect.js';
import { decodeGzippedDict, decodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { PyStr, PyTuple, type PyValue } from '../../src/codec/py-value.js';
import { selectIn } from './source-changes-sql.js';

export interface Template {
  message: string;
  timeSpent: number | null;
  platform: string | null;
  body: string;
  tags: [string, string][];
}

/** The latest event of each group with its node's body and tags, for the groups that still have one. */
export async function latestEvents(conn: Connection, groups: string[]): Promise<Map<string, Template>> {
  const latest = await selectIn(groups, (slice) => conn.db.selectFrom('sentry_message').select((eb) => eb.fn.max('id').as('id'))
    .where('group_id', 'in', slice).groupBy('group_id').execute());
  const events = await selectIn(latest.map((r: any) => String(r.id)), (slice) => conn.db.selectFrom('sentry_message')
    .select(['group_id', 'message', 'data', 'time_spent', 'platform']).where('id', 'in', slice).execute());
  const nodeOf = new Map(events.map((e: any) => [decodeNodeRef(e.data), e]));
  const nodes = await selectIn([...nodeOf.keys()].filter((x): x is string => x !== null), (slice) =>
    conn.db.selectFrom('nodestore_node').select(['id', 'data']).where('id', 'in', slice).execute());
  const out = new Map<string, Template>();
  for (const node of nodes as { id: string; data: string }[]) {
    const e = nodeOf.get(node.id);
    if (!e) continue;
    out.set(String(e.group_id), {
      message: e.message, timeSpent: e.time_spent === null ? null : Number(e.time_spent), platform: e.platform, body: node.data, tags: bodyTags(node.data),
    });
  }
  return out;
}

/** The `tags` list of an event body: [(key, value), …] with every tag save() added (level, logger, server_name, release). */
export function bodyTags(body: string): [string, string][] {
  const d = decodeGzippedDict(body);
  if (!(d instanceof Map)) return [];
  const text = (v: PyValue) => (v instanceof PyStr ? v.toString() : String(v));
  const list = [...d].find(([k]) => text(k) === 'tags')?.[1];
  if (!Array.isArray(list)) return [];
  return list.filter((t): t is PyTuple => t instanceof PyTuple && t.items.length >= 2).map((t) => [text(t.items[0]), text(t.items[1])]);
}
