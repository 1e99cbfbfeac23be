/**
 * The set-based apply (src/drain/apply-set.ts) must leave every row exactly as the one-key-at-a-time reference
 * (apply-entry.ts, ApplyContext.perKey) does: the same entries go into two databases seeded alike, one per path,
 * and every buffered table is compared, on both engines. Redis database 13 is reserved for this file.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import { writeBacklog } from '../../bench/drain-backlog.js';
import { pickle } from '../../src/codec/pickle-write.js';
import { PyStr, type PyValue } from '../../src/codec/py-value.js';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { type Connection, connect } from '../../src/db/connect.js';
import { schemaStatements } from '../../src/db/schema-files.js';
import type { ApplyContext } from '../../src/drain/apply-entry.js';
import { type UnitItem, type UnitsResult, applyUnits } from '../../src/drain/apply-units.js';
import { MODEL_BY_NAME, type ModelName } from '../../src/drain/buffer-models.js';
import { defineScripts, takeKeys } from '../../src/drain/buffer-redis.js';
import { type BufferEntry, decodeEntry, isRejection } from '../../src/drain/decode-entry.js';
import { drainBuffer } from '../../src/drain/drain.js';
import { DrainJournal } from '../../src/drain/drain-journal.js';
import { bufferKey } from '../../src/drain/routing.js';
import { detectEngineSql } from '../../src/drain/score-sql.js';
import { openRedis } from '../../src/redis/client.js';
import { ENGINES, REDIS_DB, REDIS_URL, type TempDatabase, tempDatabase } from '../helpers/servers.js';
import { NO_PYTHON2, runPython2 } from '../helpers/python2.js';
import { LAST_SEEN_PG, LAST_SEEN_UTC, SCORE_PICKLE, py, seedGroup, seedProject, sentryIncr } from './drain-fixtures.js';

const REDIS = REDIS_URL(REDIS_DB.drainSetApply);
const NOW = new Date('2026-01-02T03:04:05.678Z');
const TABLES: [table: string, autoId: boolean][] = [
  ['sentry_groupedmessage', false], ['sentry_release', false], ['sentry_filtervalue', true],
  ['sentry_messagefiltervalue', true], ['sentry_filterkey', true], ['sentry_grouptagkey', true],
];

/** A hash exactly as Sentry's incr leaves it, decoded (filters may hold None, which Sentry hashes as 'None'). */
function entry(model: ModelName, columns: Record<string, number>, filters: Record<string, number | string | null>, extra: Record<string, Buffer> = {}): BufferEntry {
  const m = MODEL_BY_NAME[model];
  const fields: [Buffer, Buffer][] = [
    [Buffer.from('m'), Buffer.from(m.path)],
    [Buffer.from('f'), pickle(new Map<PyValue, PyValue>(Object.entries(filters).map(([k, v]) => [new PyStr(k), v])), 0)],
  ];
  for (const [c, n] of Object.entries(columns)) fields.push([Buffer.from(`i+${c}`), Buffer.from(String(n))]);
  for (const [c, v] of Object.entries(extra)) fields.push([Buffer.from(`e+${c}`), v]);
  const e = decodeEntry(bufferKey(m.meta, Object.entries(filters)), fields);
  if (isRejection(e)) throw new Error(e.reason);
  return e as BufferEntry;
}

async function seed(db: Kysely<any>): Promise<void> {
  await seedProject(db);
  await seedGroup(db, 4242);
  await seedGroup(db, 4243, { times_seen: 1, last_seen: new Date('2015-07-02T10:00:00Z') });
  await seedGroup(db, 4244, { times_seen: 100 });
  await db.insertInto('sentry_release').values({ id: 7, project_id: 1, version: 'v1', date_added: new Date('2015-01-01Z'), data: '{}', new_groups: 3 }).execute();
  await db.insertInto('sentry_filterkey').values({ project_id: 1, key: 'browser', values_seen: 4, status: 0 }).execute();
  const seen = { last_seen: new Date('2015-07-01Z'), first_seen: new Date('2015-06-01Z') };
  await db.insertInto('sentry_filtervalue').values({ project_id: 1, key: 'browser', value: 'Chrome 43.0', times_seen: 10, data: 'old', ...seen }).execute();
  await db.insertInto('sentry_messagefiltervalue').values([
    { group_id: 4242, project_id: 1, key: 'browser', value: 'Chrome 43.0', times_seen: 5, ...seen },
    // two rows with a NULL project: `project_id IS NULL` matches both
    { group_id: 4242, project_id: null, key: 'browser', value: 'nullproj', times_seen: 1, ...seen },
    { group_id: 4242, project_id: null, key: 'browser', value: 'nullproj', times_seen: 2, ...seen },
  ]).execute();
  await db.insertInto('sentry_grouptagkey').values({ project_id: 1, group_id: 4242, key: 'browser', values_seen: 2 }).execute();
}

