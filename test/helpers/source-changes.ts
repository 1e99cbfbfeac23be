/**
 * A live Sentry 7.7 source, simulated: what a running Sentry does to its tables between a `migrate`
 * and a `sync`, on either engine through a `Connection`, set-based (a few statements per table,
 * whatever the number of rows). Used by the sync tests and `npm run bench -- sync`.
 *
 * - `addEvents`: ingestion (`event_manager.py` `EventManager.save`) followed by the buffer flushes it
 *   queues (`buffer/base.py` `Buffer.process`): new events in new and existing groups, with their
 *   nodes and mappings, group counters, tag values and tag keys.
 * - `bumpCounters`: buffer flushes without a stored event (sampled events, `should_sample`).
 * - `cleanupOldest`: `sentry cleanup` (`management/commands/cleanup.py` `Command.handle`).
 * - `mergeGroups`: one group's rows moved into another (`tasks/merge.py` `merge_group`).
 * - `startWriter`: a background writer that keeps adding events until stopped.
 *
 * New rows copy the shapes of the seed's (`src/setup/seed*.ts`): each new event repeats the body of
 * its group's latest event (one of the seed's variants) under a new node id, event id and time. One
 * writer at a time: ids and times are read from the database at the start of each call.
 */
import { sql } from 'kysely';
import { encodeGzippedDict, newNodeId } from '../../src/codec/sentry-encodings.js';
import type { Connection } from '../../src/db/connect.js';
import { NodeRefEncoder } from '../../src/setup/node-ref.js';
import { Rng } from '../../src/setup/seed-random.js';
import { pyDict } from '../../src/setup/seed-tables.js';
import {
  type Changes, type RowDelta, addToRows, count, insertRows, latestEventTime, mergeChanges, rescore, score, scoreSql,
} from './source-changes-sql.js';
import { type TagCount, writeTags } from './source-changes-tags.js';
import { type Template, latestEvents } from './source-changes-templates.js';

export { type Changes, mergeChanges } from './source-changes-sql.js';
export { cleanupOldest, type Cleanup } from './source-changes-cleanup.js';
export { mergeGroups } from './source-changes-merge.js';
export { bodyTags } from './source-changes-templates.js';

export interface AddEventsOptions {
  /** Share of the new events that open new groups (default 0.05); each new group gets about two. */
  newGroupShare?: number;
  /** The new events follow the latest one, spread over this many seconds (default 3600). */
  spreadSeconds?: number;
  /** Randomness (default 1); the source's largest event id is mixed in, so successive calls differ. */
  seed?: number;
}

export interface AddedEvents {
  changes: Changes;
  /** Ids of the groups made for new events. */
  newGroups: string[];
  /** Ids of the existing groups that got events. */
  groups: string[];
  first: Date;
  last: Date;
}

interface GroupRow {
  id: string;
  project_id: string;
  times_seen: number;
  logger: string;
  level: number;
  message: string;
  view: string | null;
  platform: string | null;
}

/** Slot of a new event: an existing group (its id) or the n-th new group. */
type Target = { group: GroupRow } | { fresh: number };

/**
 * `n` new events, as `EventManager.save` stores them, with the counter updates its buffer flushes make.
 * Groups that are resolved are left out (an event there is a regression, which Sentry handles apart).
 */
