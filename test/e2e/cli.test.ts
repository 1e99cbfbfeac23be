/**
 * The real binary (bin/sentry-admin → dist/; `npm run build` first), as a user or cron runs it:
 * exit codes, error messages, doctor, init-schema and settings precedence.
 * Redis: database index 10 only (reserved for doctor's "Sentry keys present" checks).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { adapterFor, connect } from '../../src/db/connect.js';
import { type DbUrl, formatDbUrl, parseDbUrl, withDatabase } from '../../src/db/url.js';
import { ENGINES, REDIS_DB, REDIS_URL, SERVER_URL, type TempDatabase, runCli, tempDatabase, uniqueName } from '../helpers/servers.js';

const REDIS = REDIS_URL(REDIS_DB.doctorKeys);
const MIGRATION_0190 = '0190_auto__add_field_release_new_groups';
const VERSION = /^(MariaDB|MySQL|PostgreSQL) \d+\.\d+/;

before(() => {
  assert.ok(existsSync(new URL('../../dist/cli/main.js', import.meta.url)), 'dist/ is missing: run `npm run build` first');
});

/** stderr must never show a stack trace. */
function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at .+[(:]\d+/m, 'no stack trace');
}

describe('invocation errors', () => {
  it('--help and --version exit 0', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const c of ['doctor', 'init-schema']) assert.match(help.stdout, new RegExp(`^  ${c}\\b`, 'm'));
    const sub = await runCli(['init-schema', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /--db <url>/);
    assert.match(sub.stdout, /--big-ints/);
    const v = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.deepEqual([v.code, v.stdout.trim()], [0, pkg.version]);
  });

  it('an unknown command or flag exits 2 and says so', async () => {
    const cmd = await runCli(['frobnicate']);
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /unknown command 'frobnicate'/);
    const flag = await runCli(['doctor', '--frobnicate', '--redis', REDIS]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--frobnicate'/);
    assert.equal(flag.stdout, '');
    const missing = await runCli(['init-schema']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--db is required \(or set SENTRY_ADMIN_DB\)/);
  });

  it('a bad URL exits 2 with the password masked', async () => {
    for (const [url, why] of [
      ['mysql://root:hunter2@127.0.0.1:3306/', /names no database/],
      ['mysql://root:hunt@er2@127.0.0.1:3306/', /names no database/],
      ['postgres://sentry:hunter2@127.0.0.1:99999/sentry', /is not a URL/],
      ['oracle://sys:hunter2@127.0.0.1/sentry', /has scheme "oracle"; expected mysql:\/\/ or postgres:\/\//],
    ] as const) {
      const r = await runCli(['doctor', '--db', url, '--redis', REDIS]);
      assert.equal(r.code, 2, url);
      assert.match(r.stderr, why);
      assert.match(r.stderr, /:\*\*\*@/);
      assert.doesNotMatch(r.stderr + r.stdout, /hunt|er2/, `password of ${url} leaked`);
      assert.equal(r.stdout, '');
      assertNoStack(r.stderr);
    }
  });

  it('reports several bad settings together (flag, environment and .env), exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-e2e-'));
    try {
      writeFileSync(join(dir, '.env'), 'SENTRY_ADMIN_NAMESPACE=has:colon\n');
      const r = await runCli(['doctor', '--db', 'ftp://u:hunter2@h/x'], { cwd: dir, env: { SENTRY_ADMIN_REDIS: 'redis://:hunter2@h/99' } });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /3 problems/);
      assert.match(r.stderr, /--db "ftp:\/\/u:\*\*\*@h\/x" has scheme "ftp"/);
      assert.match(r.stderr, /SENTRY_ADMIN_REDIS \(environment\) "redis:\/\/:\*\*\*@h\/99" has database index "99"/);
      assert.match(r.stderr, /SENTRY_ADMIN_NAMESPACE \(\.env\) "has:colon"/);
      assert.doesNotMatch(r.stderr, /hunter2/);
      assert.equal(r.stdout, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const engine of ENGINES) {
    it(`an unreachable ${engine} host exits 1 with a one-line error, no stack trace`, async () => {
      const url = `${engine}://u:hunter2@127.0.0.1:1/sentry`;
      const r = await runCli(['init-schema', '--db', url]);
      assert.equal(r.code, 1);
      const [first, ...rest] = r.stderr.trimEnd().split('\n');
      assert.match(first, new RegExp(`^error: cannot connect to ${engine}://u:\\*\\*\\*@127\\.0\\.0\\.1:1/sentry: .*ECONNREFUSED`));
      assert.equal(rest.length, 1, r.stderr);
      assert.match(rest[0], /^ {2}check that the .* server at 127\.0\.0\.1:1 is running and reachable$/);
      assert.doesNotMatch(r.stderr, /hunter2/);
      assertNoStack(r.stderr);
      const d = await runCli(['doctor', '--db', url, '--redis', REDIS, '--json']);
      assert.equal(d.code, 1);
      const doc = JSON.parse(d.stdout);
      assert.equal(doc.ok, false);
      assert.equal(doc.databases[0].ok, false);
      assert.match(doc.databases[0].error, /ECONNREFUSED/);
      assert.doesNotMatch(d.stdout + d.stderr, /hunter2/);
    });
  }
});

