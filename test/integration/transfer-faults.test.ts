/**
 * Faults injected into a migration run on the real servers: lost chunk payloads, an evicting Redis, a
 * discard under a live run, a live importer stalled on a lock in the target, a lease taken away, ids out
 * of the target's range, text keys that collide under MySQL's collation.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import type { DbUrl } from '../../src/db/url.js';
import { CliError, RuntimeFailure, UsageError } from '../../src/errors.js';
import { Lease } from '../../src/redis/lease.js';
import { type MigrateOptions, type MigrationReport, runMigration } from '../../src/transfer/migrate.js';
import { Staging } from '../../src/transfer/staging.js';
import { discardRun, runStatus } from '../../src/transfer/status.js';
import { FIXTURE_TABLES, T0, dumpTables, loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { ENGINES, REDIS_DB, REDIS_URL, type TempDatabase, runCli, uniqueName } from '../helpers/servers.js';

const redisUrl = parseRedisUrl(REDIS_URL(REDIS_DB.staging));
const redis = new Redis({ host: redisUrl.host, port: redisUrl.port, db: REDIS_DB.staging });
const dbs: TempDatabase[] = [];
const namespaces: string[] = [];
const work = join(tmpdir(), uniqueName('sa-faults'));
const children: ChildProcess[] = [];

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const ns of namespaces) await discardRun(redisUrl, ns);
  redis.disconnect();
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

async function db(engine: 'mysql' | 'postgres', bigInts = false) {
  const d = await sentryDatabase(engine, { bigInts });
  dbs.push(d);
  return d;
}

function opts(from: TempDatabase | undefined, to: TempDatabase | undefined, extra: Partial<MigrateOptions> = {}): MigrateOptions {
  const ns = uniqueName('sa-fault');
  namespaces.push(ns);
  return {
    mode: 'migrate', source: from?.url, target: to?.url, redis: redisUrl, namespace: ns, scope: {}, signal: new AbortController().signal,
    rejectsPath: join(work, `${ns}.jsonl`), journalDir: join(work, 'journals'), chunkRows: 5, ...extra,
  };
}

const importOf = (o: MigrateOptions, to: TempDatabase, extra: Partial<MigrateOptions> = {}): MigrateOptions => ({ ...o, mode: 'import', source: undefined, target: to.url, ...extra });

async function until(what: string, test: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pendingOwners = async (ns: string, table: string) =>
  ((await redis.xpending(`${ns}:q:${table}`, 'importers', '-', '+', 100)) as [string, string][]).map((p) => p[1]);

/** Hold a lock on a target table that lets reads through but makes any write wait (a DBA's long transaction). */
async function blockWrites(url: DbUrl, table: string): Promise<() => Promise<void>> {
  if (url.engine === 'postgres') {
    const c = new pg.Client({ host: url.host, port: url.port, user: url.user, password: url.password || undefined, database: url.database });
    await c.connect();
    await c.query('BEGIN');
    await c.query(`LOCK TABLE ${table} IN SHARE MODE`);
    return async () => (await c.query('ROLLBACK'), await c.end());
  }
  const c = await mysql.createConnection({ host: url.host, port: url.port, user: url.user, password: url.password, database: url.database });
  await c.query(`LOCK TABLES ${table} READ`);
  return async () => (await c.query('UNLOCK TABLES'), await c.end());
}

const stagingKeys = async (ns: string) => {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 500);
    out.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return out;
};

