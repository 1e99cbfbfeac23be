/**
 * sync: after a migration, each kind of change to the source (insert, update of every column kind,
 * delete, a text primary key, a row entering or leaving the scope) is carried by a round, both
 * directions; `--final` refuses while Sentry's buffer holds counters or a writer runs, then ends
 * with a verify that finds the target equal; a second sync on the namespace exits 75.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { connect } from '../../src/db/connect.js';
import { encodeGzippedDict, encodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { EXIT, type CliError } from '../../src/errors.js';
import { runMigration } from '../../src/transfer/migrate.js';
import { resolveScope } from '../../src/transfer/scope.js';
import { discardRun } from '../../src/transfer/status.js';
import { type SyncOptions, runSync, syncExitCode } from '../../src/transfer/sync.js';
import { verify } from '../../src/transfer/verify.js';
import { T0, loadFixture, withDb } from '../helpers/fixtures.js';
import { migrationRuns } from '../helpers/migration-runs.js';
import { REDIS_DB, REDIS_URL, type TempDatabase } from '../helpers/servers.js';

const runs = migrationRuns('sa-sync', { chunkRows: 5 });
after(() => runs.cleanup());

type Engine = 'mysql' | 'postgres';
const DIRECTIONS: [Engine, Engine][] = [['mysql', 'postgres'], ['postgres', 'mysql']];

/** A source with the fixture, migrated into a fresh target; the sync options for the same namespace. */
async function migrated(from: Engine, to: Engine, scope: SyncOptions['scope'] = {}) {
  const src = await runs.db(from);
  await withDb(src.url, (d) => loadFixture(d, { events: 6 }));
  const tgt = await runs.db(to);
  const m = runs.opts(src, tgt, { scope });
  const r = await runMigration(m);
  assert.equal(r.complete, true);
  assert.equal(r.verify?.equal, true);
  const sync = (extra: Partial<SyncOptions> = {}): Promise<Awaited<ReturnType<typeof runSync>>> =>
    runSync({ source: src.url, target: tgt.url, redis: m.redis, namespace: m.namespace, scope, rejectsPath: m.rejectsPath, signal: new AbortController().signal, quietSeconds: 1, ...extra });
  return { src, tgt, sync, namespace: m.namespace };
}