describe('init-schema and doctor on a fresh Sentry database', () => {
  const made: DbUrl[] = [];
  after(async () => {
    for (const u of made) await (await adapterFor(u.engine)).dropDatabase(u);
  });

  for (const engine of ENGINES) {
    for (const bigInts of [false, true]) {
      const width = bigInts ? 64 : 32;
      it(`${engine}, ${width}-bit: init-schema --create-database, then again refused; doctor reports it`, async () => {
        const url = withDatabase(parseDbUrl(SERVER_URL[engine]), uniqueName('sa_e2e'));
        made.push(url);
        const args = ['init-schema', '--db', formatDbUrl(url), '--create-database', ...(bigInts ? ['--big-ints'] : [])];
        const first = await runCli(args, { timeoutMs: 600_000 });
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout.trim(), `created the Sentry 7.7 schema in ${url.masked}: 59 tables, ${width}-bit ids (database created)`);

        const before = await snapshot(url);
        assert.equal(before.tables, 59);
        const again = await runCli(args, { timeoutMs: 600_000 });
        assert.equal(again.code, 2);
        assert.match(again.stderr, /already holds 59 Sentry tables .*nothing was written/);
        assert.equal(again.stdout, '');
        assert.deepEqual(await snapshot(url), before, 'the second run wrote nothing');

        const text = await runCli(['doctor', '--db', formatDbUrl(url), '--redis', REDIS]);
        assert.equal(text.code, 0, text.stderr);
        const line = text.stdout.split('\n').find((l) => l.startsWith('db '));
        assert.ok(line, text.stdout);
        assert.match(line, new RegExp(`^db +${escape(url.masked)}: ${engine === 'mysql' ? '(MariaDB|MySQL)' : 'PostgreSQL'} \\d+\\.\\d+`));
        assert.match(line, new RegExp(`; 59 Sentry tables; migration ${MIGRATION_0190}; ids ${width}-bit; 0 organizations$`));
        assert.doesNotMatch(text.stdout, /^warning:/m);

        const json = await runCli(['doctor', '--db', formatDbUrl(url), '--redis', REDIS, '--json']);
        assert.equal(json.code, 0, json.stderr);
        const doc = JSON.parse(json.stdout);
        const { version, ...db } = doc.databases[0];
        assert.match(version, VERSION);
        assert.deepEqual(db, {
          role: 'db', url: url.masked, ok: true, engine, sentryTables: 59,
          sentryMigration: MIGRATION_0190, idWidth: width, organizations: 0,
        });
        assert.deepEqual([doc.ok, doc.warnings], [true, []]);
      });
    }
  }
});

