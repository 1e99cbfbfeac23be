/**
 * The live-source simulator (test/helpers/source-changes.ts) on real MariaDB and PostgreSQL, on a
 * small seeded Sentry: after each function, the rows changed are the ones Sentry 7.7 would change,
 * and every reference still holds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { decodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { type Connection, connect } from '../../src/db/connect.js';
import { seed } from '../../src/setup/seed.js';
import { sentryDatabase } from '../helpers/fixtures.js';
import { ENGINES, type TempDatabase } from '../helpers/servers.js';
import { addEvents, bodyTags, bumpCounters, cleanupOldest, mergeGroups, startWriter } from '../helpers/source-changes.js';

async function one(conn: Connection, query: ReturnType<typeof sql>): Promise<number> {
  const r = await query.execute(conn.db);
  return Number(Object.values(r.rows[0] as object)[0] ?? 0);
}

const rowsOf = (conn: Connection, t: string) => one(conn, sql`SELECT COUNT(*) FROM ${sql.table(t)}`);
const sumOf = (conn: Connection, t: string, c: string) => one(conn, sql`SELECT COALESCE(SUM(${sql.ref(c)}), 0) FROM ${sql.table(t)}`);

/** Rows of `table` whose `column` points at no row of `parent` (the database may not check: MySQL schemas drift). */
const orphans = (conn: Connection, table: string, column: string, parent: string) =>
  one(conn, sql`SELECT COUNT(*) FROM ${sql.table(table)} c WHERE c.${sql.ref(column)} IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM ${sql.table(parent)} p WHERE p.id = c.${sql.ref(column)})`);

const sources = new Map<string, { db: TempDatabase; conn: Connection }>();

// Both engines seeded at once (most of this file's time).
before(async () => {
  await Promise.all(ENGINES.map(async (engine) => {
    const db = await sentryDatabase(engine, { prefix: 'sa_src' });
    sources.set(engine, { db, conn: await connect(db.url, { poolSize: 2 }) });
    await seed(db.url, { events: 1000, seed: 5 });
  }));
});
after(async () => {
  for (const s of sources.values()) {
    await s.conn.close();
    await s.db.drop();
  }
});

