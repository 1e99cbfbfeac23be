/**
 * `migrate --dry-run` writes nothing and predicts, by set-based scans in the source, exactly the
 * rows a real run then rejects (own values and children), on both directions.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { UsageError } from '../../src/errors.js';
import { dryRun, renderDryRun } from '../../src/transfer/dry-run.js';
import { type MigrateOptions, runMigration } from '../../src/transfer/migrate.js';
import { FIXTURE_TABLES, dumpTables, loadFixture, withDb } from '../helpers/fixtures.js';
import { migrationRuns } from '../helpers/migration-runs.js';
import type { TempDatabase } from '../helpers/servers.js';

const runs = migrationRuns('sa-dry', { verify: false });
const { redis, db } = runs;
const opts = (from: TempDatabase, to: TempDatabase, extra: Partial<MigrateOptions> = {}) => runs.opts(from, to, extra);
after(() => runs.cleanup());

async function keysOf(ns: string): Promise<number> {
  const r = new Redis({ host: redis.host, port: redis.port, db: redis.db });
  try {
    return (await r.keys(`${ns}:*`)).length;
  } finally {
    r.disconnect();
  }
}

describe('migrate --dry-run', () => {
  it('MySQL -> PostgreSQL: zero dates, NUL characters and over-long text are predicted with their children, exactly as the run rejects them; nothing written', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 3 });
      await sql`SET SESSION sql_mode = ''`.execute(d);
      await sql`UPDATE sentry_groupedmessage SET last_seen = '0000-00-00 00:00:00' WHERE id = 2`.execute(d);
      await sql`UPDATE sentry_filtervalue SET value = CONCAT('a', CHAR(0), 'b') WHERE id = 1`.execute(d);
      await sql`ALTER TABLE sentry_team MODIFY name varchar(200) NOT NULL`.execute(d);
      await sql`UPDATE sentry_team SET name = REPEAT('x', 100) WHERE id = 1`.execute(d);
    });
    const o = opts(src, dst);
    const dry = await dryRun(o);
    assert.equal(await keysOf(o.namespace), 0, 'no Redis key written');
    assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, FIXTURE_TABLES)), Object.fromEntries(FIXTURE_TABLES.map((t) => [t, []])));
    const reasons = dry.rejects!.map((v) => `${v.table}: ${v.reason} ${v.rows} [${v.firstKeys.join(',')}]`).sort();
    assert.deepEqual(reasons, [
      'sentry_filtervalue: value: NUL character, which PostgreSQL text cannot hold 1 [1]',
      'sentry_groupedmessage: last_seen: MySQL zero date 1 [2]',
      "sentry_team: name: longer than the target's 64 characters 1 [1]",
    ]);
    assert.match(renderDryRun(dry), /a run would reject \d+ rows \(exit 4\)/);
    const real = await runMigration(o);
    assert.equal(real.complete, true);
    assert.equal(dry.rejected, real.rejected);
    for (const t of real.tables) assert.equal(dry.tables.find((x) => x.table === t.table)?.rejected ?? 0, t.rejected, t.table);
  });

  it('PostgreSQL -> MySQL: 4-byte UTF-8 into utf8 columns and 64-bit ids into a 32-bit target, predicted as the run rejects them', async () => {
    const src = await db('postgres', true);
    const dst = await db('mysql');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 2 });
      await d.updateTable('sentry_groupedmessage').set({ message: 'boom 💥' }).where('id', '=', '1').execute();
      await d.insertInto('sentry_filterkey').values({ id: '4294967296', project_id: '1', key: 'big', values_seen: 0, label: null, status: 0 }).execute();
    });
    const o = opts(src, dst);
    const dry = await dryRun(o);
    const reasons = dry.rejects!.map((v) => `${v.table}: ${v.reason.replace(/ \(.*/, '')} ${v.rows}`).sort();
    assert.deepEqual(reasons, ['sentry_filterkey: id: out of range for the target column 1', 'sentry_groupedmessage: message: 4-byte UTF-8 character 1']);
    const real = await runMigration(o);
    assert.equal(dry.rejected, real.rejected);
    assert.ok(real.rejected > 2, 'the group takes its events and mappings along');
  });

  it('a run that would refuse: the dry run refuses the same way (exit 2), writing nothing', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 1 }));
    await withDb(dst.url, (d) => sql`ALTER TABLE sentry_message DROP COLUMN platform`.execute(d));
    await assert.rejects(dryRun(opts(src, dst)), (e: unknown) => e instanceof UsageError && /sentry_message\.platform/.test(e.message));
    const clean = await db('postgres');
    const dry = await dryRun(opts(src, clean));
    assert.equal(dry.rejected, 0);
    assert.ok(dry.tables.find((t) => t.table === 'sentry_message')!.bytes > 0);
    assert.ok(dry.estimate.seconds >= 0 && dry.estimate.sampleRows > 0);
  });
});