export async function addEvents(conn: Connection, n: number, opts: AddEventsOptions = {}): Promise<AddedEvents> {
  const changes: Changes = {};
  const latest = await latestEventTime(conn);
  const maxId = (await conn.db.selectFrom('sentry_message').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0;
  const rng = new Rng(opts.seed ?? 1, `events-after-${maxId}`);
  const candidates: GroupRow[] = (await conn.db.selectFrom('sentry_groupedmessage')
    .select(['id', 'project_id', 'times_seen', 'logger', 'level', 'message', 'view', 'platform'])
    .where('status', '<>', 1).orderBy('id').execute()).map((g: any) => ({ ...g, id: String(g.id), project_id: String(g.project_id), times_seen: Number(g.times_seen) }));
  const nothing = { changes, newGroups: [], groups: [], first: latest, last: latest };
  if (!candidates.length || n <= 0) return nothing;

  // Where each event goes: popular groups get more (weight times_seen, as the seed's Zipf-like spread).
  const pick = weightedPicker(candidates, rng);
  const freshEvents = Math.round(n * (opts.newGroupShare ?? 0.05));
  const freshGroups = Math.ceil(freshEvents / 2);
  let freshTemplate = Array.from({ length: freshGroups }, () => pick());
  let targets: Target[] = rng.shuffle(Array.from({ length: n }, (_, i) => (i < freshEvents ? { fresh: i % freshGroups } : { group: pick() })));
  // Each picked group's latest event is the template of the new ones; a group whose events are all
  // gone (cleaned up) hands its share to another picked group.
  const picked = [...new Map([...freshTemplate, ...targets.flatMap((t) => ('group' in t ? [t.group] : []))].map((g) => [g.id, g])).values()];
  const templates = await latestEvents(conn, picked.map((g) => g.id));
  const usable = picked.filter((g) => templates.has(g.id));
  if (!usable.length) return nothing;
  const withTemplate = (g: GroupRow) => (templates.has(g.id) ? g : usable[rng.int(usable.length)]);
  freshTemplate = freshTemplate.map(withTemplate);
  targets = targets.map((t) => ('group' in t ? { group: withTemplate(t.group) } : t));
  const spread = opts.spreadSeconds ?? 3600;
  const start = Math.floor(latest.getTime() / 1000) + 1;
  const times = targets.map((_, i) => new Date((start + Math.floor((i * spread) / n)) * 1000));
  const groupOf = (t: Target) => ('group' in t ? t.group : freshTemplate[t.fresh]);

  const newGroups = await insertNewGroups(conn, freshTemplate, targets, times, templates, rng, changes);
  const ids = targets.map((t) => ('group' in t ? t.group.id : newGroups[t.fresh]));
  const projects = targets.map((t) => groupOf(t).project_id);

  // Sentry writes the EventMapping first, then the Event, whose NodeField saves the node (`db/models/fields/node.py` `get_prep_value`).
  const refs = new NodeRefEncoder();
  const events = targets.map((t, i) => {
    const tpl = templates.get(groupOf(t).id)!;
    return { eventId: uuid4(rng).toString('hex'), nodeId: newNodeId((k) => rng.bytes(k)), tpl, group: ids[i], project: projects[i], at: times[i] };
  });
  count(changes, 'sentry_eventmapping', 'inserted', await insertRows(conn, 'sentry_eventmapping',
    events.map((e) => ({ project_id: e.project, group_id: e.group, event_id: e.eventId, date_added: e.at }))));
  count(changes, 'nodestore_node', 'inserted', await insertRows(conn, 'nodestore_node', events.map((e) => ({ id: e.nodeId, data: e.tpl.body, timestamp: e.at })), 200));
  count(changes, 'sentry_message', 'inserted', await insertRows(conn, 'sentry_message', events.map((e) => ({
    message: e.tpl.message, datetime: e.at, data: refs.encode(e.nodeId), group_id: e.group, message_id: e.eventId, project_id: e.project,
    time_spent: e.tpl.timeSpent, platform: e.tpl.platform, num_comments: 0,
  }))));

  // `_process_existing_aggregate`: buffer.incr(Group, {times_seen: 1, time_spent_*}, extra={last_seen, score}).
  const deltas = new Map<string, RowDelta>();
  const made = new Set(newGroups);
  for (const e of events) {
    if (made.has(e.group)) continue;
    const d = deltas.get(e.group) ?? { id: e.group, add: [0, 0, 0], latest: e.at };
    d.add[0]++;
    if (e.tpl.timeSpent) (d.add[1] += e.tpl.timeSpent, d.add[2]++);
    if (e.at > d.latest!) d.latest = e.at;
    deltas.set(e.group, d);
  }
  const touched = [...deltas.keys()];
  count(changes, 'sentry_groupedmessage', 'updated',
    await addToRows(conn, 'sentry_groupedmessage', ['times_seen', 'time_spent_total', 'time_spent_count'], 'last_seen', [...deltas.values()]));
  await rescore(conn, touched);

  // `GroupManager.add_tags` (models/group.py): one TagValue and one GroupTagValue increment per tag of each event.
  const tags: TagCount[] = events.flatMap((e) => e.tpl.tags.map(([key, value]) => ({ project: e.project, group: e.group, key, value, at: e.at })));
  mergeChanges(changes, await writeTags(conn, tags, made));
  await releaseActivity(conn, events.map((e) => ({ project: e.project, at: e.at, version: e.tpl.tags.find(([k]) => k === 'sentry:release')?.[1] })), changes);
  return { changes, newGroups, groups: touched, first: times[0], last: times[times.length - 1] };
}

/**
 * `_save_aggregate` for events whose hashes are new: a Group (fields from the event: its template
 * group's logger, level, message, culprit), its GroupHash, the rule statuses the rule processor
 * creates (`rules/processor.py` `get_rule_status`; shaped as the seed's), and `new_groups` + 1 on the release.
 */
async function insertNewGroups(
  conn: Connection, tpl: GroupRow[], targets: Target[], times: Date[], templates: Map<string, Template>, rng: Rng, changes: Changes,
): Promise<string[]> {
  if (!tpl.length) return [];
  const seen = tpl.map(() => ({ n: 0, first: null as Date | null, last: null as Date | null, spent: 0, spentN: 0 }));
  targets.forEach((t, i) => {
    if (!('fresh' in t)) return;
    const s = seen[t.fresh];
    const spent = templates.get(tpl[t.fresh].id)!.timeSpent;
    s.n++;
    s.first ??= times[i];
    s.last = times[i];
    if (spent) (s.spent += spent, s.spentN++);
  });
  const versions = tpl.map((g) => templates.get(g.id)!.tags.find(([k]) => k === 'sentry:release')?.[1]);
  const releases = await releaseIds(conn, tpl.map((g, i) => [g.project_id, versions[i]]));
  const rows = tpl.map((g, i) => ({
    logger: g.logger, level: g.level, message: g.message, view: g.view, status: 0, times_seen: seen[i].n, last_seen: seen[i].last,
    first_seen: seen[i].first, data: null, score: score(seen[i].n, seen[i].last!), project_id: g.project_id, time_spent_total: seen[i].spent,
    time_spent_count: seen[i].spentN, resolved_at: null, active_at: seen[i].first, is_public: false, platform: g.platform, num_comments: 0,
    first_release_id: releases.get(`${g.project_id}/${versions[i]}`) ?? null,
  }));
  const ids = await conn.adapter.insertReturningIds(conn.db, 'sentry_groupedmessage', rows);
  count(changes, 'sentry_groupedmessage', 'inserted', ids.length);
  count(changes, 'sentry_grouphash', 'inserted', await insertRows(conn, 'sentry_grouphash',
    ids.map((id, i) => ({ project_id: tpl[i].project_id, hash: rng.hex(16), group_id: id }))));
  const rules = await conn.db.selectFrom('sentry_rule').select(['id', 'project_id']).where('project_id', 'in', [...new Set(tpl.map((g) => g.project_id))])
    .orderBy('id').execute();
  const statuses = ids.flatMap((id, i) => rules.filter((r: any) => String(r.project_id) === tpl[i].project_id).map((r: any, k) => ({
    project_id: tpl[i].project_id, rule_id: r.id, group_id: id, status: 0, date_added: seen[i].first, last_active: k === 0 ? seen[i].first : null,
  })));
  count(changes, 'sentry_grouprulestatus', 'inserted', await insertRows(conn, 'sentry_grouprulestatus', statuses));
  const perRelease = new Map<string, number>();
  rows.forEach((r) => r.first_release_id !== null && perRelease.set(String(r.first_release_id), (perRelease.get(String(r.first_release_id)) ?? 0) + 1));
  count(changes, 'sentry_release', 'updated', await addToRows(conn, 'sentry_release', ['new_groups'], null, [...perRelease].map(([id, k]) => ({ id, add: [k] }))));
  return ids;
}

/**
 * `EventManager.save` with a release: `Activity.objects.create(type=Activity.RELEASE, ident=release,
 * data={'version': release})` for every such event. Sentry pickles the Release instance there; the
 * rows here carry the version string, as the seed's RELEASE activity does (`seed-activity.ts`).
 */
async function releaseActivity(conn: Connection, events: { project: string; at: Date; version?: string }[], changes: Changes): Promise<void> {
  const rows = events.filter((e) => e.version).map((e) => ({
    project_id: e.project, group_id: null, event_id: null, type: 10, ident: e.version!.slice(0, 64), user_id: null, datetime: e.at,
    data: encodeGzippedDict(pyDict({ version: e.version }), { nullable: true }),
  }));
  count(changes, 'sentry_activity', 'inserted', await insertRows(conn, 'sentry_activity', rows));
}

export interface BumpOptions {
  /** Which rows: those whose `id mod round(1/fraction)` equals `seed mod` that (default seed 0). */
  seed?: number;
  /** The `last_seen` the flushed counters carry (default: the latest event's time). */
  now?: Date;
}

/**
 * Counter updates with no new stored event: Sentry samples events of busy groups
 * (`event_manager.py` `should_sample`: the event is not saved), yet `_process_existing_aggregate` and
 * `add_tags` still queue their increments, which the buffer flush applies (`buffer/base.py`
 * `Buffer.process`: `times_seen = times_seen + n`, `last_seen`, and the group's score). On about
 * `fraction` of the groups (unresolved or muted) and of the tag values (`sentry_filtervalue`,
 * `sentry_messagefiltervalue`), by 1 to 3. One UPDATE per table.
 */
export async function bumpCounters(conn: Connection, fraction: number, opts: BumpOptions = {}): Promise<Changes> {
  const changes: Changes = {};
  const m = Math.max(1, Math.round(1 / fraction));
  const picked = sql<boolean>`MOD(id, ${m}) = ${(opts.seed ?? 0) % m}`;
  const now = opts.now ?? (await latestEventTime(conn));
  const later = sql`CASE WHEN last_seen IS NULL OR last_seen < ${now} THEN ${now} ELSE last_seen END`;
  const groups = (await conn.db.updateTable('sentry_groupedmessage').set({ times_seen: sql`times_seen + 1 + MOD(id, 3)`, last_seen: later })
    .where(picked).where('status', '<>', 1).executeTakeFirst()).numUpdatedRows;
  count(changes, 'sentry_groupedmessage', 'updated', groups);
  await conn.db.updateTable('sentry_groupedmessage').set({ score: scoreSql(conn) }).where(picked).where('status', '<>', 1).execute();
  for (const t of ['sentry_filtervalue', 'sentry_messagefiltervalue']) {
    const r = await conn.db.updateTable(t).set({ times_seen: sql`times_seen + 1 + MOD(id, 3)`, last_seen: later }).where(picked).executeTakeFirst();
    count(changes, t, 'updated', r.numUpdatedRows);
  }
  return changes;
}

export interface Writer {
  /** Stop after the batch under way; the events written and their changes. Rethrows the writer's first failure. */
  stop(): Promise<{ events: number; changes: Changes }>;
}

/**
 * A Sentry that keeps receiving events: every `intervalMs` (default 200) it adds the events due at
 * `ratePerSecond` in existing groups, one batch at a time, until stopped.
 */
export function startWriter(conn: Connection, opts: { ratePerSecond: number; intervalMs?: number; seed?: number }): Writer {
  const every = opts.intervalMs ?? 200;
  const batch = Math.max(1, Math.round((opts.ratePerSecond * every) / 1000));
  const changes: Changes = {};
  let events = 0;
  let stopping = false;
  let failure: unknown = null;
  const loop = (async () => {
    while (!stopping) {
      const started = Date.now();
      try {
        const added = await addEvents(conn, batch, { newGroupShare: 0, spreadSeconds: 1, seed: opts.seed });
        mergeChanges(changes, added.changes);
        events += batch;
      } catch (err) {
        failure = err;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, every - (Date.now() - started))));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      if (failure) throw failure;
      return { events, changes };
    },
  };
}

async function releaseIds(conn: Connection, pairs: [string, string | undefined][]): Promise<Map<string, string>> {
  const wanted = pairs.filter((p): p is [string, string] => p[1] !== undefined);
  if (!wanted.length) return new Map();
  const rows = await conn.db.selectFrom('sentry_release').select(['id', 'project_id', 'version'])
    .where('project_id', 'in', [...new Set(wanted.map((p) => p[0]))]).where('version', 'in', [...new Set(wanted.map((p) => p[1]))]).execute();
  return new Map(rows.map((r: any) => [`${r.project_id}/${r.version}`, String(r.id)]));
}

function weightedPicker(groups: GroupRow[], rng: Rng): () => GroupRow {
  const cumulative: number[] = [];
  let total = 0;
  for (const g of groups) cumulative.push((total += Math.max(1, g.times_seen)));
  return () => {
    const x = rng.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return groups[lo];
  };
}

/** `uuid4()` bytes (raven clients' event ids are its hex). */
function uuid4(rng: Rng): Buffer {
  const b = rng.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return b;
}
