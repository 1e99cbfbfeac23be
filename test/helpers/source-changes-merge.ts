/**
 * Merging two groups, as Sentry 7.7's `tasks/merge.py` `merge_group` does (queued by
 * `EventManager._ensure_hashes_merged` when an event's hashes belong to another group, and by the
 * "merge" action of the stream): the rows of the old group move to the new one, so rows of six
 * tables change their `group_id`.
 */
import { sql } from 'kysely';
import type { Connection } from '../../src/db/connect.js';
import { deleteGroups } from './source-changes-cleanup.js';
import { type Changes, count, forSlices } from './source-changes-sql.js';

/**
 * `merge_objects`' models in its order, each with the columns that, with `group_id`, make a unique
 * key (a moved row that would break it raises IntegrityError and is deleted instead).
 */
const MOVED: [string, string[] | null][] = [
  ['sentry_grouphash', null], ['sentry_grouprulestatus', ['rule_id']], ['sentry_messagefiltervalue', ['project_id', 'key', 'value']],
  ['sentry_grouptagkey', ['project_id', 'key']], ['sentry_eventmapping', null], ['sentry_message', null],
];

/**
 * `merge_group(from, to)`: move the rows, then `to.times_seen += from.times_seen` and `from.delete()`
 * (the ORM's cascade takes what did not move: activity, bookmarks, seen markers…). Set-based: per
 * table, the clashing rows are found and deleted, the rest moved in one UPDATE.
 */
export async function mergeGroups(conn: Connection, from: string, to: string): Promise<Changes> {
  const changes: Changes = {};
  const old = await conn.db.selectFrom('sentry_groupedmessage').select('times_seen').where('id', '=', from).executeTakeFirst();
  if (!old || !(await conn.db.selectFrom('sentry_groupedmessage').select('id').where('id', '=', to).executeTakeFirst())) return changes;
  for (const [table, unique] of MOVED) {
    if (unique) {
      const same = sql.join(unique.map((c) => sql`a.${sql.ref(c)} = b.${sql.ref(c)}`), sql` AND `);
      const clash = await sql<{ id: string }>`SELECT a.id FROM ${sql.table(table)} a JOIN ${sql.table(table)} b ON b.group_id = ${to} AND ${same}
        WHERE a.group_id = ${from}`.execute(conn.db);
      await forSlices(clash.rows.map((r) => String(r.id)), async (slice) =>
        count(changes, table, 'deleted', (await conn.db.deleteFrom(table).where('id', 'in', slice).executeTakeFirst()).numDeletedRows));
    }
    const moved = await conn.db.updateTable(table).set({ group_id: to }).where('group_id', '=', from).executeTakeFirst();
    count(changes, table, 'updated', moved.numUpdatedRows);
  }
  await conn.db.updateTable('sentry_groupedmessage').set({ times_seen: sql`times_seen + ${Number(old.times_seen)}` }).where('id', '=', to).execute();
  count(changes, 'sentry_groupedmessage', 'updated', 1);
  await deleteGroups(conn, sql<boolean>`id = ${from}`, changes);
  return changes;
}
