/**
 * A PostgreSQL target's foreign keys checked set-based (src/db/postgres/fk-check.ts): a source without constraints
 * (MySQL with foreign_key_checks off) holds rows whose parent is missing, in Sentry's tables and in a plugin's;
 * loaded as a superuser (triggers off, one anti-join per key) and as a role that may not set
 * session_replication_role (triggers on, same anti-joins), both runs reject exactly those rows, name the
 * constraint and the parent, reject their children as children, and leave none of them in the target.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type DbUrl, parseDbUrl } from '../../src/db/url.js';
import { type MigrationReport, runMigration } from '../../src/transfer/migrate.js';
import { loadFixture, withDb } from '../helpers/fixtures.js';
import { migrationRuns } from '../helpers/migration-runs.js';
import { ENGINES, SERVER_URL, type TempDatabase, uniqueName } from '../helpers/servers.js';

const runs = migrationRuns('sa_fkset');
const role = uniqueName('sa_fkset_loader');
after(async () => {
  await runs.cleanup();
  if (ENGINES.includes('postgres')) await withDb(parseDbUrl(SERVER_URL.postgres), (d) => sql`DROP ROLE IF EXISTS ${sql.id(role)}`.execute(d));
});

/** Plugin tables: no constraint on MySQL, a deferred foreign key to sentry_project on PostgreSQL; one keyed by text. */
const PLUGIN = 'sentry_plugin_fkset';
const PLUGIN_TEXT = 'sentry_plugin_fkset_text';

/** The fixture, then rows whose parent is missing, written with MySQL's checks off (a MyISAM-era install). */
async function sourceWithOrphans(): Promise<TempDatabase> {
  const src = await runs.db('mysql');
  await withDb(src.url, async (d) => {
    await loadFixture(d, { events: 4 });
    await sql`CREATE TABLE ${sql.id(PLUGIN)} (id int PRIMARY KEY, project_id int NULL, note varchar(20) NOT NULL)`.execute(d);
    await sql`INSERT INTO ${sql.id(PLUGIN)} VALUES (1, 1, 'ok'), (2, 77, 'orphan'), (3, NULL, 'no parent needed'), (4, 2, 'ok')`.execute(d);
    await sql`CREATE TABLE ${sql.id(PLUGIN_TEXT)} (id varchar(20) PRIMARY KEY, project_id int NOT NULL)`.execute(d);
    await sql`INSERT INTO ${sql.id(PLUGIN_TEXT)} VALUES ('a', 1), ('b', 76), ('c', 2)`.execute(d);
    await d.connection().execute(async (c) => {
      await sql`SET foreign_key_checks = 0`.execute(c);
      // A group of a project that does not exist, with an event mapping under it (a child of a rejected row) ...
      await sql`INSERT INTO sentry_groupedmessage (id, logger, level, message, view, status, times_seen, last_seen, first_seen, data, score,
                  project_id, time_spent_total, time_spent_count, active_at, is_public, platform, num_comments)
                SELECT 7, logger, level, message, view, status, times_seen, last_seen, first_seen, data, score,
                  99, time_spent_total, time_spent_count, active_at, is_public, platform, num_comments FROM sentry_groupedmessage WHERE id = 1`.execute(c);
      await sql`INSERT INTO sentry_eventmapping (id, project_id, group_id, event_id, date_added) VALUES (5000, 1, 7, 'child', '2015-07-28 00:00:00')`.execute(c);
      // ... and an event whose group is missing, between the others (same chunks as rows that load).
      await sql`INSERT INTO sentry_message (id, message, datetime, data, group_id, message_id, project_id, platform, num_comments)
                SELECT 1500, message, datetime, data, 98, 'orphan-event', project_id, platform, num_comments FROM sentry_message WHERE id = 1001`.execute(c);
    });
  });
  return src;
}

async function targetWithPlugin(): Promise<TempDatabase> {
  const dst = await runs.db('postgres');
  await withDb(dst.url, (d) => sql`CREATE TABLE ${sql.id(PLUGIN)} (id integer PRIMARY KEY, note varchar(20) NOT NULL,
    project_id integer NULL CONSTRAINT plugin_project_fk REFERENCES sentry_project (id) DEFERRABLE INITIALLY DEFERRED)`.execute(d));
  await withDb(dst.url, (d) => sql`CREATE TABLE ${sql.id(PLUGIN_TEXT)} (id varchar(20) PRIMARY KEY,
    project_id integer NOT NULL CONSTRAINT plugin_text_project_fk REFERENCES sentry_project (id) DEFERRABLE INITIALLY DEFERRED)`.execute(d));
  return dst;
}

/** A login role that may load the target's tables but not set session_replication_role (no superuser). */
async function unprivileged(dst: TempDatabase): Promise<DbUrl> {
  await withDb(dst.url, async (d) => {
    await sql`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${sql.lit(role)}) THEN CREATE ROLE ${sql.id(role)} LOGIN; END IF; END $$`.execute(d);
    await sql`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${sql.id(role)}`.execute(d);
    await sql`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${sql.id(role)}`.execute(d);
  });
  return { ...dst.url, user: role };
}

