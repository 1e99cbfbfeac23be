/**
 * The real binary, as cron runs it (needs `npm run build`). To stop a run deterministically in
 * the middle of a batch, the test locks sentry_auditlogentry from another session: the run has
 * then written its links and waits to insert the audit entries, inside its open transaction.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type SentryDb, counts, manyRequests, sentryDatabase } from '../helpers/access-requests.js';
import { type CliResult, ENGINES, runCli } from '../helpers/servers.js';

const BIN = fileURLToPath(new URL('../../bin/sentry-admin', import.meta.url));

/** Lock the audit table from another session until the returned function is called. */
async function blockAuditInserts(d: SentryDb): Promise<() => Promise<void>> {
  let unblock!: () => void;
  const released = new Promise<void>((r) => (unblock = r));
  let locked!: () => void;
  const ready = new Promise<void>((r) => (locked = r));
  const done = d.engine === 'postgres'
    ? d.conn.db.transaction().execute(async (tx) => {
        await sql`LOCK TABLE sentry_auditlogentry IN EXCLUSIVE MODE`.execute(tx);
        locked();
        await released;
      })
    : d.conn.db.connection().execute(async (c) => {
        await sql`LOCK TABLES sentry_auditlogentry WRITE`.execute(c);
        locked();
        await released;
        await sql`UNLOCK TABLES`.execute(c);
      });
  await Promise.race([ready, done]);
  return async () => {
    unblock();
    await done;
  };
}

/** Wait until some session of this database waits for a lock (the run reached the audit insert). */
async function waitForBlockedSession(d: SentryDb): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = d.engine === 'postgres'
      ? await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(d.conn.db)
      : await sql<{ n: string }>`SELECT count(*) AS n FROM information_schema.processlist
          WHERE db = DATABASE() AND state LIKE 'Waiting for table%'`.execute(d.conn.db);
    if (Number(r.rows[0].n) > 0) return;
    await sleep(100);
  }
  throw new Error('the run never reached the audit insert');
}

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SENTRY_ADMIN_DB: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (x) => (stdout += x));
  child.stderr.on('data', (x) => (stderr += x));
  const result = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return { child, result };
}

/** Rerun until the killed run's session is gone from the server (its lock dies with it). */
async function rerunUntilUnlocked(args: string[]): Promise<CliResult> {
  for (let i = 0; i < 100; i++) {
    const r = await runCli(args);
    if (r.code !== 75) return r;
    await sleep(200);
  }
  throw new Error('the lock of the killed run was never released');
}

for (const engine of ENGINES) {
  describe(`approve-requests (bin) on ${engine}`, () => {
    let d: SentryDb;
    before(async () => {
      d = await sentryDatabase(engine, 'sa_appr_e2e');
    });
    after(async () => d?.close());

    test('nothing to do: no output at all, exit 0; bad --org: exit 2, one message, no stack', async () => {
      const quiet = await runCli(['approve-requests', '--db', d.text]);
      assert.deepEqual(quiet, { code: 0, stdout: '', stderr: '' });
      const bad = await runCli(['approve-requests', '--db', d.text, '--org', 'nope']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--org "nope": no such organization/);
      assert.doesNotMatch(bad.stderr, /\bat .*\.js:\d+/);
      const noSmtp = await runCli(['approve-requests', '--db', d.text, '--notify']);
      assert.equal(noSmtp.code, 2);
      assert.match(noSmtp.stderr, /--notify needs an SMTP server: set SENTRY_ADMIN_SMTP_URL/);
      const badSmtp = await runCli(['approve-requests', '--db', d.text, '--notify'], { env: { SENTRY_ADMIN_SMTP_URL: 'http://u:secret@h' } });
      assert.equal(badSmtp.code, 2);
      assert.match(badSmtp.stderr, /is not an SMTP URL: expected smtp:\/\//);
      assert.doesNotMatch(badSmtp.stderr, /secret/);
    });

    test('two concurrent runs: one approves, the other exits 75 at once; no duplicates', async () => {
      await manyRequests(d.conn, 50, 5);
      const unblock = await blockAuditInserts(d);
      const first = start(['approve-requests', '--db', d.text, '--batch-size', '10']);
      let second: CliResult;
      try {
        await waitForBlockedSession(d);
        second = await runCli(['approve-requests', '--db', d.text]);
      } finally {
        await unblock();
      }
      assert.equal(second.code, 75);
      assert.equal(second.stdout, '');
      assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);
      assert.match(second.stderr, /another approve-requests run/);
      const one = await first.result;
      assert.equal(one.code, 0, one.stderr);
      assert.match(one.stdout, /^approved 50 team join request\(s\) \(50 link\(s\) created\)\n$/);
      assert.equal(one.stderr, '');
      assert.deepEqual(await counts(d.conn), { links: 50, audit: 50, requests: 0, dupAudit: 0 });
    });

    test('a run killed in the middle of a batch, then rerun, leaves no duplicate', async () => {
      const base = await counts(d.conn);
      await manyRequests(d.conn, 40, 4);
      const unblock = await blockAuditInserts(d);
      const run = start(['approve-requests', '--db', d.text, '--batch-size', '10']);
      try {
        await waitForBlockedSession(d);
        run.child.kill('SIGKILL');
        await run.result;
        const links = await d.conn.db.selectFrom('sentry_organizationmember_teams').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(links.n), base.links, 'the killed batch committed nothing');
      } finally {
        await unblock();
      }
      const rerun = await rerunUntilUnlocked(['approve-requests', '--db', d.text, '--json']);
      assert.equal(rerun.code, 0, rerun.stderr);
      const doc = JSON.parse(rerun.stdout);
      assert.equal(doc.approved, 40);
      assert.equal(doc.created, 40);
      assert.deepEqual(await counts(d.conn), { links: base.links + 40, audit: base.audit + 40, requests: 0, dupAudit: 0 });
    });
  });
}