describe('chunk accounting: no chunk is lost silently', () => {
  it('a deleted chunk payload stops the import naming the chunk; export again rebuilds it; import then completes', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 20 }));
    const o = opts(src, undefined, { mode: 'export' });
    assert.equal((await runMigration(o)).complete, true);
    assert.equal(await redis.del(`${o.namespace}:chunk:sentry_message:2`, `${o.namespace}:chunk:nodestore_node:1`), 2);
    await assert.rejects(runMigration(importOf(o, dst)), (e: unknown) =>
      e instanceof RuntimeFailure && /chunk (2 of sentry_message|1 of nodestore_node)/.test(e.message) && /payload .* is gone/.test(e.message) && /export again/.test(e.hint ?? ''));
    const mid = await runStatus(redisUrl, o.namespace);
    assert.equal(mid.tables.find((t) => t.table === 'sentry_message')!.complete, false);
    assert.equal(mid.state, 'interrupted');
    // The exporter rebuilds the lost chunk from its key range; everything else was staged already.
    const again = await runMigration(o);
    assert.equal(again.complete, true);
    assert.equal(await redis.exists(`${o.namespace}:chunk:sentry_message:2`, `${o.namespace}:chunk:nodestore_node:1`), 2);
    const r = await runMigration(importOf(o, dst));
    assert.equal(r.complete, true);
    assert.equal(r.rejected, 0);
    const msg = r.tables.find((t) => t.table === 'sentry_message')!;
    assert.equal(msg.read, 40);
    assert.equal(msg.written, 40);
    assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES)));
    assert.equal(await redis.get(`${o.namespace}:staged-bytes`), '0');
    assert.equal((await runStatus(redisUrl, o.namespace)).state, 'done');
  });

  it('rows that do not add up stop the import naming the table; it is never reported complete', async () => {
    const src = await db('postgres');
    const dst = await db('mysql');
    await withDb(src.url, (d) => loadFixture(d, { events: 2 }));
    const o = opts(src, undefined, { mode: 'export' });
    await runMigration(o);
    await redis.hincrby(`${o.namespace}:progress:sentry_team`, 'exported_rows', 1); // one row staged that no chunk holds
    await assert.rejects(runMigration(importOf(o, dst)), (e: unknown) =>
      e instanceof RuntimeFailure && /sentry_team: 3 rows exported but 2 loaded and 0 rejected/.test(e.message));
    assert.equal((await runStatus(redisUrl, o.namespace)).tables.find((t) => t.table === 'sentry_team')!.complete, false);
  });

  it('an ack is counted once, and an ack after a discard recreates nothing', async () => {
    const ns = uniqueName('sa-fault');
    namespaces.push(ns);
    const st = new Staging(redis, ns);
    await st.claim({ source: 'mysql://x/a', target: '', scope: 'all' });
    await st.setTables([{ table: 't', columns: ['id'], kinds: ['int32'], pk: 'id', intPk: true, rows: 2 }]);
    await st.stage('t', 0, JSON.stringify({ table: 't', columns: ['id'], rows: [['1'], ['2']] }), 2, '1', '2', '2');
    const [d] = await st.readChunks(['t'], 'c1', { pending: false, count: 1, blockMs: 10 });
    assert.equal(await st.ack(d, 2, 0, 0.1), true);
    assert.equal(await st.ack(d, 2, 0, 0.1), false);
    assert.equal(await redis.get(`${ns}:staged-bytes`), '0');
    assert.deepEqual(await redis.hmget(`${ns}:progress:t`, 'imported_rows', 'imported_chunks'), ['2', '1']);
    await st.stage('t', 1, JSON.stringify({ table: 't', columns: ['id'], rows: [['3']] }), 1, '3', '3', '3');
    const [d2] = await st.readChunks(['t'], 'c1', { pending: false, count: 1, blockMs: 10 });
    await st.discard();
    await assert.rejects(st.ack(d2, 1, 0, 0.1), (e: unknown) => e instanceof RuntimeFailure && /was discarded/.test(e.message));
    assert.deepEqual(await stagingKeys(ns), []);
  });
});

