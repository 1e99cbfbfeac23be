/**
 * The real binary: what a user sees when something is wrong. --json failures, every configuration
 * problem at once, whole-number options, hints that can be pasted, --help examples.
 * Redis: database index 9 (staging namespaces, each its own) and 10 (doctor); nothing is flushed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { discardRun } from '../../src/transfer/status.js';
import { loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, SERVER_URL, type TempDatabase, runCli, uniqueName } from '../helpers/servers.js';

const dbs: TempDatabase[] = [];
const namespaces: string[] = [];
after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const ns of namespaces) await discardRun(parseRedisUrl(REDIS_URL(REDIS_DB.staging)), ns);
});

const noStack = (s: string) => assert.doesNotMatch(s, /^\s+at .+[(:]\d+/m, 'no stack trace');
const COMMANDS = ['demo', 'doctor', 'init-schema', 'seed', 'migrate', 'export', 'import', 'status', 'discard', 'verify',
  'approve-requests', 'reset-global-access', 'repair-orphaned-teams', 'undo', 'drain-buffer'];

describe('--json failures', () => {
  it('a usage error, an unknown option and a runtime failure are each one JSON document on stdout, nothing else', async () => {
    const cases: [string[], number, RegExp][] = [
      [['seed', '--json'], 2, /--db is required/],
      [['doctor', '--json', '--frobnicate'], 2, /unknown option '--frobnicate'/],
      [['status', '--json', '--redis', 'redis://127.0.0.1:1/9'], 1, /cannot connect to Redis at redis:\/\/127\.0\.0\.1:1\/9/],
    ];
    for (const [args, exit, why] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, exit, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.exit, exit);
      assert.match(doc.error, why);
      assert.equal(typeof doc.hint, 'string');
      assert.doesNotMatch(doc.hint, /<command>/);
      assert.equal(r.stderr, '', `stderr under --json: ${r.stderr}`);
    }
  });

  it('several problems are listed in the document', async () => {
    const r = await runCli(['migrate', '--json', '--from', 'notaurl', '--to', 'postgres://u:a%ZZ@h/db', '--jobs', '1e100']);
    assert.equal(r.code, 2);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.problems.length, 3, doc.problems.join('\n'));
    assert.equal(doc.hint, 'see `sentry-admin migrate --help`');
  });
});

describe('configuration problems', () => {
  it('seed --db notaurl --events many names both, exit 2', async () => {
    const r = await runCli(['seed', '--db', 'notaurl', '--events', 'many']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /2 problems/);
    assert.match(r.stderr, /--events must be a whole number/);
    assert.match(r.stderr, /--db "notaurl" is not a URL/);
    assert.match(r.stderr, /see `sentry-admin seed --help`/);
  });

  it('whole numbers are read alike by every command, with bounds; a %-escape typo is a usage error', async () => {
    for (const args of [
      ['migrate', '--from', SERVER_URL.mysql, '--to', SERVER_URL.postgres, '--jobs', '1e100'],
      ['export', '--from', SERVER_URL.mysql, '--chunk-rows', '1e3'],
      ['verify', '--from', SERVER_URL.mysql, '--to', SERVER_URL.postgres, '--segment-rows', '1e3'],
      ['approve-requests', '--db', SERVER_URL.mysql, '--batch-size', '1e3'],
      ['drain-buffer', '--db', SERVER_URL.mysql, '--sentry-redis', REDIS_URL(REDIS_DB.cliContract), '--batch-size', '1e3'],
      ['seed', '--db', SERVER_URL.mysql, '--events', '-1'],
      ['export', '--from', SERVER_URL.mysql, '--max-staged-mb', '99999999999'],
      ['doctor', '--db', 'mysql://root:a%ZZb@127.0.0.1:3306/x'],
      ['doctor', '--redis', `redis://:a%ZZb@127.0.0.1:6379/${REDIS_DB.cliContract}`],
      ['demo', '--mysql', 'mysql://root:a%ZZb@127.0.0.1:3306/x'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /must be a whole number from \d+ to [\d,]+, got|malformed %-escape/, r.stderr);
      assert.doesNotMatch(r.stderr, /unexpected/);
      noStack(r.stderr);
    }
  });

  it('a SENTRY_ADMIN_* name in .env that nothing reads is warned about', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-env-'));
    try {
      writeFileSync(join(dir, '.env'), 'SENTRY_ADMIN_NAMESPCE=typo\nSENTRY_ADMIN_JOURNAL_DIR=./j\nOTHER=1\n');
      const r = await runCli(['status', '--redis', REDIS_URL(REDIS_DB.staging), '--namespace', uniqueName('sa-none')], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^warning: \.env sets SENTRY_ADMIN_NAMESPCE, which sentry-admin does not read \(did you mean SENTRY_ADMIN_NAMESPACE\?\)$/m);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('warning:')).length, 1, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('doctor with an unreachable server: the report on stdout, what failed on stderr', async () => {
    const r = await runCli(['doctor', '--db', 'mysql://root@127.0.0.1:1/x', '--redis', REDIS_URL(REDIS_DB.cliContract)]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^db /m);
    assert.match(r.stderr, /^error: doctor: db failed: cannot connect to mysql:\/\/root@127\.0\.0\.1:1\/x/m);
  });
});

describe('hints a user can paste', () => {
  it('a missing database: init-schema names its own --create-database', async () => {
    const url = SERVER_URL.postgres.replace(/\/[^/]*$/, `/${uniqueName('sa_missing')}`);
    const r = await runCli(['init-schema', '--db', url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`let init-schema create it: sentry-admin init-schema --db ${url.replace(/[/.]/g, '\\$&')} --create-database`));
  });

  it("drain-buffer with Sentry's Redis down names --sentry-redis", async () => {
    const r = await runCli(['drain-buffer', '--db', SERVER_URL.mysql.replace(/\/[^/]*$/, '/mysql'), '--sentry-redis', 'redis://127.0.0.1:1/0']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /or pass --sentry-redis$/m);
  });

  it("export's import hint and status carry --redis and --namespace", async () => {
    const src = await sentryDatabase('mysql');
    dbs.push(src);
    await withDb(src.url, (d) => loadFixture(d, { events: 5 }));
    const ns = uniqueName('sa-hint');
    namespaces.push(ns);
    const redis = REDIS_URL(REDIS_DB.staging);
    const e = await runCli(['export', '--from', src.text, '--redis', redis, '--namespace', ns]);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, new RegExp(`load it with: sentry-admin import --redis ${redis} --namespace ${ns} --to URL$`, 'm'));
    const s = await runCli(['status', '--namespace', ns], { env: { SENTRY_ADMIN_REDIS: redis } });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, new RegExp(`continue with: sentry-admin migrate --redis ${redis} --namespace ${ns} --from URL --to URL$|sentry-admin export --redis ${redis} --namespace ${ns}`, 'm'));
  });
});

describe('--help', () => {
  it('every command ends with examples, defaults shown one way; a bare sentry-admin is usage (exit 2, help on stderr)', async () => {
    for (const c of COMMANDS) {
      const r = await runCli([c, '--help']);
      assert.equal(r.code, 0, c);
      const examples = r.stdout.split('\nExamples:\n')[1];
      assert.ok(examples, `${c} --help has no examples`);
      assert.ok(examples.trim().split('\n').length >= 1 && examples.includes(`sentry-admin ${c}`), c);
      assert.doesNotMatch(r.stdout, /\(default: \[\]\)|default: "|\[default |\(default [^:]/, `${c}: ${r.stdout}`);
    }
    const bare = await runCli([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^Usage: sentry-admin/);
  });
});

describe('the final report', () => {
  it('rejects summed by table and reason, children apart; null-zero-dates says when it cannot apply; migrate and verify timed apart; a re-run adds up', async () => {
    const { sql } = await import('kysely');
    const src = await sentryDatabase('mysql');
    const dst = await sentryDatabase('postgres');
    dbs.push(src, dst);
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 20 });
      await sql`UPDATE sentry_groupedmessage SET last_seen = '0000-00-00 00:00:00' WHERE id = 2`.execute(d);
    });
    const ns = uniqueName('sa-rej');
    namespaces.push(ns);
    const dir = mkdtempSync(join(tmpdir(), 'sa-rej-'));
    try {
      const args = ['migrate', '--from', src.text, '--to', dst.text, '--redis', REDIS_URL(REDIS_DB.staging), '--namespace', ns, '--on-reject', 'null-zero-dates'];
      const r = await runCli(args, { cwd: dir });
      assert.ok([3, 4].includes(r.code), r.stderr + r.stdout);
      assert.match(r.stdout, /^\d+ rows rejected \(sentry-admin-rejects-.*\.jsonl has each row and why\):$/m);
      assert.match(r.stdout, /^ {2}1 for their own values:$/m);
      assert.match(r.stdout, /^ {4}sentry_groupedmessage +1 +last_seen: MySQL zero date "…" has no PostgreSQL equivalent \(--on-reject null-zero-dates cannot apply: the column is NOT NULL\)$/m);
      assert.match(r.stdout, /^ {2}\d+ because a row they reference was rejected:$/m);
      assert.match(r.stdout, /^ {4}sentry_message +\d+ +group_id -> sentry_groupedmessage$/m);
      assert.match(r.stdout, /^this run: migrate [\d.]+ s, verify [\d.]+ s after it \(\d+ tables during it\)$/m);
      assert.match(r.stdout, /^seconds per table: export \+ import work$/m);
      const tableRows = r.stdout.split('\n').filter((l) => /^(sentry_|auth_|nodestore_|total )/.test(l));
      assert.ok(tableRows.length > 30 && tableRows.every((l) => l.length < 80), 'the table fits 80 columns');
      const total = (out: string) => out.split('\n').find((l) => l.startsWith('total '))!;
      const again = await runCli(args, { cwd: dir });
      assert.equal(total(again.stdout), total(r.stdout), 'a re-run of a finished run reports the same totals');
      const json = await runCli([...args, '--json'], { cwd: dir });
      assert.ok(JSON.parse(json.stdout).rejectSummary.children.length > 0);
      const stderr = json.stderr.trim().split('\n');
      assert.ok(stderr.some((l) => /verifying/.test(l)), json.stderr);
      for (const l of stderr) assert.doesNotThrow(() => JSON.parse(l), `not a JSON line on stderr under --json: ${l}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
