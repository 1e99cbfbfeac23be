import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { discardRun } from '../../src/transfer/status.js';
import { encodeGzippedDict, encodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { FIXTURE_TABLES, T0, dumpTables, loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, runCli, uniqueName } from '../helpers/servers.js';

const BIN = fileURLToPath(new URL('../../bin/sentry-admin', import.meta.url));
const redisUrl = REDIS_URL(REDIS_DB.staging);
const dbs: TempDatabase[] = [];
const namespaces: string[] = [];
const work = join(tmpdir(), uniqueName('sa-resume'));
mkdirSync(work, { recursive: true });

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const ns of namespaces) await discardRun(parseRedisUrl(redisUrl), ns);
  rmSync(work, { recursive: true, force: true });
});

/** Start `migrate`, wait until `ready(progress)` says it is mid-run, then send `signal`. */
async function interrupt(args: string[], ns: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  const redis = new Redis(redisUrl);
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: work });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  try {
    for (let i = 0; i < 600; i++) {
      const imported = Number(await redis.hget(`${ns}:progress:sentry_message`, 'imported_rows'));
      if (imported > 0) break;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill(signal);
    return { code: await exited, stderr };
  } finally {
    redis.disconnect();
  }
}

/** A MariaDB source of 150 events per organization, an empty PostgreSQL target, and the migrate command for them. */
async function run() {
  const src = await sentryDatabase('mysql');
  const dst = await sentryDatabase('postgres');
  dbs.push(src, dst);
  await withDb(src.url, (d) => loadFixture(d, { events: 150 }));
  const ns = uniqueName('sa-resume');
  namespaces.push(ns);
  const args = ['migrate', '--from', src.text, '--to', dst.text, '--redis', redisUrl, '--namespace', ns, '--chunk-rows', '7', '--jobs', '2', '--json'];
  return { src, dst, ns, args };
}

describe('migrate resumes after a crash', () => {
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`${signal} in the middle, then the same command again, gives exactly the source`, async () => {
      const { src, dst, ns, args } = await run();
      const first = await interrupt(args, ns, signal);
      if (signal === 'SIGINT') {
        assert.equal(first.code, 1, first.stderr);
        assert.match(first.stderr, /SIGINT/);
      } else {
        assert.equal(first.code, null); // killed, no chance to clean up
      }
      const mid = await withDb(dst.url, async (d) => (await d.selectFrom('sentry_message').selectAll().execute()).length);
      assert.ok(mid < 300, `the first run should have been stopped part-way (had ${mid} events)`);
      const second = await runCli(args, { cwd: work });
      assert.equal(second.code, 0, second.stderr);
      const report = JSON.parse(second.stdout);
      assert.equal(report.resumed, true);
      assert.equal(report.complete, true);
      const want = await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES));
      assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), want);
    });
  }

  it('SIGKILL, then the live source gains a group and events that point at it, then the same command: complete, exactly the new source, two snapshots named', async () => {
    const { src, dst, ns, args } = await run();
    await interrupt(args, ns, 'SIGKILL');
    // Sentry keeps writing: a new group (its table was already staged from the first snapshot) and
    // events of it, with their nodes and mappings.
    await withDb(src.url, async (d) => {
      await d.insertInto('sentry_groupedmessage').values({
        id: 3, logger: 'root', level: 40, message: 'KeyError: new', view: null, status: 0, times_seen: 2, last_seen: T0, first_seen: T0,
        data: encodeGzippedDict({ type: 'default' }), score: 1000, project_id: 1, time_spent_total: 0, time_spent_count: 0, resolved_at: null,
        active_at: T0, is_public: false, platform: 'python', num_comments: 0, first_release_id: null,
      }).execute();
      for (const e of [1, 2]) {
        const node = Buffer.from(`late-${e}`.padEnd(16, '.')).toString('base64');
        await d.insertInto('nodestore_node').values({ id: node, data: encodeGzippedDict({ message: 'late' }), timestamp: T0 }).execute();
        await d.insertInto('sentry_message').values({
          id: 9000 + e, message: 'late', datetime: T0, data: encodeNodeRef(node), group_id: 3, message_id: `${e}`.padStart(32, 'f'),
          project_id: 1, time_spent: null, platform: 'python', num_comments: 0,
        }).execute();
        await d.insertInto('sentry_eventmapping').values({ id: 9000 + e, project_id: 1, group_id: 3, event_id: `${e}`.padStart(32, 'f'), date_added: T0 }).execute();
      }
    });
    const second = await runCli(args, { cwd: work });
    assert.equal(second.code, 0, second.stderr);
    const report = JSON.parse(second.stdout);
    assert.equal(report.complete, true);
    assert.equal(report.snapshots.length, 2, 'the binlog-less MariaDB cannot prove it did not change: two snapshots');
    assert.ok(report.reread.includes('sentry_groupedmessage'), report.reread.join(','));
    const want = await withDb(src.url, (d) => dumpTables(d, FIXTURE_TABLES));
    assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), want);
    assert.equal(want.sentry_groupedmessage.length, 3);
  });
});