/** Every buffered table, auto ids left out (inserts may come in another order), rows sorted. */
async function snapshot(db: Kysely<any>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, autoId] of TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => {
      const { id, ...rest } = r as Record<string, unknown>;
      return JSON.stringify(autoId ? rest : { id, ...rest }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    }).sort();
  }
  return out;
}

function outcomes(r: UnitsResult): unknown {
  return {
    results: [...r.results].sort(([a], [b]) => a.localeCompare(b)).map(([id, x]) => [id, x.outcome, x.followUp ?? null]),
    followUps: r.followUps.map((f) => `${f.outcome}:${f.n}`).sort(),
    failed: [...r.failed], uncertain: r.uncertain,
  };
}

for (const engine of ENGINES) {
  describe(`set-based apply on ${engine} = per-key apply`, () => {
    const dbs: { tdb: TempDatabase; conn: Connection }[] = [];
    const journals = mkdtempSync(join(tmpdir(), 'sa-drain-set-'));
    let redis: Redis;

    before(async () => {
      for (let k = 0; k < 2; k++) {
        const tdb = await tempDatabase(engine, 'sa_dset');
        const conn = await connect(tdb.url);
        dbs.push({ tdb, conn });
        for (const s of schemaStatements(engine, { bigInts: false })) await sql.raw(s).execute(conn.db);
      }
      redis = await openRedis(parseRedisUrl(REDIS));
      await redis.flushdb();
    });

    after(async () => {
      await redis?.flushdb();
      redis?.disconnect();
      for (const { conn, tdb } of dbs) {
        await conn.close();
        await tdb.drop();
      }
    });

    const reset = async () => {
      for (const { conn } of dbs) {
        for (const [t] of [...TABLES].reverse()) await conn.db.deleteFrom(t).execute();
        for (const t of ['sentry_project', 'sentry_team', 'sentry_organization', 'auth_user']) await conn.db.deleteFrom(t).execute();
        await seed(conn.db);
      }
    };

    /** The same unit through both paths; returns [per-key, set] outcomes and snapshots. */
    const both = async (entries: BufferEntry[], over: Partial<ApplyContext> = {}) => {
      const out: { r: UnitsResult; snap: Record<string, string[]> }[] = [];
      for (const [k, { conn }] of dbs.entries()) {
        const ctx: ApplyContext = { engineSql: await detectEngineSql(conn.db, engine), insertMissingGroups: false, now: NOW, perKey: k === 0, ...over };
        const journal = DrainJournal.create(join(journals, `${engine}-${k}-${Date.now()}.jsonl`), {
          t: 'header', format: 'sentry-admin-drain-journal/1', createdAt: NOW.toISOString(), database: 'test', engine, hosts: [], token: 't', pid: 1,
        });
        const items: UnitItem[] = entries.map((entry, i) => ({ id: `1.${i}`, entry }));
        const r = await applyUnits(conn.db, journal, 'u1', items, ctx);
        journal.close();
        out.push({ r, snap: await snapshot(conn.db) });
      }
      assert.deepEqual(outcomes(out[1].r), outcomes(out[0].r), 'outcomes differ between the set-based and the per-key path');
      assert.deepEqual(out[1].snap, out[0].snap, 'rows differ between the set-based and the per-key path');
      return out;
    };

    test('every model and shape, misses, duplicates in the batch, NULL filters, a failing insert', async () => {
      await reset();
      const user = py.value(new Map([[py.str('id'), '42'], [py.str('email'), 'a@b.c']]));
      const group = (id: number, cols: Record<string, number>, extra: Record<string, Buffer> = {}) =>
        entry('Group', cols, { id }, { last_seen: LAST_SEEN_UTC, score: SCORE_PICKLE, ...extra });
      const gtv = (group_id: number, project_id: number | null, value: string, n = 1) =>
        entry('GroupTagValue', { times_seen: n }, { group_id, project_id, key: 'browser', value }, { last_seen: LAST_SEEN_UTC });
      const os2 = entry('TagKey', { values_seen: 5 }, { project_id: 1, key: 'os2' });
      const entries = [
        group(4242, { times_seen: 2, time_spent_total: 30, time_spent_count: 2 }, { message: py.value('Café ☃'), level: py.value(30), culprit: py.value(py.str('app.views in detail')) }),
        group(4243, { times_seen: 3 }),
        group(4244, { times_seen: 1 }, { message: py.value('other') }),
        group(999, { times_seen: 1 }),
        entry('Release', { new_groups: 2 }, { id: 7 }),
        entry('Release', { new_groups: 1 }, { id: 8 }),
        entry('TagValue', { times_seen: 3 }, { project_id: 1, key: 'browser', value: 'Chrome 43.0' }, { last_seen: LAST_SEEN_PG, data: py.value(null) }),
        // on MySQL's case-insensitive collation this one targets the same row as the previous entry
        entry('TagValue', { times_seen: 4 }, { project_id: 1, key: 'browser', value: 'chrome 43.0' }, { last_seen: LAST_SEEN_UTC, data: user }),
        entry('TagValue', { times_seen: 1 }, { project_id: 1, key: 'sentry:user', value: 'id:42' }, { last_seen: LAST_SEEN_UTC, data: user }),
        entry('TagValue', { times_seen: 1 }, { project_id: 1, key: 'browser', value: 'Firefox' }, { last_seen: LAST_SEEN_UTC, data: py.value(null) }),
        // two new values equal under a case-insensitive collation: MySQL inserts one and updates it with the other
        entry('TagValue', { times_seen: 2 }, { project_id: 1, key: 'os', value: 'Linux' }, { last_seen: LAST_SEEN_UTC, data: py.value(null) }),
        entry('TagValue', { times_seen: 5 }, { project_id: 1, key: 'os', value: 'linux' }, { last_seen: LAST_SEEN_PG, data: user }),
        gtv(4242, 1, 'Chrome 43.0', 2),
        ...Array.from({ length: 12 }, (_, i) => gtv(4242, 1, `v${i}`)),
        gtv(999, 1, 'orphan'), // FK to a missing group: the multi-row INSERT fails, is split, this one is dropped
        ...Array.from({ length: 5 }, (_, i) => gtv(4243, 1, `w${i}`)),
        gtv(4242, null, 'nullproj', 4), // NULL filter matching two rows
        gtv(4243, null, 'nullnew', 3), // NULL filter matching none: inserted
        os2,
        { ...os2, key: 'b:k:sentry.tagkey:ffffffffffffffffffffffffffffffff' }, // same filters under another key
        entry('TagKey', { values_seen: 1 }, { project_id: 1, key: 'browser' }),
        entry('GroupTagKey', { values_seen: 1 }, { project_id: 1, group_id: 4242, key: 'os' }),
        entry('GroupTagKey', { values_seen: 2 }, { project_id: 1, group_id: 4242, key: 'browser' }),
      ];
      const [, set] = await both(entries);
      const r = set.r;
      assert.equal(r.failed.size, 0);
      const { db } = dbs[1].conn;
      const g = await db.selectFrom('sentry_groupedmessage').selectAll().where('id', '=', 4243).executeTakeFirstOrThrow();
      // ScoreClause with a times_seen increment: MySQL ln(NEW times_seen) + unix_timestamp(OLD last_seen); PostgreSQL log10(OLD) + epoch(OLD)
      const old = Date.parse('2015-07-02T10:00:00Z') / 1000;
      assert.equal(Number(g.score), engine === 'mysql' ? Math.round(Math.log(1 + 3) * 600 + old) : Math.round(Math.log10(1) * 600 + old));
      assert.equal(Number(g.times_seen), 4);
      const nulls = await db.selectFrom('sentry_messagefiltervalue').select('times_seen').where('value', '=', 'nullproj').orderBy('times_seen').execute();
      assert.deepEqual(nulls.map((x) => Number(x.times_seen)), [5, 6]);
      const tk = await db.selectFrom('sentry_filterkey').select('values_seen').where('key', '=', 'os2').executeTakeFirstOrThrow();
      assert.equal(Number(tk.values_seen), 10);
      const outcome = (i: number) => r.results.get(`1.${i}`)!.outcome;
      assert.equal(outcome(3), 'missing-group');
      assert.equal(outcome(5), 'missing-release');
      assert.equal(outcome(entries.findIndex((e) => e.filters.some(([, v]) => v === 'orphan'))), 'dropped');
      // Linux / linux: one row on MySQL (the first in key order inserts it, the other updates it), two on PostgreSQL
      assert.deepEqual([outcome(10), outcome(11)].sort(), engine === 'mysql' ? ['inserted', 'updated'] : ['inserted', 'inserted']);
    });

    test('a created sentry:release tag value gets its Release as ensure_release_exists makes it (both paths)', async () => {
      await reset();
      for (const { conn } of dbs) await conn.adapter.syncIdSequence(conn.db, 'sentry_release', 'id'); // release 7 was seeded by id
      const rel = (value: string, data: Buffer = py.value(null), n = 1) =>
        entry('TagValue', { times_seen: n }, { project_id: 1, key: 'sentry:release', value }, { last_seen: LAST_SEEN_UTC, data });
      const long = 'x'.repeat(65);
      const withId = py.value(new Map([[py.str('release_id'), 7]]));
      const entries = [rel('v2'), rel('v1'), rel(long), rel('v3', withId), rel('v4'), ...Array.from({ length: 6 }, (_, i) => rel(`batch-${i}`))];
      const [perKey, set] = await both(entries);
      for (const { r } of [perKey, set]) {
        const rels = entries.map((_, i) => r.results.get(`1.${i}`)!.release ?? null);
        assert.deepEqual(rels.slice(0, 5), ['created', 'exists', 'too-long', null, 'created']);
      }
      const { db } = dbs[1].conn;
      const releases = await db.selectFrom('sentry_release').selectAll().where('project_id', '=', 1).orderBy('id').execute();
      // v1 (seeded), v2, batch-*, v4; no v3 (its data names a release), no 65-character one
      assert.deepEqual(releases.map((x) => x.version).sort(), ['batch-0', 'batch-1', 'batch-2', 'batch-3', 'batch-4', 'batch-5', 'v1', 'v2', 'v4']);
      const v2 = releases.find((x) => x.version === 'v2')!;
      const tv = await db.selectFrom('sentry_filtervalue').selectAll().where('key', '=', 'sentry:release').where('value', '=', 'v2').executeTakeFirstOrThrow();
      assert.equal(new Date(v2.date_added).getTime(), new Date(tv.first_seen).getTime()); // date_added=instance.first_seen
      assert.deepEqual([v2.ref, v2.url, v2.date_started, v2.date_released, v2.data, Number(v2.new_groups)], [null, null, null, null, '{}', 0]);
      // tagvalue.update(data={'release_id': release.id}): MySQLdb hands back a long, psycopg2 an int
      const raw = inflateSync(Buffer.from(tv.data, 'base64'));
      const want = engine === 'mysql' ? `(dp1\nS'release_id'\np2\nL${v2.id}L\ns.` : `(dp1\nS'release_id'\np2\nI${v2.id}\ns.`;
      assert.equal(raw.toString('latin1'), want);
      if (!NO_PYTHON2) {
        const py2 = runPython2(`import sys, json, cPickle\nn = json.load(sys.stdin)\nprint json.dumps(cPickle.dumps({'release_id': long(n) if ${engine === 'mysql' ? 'True' : 'False'} else int(n)}))`, Number(v2.id));
        assert.equal(raw.toString('latin1'), py2, 'not the bytes CPython 2.7 pickles');
      }
      const v3 = await db.selectFrom('sentry_filtervalue').select('data').where('value', '=', 'v3').executeTakeFirstOrThrow();
      assert.equal(inflateSync(Buffer.from(v3.data, 'base64')).toString('latin1'), withId.toString('latin1'));
    });

    test("every Group shape gets Sentry's score: on MySQL the SET order (CPython 2.7 dict order) decides old or new last_seen", async () => {
      await reset();
      // Sentry's SET order for each shape, as CPython 2.7.18 computes it (test/unit/drain-set-order.test.ts checks
      // py27-dict.ts against it for every shape): `last_seen` comes before `score` only for these three.
      const lastSeenFirst = new Set(['level', 'level,message', 'culprit,level']);
      const shapes: { extras: string[]; timeSpent: boolean }[] = [];
      for (const timeSpent of [false, true]) {
        for (const extras of [[], ['level'], ['message'], ['culprit'], ['level', 'message'], ['culprit', 'level'], ['culprit', 'message'], ['culprit', 'level', 'message']]) shapes.push({ extras, timeSpent });
      }
      const oldSeen = new Date('2015-07-01T00:00:00Z');
      for (const { conn } of dbs) for (let k = 0; k < shapes.length; k++) await seedGroup(conn.db, 6000 + k, { times_seen: 7, last_seen: oldSeen });
      const value: Record<string, Buffer> = { level: py.value(20), message: py.value('new message'), culprit: py.value('new.culprit') };
      const entries = shapes.map(({ extras, timeSpent }, k) => entry('Group', timeSpent ? { times_seen: 2, time_spent_total: 9, time_spent_count: 1 } : { times_seen: 2 }, { id: 6000 + k },
        { last_seen: LAST_SEEN_PG, score: SCORE_PICKLE, ...Object.fromEntries(extras.map((x) => [x, value[x]])) }));
      await both(entries);
      const newSeen = Date.UTC(2015, 6, 28, 20, 41, 31) / 1000; // LAST_SEEN_PG, whole seconds on MySQL
      for (const [k, { extras, timeSpent }] of shapes.entries()) {
        const g = await dbs[1].conn.db.selectFrom('sentry_groupedmessage').select(['score']).where('id', '=', 6000 + k).executeTakeFirstOrThrow();
        const want = engine === 'mysql'
          ? Math.round(Math.log(9) * 600 + (!timeSpent && lastSeenFirst.has(extras.join(',')) ? newSeen : oldSeen.getTime() / 1000))
          : Math.round(Math.log10(7) * 600 + oldSeen.getTime() / 1000);
        assert.equal(Number(g.score), want, `extras ${extras.join(',') || 'none'}${timeSpent ? ' + time_spent' : ''}`);
      }
    });

    test('a MySQL score is the same through both paths whatever the SET columns of the Group (every shape in one unit)', async () => {
      await reset();
      const shapes: Record<string, number>[] = [{ times_seen: 1 }, { times_seen: 5, time_spent_total: 9, time_spent_count: 1 }, { time_spent_total: 4, time_spent_count: 1 }];
      const entries = [4242, 4243, 4244].map((id, k) => entry('Group', shapes[k], { id }, { last_seen: LAST_SEEN_PG, score: SCORE_PICKLE, level: py.value(20) }));
      await both(entries);
    });

    test('a key the database refuses is re-buffered alone; the rest of its big batch is applied', async () => {
      await reset();
      const { conn } = dbs[1];
      await redis.flushdb();
      const values = Array.from({ length: 40 }, (_, i) => `ok${i}`);
      for (const value of values) await sentryIncr([redis], 'TagValue', { times_seen: 2 }, { project_id: 1, key: 'load', value }, { last_seen: LAST_SEEN_UTC, data: py.value(null) });
      // longer than varchar(200): PostgreSQL and strict MySQL refuse it (not an integrity error: the whole unit fails)
      const bad = await sentryIncr([redis], 'TagValue', { times_seen: 1 }, { project_id: 1, key: 'load', value: 'x'.repeat(201) }, { last_seen: LAST_SEEN_UTC, data: py.value(null) });
      const s = await drainBuffer(conn, [redis], [parseRedisUrl(REDIS)], {
        batchSize: 1000, pauseMs: 0, orphanSweep: false, insertMissingGroups: false, journalDir: journals, lockWaitMs: 0,
      });
      assert.equal(s.stats.taken, 41);
      assert.equal(s.stats.applied, 40);
      assert.equal(s.stats.rebuffered, 1);
      assert.equal(await redis.hget(bad, 'i+times_seen'), '1');
      const rows = await conn.db.selectFrom('sentry_filtervalue').select(['value', 'times_seen']).where('key', '=', 'load').execute();
      assert.deepEqual(rows.map((r) => [r.value, Number(r.times_seen)]).sort(), values.map((v) => [v, 2]).sort());
      assert.equal(Number((await conn.db.selectFrom('sentry_filterkey').select('values_seen').where('key', '=', 'load').executeTakeFirstOrThrow()).values_seen), 40);
      await redis.flushdb();
    });

    test('one take call over many keys: a key of the wrong type fails alone, the others are taken once', async () => {
      await redis.flushdb();
      defineScripts(redis);
      const keys = [];
      for (let i = 0; i < 30; i++) keys.push(await sentryIncr([redis], 'TagKey', { values_seen: 1 }, { project_id: 1, key: `t${i}` }));
      await redis.del(keys[3]);
      await redis.set(keys[3], 'not a hash'); // WRONGTYPE for HGETALL, in the first script call
      const taken = await takeKeys(redis, keys, 'pending');
      assert.equal(taken[3].kind, 'error');
      assert.equal(await redis.get(keys[3]), 'not a hash'); // left where it was
      assert.deepEqual(taken.filter((t, i) => i !== 3).map((t) => t.kind), Array(29).fill('taken'));
      assert.deepEqual(await redis.zrange('b:p', 0, -1), [keys[3]]);
      const again = await takeKeys(redis, keys.filter((_, i) => i !== 3), 'pending');
      assert.deepEqual(again.map((t) => t.kind), Array(29).fill('empty'));
      await redis.flushdb();
    });

    test('a whole drain of a mixed backlog ends with the same rows through either path', async () => {
      const snaps: Record<string, string[]>[] = [];
      for (const [k, { conn }] of dbs.entries()) {
        for (const [t] of [...TABLES].reverse()) await conn.db.deleteFrom(t).execute();
        for (const t of ['sentry_project', 'sentry_team', 'sentry_organization', 'auth_user']) await conn.db.deleteFrom(t).execute();
        await seedProject(conn.db);
        for (let id = 1; id <= 300; id++) await seedGroup(conn.db, id, { times_seen: id });
        await conn.db.insertInto('sentry_release').values(Array.from({ length: 30 }, (_, i) => ({ id: i + 1, project_id: 1, version: `v${i + 1}`, date_added: NOW, data: '{}', new_groups: 0 }))).execute();
        await redis.flushdb();
        await writeBacklog(redis, 3000);
        const s = await drainBuffer(conn, [redis], [parseRedisUrl(REDIS)], {
          batchSize: 97, pauseMs: 0, concurrency: 3, orphanSweep: true, insertMissingGroups: false, journalDir: journals, lockWaitMs: 0, perKey: k === 0,
        });
        assert.equal(s.stats.rebuffered + s.stats.uncertain + s.stats.dbFailed, 0);
        assert.equal(await redis.zcard('b:p'), 0);
        const snap = await snapshot(conn.db);
        // first_seen is the flush time of each insert: not comparable between two runs
        for (const t of ['sentry_filtervalue', 'sentry_messagefiltervalue']) snap[t] = snap[t].map((x) => JSON.stringify({ ...JSON.parse(x), first_seen: null })).sort();
        snaps.push(snap);
      }
      assert.deepEqual(snaps[1], snaps[0]);
    });
  });
}