async function equal(src: TempDatabase, tgt: TempDatabase, scope: SyncOptions['scope'] = {}) {
  const [a, b] = await Promise.all([connect(src.url), connect(tgt.url)]);
  try {
    return await verify(a, b, await resolveScope(a.db, scope));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

const T1 = new Date(Date.UTC(2016, 0, 2, 3, 4, 5));

/** Changes of every kind a running Sentry makes (and a few it does not, to cover every column kind). */
async function change(d: Kysely<any>): Promise<void> {
  // A new group of project 1 with its events, nodes and mappings, at the top of the id ranges.
  await d.insertInto('sentry_groupedmessage').values({
    id: 3, logger: 'root', level: 40, message: 'KeyError: new', view: null, status: 0, times_seen: 2, last_seen: T1, first_seen: T1,
    data: encodeGzippedDict({ type: 'default' }), score: 7, project_id: 1, time_spent_total: 0, time_spent_count: 0, resolved_at: null,
    active_at: T1, is_public: true, platform: 'python', num_comments: 0, first_release_id: null,
  }).execute();
  for (const e of [1, 2]) {
    const node = Buffer.from(`new-node-${e}`.padEnd(16, '.')).toString('base64');
    await d.insertInto('nodestore_node').values({ id: node, data: encodeGzippedDict({ message: `new ${e}` }), timestamp: T1 }).execute();
    await d.insertInto('sentry_message').values({
      id: 5000 + e, message: `new ${e}`, datetime: T1, data: encodeNodeRef(node), group_id: 3, message_id: `ab${e}`.padStart(32, '0'),
      project_id: 1, time_spent: null, platform: 'python', num_comments: 0,
    }).execute();
    await d.insertInto('sentry_eventmapping').values({ id: 5000 + e, project_id: 1, group_id: 3, event_id: `ab${e}`.padStart(32, '0'), date_added: T1 }).execute();
  }
  // Counters and every kind of column of an existing row: int, bool, datetime (and NULL -> value), text with tabs and non-ASCII.
  await d.updateTable('sentry_groupedmessage').set({ times_seen: 99, last_seen: T1, resolved_at: T1, is_public: true, status: 1, message: 'renamed\tü\nline' }).where('id', '=', 1).execute();
  await d.updateTable('sentry_filtervalue').set({ times_seen: 42, value: 'Firefox 40 ✓', data: null }).where('id', '=', 1).execute();
  await d.updateTable('sentry_organizationmember').set({ has_global_access: false }).where('id', '=', 11).execute();
  // A text primary key row changed in place.
  const node = Buffer.from('node-1-2'.padEnd(16, '.')).toString('base64');
  await d.updateTable('nodestore_node').set({ data: encodeGzippedDict({ message: 'rewritten' }) }).where('id', '=', node).execute();
  // `sentry cleanup`: the oldest events go, with their mappings and nodes.
  const old = Buffer.from('node-1-1'.padEnd(16, '.')).toString('base64');
  await d.deleteFrom('sentry_eventmapping').where('id', '=', 1001).execute();
  await d.deleteFrom('sentry_message').where('id', '=', 1001).execute();
  await d.deleteFrom('nodestore_node').where('id', '=', old).execute();
}

for (const [from, to] of DIRECTIONS) {
  describe(`sync ${from} -> ${to}`, () => {
    it('a round carries inserts, updates of every column kind, deletes and a text-key table; a second round finds nothing; --final ends equal', async () => {
      const { src, tgt, sync } = await migrated(from, to);
      await withDb(src.url, change);
      const r = await sync();
      assert.equal(r.rounds.length, 1);
      assert.equal(r.rounds[0].allColumns, false);
      const t = r.rounds[0].tables;
      assert.equal(t.sentry_groupedmessage.inserted, 1);
      assert.equal(t.sentry_groupedmessage.updated, 1);
      assert.equal(t.sentry_message.inserted, 2);
      assert.equal(t.sentry_message.deleted, 1);
      assert.equal(t.sentry_eventmapping.deleted, 1);
      // The node rewritten in place changed only its long `data`: a round before the final one leaves it (sync-columns.ts).
      assert.deepEqual([t.nodestore_node.inserted, t.nodestore_node.updated, t.nodestore_node.deleted], [2, 0, 1]);
      assert.equal(t.sentry_filtervalue.updated, 1);
      assert.equal(t.sentry_organizationmember.updated, 1);
      const v = await equal(src, tgt);
      assert.deepEqual(v.tables.filter((x) => !x.equal).map((x) => [x.table, x.changed, x.missing, x.extra]), [['nodestore_node', 1, 0, 0]]);

      const again = await sync();
      assert.equal(again.rounds[0].changed, 0);
      const fin = await sync({ final: true });
      assert.equal(fin.rounds.at(-1)?.tables.nodestore_node.updated, 1);
      assert.equal(fin.rounds.at(-1)?.allColumns, true);
      assert.equal(fin.verify?.equal, true);
      assert.equal(fin.rounds.at(-1)?.final, true);
    });

    it('compareAll: a round compares every column and carries the node rewritten in place', async () => {
      const { src, tgt, sync } = await migrated(from, to);
      await withDb(src.url, change);
      const r = await sync({ compareAll: true });
      const t = r.rounds[0].tables;
      assert.deepEqual([t.nodestore_node.inserted, t.nodestore_node.updated, t.nodestore_node.deleted], [2, 1, 1]);
      const v = await equal(src, tgt);
      assert.equal(v.equal, true, JSON.stringify(v.tables.filter((x) => !x.equal)));
    });

    it('in-place updates that keep counts and key sums (events moved by a merge, counters) are carried by a round; an edit of only a long column waits for --final, which proves the target equal', async () => {
      const { src, tgt, sync } = await migrated(from, to);
      await withDb(src.url, async (d) => {
        // Sentry 7.7 sentry/tasks/merge.py merge_group: the events of group 2 move to group 1 (UPDATE sentry_message SET group_id).
        await d.updateTable('sentry_message').set({ group_id: 1 }).where('group_id', '=', 2).execute();
        await d.updateTable('sentry_eventmapping').set({ group_id: 1 }).where('group_id', '=', 2).execute();
        await d.updateTable('sentry_groupedmessage').set({ times_seen: sql`times_seen + 1` }).where('id', '=', 1).execute();
        // Only a long column: event 1001's `data` rewritten in place, to another node's reference (the same length).
        const other = Buffer.from('node-1-2'.padEnd(16, '.')).toString('base64');
        await d.updateTable('sentry_message').set({ data: encodeNodeRef(other) }).where('id', '=', 1001).execute();
      });
      const r = await sync();
      const t = r.rounds[0].tables;
      assert.equal(t.sentry_groupedmessage.updated, 1);
      // Group 2's six events and mappings moved, not the event whose `data` alone changed.
      assert.equal(t.sentry_eventmapping.updated, 6);
      assert.equal(t.sentry_message.updated, 6);
      const v = await equal(src, tgt);
      assert.deepEqual(v.tables.filter((x) => !x.equal).map((x) => [x.table, x.changed]), [['sentry_message', 1]]);
      const fin = await sync({ final: true });
      assert.equal(fin.rounds.at(-1)?.tables.sentry_message.updated, 1);
      assert.equal(fin.verify?.equal, true);
      assert.equal(syncExitCode(fin), EXIT.ok);
      const after = await equal(src, tgt);
      assert.equal(after.equal, true, JSON.stringify(after.tables.filter((x) => !x.equal)));
    });

    it('rows entering and leaving the scope are inserted and deleted', async () => {
      const { src, tgt, sync } = await migrated(from, to, { orgs: ['acme'] });
      await withDb(src.url, async (d) => {
        // globex's group moves into acme's project (with its events and mappings): it enters the scope.
        await d.updateTable('sentry_groupedmessage').set({ project_id: 1 }).where('id', '=', 2).execute();
        await d.updateTable('sentry_message').set({ project_id: 1 }).where('group_id', '=', 2).execute();
        await d.updateTable('sentry_eventmapping').set({ project_id: 1 }).where('group_id', '=', 2).execute();
        // acme's own group moves out, to globex's project, with its events and mappings: it leaves the scope.
        await d.updateTable('sentry_groupedmessage').set({ project_id: 2 }).where('id', '=', 1).execute();
        await d.updateTable('sentry_message').set({ project_id: 2 }).where('group_id', '=', 1).execute();
        await d.updateTable('sentry_eventmapping').set({ project_id: 2 }).where('group_id', '=', 1).execute();
      });
      const r = await sync({ scope: { orgs: ['acme'] } });
      const t = r.rounds[0].tables;
      // Nodes follow their events: each side's in-scope nodes are those its own in-scope events point at.
      for (const table of ['sentry_groupedmessage', 'sentry_message', 'sentry_eventmapping', 'nodestore_node']) {
        const n = table === 'sentry_groupedmessage' ? 1 : 6;
        assert.deepEqual([t[table].inserted, t[table].deleted, t[table].rejected], [n, n, 0], table);
      }
      const v = await equal(src, tgt, { orgs: ['acme'] });
      assert.equal(v.equal, true, JSON.stringify(v.tables.filter((x) => !x.equal)));
    });
  });
}

describe('sync with more differences than a pass lists', () => {
  it('compares again after applying, within the round, until the table is equal', async () => {
    const { src, tgt, sync } = await migrated('mysql', 'postgres');
    await withDb(src.url, change);
    const r = await sync({ passRows: 2, compareAll: true });
    assert.equal(r.rounds[0].tables.sentry_message.inserted, 2);
    assert.deepEqual([r.rounds[0].tables.nodestore_node.inserted, r.rounds[0].tables.nodestore_node.deleted], [2, 1]);
    const v = await equal(src, tgt);
    assert.equal(v.equal, true, JSON.stringify(v.tables.filter((x) => !x.equal)));
  });
});

describe('sync names what it cannot bring over', () => {
  it('a column holding data on the target only: the round names the table as still different, exit 3', async () => {
    const { tgt, sync } = await migrated('mysql', 'postgres');
    await withDb(tgt.url, async (d) => {
      await sql`ALTER TABLE sentry_filtervalue ADD COLUMN note varchar(20) NULL`.execute(d);
      await d.updateTable('sentry_filtervalue').set({ note: 'local' }).where('id', '=', 1).execute();
    });
    const r = await sync();
    assert.deepEqual(r.rounds[0].unfinished.map((u) => u.table), ['sentry_filtervalue']);
    assert.match(r.rounds[0].unfinished[0].why, /note/);
    assert.equal(syncExitCode(r), EXIT.differences);
  });
});

describe('sync rejects what the target cannot hold', () => {
  it('a new row with a 4-byte character, PostgreSQL -> MySQL utf8: rejected into the file, counted, and --final ends with only rejected rows', async () => {
    const { src, sync } = await migrated('postgres', 'mysql');
    await withDb(src.url, (d) =>
      d.insertInto('sentry_filtervalue').values({ id: 9, key: 'browser', value: 'Emoji 😀', project_id: 1, times_seen: 1, last_seen: T1, first_seen: T1, data: null }).execute());
    const r = await sync();
    assert.equal(r.rounds[0].tables.sentry_filtervalue.rejected, 1);
    assert.equal(r.rejected, 1);
    assert.ok(r.rejectsFile);
    // Not retried by the next round, which still exits 4 for it; the cutover's verify names it as rejected, not missing.
    const next = await sync();
    assert.deepEqual([next.rejected, next.rejectedEarlier, syncExitCode(next)], [0, 1, EXIT.rejected]);
    const again = await sync({ final: true });
    assert.equal(again.rounds[0].rejected, 0);
    assert.equal(again.verify?.equal, false);
    assert.equal(again.verify?.onlyRejected, true);
  });
});

describe('sync --final', () => {
  it("refuses (exit 2, nothing written) while Sentry's buffer holds counters or a writer runs, then cuts over", async () => {
    const { src, tgt, sync } = await migrated('mysql', 'postgres');
    await withDb(src.url, (d) => d.updateTable('sentry_groupedmessage').set({ times_seen: 77 }).where('id', '=', 2).execute());
    const sentry = new Redis(REDIS_URL(REDIS_DB.syncBuffer));
    const sentryRedis = [parseRedisUrl(REDIS_URL(REDIS_DB.syncBuffer))];
    try {
      await sentry.zadd('b:p', Date.now(), 'b:k:0123456789abcdef0123456789abcdef');
      await assert.rejects(sync({ final: true, sentryRedis }), (e: CliError) => e.exitCode === EXIT.usage && /buffer still holds 1 pending/.test(e.message));
      await sentry.del('b:p');

      // A writer bumping a counter every 100 ms.
      let writing = true;
      const writer = withDb(src.url, async (d) => {
        for (let i = 0; writing; i++) {
          await d.updateTable('sentry_filtervalue').set({ times_seen: sql`times_seen + 1` }).where('id', '=', 2).execute();
          await new Promise((r) => setTimeout(r, 100));
        }
      });
      await assert.rejects(sync({ final: true, sentryRedis, quietSeconds: 3 }), (e: CliError) => e.exitCode === EXIT.usage && /took writes/.test(e.message));
      writing = false;
      await writer;
      // Nothing was written by the refused cutover.
      const seen = await withDb(tgt.url, (d) => d.selectFrom('sentry_groupedmessage').select('times_seen').where('id', '=', 2).executeTakeFirstOrThrow());
      assert.notEqual(Number(seen.times_seen), 77);

      const fin = await sync({ final: true, sentryRedis });
      assert.equal(fin.verify?.equal, true);
      assert.match(fin.quiet?.buffer ?? '', /^empty/);
    } finally {
      await sentry.del('b:p');
      sentry.disconnect();
    }
  });

  it('a second sync on the namespace exits 75; a target this namespace never wrote is not deleted from without --allow-deletes', async () => {
    const { src, tgt, sync, namespace } = await migrated('postgres', 'mysql');
    const staging = new Redis(REDIS_URL(REDIS_DB.staging));
    try {
      await staging.set(`${namespace}:lock:sync`, 'someone-else', 'PX', 20_000);
      await assert.rejects(sync(), (e: CliError) => e.exitCode === EXIT.locked);
      await staging.del(`${namespace}:lock:sync`);
    } finally {
      staging.disconnect();
    }
    // Another namespace, same databases: the target holds rows the source lacks once a source row goes.
    await withDb(src.url, (d) => d.deleteFrom('sentry_eventmapping').where('id', '=', 1002).execute());
    const other = { namespace: `${namespace}_b` };
    await assert.rejects(sync(other), (e: CliError) => e.exitCode === EXIT.usage && /never migrated into it/.test(e.message));
    const n = await withDb(tgt.url, (d) => d.selectFrom('sentry_eventmapping').select(sql`COUNT(*)`.as('n')).executeTakeFirstOrThrow());
    assert.equal(Number(n.n), 12);
    const r = await sync({ ...other, allowDeletes: true });
    assert.equal(r.rounds[0].tables.sentry_eventmapping.deleted, 1);
    await discardRun(runs.redis, other.namespace);
  });
});
