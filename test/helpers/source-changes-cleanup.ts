/**
 * `sentry cleanup` of Sentry 7.7 (`management/commands/cleanup.py` `Command.handle`), with its
 * `--days` chosen so that the oldest `fraction` of the events fall at or before the cutoff. In its
 * order: LostPasswordHash (48 hours), the nodestore (`nodestore/django/backend.py`
 * `DjangoNodeStorage.cleanup`: `timestamp <= cutoff`), the BULK_DELETES (GroupRuleStatus by
 * date_added, GroupTagValue by last_seen, Activity by datetime, TagValue by last_seen, Alert by
 * datetime), the GENERIC_DELETES (Event by datetime, then Group by last_seen, through the ORM, so
 * with Django's cascade to every row that references them), and EventMapping by date_added.
 *
 * `bulk_delete` is raw SQL with `<` on PostgreSQL (`_postgres_bulk_speed_delete`) and the ORM's
 * `__lte` (`<=`) elsewhere (`generic_delete`); both are kept as they are.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Connection } from '../../src/db/connect.js';
import { decodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { type Changes, count, forSlices, latestEventTime } from './source-changes-sql.js';

export interface Cleanup {
  changes: Changes;
  /** The cutoff cleanup ran with (null: too few events to delete any). */
  cutoff: Date | null;
}

export interface CleanupOptions {
  /** Sentry's `timezone.now()` (default: the latest event's time). */
  now?: Date;
  /**
   * Cleanup keeps EventMappings `min(days, 7)` days. The seed keeps one per event over its whole
   * 30-day window, where a Sentry that runs cleanup daily holds only the last 7 days; so by default
   * the mappings go with the same cutoff as the events (the slice a daily run removes in that steady
   * state). Give 7 for cleanup's own rule applied to the seeded data (most mappings go at once).
   */
  mappingRetentionDays?: number;
}

/** Children of a Group that Django's deletion collector removes with it (every foreign key to sentry_groupedmessage). */
const GROUP_CHILDREN = [
  'sentry_activity', 'sentry_messagefiltervalue', 'sentry_groupmeta', 'sentry_groupbookmark', 'sentry_grouptagkey', 'sentry_eventmapping',
  'sentry_groupseen', 'sentry_grouprulestatus', 'sentry_groupasignee', 'sentry_grouphash', 'sentry_userreport', 'sentry_alertrelatedgroup',
];

export async function cleanupOldest(conn: Connection, fraction: number, opts: CleanupOptions = {}): Promise<Cleanup> {
  const changes: Changes = {};
  const total = Number((await conn.db.selectFrom('sentry_message').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const k = Math.floor(total * fraction);
  if (k < 1) return { changes, cutoff: null };
  const edge = await conn.db.selectFrom('sentry_message').select('datetime').orderBy('datetime').orderBy('id').limit(1).offset(k - 1).executeTakeFirst();
  const cutoff = new Date(edge!.datetime as Date);
  const now = opts.now ?? (await latestEventTime(conn));
  const bulk = conn.engine === 'postgres' ? '<' : '<=';
  const del = (table: string, q: Deletion) => tally(changes, table, q);

  await del('sentry_lostpasswordhash', conn.db.deleteFrom('sentry_lostpasswordhash').where('date_added', '<=', new Date(now.getTime() - 48 * 3600_000)));
  await del('nodestore_node', conn.db.deleteFrom('nodestore_node').where('timestamp', '<=', cutoff));
  await del('sentry_grouprulestatus', conn.db.deleteFrom('sentry_grouprulestatus').where('date_added', bulk, cutoff));
  await del('sentry_messagefiltervalue', conn.db.deleteFrom('sentry_messagefiltervalue').where('last_seen', bulk, cutoff));
  await del('sentry_activity', conn.db.deleteFrom('sentry_activity').where('datetime', bulk, cutoff));
  await del('sentry_filtervalue', conn.db.deleteFrom('sentry_filtervalue').where('last_seen', bulk, cutoff));
  if (conn.engine === 'mysql') {
    // generic_delete: the ORM deletes an Alert's AlertRelatedGroups with it.
    const alerts = conn.db.selectFrom('sentry_alert').select('id').where('datetime', '<=', cutoff);
    await del('sentry_alertrelatedgroup', conn.db.deleteFrom('sentry_alertrelatedgroup').where('alert_id', 'in', alerts));
  }
  await del('sentry_alert', conn.db.deleteFrom('sentry_alert').where('datetime', bulk, cutoff));

  await deleteEvents(conn, sql`datetime <= ${cutoff}`, changes);
  await deleteGroups(conn, sql<boolean>`last_seen <= ${cutoff}`, changes);

  const days = (now.getTime() - cutoff.getTime()) / 86400_000;
  const mappingCutoff = opts.mappingRetentionDays === undefined ? cutoff : new Date(now.getTime() - Math.min(days, opts.mappingRetentionDays) * 86400_000);
  await del('sentry_eventmapping', conn.db.deleteFrom('sentry_eventmapping').where('date_added', bulk, mappingCutoff));
  return { changes, cutoff };
}

/**
 * Groups deleted through the ORM (`Group.delete()`): Django's collector first deletes every row that
 * references them (their events with those events' own dependents, alerts, and GROUP_CHILDREN), then
 * the groups. `which` selects the groups (a condition on sentry_groupedmessage).
 */
export async function deleteGroups(conn: Connection, which: RawBuilder<boolean>, changes: Changes): Promise<void> {
  const groups = () => conn.db.selectFrom('sentry_groupedmessage').select('id').where(which);
  const del = (table: string, q: Deletion) => tally(changes, table, q);
  await deleteEvents(conn, sql`group_id IN (${groups()})`, changes);
  const alerts = conn.db.selectFrom('sentry_alert').select('id').where('group_id', 'in', groups());
  await del('sentry_alertrelatedgroup', conn.db.deleteFrom('sentry_alertrelatedgroup').where('alert_id', 'in', alerts));
  await del('sentry_alert', conn.db.deleteFrom('sentry_alert').where('group_id', 'in', groups()));
  for (const t of GROUP_CHILDREN) await del(t, conn.db.deleteFrom(t).where('group_id', 'in', groups()));
  await del('sentry_groupedmessage', conn.db.deleteFrom('sentry_groupedmessage').where(which));
}

/**
 * Events deleted through the ORM: Django first deletes what references them (Activity.event), then the
 * events; `NodeField.on_delete` (`db/models/fields/node.py`) deletes each one's node.
 */
async function deleteEvents(conn: Connection, where: RawBuilder<unknown>, changes: Changes): Promise<void> {
  const events = await conn.db.selectFrom('sentry_message').select(['id', 'data']).where(where as RawBuilder<boolean>).execute();
  if (!events.length) return;
  const ids = events.map((e: any) => String(e.id));
  const nodes = events.map((e: any) => decodeNodeRef(e.data)).filter((n): n is string => n !== null);
  const byIds = (table: string, column: string, values: string[]) =>
    forSlices(values, (slice) => tally(changes, table, conn.db.deleteFrom(table).where(column, 'in', slice)));
  await byIds('sentry_activity', 'event_id', ids);
  await byIds('sentry_message', 'id', ids);
  await byIds('nodestore_node', 'id', nodes);
}

type Deletion = { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> };

async function tally(changes: Changes, table: string, q: Deletion): Promise<void> {
  count(changes, table, 'deleted', (await q.executeTakeFirst()).numDeletedRows);
}
