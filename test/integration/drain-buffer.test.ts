/**
 * drain-buffer against real Redis (database 11, reserved for these tests) and both engines.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { type Connection, connect } from '../../src/db/connect.js';
import { schemaStatements } from '../../src/db/schema-files.js';
import { defineScripts, takeKeys } from '../../src/drain/buffer-redis.js';
import { drainBuffer } from '../../src/drain/drain.js';
import { DrainJournal, encodeFields } from '../../src/drain/drain-journal.js';
import { openRedis } from '../../src/redis/client.js';
import { ENGINES, REDIS_DB, REDIS_URL, type TempDatabase, runCli, tempDatabase } from '../helpers/servers.js';
import { LAST_SEEN_PG, LAST_SEEN_UTC, SCORE_PICKLE, py, seedGroup, seedProject, sentryIncr } from './drain-fixtures.js';

const REDIS = REDIS_URL(REDIS_DB.drainBuffer);

async function redisState(r: Redis): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) out.push(`${k}=${(await r.dumpBuffer(k))?.toString('base64')}`);
  } while (cursor !== '0');
  return out.sort().join('\n');
}

for (const engine of ENGINES) {
  describe(`drain-buffer on ${engine}`, () => {
    let tdb: TempDatabase;
    let conn: Connection;
    let redis: Redis;
    const journals = mkdtempSync(join(tmpdir(), 'sa-drain-'));
    const env = () => ({ SENTRY_ADMIN_DB: tdb.text, SENTRY_ADMIN_SENTRY_REDIS: REDIS, SENTRY_ADMIN_JOURNAL_DIR: journals });
    const row = async (table: string, where: Record<string, unknown>) => {
      let q = conn.db.selectFrom(table).selectAll();
      for (const [k, v] of Object.entries(where)) q = q.where(k, '=', v);
      return (await q.executeTakeFirst()) as any;
    };

    before(async () => {
      tdb = await tempDatabase(engine, 'sa_drain');
      conn = await connect(tdb.url);
      for (const s of schemaStatements(engine, { bigInts: false })) await sql.raw(s).execute(conn.db);
      await seedProject(conn.db);
      await seedGroup(conn.db, 4242);
      await conn.db.insertInto('sentry_release').values({ id: 7, project_id: 1, version: 'v1', date_added: new Date(), data: '{}', new_groups: 3 }).execute();
      await conn.db.insertInto('sentry_filterkey').values({ project_id: 1, key: 'browser', values_seen: 4, status: 0 }).execute();
      await conn.db.insertInto('sentry_filtervalue').values({
        project_id: 1, key: 'browser', value: 'Chrome 43.0', times_seen: 10, last_seen: new Date('2015-07-01Z'), first_seen: new Date('2015-06-01Z'), data: 'old',
      }).execute();
      redis = await openRedis(parseRedisUrl(REDIS));
      await redis.flushdb();
    });

    after(async () => {
      await redis?.flushdb();
      redis?.disconnect();
      await conn?.close();
      await tdb?.drop();
    });

    test('the report reads and writes nothing; --apply applies each model as Sentry 7.7 would', async () => {
      const hosts = [redis];
      await sentryIncr(hosts, 'Group', { times_seen: 2, time_spent_total: 30, time_spent_count: 2 }, { id: engine === 'mysql' ? 4242n : 4242 }, {
        last_seen: LAST_SEEN_UTC, score: SCORE_PICKLE, message: py.value('Café ☃'), level: py.value(30), culprit: py.value(py.str('app.views in detail')),
      });
      await sentryIncr(hosts, 'Group', { times_seen: 1 }, { id: 999 }, { last_seen: LAST_SEEN_UTC, score: SCORE_PICKLE });
      await sentryIncr(hosts, 'Release', { new_groups: 2 }, { id: 7 });
      await sentryIncr(hosts, 'Release', { new_groups: 1 }, { id: 8 });
      await sentryIncr(hosts, 'TagValue', { times_seen: 3 }, { project_id: 1, key: 'browser', value: 'Chrome 43.0' }, { last_seen: LAST_SEEN_PG, data: py.value(null) });
      const userData = py.value(new Map([[py.str('id'), '42'], [py.str('email'), 'a@b.c']]));
      await sentryIncr(hosts, 'TagValue', { times_seen: 1 }, { project_id: 1, key: 'sentry:user', value: 'id:42' }, { last_seen: LAST_SEEN_UTC, data: userData });
      await sentryIncr(hosts, 'GroupTagValue', { times_seen: 2 }, { group_id: 4242, project_id: 1, key: 'browser', value: 'Chrome 43.0 é☃' }, { last_seen: LAST_SEEN_UTC });
      await sentryIncr(hosts, 'GroupTagValue', { times_seen: 1 }, { group_id: 999, project_id: 1, key: 'browser', value: 'x' }, { last_seen: LAST_SEEN_UTC });
      await sentryIncr(hosts, 'TagKey', { values_seen: 5 }, { project_id: 1, key: 'os' });
      await sentryIncr(hosts, 'GroupTagKey', { values_seen: 1 }, { project_id: 1, group_id: 4242, key: 'os' });
      // a plugin model, and a pickle naming a global outside the allowlist: both must go back untouched
      await redis.hset('b:k:sentry.widget:0123456789abcdef0123456789abcdef', 'm', 'sentry_plugins.models.Widget', 'f', '(dp1\n.', 'i+n', '1');
      await redis.zadd('b:p', Date.now() / 1000, 'b:k:sentry.widget:0123456789abcdef0123456789abcdef');
      const evil = await sentryIncr(hosts, 'TagKey', { values_seen: 1 }, { project_id: 1, key: 'evil' });
      await redis.hset(evil, 'e+label', "cos\nsystem\n(S'touch /tmp/pwned'\ntR.");
      // an orphan: a hash b:p no longer lists (purged celery queue)
      const orphan = await sentryIncr(hosts, 'TagKey', { values_seen: 2 }, { project_id: 1, key: 'browser' });
      await redis.zrem('b:p', orphan);
      const dbBefore = await conn.db.selectFrom('sentry_groupedmessage').selectAll().execute();
      const redisBefore = await redisState(redis);

      const report = await runCli(['drain-buffer', '--json'], { env: env() });
      assert.equal(report.code, 0, report.stderr);
      const doc = JSON.parse(report.stdout);
      assert.equal(doc.hosts[0].pending, 12);
      assert.equal(doc.hosts[0].scan.notInPending, 1);
      assert.equal(await redisState(redis), redisBefore, 'the report changed Redis');
      assert.deepEqual(await conn.db.selectFrom('sentry_groupedmessage').selectAll().execute(), dbBefore);

      const widget = await redis.hgetallBuffer('b:k:sentry.widget:0123456789abcdef0123456789abcdef');
      const evilBefore = await redis.hgetallBuffer(evil);
      const run = await runCli(['drain-buffer', '--apply', '--json', '--batch-size', '4', '--pause-ms', '0'], { env: env() });
      assert.equal(run.code, 4, run.stderr); // finished, two keys re-buffered
      const s = JSON.parse(run.stdout).stats;
      assert.equal(s.taken, 13);
      assert.equal(s.rebuffered, 2);
      assert.equal(s.orphansTaken, 1);
      assert.equal(s.missingGroups, 1);
      assert.equal(s.missingReleases, 1);
      assert.deepEqual(await redis.hgetallBuffer('b:k:sentry.widget:0123456789abcdef0123456789abcdef'), widget);
      assert.deepEqual(await redis.hgetallBuffer(evil), evilBefore);
      assert.equal(await redis.zcard('b:p'), 2);
      assert.equal(await redis.get('l:b:p'), null);

      const g = await row('sentry_groupedmessage', { id: 4242 });
      assert.equal(Number(g.times_seen), 9);
      assert.equal(Number(g.time_spent_total), 30);
      assert.equal(g.message, 'Café ☃');
      assert.equal(Number(g.level), 30);
      assert.equal(g.view, 'app.views in detail');
      assert.equal(new Date(g.last_seen).toISOString(), engine === 'mysql' ? '2015-07-28T20:41:30.000Z' : '2015-07-28T20:41:30.123Z');
      // ScoreClause: MySQL ln(new times_seen) + unix_timestamp(OLD last_seen); PostgreSQL log10(OLD times_seen) + epoch(OLD)
      const old = Date.parse('2015-07-01T00:00:00Z') / 1000;
      assert.equal(Number(g.score), engine === 'mysql' ? Math.round(Math.log(9) * 600 + old) : Math.round(Math.log10(7) * 600 + old));
      assert.equal(await row('sentry_groupedmessage', { id: 999 }), undefined);
      assert.equal(Number((await row('sentry_release', { id: 7 })).new_groups), 5);
      const tv = await row('sentry_filtervalue', { project_id: 1, key: 'browser', value: 'Chrome 43.0' });
      assert.equal(Number(tv.times_seen), 13);
      assert.equal(tv.data, null); // e+data None wipes data, as Sentry's UPDATE does
      const user = await row('sentry_filtervalue', { project_id: 1, key: 'sentry:user', value: 'id:42' });
      assert.equal(Number(user.times_seen), 1);
      assert.ok(user.data.startsWith('eJ'));
      const gtv = await row('sentry_messagefiltervalue', { group_id: 4242, key: 'browser', value: 'Chrome 43.0 é☃' });
      assert.equal(Number(gtv.times_seen), 2);
      assert.equal(await row('sentry_messagefiltervalue', { group_id: 999 }), undefined); // FK to a missing group: dropped
      // follow-ups: new sentry:user value → new TagKey; new group tag value → GroupTagKey browser
      assert.equal(Number((await row('sentry_filterkey', { project_id: 1, key: 'sentry:user' })).values_seen), 1);
      assert.equal(Number((await row('sentry_filterkey', { project_id: 1, key: 'browser' })).values_seen), 4 + 2); // orphan +2, existing value no follow-up
      assert.equal(Number((await row('sentry_filterkey', { project_id: 1, key: 'os' })).values_seen), 5);
      assert.equal(Number((await row('sentry_grouptagkey', { group_id: 4242, key: 'browser' })).values_seen), 1);
      assert.equal(Number((await row('sentry_grouptagkey', { group_id: 4242, key: 'os' })).values_seen), 1);
      const lines = readFileSync(JSON.parse(run.stdout).journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.filter((l) => l.t === 'take').length, 13);
      await redis.flushdb();
    });

    test('a b:k:* key of the wrong Redis type: the report and --apply both count it, name it, and exit 4', async () => {
      const bad = 'b:k:sentry.tagkey:00000000000000000000000000000bad';
      await redis.set(bad, 'not a hash');
      await redis.zadd('b:p', Date.now() / 1000 - 5, bad);
      await sentryIncr([redis], 'TagKey', { values_seen: 2 }, { project_id: 1, key: 'beside-wrong-type' });
      const report = await runCli(['drain-buffer', '--json'], { env: env() });
      assert.equal(report.code, 4, report.stderr);
      assert.deepEqual(JSON.parse(report.stdout).hosts[0].scan.wrongType, [{ key: bad, type: 'string' }]);
      const human = await runCli(['drain-buffer'], { env: env() });
      assert.equal(human.code, 4, human.stderr);
      assert.match(human.stdout, new RegExp(`not a hash: 1 b:k:\\* key\\(s\\)[^\\n]*\\n    ${bad} \\(string\\)`));

      const run = await runCli(['drain-buffer', '--apply', '--json', '--pause-ms', '0'], { env: env() });
      assert.equal(run.code, 4, run.stderr);
      const s = JSON.parse(run.stdout).stats;
      assert.equal(s.takeFailed, 1);
      assert.equal(s.applied, 1);
      assert.deepEqual(s.problems.filter((p: { key: string }) => p.key === bad).length, 1);
      assert.match(s.problems.find((p: { key: string }) => p.key === bad).what, /not a hash/);
      assert.equal(await redis.get(bad), 'not a hash'); // left where it was
      assert.equal(Number((await row('sentry_filterkey', { project_id: 1, key: 'beside-wrong-type' })).values_seen), 2);
      await redis.flushdb();
    });

    test('--insert-missing-groups resurrects a missing group the way Sentry 7.7 does', async () => {
      await sentryIncr([redis], 'Group', { times_seen: 1 }, { id: 5151 }, { last_seen: LAST_SEEN_UTC, score: SCORE_PICKLE, message: py.value('first line\nsecond') });
      const s = await drainBuffer(conn, [redis], [parseRedisUrl(REDIS)], {
        batchSize: 10, pauseMs: 0, orphanSweep: false, insertMissingGroups: true, journalDir: journals, lockWaitMs: 0,
      });
      assert.equal(s.stats.rowsInserted, 1);
      const g = await row('sentry_groupedmessage', { id: 5151 });
      assert.equal(g.project_id, null);
      assert.equal(Number(g.times_seen), 2); // field default 1 + the increment
      assert.equal(g.message, 'first line');
      assert.equal(Number(g.score), Math.trunc(Math.log(7) * 600 + Date.UTC(2015, 6, 28, 20, 41, 30) / 1000)); // int(ScoreClause)
      assert.ok(Math.abs(new Date(g.first_seen).getTime() - Date.now()) < 600_000); // default timezone.now
      await redis.flushdb();
    });

    test('increments issued during the drain are neither lost nor doubled', async () => {
      const hosts = [redis];
      const values = Array.from({ length: 60 }, (_, i) => `v${i}`);
      const dbSum = async () => Number((await conn.db.selectFrom('sentry_filtervalue').select((eb) => eb.fn.sum('times_seen').as('n'))
        .where('key', '=', 'load').executeTakeFirst())?.n ?? 0);
      const redisSum = async () => {
        let n = 0;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', 'b:k:sentry.tagvalue:*', 'COUNT', 1000);
          cursor = next;
          for (const k of keys) n += Number((await redis.hget(k, 'i+times_seen')) ?? 0);
        } while (cursor !== '0');
        return n;
      };
      let issued = 0;
      const incr = async () => {
        const v = values[issued % values.length];
        await sentryIncr(hosts, 'TagValue', { times_seen: 1 }, { project_id: 1, key: 'load', value: v }, { last_seen: LAST_SEEN_UTC, data: py.value(null) });
        issued++;
      };
      for (let i = 0; i < 300; i++) await incr();
      // Sentry's own process_incr holds one key's lock: the drain must leave that key alone
      const held = await sentryIncr(hosts, 'TagValue', { times_seen: 1 }, { project_id: 1, key: 'load', value: values[0] }, { last_seen: LAST_SEEN_UTC, data: py.value(null) });
      issued++;
      await redis.set(`l:${held}`, '1', 'EX', 5);
      let writing = true;
      const writer = (async () => {
        while (writing) await incr();
      })();
      const summary = await drainBuffer(conn, hosts, [parseRedisUrl(REDIS)], {
        batchSize: 7, pauseMs: 0, orphanSweep: true, insertMissingGroups: false, journalDir: journals, lockWaitMs: 0,
      });
      writing = false;
      await writer;
      assert.ok(summary.stats.lockedSkipped >= 1);
      assert.ok(summary.stats.applied > 0);
      assert.equal(summary.stats.rebuffered, 0);
      assert.equal((await dbSum()) + (await redisSum()), issued, 'sum issued = sum applied + sum left in Redis');
      assert.ok(await redis.exists(held));
      await redis.flushdb();
    });

    test('after a crash between take and apply, --replay applies the keys exactly once', async () => {
      const hosts = [redis];
      defineScripts(redis);
      const key = await sentryIncr(hosts, 'TagKey', { values_seen: 3 }, { project_id: 1, key: 'replayed' });
      const key2 = await sentryIncr(hosts, 'Release', { new_groups: 10 }, { id: 7 });
      const before = Number((await row('sentry_release', { id: 7 })).new_groups);
      // what a drain killed right after journaling its batch leaves behind
      const taken = await takeKeys(redis, [key, key2], 'pending');
      const path = join(journals, `crash-${engine}.jsonl`);
      const j = DrainJournal.create(path, {
        t: 'header', format: 'sentry-admin-drain-journal/1', createdAt: new Date().toISOString(), database: tdb.url.masked,
        engine, hosts: [REDIS], token: 'sentry-admin:dead', pid: 1,
      });
      [key, key2].forEach((k, i) => {
        const t = taken[i];
        assert.equal(t.kind, 'taken');
        if (t.kind === 'taken') j.write({ t: 'take', id: `1.${i}`, host: 0, key: k, fields: encodeFields(t.fields) });
      });
      j.close();
      assert.equal(await redis.exists(key), 0);

      const preview = await runCli(['drain-buffer', '--replay', path, '--json'], { env: env() });
      assert.equal(preview.code, 0, preview.stderr);
      assert.equal(JSON.parse(preview.stdout).counts.pending, 2);
      assert.equal(await row('sentry_filterkey', { project_id: 1, key: 'replayed' }), undefined);

      const first = await runCli(['drain-buffer', '--replay', path, '--apply', '--json'], { env: env() });
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).stats.applied, 2);
      const second = await runCli(['drain-buffer', '--replay', path, '--apply', '--json'], { env: env() });
      assert.equal(second.code, 0, second.stderr);
      assert.equal(JSON.parse(second.stdout).counts.pending, 0);
      assert.equal(JSON.parse(second.stdout).counts.committed, 2);
      assert.equal(Number((await row('sentry_filterkey', { project_id: 1, key: 'replayed' })).values_seen), 3);
      assert.equal(Number((await row('sentry_release', { id: 7 })).new_groups), before + 10);
    });

    test('replay asks the database about a unit whose COMMIT was not recorded', async () => {
      const hosts = [redis];
      const key = await sentryIncr(hosts, 'TagKey', { values_seen: 4 }, { project_id: 1, key: 'committed-unrecorded' });
      const taken = await takeKeys(redis, [key], 'pending');
      assert.equal(taken[0].kind, 'taken');
      // the increment did reach the database, in a transaction whose commit line never made it to the journal
      let txid = '';
      await conn.db.transaction().execute(async (trx) => {
        await trx.insertInto('sentry_filterkey').values({ project_id: 1, key: 'committed-unrecorded', values_seen: 4, status: 0 }).execute();
        if (engine === 'postgres') txid = (await sql<{ x: string }>`SELECT txid_current()::text AS x`.execute(trx)).rows[0].x;
      });
      const path = join(journals, `open-${engine}.jsonl`);
      const j = DrainJournal.create(path, {
        t: 'header', format: 'sentry-admin-drain-journal/1', createdAt: new Date().toISOString(), database: tdb.url.masked,
        engine, hosts: [REDIS], token: 'sentry-admin:dead', pid: 1,
      });
      if (taken[0].kind === 'taken') j.write({ t: 'take', id: '1.0', host: 0, key, fields: encodeFields(taken[0].fields) });
      j.write({ t: 'intent', unit: 'u1', ids: ['1.0'], tx: engine === 'postgres' ? { pg_txid: txid } : { none: true } });
      j.close();
      const r = await runCli(['drain-buffer', '--replay', path, '--apply', '--json'], { env: env() });
      const doc = JSON.parse(r.stdout);
      if (engine === 'postgres') {
        assert.equal(r.code, 0, r.stderr);
        assert.equal(doc.counts.resolvedCommitted, 1);
      } else {
        assert.equal(r.code, 4, r.stderr); // cannot be told: listed, not applied
        assert.equal(doc.uncertain.length, 1);
      }
      assert.equal(Number((await row('sentry_filterkey', { project_id: 1, key: 'committed-unrecorded' })).values_seen), 4);
    });
  });
}
