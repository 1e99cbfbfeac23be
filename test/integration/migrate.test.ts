import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { UsageError } from '../../src/errors.js';
import { runMigration } from '../../src/transfer/migrate.js';
import { FIXTURE_TABLES, T0, dumpTables, loadFixture, withDb } from '../helpers/fixtures.js';
import { migrationRuns } from '../helpers/migration-runs.js';
import { REDIS_DB, REDIS_URL } from '../helpers/servers.js';

const runs = migrationRuns('sa-mig');
const { redis, db, opts } = runs;
const rejectsDir = runs.dir;
after(() => runs.cleanup());

describe('migrate: every direction copies every row exactly', () => {
  for (const [a, b] of [['mysql', 'postgres'], ['postgres', 'mysql'], ['mysql', 'mysql'], ['postgres', 'postgres']] as const) {
    it(`${a} -> ${b}`, async () => {
      const src = await db(a);
      const dst = await db(b);
      await withDb(src.url, (d) => loadFixture(d, { events: 7 }));
      const r = await runMigration(opts(src, dst));
      assert.equal(r.complete, true);
      assert.equal(r.rejected, 0);
      const want = await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES));
      const got = await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES));
      assert.deepEqual(got, want);
      assert.equal(r.tables.find((t) => t.table === 'sentry_message')!.written, 14);
    });
  }

  it('round trip MySQL -> PostgreSQL -> MySQL with 64-bit ids beyond 2^53', async () => {
    const m1 = await db('mysql', true);
    const p = await db('postgres', true);
    const m2 = await db('mysql', true);
    await withDb(m1.url, (d) => loadFixture(d, { idBase: 9007199254740993n }));
    await runMigration(opts(m1, p));
    await runMigration(opts(p, m2));
    const want = await withDb(m1.url, (d) => dumpTables(d, FIXTURE_TABLES));
    assert.deepEqual(await withDb(m2.url, (d) => dumpTables(d, FIXTURE_TABLES)), want);
    assert.equal((want.sentry_organization[0] as any).id, '9007199254740994');
    // PostgreSQL sequences end past the largest id, so Sentry can insert afterwards.
    const next = await withDb(p.url, async (d) => {
      const r = await d.insertInto('sentry_team').values({ slug: 'new', name: 'New', date_added: T0, status: 0, organization_id: '9007199254740994' }).returning('id').executeTakeFirstOrThrow();
      return String(r.id);
    });
    assert.ok(BigInt(next) > 9007199254740995n, next);
  });
});

describe('export, then several importers at once', () => {
  it('two importers share the chunks through the consumer group and load every row once', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 40 }));
    const o = opts(src, undefined, { mode: 'export' });
    const exported = await runMigration(o);
    assert.equal(exported.complete, true);
    const imp = { ...o, mode: 'import' as const, source: undefined, target: dst.url, jobs: 2 };
    const [a, b] = await Promise.all([runMigration({ ...imp, importerId: 'host-a' }), runMigration({ ...imp, importerId: 'host-b' })]);
    assert.equal(a.complete && b.complete, true);
    const want = await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES));
    assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), want);
  });

  it('an import of an export that stopped part-way ends (incomplete) instead of waiting forever', async () => {
    const src = await db('postgres');
    const dst = await db('mysql');
    await withDb(src.url, (d) => loadFixture(d, { events: 10 }));
    const o = opts(src, undefined, { mode: 'export' });
    const stop = new AbortController();
    let chunks = 0;
    // Stop the exporter after a few chunks, as a crash would.
    const exported = await runMigration({ ...o, signal: stop.signal, progress: { add() {}, tick() { if (++chunks === 3) stop.abort(); }, stop() {} } });
    assert.equal(exported.complete, false);
    const r = await runMigration({ ...o, mode: 'import', source: undefined, target: dst.url });
    assert.equal(r.complete, false);
    assert.ok(r.warnings.some((w) => /no exporter is running/.test(w)), r.warnings.join('\n'));
  });
});