/** What a second init-schema must not change: the table list and South's history. */
async function snapshot(url: DbUrl) {
  const conn = await connect(url);
  try {
    const tables = (await conn.adapter.listTables(conn.db)).length;
    const r = await sql<{ n: string; m: string }>`SELECT COUNT(*) AS n, MAX(id) AS m FROM south_migrationhistory`.execute(conn.db);
    return { tables, history: [String(r.rows[0].n), String(r.rows[0].m)] };
  } finally {
    await conn.close();
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe("doctor warns about Sentry's own keys in its Redis database", () => {
  const GROUP_KEY = 'b:k:sentry.group:0e2fa1b2c3d4e5f6a7b8c9d0e1f2a3b4';
  let redis: Redis;
  before(async () => {
    redis = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.del('b:p', GROUP_KEY);
  });
  after(async () => {
    await redis?.del('b:p', GROUP_KEY);
    redis?.disconnect();
  });

  it('no warning on a clean database, a warning naming the keys once they are there', async () => {
    const clean = await runCli(['doctor', '--redis', REDIS, '--json']);
    assert.equal(clean.code, 0, clean.stderr);
    const c = JSON.parse(clean.stdout);
    assert.equal(c.redis[0].url, 'redis://127.0.0.1:6379/10');
    assert.deepEqual([c.redis[0].sentryKeysFound, c.redis[0].sentryKeyExamples, c.warnings], [false, [], []]);

    await redis.zadd('b:p', Date.now() / 1000, GROUP_KEY);
    await redis.hset(GROUP_KEY, { m: 'sentry.models.group.Group', f: '(dp1\nS\'pk\'\np2\nI1\ns.', 'i+times_seen': '3' });

    const json = await runCli(['doctor', '--redis', REDIS, '--json']);
    assert.equal(json.code, 0, 'a warning, not a failure');
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.redis[0].sentryKeysFound, true);
    assert.equal(doc.redis[0].keys, 2);
    assert.deepEqual([...doc.redis[0].sentryKeyExamples].sort(), [GROUP_KEY, 'b:p']);
    assert.equal(doc.warnings.length, 1);
    assert.match(doc.warnings[0], /^redis redis:\/\/127\.0\.0\.1:6379\/10 also holds Sentry's own keys \(b:p, b:k:sentry\.group:/);

    const text = await runCli(['doctor', '--redis', REDIS]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^redis +redis:\/\/127\.0\.0\.1:6379\/10: Redis \d+\.\d+\.\d+; \d+ keys; .*Sentry's own keys present$/m);
    assert.deepEqual((await redis.keys('*')).sort(), [GROUP_KEY, 'b:p'], 'doctor only reads');
    assert.match(text.stdout, /^warning: redis redis:\/\/127\.0\.0\.1:6379\/10 also holds Sentry's own keys .*use another database index/m);
  });
});

describe('settings: flag > environment > .env in the working directory', () => {
  const dbs: TempDatabase[] = [];
  let dir: string;
  before(async () => {
    for (let i = 0; i < 3; i++) dbs.push(await tempDatabase('postgres', 'sa_e2e_env'));
    dir = mkdtempSync(join(tmpdir(), 'sa-e2e-'));
    writeFileSync(join(dir, '.env'), `# local settings\nSENTRY_ADMIN_DB="${dbs[0].text}"\nexport SENTRY_ADMIN_REDIS=${REDIS}\n`);
  });
  after(async () => {
    for (const d of dbs) await d.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const doctorDb = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli(['doctor', '--json', ...args], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.redis[0].url, 'redis://127.0.0.1:6379/10', 'SENTRY_ADMIN_REDIS from .env');
    assert.equal(doc.databases.length, 1);
    return doc.databases[0].url as string;
  };

  it('.env is read from the working directory', async () => {
    assert.equal(await doctorDb([]), dbs[0].url.masked);
  });

  it('an environment variable beats .env', async () => {
    assert.equal(await doctorDb([], { SENTRY_ADMIN_DB: dbs[1].text }), dbs[1].url.masked);
  });

  it('a flag beats both', async () => {
    assert.equal(await doctorDb(['--db', dbs[2].text], { SENTRY_ADMIN_DB: dbs[1].text }), dbs[2].url.masked);
  });

  it('without the .env (another working directory) there is no database', async () => {
    const other = mkdtempSync(join(tmpdir(), 'sa-e2e-'));
    try {
      const r = await runCli(['doctor', '--json', '--redis', REDIS], { cwd: other });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).databases, []);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