const expected = [
  ['sentry_groupedmessage', '7', /^refused by PostgreSQL: .*violates foreign key constraint "project_id_refs_id_\w+" \(Key \(project_id\)=\(99\) is not present in table "sentry_project"\)$/],
  ['sentry_message', '1500', /^refused by PostgreSQL: .*violates foreign key constraint "group_id_refs_id_\w+" \(Key \(group_id\)=\(98\) is not present in table "sentry_groupedmessage"\)$/],
  ['sentry_eventmapping', '5000', /^references a rejected row \(group_id -> sentry_groupedmessage 7\)$/],
  [PLUGIN, '2', /^refused by PostgreSQL: .*violates foreign key constraint "plugin_project_fk" \(Key \(project_id\)=\(77\) is not present in table "sentry_project"\)$/],
  [PLUGIN_TEXT, 'b', /^refused by PostgreSQL: .*violates foreign key constraint "plugin_text_project_fk" \(Key \(project_id\)=\(76\) is not present in table "sentry_project"\)$/],
] as const;

function rejectsOf(r: MigrationReport): { table: string; key: string; reason: string }[] {
  return readFileSync(r.rejectsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    .map(({ table, key, reason }) => ({ table, key, reason }))
    .sort((a, b) => `${a.table} ${a.key}`.localeCompare(`${b.table} ${b.key}`));
}

async function assertNotInTarget(d: Kysely<any>): Promise<void> {
  for (const [table, key] of expected) {
    const found = await sql`SELECT 1 FROM ${sql.id(table)} WHERE id::text = ${key}`.execute(d);
    assert.equal(found.rows.length, 0, `${table} ${key} is in the target`);
  }
}

describe('foreign keys of a PostgreSQL target, checked set-based', { skip: !ENGINES.includes('postgres') || !ENGINES.includes('mysql') }, () => {
  it('rejects exactly the rows whose parent is missing, with or without the privilege, and the target never holds them', async () => {
    const src = await sourceWithOrphans();

    const fast = await targetWithPlugin();
    const r1 = await runMigration(runs.opts(src, fast));
    assert.ok(r1.foreignKeyChecks['set-based']! > 0, JSON.stringify(r1.foreignKeyChecks));
    assert.equal(r1.foreignKeyChecks['per-row'], undefined, JSON.stringify(r1.foreignKeyChecks));
    const rejects = rejectsOf(r1);
    assert.deepEqual(rejects.map((x) => [x.table, x.key]), expected.map(([t, k]) => [t, k]).sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`)));
    for (const [table, key, reason] of expected) assert.match(rejects.find((x) => x.table === table && x.key === key)!.reason, reason);
    assert.equal(r1.rejected, expected.length);
    for (const t of r1.tables) assert.equal(t.read, t.written + t.rejected, t.table);
    assert.ok(r1.verify?.onlyRejected, 'verify: the rejected rows are the only difference');
    assert.equal(r1.verify?.rejected, expected.length);
    await withDb(fast.url, async (d) => {
      await assertNotInTarget(d);
      const plugin = await sql<{ id: number }>`SELECT id FROM ${sql.id(PLUGIN)} ORDER BY id`.execute(d);
      assert.deepEqual(plugin.rows.map((x) => x.id), [1, 3, 4]);
      const text = await sql<{ id: string }>`SELECT id FROM ${sql.id(PLUGIN_TEXT)} ORDER BY id`.execute(d);
      assert.deepEqual(text.rows.map((x) => x.id), ['a', 'c']);
    });

    const slow = await targetWithPlugin();
    const r2 = await runMigration(runs.opts(src, { ...slow, url: await unprivileged(slow) }));
    assert.ok(r2.foreignKeyChecks['per-row']! > 0, JSON.stringify(r2.foreignKeyChecks));
    assert.equal(r2.foreignKeyChecks['set-based'], undefined, JSON.stringify(r2.foreignKeyChecks));
    assert.deepEqual(rejectsOf(r2), rejects);
    await withDb(slow.url, assertNotInTarget);
  });

  it('keeps the per-row triggers for a table with a trigger of its own, and still rejects its orphans', async () => {
    const src = await sourceWithOrphans();
    const dst = await targetWithPlugin();
    await withDb(dst.url, async (d) => {
      await sql`CREATE FUNCTION fkset_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := NEW.note || '!'; RETURN NEW; END $$`.execute(d);
      await sql`CREATE TRIGGER fkset_touch BEFORE INSERT ON ${sql.id(PLUGIN)} FOR EACH ROW EXECUTE FUNCTION fkset_touch()`.execute(d);
    });
    const r = await runMigration(runs.opts(src, dst, { verify: false }));
    assert.ok(r.foreignKeyChecks['per-row']! > 0 && r.foreignKeyChecks['set-based']! > 0, JSON.stringify(r.foreignKeyChecks));
    assert.deepEqual(rejectsOf(r).filter((x) => x.table === PLUGIN).map((x) => x.key), ['2']);
    await withDb(dst.url, async (d) => {
      // The table's own trigger ran for every row it loaded: replica mode never silenced it.
      const notes = await sql<{ note: string }>`SELECT note FROM ${sql.id(PLUGIN)} ORDER BY id`.execute(d);
      assert.deepEqual(notes.rows.map((x) => x.note), ['ok!', 'no parent needed!', 'ok!']);
    });
  });
});