describe('migrate: scope', () => {
  it('--org carries only that organization and what it references', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 4 }));
    const r = await runMigration(opts(src, dst, { scope: { orgs: ['globex'] } }));
    assert.equal(r.complete, true);
    const got = await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES));
    assert.deepEqual(got.sentry_organization.map((o: any) => o.slug), ['globex']);
    assert.deepEqual(got.sentry_project.map((p: any) => p.organization_id), ['2']);
    assert.equal(got.sentry_message.length, 4);
    assert.ok(got.sentry_message.every((m: any) => m.project_id === '2'));
    assert.equal(got.nodestore_node.length, 4); // only the nodes its events point at
    assert.ok(got.nodestore_node.every((n: any) => Buffer.from(n.id, 'base64').toString().startsWith('node-2-')));
    assert.deepEqual(got.auth_user.map((u: any) => u.username), ['admin', 'carol']); // owner + its members only
    assert.equal(got.sentry_auditlogentry.length, 1);
  });

  it('--no-events leaves groups, events and tags behind', async () => {
    const src = await db('postgres');
    const dst = await db('mysql');
    await withDb(src.url, (d) => loadFixture(d));
    await runMigration(opts(src, dst, { scope: { noEvents: true } }));
    const got = await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES));
    assert.equal(got.sentry_organization.length, 2);
    assert.equal(got.sentry_groupedmessage.length, 0);
    assert.equal(got.sentry_message.length, 0);
    assert.equal(got.nodestore_node.length, 0);
  });

  it('an unknown org slug is a usage error', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await assert.rejects(runMigration(opts(src, dst, { scope: { orgs: ['nope'] } })), (e: unknown) => e instanceof UsageError && /--org nope/.test(e.message));
  });
});

describe('migrate: refusals write nothing', () => {
  it('a target with data', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d));
    await withDb(dst.url, (d) => loadFixture(d, { events: 1 }));
    const before = await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES));
    await assert.rejects(runMigration(opts(src, dst)), (e: unknown) => e instanceof UsageError && /already holds data/.test(e.message));
    assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), before);
  });

  it("a target holding only Sentry's default rows: refused, then replaced with --replace-defaults", async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d));
    await withDb(dst.url, async (d) => {
      await d.insertInto('auth_user').values({ id: 1, password: '!', last_login: T0, username: 'sentry', first_name: '', last_name: '', email: 'sentry@localhost', is_staff: true, is_active: true, is_superuser: true, date_joined: T0, is_managed: false }).execute();
      await d.insertInto('sentry_organization').values({ id: 1, name: 'Sentry', status: 0, date_added: T0, slug: 'sentry', flags: 0, owner_id: 1 }).execute();
      await d.insertInto('sentry_team').values({ id: 1, slug: 'sentry', name: 'Sentry', date_added: T0, status: 0, organization_id: 1 }).execute();
      await d.insertInto('sentry_project').values({ id: 1, name: 'Internal', public: false, date_added: T0, status: 0, slug: 'internal', team_id: 1, organization_id: 1, platform: null }).execute();
    });
    await assert.rejects(runMigration(opts(src, dst)), (e: unknown) => e instanceof UsageError && /default rows/.test(e.message) && /--replace-defaults/.test(e.hint ?? ''));
    const r = await runMigration(opts(src, dst, { replaceDefaults: true }));
    assert.equal(r.complete, true);
    assert.ok(r.replacedDefaults && existsSync(r.replacedDefaults.journal));
    const want = await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES));
    assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), want);
  });

  it('a target missing a NOT NULL column the source cannot fill', async () => {
    const src = await db('postgres');
    const dst = await db('mysql');
    await withDb(src.url, (d) => loadFixture(d));
    await withDb(src.url, (d) => sql`ALTER TABLE sentry_team DROP COLUMN status`.execute(d));
    await assert.rejects(runMigration(opts(src, dst)), (e: unknown) => e instanceof UsageError && /sentry_team\.status is NOT NULL/.test(e.message));
    assert.equal(await withDb(dst.url, async (d) => (await d.selectFrom('auth_user').selectAll().execute()).length), 0);
  });

  it("a staging Redis holding Sentry's own keys, unless --allow-shared-redis", async () => {
    const shared = parseRedisUrl(REDIS_URL(REDIS_DB.sharedRedis));
    const { Redis } = await import('ioredis');
    const r = new Redis({ host: shared.host, port: shared.port, db: REDIS_DB.sharedRedis });
    await r.zadd('b:p', 1, 'b:k:sentry.group:abc');
    try {
      const src = await db('mysql');
      const dst = await db('postgres');
      await assert.rejects(runMigration(opts(src, dst, { redis: shared })), (e: unknown) => e instanceof UsageError && /Sentry's own keys/.test(e.message));
      assert.equal(await r.exists('b:p'), 1);
      assert.equal((await r.keys('sa-mig*')).length, 0);
    } finally {
      await r.del('b:p');
      r.disconnect();
    }
  });

  it('a namespace that belongs to another source', async () => {
    const a = await db('mysql');
    const b = await db('mysql');
    const dst = await db('postgres');
    const o = opts(a, undefined, { mode: 'export' });
    await runMigration(o);
    await assert.rejects(runMigration({ ...o, source: b.url }), (e: unknown) => e instanceof UsageError && /belongs to another run/.test(e.message));
    await assert.rejects(runMigration({ ...o, mode: 'migrate', source: b.url, target: dst.url }), UsageError);
  });
});

