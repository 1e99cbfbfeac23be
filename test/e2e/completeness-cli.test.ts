/**
 * The completeness contract through the real binary: --dry-run and migrate exit 4 when rows are
 * rejected (and say where they are), verify exits 4 with --rejects and 3 without, an exclusion
 * naming nothing exits 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { discardRun } from '../../src/transfer/status.js';
import { loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, runCli, uniqueName } from '../helpers/servers.js';

const redis = REDIS_URL(REDIS_DB.staging);
const dbs: TempDatabase[] = [];
const ns = uniqueName('sa-cli-cmp');
const work = mkdtempSync(join(tmpdir(), 'sa-cli-cmp-'));

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  await discardRun(parseRedisUrl(redis), ns);
  rmSync(work, { recursive: true, force: true });
});

describe('completeness through the binary', () => {
  it('dry run 4, migrate 4 naming its rejects file, verify 4 with it and 3 without, a bad exclusion 2', async () => {
    const src = await sentryDatabase('mysql');
    const dst = await sentryDatabase('postgres');
    dbs.push(src, dst);
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 2 });
      await sql`SET SESSION sql_mode = ''`.execute(d);
      await sql`UPDATE sentry_groupedmessage SET last_seen = '0000-00-00 00:00:00' WHERE id = 1`.execute(d);
    });
    const rejects = join(work, 'rejects.jsonl');
    const common = ['--from', src.text, '--to', dst.text, '--redis', redis, '--namespace', ns];
    const dry = await runCli(['migrate', ...common, '--dry-run'], { cwd: work });
    assert.equal(dry.code, 4, dry.stderr);
    assert.match(dry.stdout, /sentry_groupedmessage: 1 rows, last_seen: MySQL zero date \(first keys 1\)/);
    assert.match(dry.stdout, /nothing was written/);
    const run = await runCli(['migrate', ...common, '--rejects', rejects, '--json'], { cwd: work });
    assert.equal(run.code, 4, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.rejectsFile, rejects);
    assert.equal(report.verify.onlyRejected, true);
    const v = ['verify', '--from', src.text, '--to', dst.text];
    assert.equal((await runCli([...v, '--rejects', rejects], { cwd: work })).code, 4);
    assert.equal((await runCli(v, { cwd: work })).code, 3);
    const bad = await runCli([...v, '--exclude-table', 'sentry_nosuch'], { cwd: work });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--exclude-table sentry_nosuch: no such table on either side/);
  });
});