describe('a staging Redis that may evict keys is refused before anything is staged', () => {
  it('allkeys-lru: exit 2 naming the policy and the fix; volatile-lru is accepted', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    children.push(server);
    const r = new Redis({ port, lazyConnect: true, retryStrategy: () => 100 });
    r.on('error', () => undefined);
    try {
      await until('the private redis-server', async () => (await r.ping().catch(() => '')) === 'PONG', 10_000);
      const src = await db('postgres');
      await withDb(src.url, (d) => loadFixture(d, { events: 1 }));
      const o = opts(src, undefined, { mode: 'export', redis: parseRedisUrl(`redis://127.0.0.1:${port}/0`) });
      await assert.rejects(runMigration(o), (e: unknown) =>
        e instanceof UsageError && /maxmemory-policy allkeys-lru/.test(e.message) && /CONFIG SET maxmemory-policy noeviction/.test(e.hint ?? ''));
      assert.equal(await r.dbsize(), 0);
      await r.config('SET', 'maxmemory-policy', 'volatile-lru');
      assert.equal((await runMigration(o)).complete, true);
    } finally {
      r.disconnect();
      server.kill('SIGKILL');
    }
  });
});

/**
 * Export a small fixture (one chunk per table), lock sentry_message against writes in a new target, and run
 * `body` while it is locked; `body` calls `release()` when it wants the lock gone (the helper releases it otherwise).
 */
async function whileTargetLocked(engine: 'mysql' | 'postgres', events: number, body: (x: { src: TempDatabase; dst: TempDatabase; o: MigrateOptions; release: () => Promise<void> }) => Promise<void>) {
  const src = await db('mysql');
  const dst = await db(engine);
  await withDb(src.url, (d) => loadFixture(d, { events }));
  const o = opts(src, undefined, { mode: 'export', chunkRows: 1000 });
  await runMigration(o);
  const unlock = await blockWrites(dst.url, 'sentry_message');
  let locked = true;
  const release = async () => void (locked && ((locked = false), await unlock()));
  try {
    await body({ src, dst, o, release });
  } finally {
    await release();
  }
}

const sameData = async (src: TempDatabase, dst: TempDatabase) =>
  assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES)));

const takenBy = async (ns: string) => {
  await until('an importer to take the sentry_message chunk', async () => (await pendingOwners(ns, 'sentry_message')).length === 1);
  return (await pendingOwners(ns, 'sentry_message'))[0];
};