describe('migrate: values the target cannot hold', () => {
  it('MySQL zero dates are rejected to a file (exit 4 path), or stored as NULL when asked', async () => {
    const src = await db('mysql');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 1 });
      await sql`UPDATE sentry_groupedmessage SET resolved_at = '0000-00-00 00:00:00' WHERE id = 2`.execute(d);
    });
    const dst = await db('postgres');
    const o = opts(src, dst);
    const r = await runMigration(o);
    assert.equal(r.rejected >= 1, true);
    const lines = readFileSync(o.rejectsPath!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const g = lines.find((l) => l.table === 'sentry_groupedmessage');
    assert.equal(g.key, '2');
    assert.match(g.reason, /zero date/);
    // Its children are rejected too (their parent is not there), never loaded half-way.
    assert.ok(lines.some((l) => l.table === 'sentry_message' && /rejected row/.test(l.reason)));
    const dst2 = await db('postgres');
    const r2 = await runMigration(opts(src, dst2, { zeroDatesToNull: true }));
    assert.equal(r2.rejected, 0);
    assert.equal(r2.notes['zero-date-null'], 1);
    const row = await withDb(dst2.url, (d) => d.selectFrom('sentry_groupedmessage').select('resolved_at').where('id', '=', 2).executeTakeFirst());
    assert.equal(row!.resolved_at, null);
  });

  it('NUL characters are rejected by a PostgreSQL target; 4-byte UTF-8 by a MySQL utf8 target; both survive where they fit', async () => {
    const m = await db('mysql');
    await withDb(m.url, async (d) => {
      await loadFixture(d, { events: 1 });
      await sql`UPDATE sentry_groupedmessage SET message = ${'nul\u0000inside'} WHERE id = 1`.execute(d);
    });
    const p = await db('postgres');
    const r = await runMigration(opts(m, p));
    const rej = readFileSync(join(rejectsDir, `${r.namespace}.jsonl`), 'utf8');
    assert.match(rej, /NUL character/);
    const mm = await db('mysql');
    await runMigration(opts(m, mm)); // MySQL to MySQL keeps the NUL byte
    const kept = await withDb(mm.url, (d) => d.selectFrom('sentry_groupedmessage').select('message').where('id', '=', 1).executeTakeFirst());
    assert.equal(kept!.message, 'nul\u0000inside');

    const p2 = await db('postgres');
    await withDb(p2.url, async (d) => {
      await loadFixture(d, { events: 1 });
      await sql`UPDATE sentry_groupedmessage SET message = ${'crash 💥 here'} WHERE id = 2`.execute(d);
    });
    const m2 = await db('mysql');
    const r2 = await runMigration(opts(p2, m2));
    assert.match(readFileSync(join(rejectsDir, `${r2.namespace}.jsonl`), 'utf8'), /4-byte UTF-8/);
    const p3 = await db('postgres');
    await runMigration(opts(p2, p3));
    const emoji = await withDb(p3.url, (d) => d.selectFrom('sentry_groupedmessage').select('message').where('id', '=', 2).executeTakeFirst());
    assert.equal(emoji!.message, 'crash 💥 here');
  });

  it('a 64-bit id into a 32-bit target is rejected, never truncated', async () => {
    const p = await db('postgres', true);
    await withDb(p.url, (d) => loadFixture(d, { events: 1, idBase: 5000000000n }));
    const m = await db('mysql', false);
    const r = await runMigration(opts(p, m));
    assert.ok(r.rejected > 0);
    assert.match(readFileSync(join(rejectsDir, `${r.namespace}.jsonl`), 'utf8'), /out of range/);
    assert.equal(await withDb(m.url, async (d) => (await d.selectFrom('sentry_organization').selectAll().execute()).length), 0);
  });
});