for (const engine of ENGINES) {
  describe(`source changes on ${engine}`, () => {
    let conn: Connection;
    before(() => {
      conn = sources.get(engine)!.conn;
    });

    it('addEvents stores events with their nodes, mappings, groups and tag counters', async () => {
      const table = (t: string) => rowsOf(conn, t);
      const before = {
        events: await table('sentry_message'), nodes: await table('nodestore_node'), mappings: await table('sentry_eventmapping'),
        groups: await table('sentry_groupedmessage'), seen: await sumOf(conn, 'sentry_groupedmessage', 'times_seen'),
        tagSeen: await sumOf(conn, 'sentry_filtervalue', 'times_seen'), groupTagSeen: await sumOf(conn, 'sentry_messagefiltervalue', 'times_seen'),
        keysSeen: await sumOf(conn, 'sentry_filterkey', 'values_seen'), groupKeysSeen: await sumOf(conn, 'sentry_grouptagkey', 'values_seen'),
        maxId: await one(conn, sql`SELECT MAX(id) FROM sentry_message`), releaseActivity: await one(conn, sql`SELECT COUNT(*) FROM sentry_activity WHERE type = 10`),
      };
      const added = await addEvents(conn, 60, { newGroupShare: 0.1, seed: 2 });
      assert.equal(added.newGroups.length, 3);
      assert.equal(await table('sentry_message'), before.events + 60);
      assert.equal(await table('nodestore_node'), before.nodes + 60);
      assert.equal(await table('sentry_eventmapping'), before.mappings + 60);
      assert.equal(await table('sentry_groupedmessage'), before.groups + 3);
      assert.equal(await sumOf(conn, 'sentry_groupedmessage', 'times_seen'), before.seen + 60, 'one times_seen per event');

      const events = await conn.db.selectFrom('sentry_message').selectAll().where('id', '>', before.maxId).orderBy('id').execute();
      assert.equal(events.length, 60, 'ids above the largest');
      let tags = 0;
      let releases = 0;
      for (const e of events) {
        const node = await conn.db.selectFrom('nodestore_node').selectAll().where('id', '=', decodeNodeRef(e.data)!).executeTakeFirstOrThrow();
        assert.equal(new Date(node.timestamp).getTime(), new Date(e.datetime).getTime());
        const t = bodyTags(node.data);
        tags += t.length;
        if (t.some(([k]) => k === 'sentry:release')) releases++;
        const m = await conn.db.selectFrom('sentry_eventmapping').selectAll().where('event_id', '=', e.message_id).executeTakeFirstOrThrow();
        assert.deepEqual([String(m.group_id), String(m.project_id)], [String(e.group_id), String(e.project_id)]);
      }
      assert.ok(tags > 60);
      assert.equal(await sumOf(conn, 'sentry_filtervalue', 'times_seen'), before.tagSeen + tags, 'one TagValue increment per tag');
      assert.equal(await sumOf(conn, 'sentry_messagefiltervalue', 'times_seen'), before.groupTagSeen + tags, 'one GroupTagValue increment per tag');
      assert.equal(await sumOf(conn, 'sentry_filterkey', 'values_seen'), before.keysSeen + (added.changes.sentry_filtervalue?.inserted ?? 0));
      assert.equal(await sumOf(conn, 'sentry_grouptagkey', 'values_seen'), before.groupKeysSeen + added.changes.sentry_messagefiltervalue.inserted);
      assert.equal(await one(conn, sql`SELECT COUNT(*) FROM sentry_activity WHERE type = 10`), before.releaseActivity + releases);

      // Groups: counters, last_seen and score agree with their events; new groups have their hash and rule statuses.
      for (const id of [...added.groups, ...added.newGroups]) {
        const g = await conn.db.selectFrom('sentry_groupedmessage').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        const last = await conn.db.selectFrom('sentry_message').select((eb) => eb.fn.max('datetime').as('t')).where('group_id', '=', id).executeTakeFirstOrThrow();
        assert.equal(new Date(g.last_seen).getTime(), new Date(last.t as Date).getTime(), `group ${id} last_seen`);
        assert.equal(Number(g.score), Math.trunc(Math.log(Number(g.times_seen)) * 600 + new Date(g.last_seen).getTime() / 1000), `group ${id} score`);
      }
      for (const id of added.newGroups) {
        assert.equal(await one(conn, sql`SELECT COUNT(*) FROM sentry_grouphash WHERE group_id = ${id}`), 1);
        assert.equal(await one(conn, sql`SELECT times_seen FROM sentry_groupedmessage WHERE id = ${id}`),
          await one(conn, sql`SELECT COUNT(*) FROM sentry_message WHERE group_id = ${id}`));
        assert.ok((await one(conn, sql`SELECT COUNT(*) FROM sentry_grouptagkey WHERE group_id = ${id}`)) > 0);
        assert.ok((await one(conn, sql`SELECT COUNT(*) FROM sentry_grouprulestatus WHERE group_id = ${id}`)) > 0);
      }
    });

    it('bumpCounters adds to the counters of about `fraction` of the groups and tag values, nothing else', async () => {
      const groups = async () => new Map((await conn.db.selectFrom('sentry_groupedmessage').select(['id', 'times_seen', 'status']).execute())
        .map((g: any) => [Number(g.id), g]));
      const was = await groups();
      const tagSeen = await sumOf(conn, 'sentry_filtervalue', 'times_seen');
      const changes = await bumpCounters(conn, 0.1, { seed: 3 });
      const now = await groups();
      let picked = 0;
      for (const [id, g] of was) {
        const bumped = id % 10 === 3 && g.status !== 1;
        if (bumped) picked++;
        assert.equal(Number(now.get(id).times_seen) - Number(g.times_seen), bumped ? 1 + (id % 3) : 0, `group ${id}`);
      }
      assert.equal(changes.sentry_groupedmessage.updated, picked);
      assert.ok(picked > 0);
      assert.ok(changes.sentry_filtervalue.updated > 0 && changes.sentry_messagefiltervalue.updated > 0);
      assert.ok((await sumOf(conn, 'sentry_filtervalue', 'times_seen')) > tagSeen);
    });

    it('mergeGroups moves the rows of one group into another and deletes it, as merge_group does', async () => {
      const pair = await one(conn, sql`SELECT MIN(project_id) FROM sentry_groupedmessage GROUP BY project_id HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC LIMIT 1`);
      const [to, from] = (await conn.db.selectFrom('sentry_groupedmessage').select(['id', 'times_seen']).where('project_id', '=', pair)
        .orderBy('times_seen', 'desc').limit(2).execute()).map((g: any) => ({ id: String(g.id), seen: Number(g.times_seen) }));
      const eventsOf = (g: string) => one(conn, sql`SELECT COUNT(*) FROM sentry_message WHERE group_id = ${g}`);
      const [eventsTo, eventsFrom] = [await eventsOf(to.id), await eventsOf(from.id)];
      const changes = await mergeGroups(conn, from.id, to.id);
      assert.equal(await one(conn, sql`SELECT COUNT(*) FROM sentry_groupedmessage WHERE id = ${from.id}`), 0);
      assert.equal(await one(conn, sql`SELECT times_seen FROM sentry_groupedmessage WHERE id = ${to.id}`), to.seen + from.seen);
      assert.equal(await eventsOf(to.id), eventsTo + eventsFrom);
      assert.equal(changes.sentry_message.updated, eventsFrom);
      for (const t of ['sentry_message', 'sentry_eventmapping', 'sentry_messagefiltervalue', 'sentry_grouptagkey', 'sentry_grouphash',
        'sentry_grouprulestatus', 'sentry_activity', 'sentry_groupseen']) {
        assert.equal(await one(conn, sql`SELECT COUNT(*) FROM ${sql.table(t)} WHERE group_id = ${from.id}`), 0, t);
      }
      assert.ok(changes.sentry_messagefiltervalue.updated + changes.sentry_messagefiltervalue.deleted > 0);
    });

    it('cleanupOldest deletes what `sentry cleanup` deletes at the cutoff of the oldest events, and leaves no orphan', async () => {
      const events = await rowsOf(conn, 'sentry_message');
      const k = Math.floor(events * 0.2);
      const edge = await conn.db.selectFrom('sentry_message').select('datetime').orderBy('datetime').limit(1).offset(k - 1).executeTakeFirstOrThrow();
      const stale = await one(conn, sql`SELECT COUNT(*) FROM sentry_groupedmessage WHERE last_seen <= ${edge.datetime}`);
      assert.ok(stale > 0, 'the seed has groups last seen before the cutoff');
      const { cutoff, changes } = await cleanupOldest(conn, 0.2);
      assert.equal(cutoff?.getTime(), new Date(edge.datetime).getTime());
      assert.ok(changes.sentry_message.deleted >= k);
      assert.equal(await rowsOf(conn, 'sentry_message'), events - changes.sentry_message.deleted);
      assert.equal(await one(conn, sql`SELECT COUNT(*) FROM sentry_message WHERE datetime <= ${cutoff}`), 0);
      assert.equal(await one(conn, sql`SELECT COUNT(*) FROM nodestore_node WHERE timestamp <= ${cutoff}`), 0);
      assert.equal(await one(conn, sql`SELECT COUNT(*) FROM sentry_groupedmessage WHERE last_seen <= ${cutoff}`), 0);
      for (const t of ['sentry_messagefiltervalue', 'sentry_filtervalue']) {
        assert.equal(await one(conn, sql`SELECT COUNT(*) FROM ${sql.table(t)} WHERE last_seen < ${cutoff}`), 0, t);
      }
      assert.equal(await one(conn, sql`SELECT COUNT(*) FROM sentry_eventmapping WHERE date_added < ${cutoff}`), 0);
      assert.equal(changes.sentry_groupedmessage.deleted, stale, 'groups last seen at or before the cutoff');
      for (const t of ['sentry_message', 'sentry_eventmapping', 'sentry_messagefiltervalue', 'sentry_grouptagkey', 'sentry_grouphash',
        'sentry_activity', 'sentry_grouprulestatus', 'sentry_groupseen', 'sentry_groupbookmark', 'sentry_groupasignee', 'sentry_userreport']) {
        assert.equal(await orphans(conn, t, 'group_id', 'sentry_groupedmessage'), 0, `${t} rows of deleted groups`);
      }
      // Every event left still has its node.
      const refs = await conn.db.selectFrom('sentry_message').select('data').execute();
      const nodes = new Set((await conn.db.selectFrom('nodestore_node').select('id').execute()).map((n: any) => n.id));
      assert.equal(refs.filter((r: any) => !nodes.has(decodeNodeRef(r.data))).length, 0);
    });

    it('startWriter keeps adding events until stopped', async () => {
      const events = await rowsOf(conn, 'sentry_message');
      const writer = startWriter(conn, { ratePerSecond: 100, intervalMs: 100 });
      await new Promise((r) => setTimeout(r, 600));
      const during = await rowsOf(conn, 'sentry_message');
      const done = await writer.stop();
      assert.ok(during > events, 'rows appear while it runs');
      assert.ok(done.events >= 10);
      assert.equal(await rowsOf(conn, 'sentry_message'), events + done.events);
      assert.equal(done.changes.sentry_message.inserted, done.events);
    });
  });
}