for (const engine of ENGINES) {
  describe(`a live importer stalled on a lock in the target (${engine})`, () => {
    it('keeps its chunk: a second importer on the same host never takes it, and every row is loaded once', () =>
      whileTargetLocked(engine, 10, async ({ src, dst, o, release }) => {
        // reclaimIdleMs is tiny: before leases, the second importer took the stalled chunk after it.
        const imp = importOf(o, dst, { jobs: 1, importerId: 'vm-0', reclaimIdleMs: 200 });
        const a = runMigration(imp);
        const owner = await takenBy(o.namespace);
        const b = runMigration(imp);
        await new Promise((r) => setTimeout(r, 3_000));
        const during = await runStatus(redisUrl, o.namespace);
        assert.deepEqual(await pendingOwners(o.namespace, 'sentry_message'), [owner]);
        assert.equal(during.state, 'importing');
        assert.equal(during.alive.filter((x) => x.role.startsWith('importer:')).length, 2); // two processes, two consumers
        await release();
        const [ra, rb] = await Promise.all([a, b]);
        assert.equal(ra.complete && rb.complete, true);
        assert.equal(ra.resumed, false);
        assert.equal(ra.rejected + rb.rejected, 0);
        assert.equal(await redis.get(`${o.namespace}:staged-bytes`), '0');
        await sameData(src, dst);
      }));

    it('whose lease is taken away: the chunk goes to the other importer, the first stops (exit 1) and nothing is loaded twice', () =>
      whileTargetLocked(engine, 10, async ({ src, dst, o, release }) => {
        const imp = importOf(o, dst, { jobs: 1 });
        const a = runMigration(imp).then((r) => r, (e) => e as Error);
        const owner = await takenBy(o.namespace);
        const b = runMigration(imp);
        assert.equal(await redis.del(`${o.namespace}:lock:importer:${owner}`), 1);
        // B reclaims the dead-looking consumer's chunk, then waits for A's chunk lock in the target.
        await until('importer B to reclaim the chunk', async () => {
          const owners = await pendingOwners(o.namespace, 'sentry_message');
          return owners.length === 1 && owners[0] !== owner;
        });
        await new Promise((r) => setTimeout(r, 6_000)); // A's next refresh finds its lease gone
        await release();
        const ra = await a;
        assert.ok(ra instanceof RuntimeFailure && /lease .* was deleted or expired/.test(ra.message), String(ra));
        const rb = await b;
        assert.equal(rb.complete, true);
        assert.equal(rb.rejected, 0);
        assert.equal(await redis.get(`${o.namespace}:staged-bytes`), '0');
        await sameData(src, dst);
      }));

    it('a discard under the stalled import stops it with a clear message, and no key of the run comes back', () =>
      whileTargetLocked(engine, 4, async ({ dst, o, release }) => {
        const a = runMigration(importOf(o, dst, { jobs: 2 })).then((r) => r, (e) => e as Error);
        await takenBy(o.namespace);
        await discardRun(redisUrl, o.namespace);
        await release();
        const ra = await a;
        assert.ok(ra instanceof RuntimeFailure && /was discarded while this run was using it/.test(ra.message), String(ra));
        assert.deepEqual(await stagingKeys(o.namespace), []);
      }));
  });

  describe(`ids beyond a 32-bit target column (${engine} target)`, () => {
    it('are rejected row by row (exit 4 path), including in a chunk that straddles the limit', async () => {
      const other = engine === 'mysql' ? 'postgres' : 'mysql';
      const src = await db(other, true);
      // Events of acme get ids 2147483641.. (the limit 2147483647 falls inside a chunk); globex's are all beyond.
      await withDb(src.url, (d) => loadFixture(d, { events: 10, idBase: 2147482640n }));
      const dst = await db(engine, false);
      const o = opts(src, dst, { chunkRows: 4, verify: false });
      const r = await runMigration(o);
      assert.equal(r.complete, true);
      assert.ok(r.rejected > 0);
      const rejects = readFileSync(o.rejectsPath!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(rejects.filter((x) => x.table === 'sentry_message').every((x) => /out of range/.test(x.reason) && BigInt(x.key) > 2147483647n));
      const ids = await withDb(dst.url, async (d) => (await d.selectFrom('sentry_message').select('id').execute()).map((x) => String(x.id)).sort());
      assert.deepEqual(ids, ['2147483641', '2147483642', '2147483643', '2147483644', '2147483645', '2147483646', '2147483647']);
      for (const t of r.tables) assert.equal(t.read, t.written + t.rejected, t.table);
    });
  });
}

describe('text keys that collide under the MySQL collation (PostgreSQL -> MySQL)', () => {
  for (const chunkRows of [1, 1000]) {
    it(`are rejected and named, never deleted silently (${chunkRows === 1 ? 'in different chunks' : 'in one chunk'})`, async () => {
      const src = await db('postgres');
      await withDb(src.url, async (d) => {
        await loadFixture(d, { events: 1 });
        for (const id of ['pad', 'pad ', 'PAD']) await d.insertInto('nodestore_node').values({ id, data: 'x', timestamp: T0 }).execute();
      });
      const dst = await db('mysql');
      const o = opts(src, dst, { chunkRows, verify: false });
      const r = await runMigration(o);
      assert.equal(r.complete, true);
      const got = await withDb(dst.url, async (d) => (await d.selectFrom('nodestore_node').select('id').where(sql.ref('id'), 'like', 'pa%')).execute());
      assert.equal(got.length, 1);
      const rejects = readFileSync(o.rejectsPath!, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((x) => x.table === 'nodestore_node');
      assert.equal(rejects.length, 2);
      assert.ok(rejects.every((x) => /collides/.test(x.reason)), JSON.stringify(rejects));
      assert.deepEqual([...rejects.map((x) => x.key), String(got[0].id)].sort(), ['PAD', 'pad', 'pad ']);
      const nodes = r.tables.find((t) => t.table === 'nodestore_node')!;
      assert.equal(nodes.read, nodes.written + nodes.rejected);
      assert.equal(nodes.rejected, 2);
    });
  }
});

describe('leases', () => {
  it('a lease taken away raises `lost`; a late release never frees the new holder', async () => {
    const key = `${uniqueName('sa-fault')}:lock:x`;
    const a = await Lease.acquire(redis, key, { ttlMs: 600, what: 'a test' });
    await redis.del(key);
    await redis.set(key, 'someone-else', 'PX', 5_000);
    await until('the lease to be lost', async () => a.lost.aborted, 5_000);
    assert.match(a.lostReason!, /held by someone-else/);
    assert.throws(() => a.throwIfLost(), (e: unknown) => e instanceof CliError && e.exitCode === 1);
    await a.release();
    assert.equal(await redis.get(key), 'someone-else');
    await redis.del(key);
  });

  it('an exporter whose lock is deleted mid-run stops with exit 1; status then says interrupted', async () => {
    const src = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 10 }));
    // A cap of one byte: after its first chunk the exporter waits for importers that never come.
    const o = opts(src, undefined, { mode: 'export', maxStagedBytes: 1 });
    const run = runMigration(o).then((r: MigrationReport) => r, (e) => e as Error);
    await until('the first chunk', async () => Number(await redis.get(`${o.namespace}:staged-bytes`)) > 0);
    assert.equal((await runStatus(redisUrl, o.namespace)).state, 'exporting');
    assert.equal(await redis.del(`${o.namespace}:lock:exporter`), 1);
    const r = await run;
    assert.ok(r instanceof RuntimeFailure && /an export .* stopped: its lease .* was deleted or expired/.test(r.message), String(r));
    const st = await runStatus(redisUrl, o.namespace);
    assert.equal(st.state, 'interrupted');
    assert.deepEqual(st.alive, []);
  });
});

describe('a namespace discarded under a running export', () => {
  it('stops the exporter with a clear message (exit 1), and nothing of the run comes back', async () => {
    const src = await db('mysql');
    await withDb(src.url, (d) => loadFixture(d, { events: 10 }));
    const o = opts(src, undefined, { mode: 'export', maxStagedBytes: 1 });
    const run = runMigration(o).then((r: MigrationReport) => r, (e) => e as Error);
    await until('the first chunk', async () => Number(await redis.get(`${o.namespace}:staged-bytes`)) > 0);
    await discardRun(redisUrl, o.namespace);
    const r = await run;
    assert.ok(r instanceof RuntimeFailure && /was discarded while this run was using it/.test(r.message) && /run the same command again/.test(r.hint ?? ''), String(r));
    assert.deepEqual(await stagingKeys(o.namespace), []);
  });
});

describe('status and discard (the real binary)', () => {
  it('status says exported after an export; discard refuses a live run (exit 75) unless --force', async () => {
    const src = await db('mysql');
    await withDb(src.url, (d) => loadFixture(d, { events: 2 }));
    const o = opts(src, undefined, { mode: 'export' });
    await runMigration(o);
    const args = ['--redis', REDIS_URL(REDIS_DB.staging), '--namespace', o.namespace];
    const status = await runCli(['status', ...args, '--json'], { cwd: tmpdir() });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).state, 'exported');
    const human = await runCli(['status', ...args], { cwd: tmpdir() });
    assert.match(human.stdout, /state exported; nothing running/);
    assert.match(human.stdout, /sentry-admin import --to URL/);
    // A live importer somewhere (its lease).
    await redis.set(`${o.namespace}:lock:importer:vm-9:4242:abc-0`, 'vm-9:4242:abc', 'PX', 60_000);
    const refused = await runCli(['discard', ...args], { cwd: tmpdir() });
    assert.equal(refused.code, 75, refused.stderr);
    assert.match(refused.stderr, /is alive \(alive: importer vm-9:4242:abc-0\).*--force/s);
    assert.ok((await stagingKeys(o.namespace)).length > 3);
    const forced = await runCli(['discard', ...args, '--force'], { cwd: tmpdir() });
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(await stagingKeys(o.namespace), []);
  });
});
