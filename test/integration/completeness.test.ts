/**
 * Completeness: a migration carries every table of the source that holds rows (Sentry's tables
 * beyond the core catalogue, and a plugin's tables found by introspection), refuses what it cannot
 * carry before writing, and verify proves it from both databases, table by table and column by column.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { connect } from '../../src/db/connect.js';
import { UsageError } from '../../src/errors.js';
import { parseExclusions } from '../../src/transfer/exclusions.js';
import { type MigrateOptions, runMigration } from '../../src/transfer/migrate.js';
import { readRejectedKeys } from '../../src/transfer/rejects.js';
import { resolveScope } from '../../src/transfer/scope.js';
import { verify } from '../../src/transfer/verify.js';
import { T0, dumpTables, loadFixture, withDb } from '../helpers/fixtures.js';
import { migrationRuns } from '../helpers/migration-runs.js';
import type { TempDatabase } from '../helpers/servers.js';

const runs = migrationRuns('sa-cmp', { chunkRows: 2 });
after(() => runs.cleanup());

type Engine = 'mysql' | 'postgres';

/** An empty Sentry 7.7 schema with a plugin app's tables. */
async function db(engine: Engine): Promise<TempDatabase> {
  const d = await runs.db(engine);
  await withDb(d.url, (k) => pluginSchema(k, engine));
  return d;
}

const opts = (from: TempDatabase, to: TempDatabase, extra: Partial<MigrateOptions> = {}) => runs.opts(from, to, extra);

/**
 * A plugin's South app: a table with a varchar primary key tied to sentry_project, and one linking
 * it to auth_user. On MySQL without constraints (as many real installs are); on PostgreSQL with.
 */
async function pluginSchema(d: Kysely<any>, engine: Engine): Promise<void> {
  if (engine === 'mysql') {
    await sql`CREATE TABLE sentry_plugins_widget (code varchar(40) NOT NULL PRIMARY KEY, project_id int NOT NULL, label varchar(64) NOT NULL, created datetime NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8`.execute(d);
    await sql`CREATE TABLE sentry_plugins_widgetuse (id int AUTO_INCREMENT PRIMARY KEY, widget_id varchar(40) NOT NULL, user_id int NOT NULL, note text NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8`.execute(d);
  } else {
    await sql`CREATE TABLE sentry_plugins_widget (code varchar(40) NOT NULL PRIMARY KEY, project_id integer NOT NULL REFERENCES sentry_project (id) DEFERRABLE INITIALLY DEFERRED, label varchar(64) NOT NULL, created timestamp with time zone NOT NULL)`.execute(d);
    await sql`CREATE TABLE sentry_plugins_widgetuse (id serial PRIMARY KEY, widget_id varchar(40) NOT NULL REFERENCES sentry_plugins_widget (code) DEFERRABLE INITIALLY DEFERRED, user_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED, note text NULL)`.execute(d);
  }
}

/** Rows in Sentry's tables beyond the core catalogue, and in the plugin's, for both organizations. */
async function loadExtras(d: Kysely<any>): Promise<void> {
  for (const o of [1, 2]) {
    await d.insertInto('sentry_release').values({ id: o, project_id: o, version: `v${o}.0`, date_added: T0, date_started: null, date_released: null, ref: null, url: null, data: '{}', new_groups: 0 }).execute();
    await d.insertInto('sentry_file').values({ id: o, name: `app${o}.js.map`, storage: 'django.core.files.storage.FileSystemStorage', storage_options: '{}', path: `/srv/${o}`, type: 'release.file', size: 10 + o, timestamp: T0, checksum: 'a'.repeat(40), headers: '{}' }).execute();
    await d.insertInto('sentry_releasefile').values({ id: o, project_id: o, release_id: o, file_id: o, ident: 'b'.repeat(40), name: `~/app${o}.js.map` }).execute();
    await d.insertInto('sentry_accessgroup').values({ id: o, team_id: o, name: `ops${o}`, type: 50, managed: false, data: null, date_added: T0 }).execute();
    await d.insertInto('sentry_accessgroup_members').values({ id: o, accessgroup_id: o, user_id: o + 1 }).execute();
    await d.insertInto('sentry_accessgroup_projects').values({ id: o, accessgroup_id: o, project_id: o }).execute();
    await d.insertInto('sentry_alert').values({ id: o, project_id: o, group_id: o, datetime: T0, message: `spike ${o}`, data: null, status: 0 }).execute();
    await d.insertInto('sentry_alertrelatedgroup').values({ id: o, group_id: o, alert_id: o, data: null }).execute();
    await d.insertInto('sentry_messageindex').values({ id: o, object_id: o, column: 'message', value: `word${o}` }).execute();
    await d.insertInto('sentry_plugins_widget').values({ code: `w-${o}`, project_id: o, label: `Widget ${o}`, created: T0 }).execute();
    await d.insertInto('sentry_plugins_widgetuse').values({ id: o, widget_id: `w-${o}`, user_id: o + 1, note: `used by ${o + 1}` }).execute();
  }
  await d.insertInto('sentry_helppage').values({ id: 1, key: 'faq', title: 'FAQ', content: 'Ask.', is_visible: true, priority: 50, date_added: T0 }).execute();
  await d.insertInto('social_auth_usersocialauth').values({ id: 1, user_id: 2, provider: 'github', uid: '42', extra_data: '{}' }).execute();
  await d.insertInto('djkombu_queue').values({ id: 1, name: 'default' }).execute();
  await d.insertInto('djkombu_message').values({ id: 1, visible: true, sent_at: T0, payload: '{}', queue_id: 1 }).execute();
}

const EXTRA_TABLES = [
  'sentry_release', 'sentry_file', 'sentry_releasefile', 'sentry_accessgroup', 'sentry_accessgroup_members', 'sentry_accessgroup_projects',
  'sentry_alert', 'sentry_alertrelatedgroup', 'sentry_messageindex', 'sentry_helppage', 'social_auth_usersocialauth', 'sentry_plugins_widgetuse',
];

async function rows(t: TempDatabase, table: string): Promise<number> {
  return withDb(t.url, async (d) => Number((await d.selectFrom(table).select(sql<string>`COUNT(*)`.as('n')).executeTakeFirstOrThrow()).n));
}

async function verifyOf(src: TempDatabase, dst: TempDatabase, extra: Parameters<typeof verify>[3] = {}, scope: Parameters<typeof resolveScope>[1] = {}) {
  const a = await connect(src.url);
  const b = await connect(dst.url);
  try {
    return await verify(a, b, await resolveScope(a.db, scope), extra);
  } finally {
    await a.close();
    await b.close();
  }
}

describe('completeness: every table that holds rows is carried', () => {
  for (const [a, b] of [['mysql', 'postgres'], ['postgres', 'mysql']] as const) {
    it(`${a} -> ${b}: Sentry's extra tables and a plugin's tables round-trip equal; the Celery queue is named, not carried`, async () => {
      const src = await db(a);
      const dst = await db(b);
      await withDb(src.url, async (d) => {
        await loadFixture(d, { events: 3 });
        await loadExtras(d);
      });
      const r = await runMigration(opts(src, dst));
      assert.equal(r.complete, true);
      assert.equal(r.rejected, 0);
      assert.ok(r.verify?.equal, JSON.stringify(r.verify?.tables.filter((t) => !t.equal)));
      const tables = [...EXTRA_TABLES, 'sentry_plugins_widget'];
      assert.deepEqual(await withDb(dst.url, (d) => dumpTables(d, EXTRA_TABLES)), await withDb(src.url, (d) => dumpTables(d, EXTRA_TABLES)));
      for (const t of tables) assert.ok(r.tables.some((x) => x.table === t && x.written > 0), `${t} carried`);
      assert.deepEqual(r.notCarried.filter((n) => n.holdsRows).map((n) => [n.table, n.reason]), [['djkombu_message', 'transient'], ['djkombu_queue', 'transient']]);
      assert.equal(await rows(dst, 'djkombu_message'), 0);
      // The plugin's widgets (varchar keys) load before their uses, although MySQL has no constraint saying so.
      const order = r.tables.map((t) => t.table);
      assert.ok(order.indexOf('sentry_plugins_widget') < order.indexOf('sentry_plugins_widgetuse'));
      // The proof ran beside the load: parents were compared while their children still loaded.
      assert.ok(r.verifiedWhileLoading > 0, `${r.verifiedWhileLoading} tables compared during the load`);
    });
  }

  it('verify names a row changed in every non-catalogue table, and a table or column with data on one side only', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 2 });
      await loadExtras(d);
    });
    assert.equal((await runMigration(opts(src, dst, { verify: false }))).complete, true);
    await withDb(dst.url, async (d) => {
      await d.updateTable('sentry_file').set({ name: 'changed.map' }).where('id', '=', 2).execute();
      await d.updateTable('sentry_releasefile').set({ name: 'changed' }).where('id', '=', 1).execute();
      await d.updateTable('sentry_accessgroup_members').set({ user_id: 1 }).where('id', '=', 1).execute();
      await d.updateTable('sentry_alert').set({ message: 'changed' }).where('id', '=', 2).execute();
      await d.updateTable('sentry_helppage').set({ content: 'changed' }).where('id', '=', 1).execute();
      await d.updateTable('social_auth_usersocialauth').set({ uid: '43' }).where('id', '=', 1).execute();
      await d.updateTable('sentry_plugins_widget').set({ label: 'changed' }).where('code', '=', 'w-2').execute();
      await d.deleteFrom('sentry_messageindex').where('id', '=', 1).execute();
      await sql`CREATE TABLE sentry_plugins_extra (id serial PRIMARY KEY, v text)`.execute(d);
      await sql`INSERT INTO sentry_plugins_extra (v) VALUES ('only here')`.execute(d);
      await sql`ALTER TABLE sentry_plugins_widgetuse ADD COLUMN flag integer NULL`.execute(d);
      await sql`UPDATE sentry_plugins_widgetuse SET flag = 1 WHERE id = 2`.execute(d);
    });
    const v = await verifyOf(src, dst);
    assert.equal(v.equal, false);
    const status = Object.fromEntries(v.tables.filter((t) => !t.equal).map((t) => [t.table, t.status]));
    assert.deepEqual(Object.keys(status).sort(), [
      'sentry_accessgroup_members', 'sentry_alert', 'sentry_file', 'sentry_helppage', 'sentry_messageindex', 'sentry_plugins_extra',
      'sentry_plugins_widget', 'sentry_plugins_widgetuse', 'sentry_releasefile', 'social_auth_usersocialauth',
    ]);
    assert.equal(status.sentry_messageindex, 'missing rows');
    assert.equal(status.sentry_plugins_extra, 'extra rows');
    assert.match(status.sentry_plugins_widgetuse, /flag \(target only\)/);
    const file = v.tables.find((t) => t.table === 'sentry_file')!;
    assert.deepEqual(file.differences.map((d) => [d.key, d.columns]), [[{ id: '2' }, ['name']]]);
    // Excluded on purpose, they are not differences.
    const excluded = await verifyOf(src, dst, {
      exclusions: parseExclusions(
        ['sentry_file', 'sentry_releasefile', 'sentry_accessgroup_members', 'sentry_alert', 'sentry_helppage', 'sentry_messageindex', 'sentry_plugins_extra', 'sentry_plugins_widget', 'social_auth_usersocialauth'],
        ['sentry_plugins_widgetuse.flag'],
      ),
    });
    assert.ok(excluded.equal, JSON.stringify(excluded.tables.filter((t) => !t.equal)));
    assert.match(excluded.excluded, /sentry_plugins_widgetuse\.flag/);
  });
});

describe('completeness: refused before writing, or carried explicitly', () => {
  it('a target lacking a column in which the source holds values: exit 2, nothing written; --exclude-column carries the rest and verify honours it', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 2 }));
    await withDb(dst.url, (d) => sql`ALTER TABLE sentry_eventmapping DROP COLUMN event_id`.execute(d));
    await assert.rejects(runMigration(opts(src, dst)), (e: unknown) =>
      e instanceof UsageError && /no column sentry_eventmapping\.event_id; the source holds 4 non-NULL values/.test(e.message) && /--exclude-column/.test(e.hint ?? ''));
    assert.equal(await rows(dst, 'auth_user'), 0);
    const r = await runMigration(opts(src, dst, { exclusions: parseExclusions([], ['sentry_eventmapping.event_id']) }));
    assert.equal(r.complete, true);
    assert.ok(r.verify?.equal, JSON.stringify(r.verify?.tables.filter((t) => !t.equal)));
    assert.match(r.scope, /excluding sentry_eventmapping\.event_id/);
    assert.equal(await rows(dst, 'sentry_eventmapping'), 4);
  });

  it('an import into a target lacking a column the export staged: exit 2, nothing written', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, (d) => loadFixture(d, { events: 1 }));
    await withDb(dst.url, (d) => sql`ALTER TABLE sentry_eventmapping DROP COLUMN event_id`.execute(d));
    const exp = opts(src, dst, { mode: 'export', target: undefined });
    assert.equal((await runMigration(exp)).complete, true);
    await assert.rejects(runMigration({ ...exp, mode: 'import', source: undefined, target: dst.url }), (e: unknown) =>
      e instanceof UsageError && /no column sentry_eventmapping\.event_id, which the export staged/.test(e.message));
    assert.equal(await rows(dst, 'auth_user'), 0);
  });

  it('a target lacking a table the source holds rows in: exit 2 naming it; --exclude-table leaves it out and says so', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 1 });
      await loadExtras(d);
    });
    await withDb(dst.url, (d) => sql`DROP TABLE sentry_plugins_widgetuse`.execute(d));
    await assert.rejects(runMigration(opts(src, dst)), (e: unknown) => e instanceof UsageError && /the target has no table sentry_plugins_widgetuse \(2 rows\)/.test(e.message));
    assert.equal(await rows(dst, 'auth_user'), 0);
    const r = await runMigration(opts(src, dst, { exclusions: parseExclusions(['sentry_plugins_widgetuse']) }));
    assert.ok(r.verify?.equal, JSON.stringify(r.verify?.tables.filter((t) => !t.equal)));
    assert.ok(r.notCarried.some((n) => n.table === 'sentry_plugins_widgetuse' && n.reason === 'excluded'));
  });

  it('an exclusion naming nothing is a typo: refused', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await assert.rejects(runMigration(opts(src, dst, { exclusions: parseExclusions(['sentry_nosuch']) })), (e: unknown) => e instanceof UsageError && /sentry_nosuch: no such table/.test(e.message));
  });

  it('rows rejected by the target: exit-4 report naming the file; verify --rejects says only rejected rows differ', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 2 });
      await sql`SET SESSION sql_mode = ''`.execute(d);
      await sql`UPDATE sentry_groupedmessage SET last_seen = '0000-00-00 00:00:00' WHERE id = 2`.execute(d);
    });
    const o = opts(src, dst);
    const r = await runMigration(o);
    assert.equal(r.complete, true);
    assert.ok(r.rejected > 1, 'the group and its children');
    assert.equal(r.rejectsFile, o.rejectsPath);
    assert.equal(r.verify?.equal, false);
    assert.equal(r.verify?.onlyRejected, true, JSON.stringify(r.verify?.tables.filter((t) => !t.equal)));
    assert.equal(r.verify?.rejected, r.rejected);
    const { exitCodeFor } = await import('../../src/cli/commands/transfer-shared.js');
    assert.equal(exitCodeFor(r), 4);
    const alone = await verifyOf(src, dst, { rejected: await readRejectedKeys(o.rejectsPath!), rejectsFile: o.rejectsPath });
    assert.equal(alone.onlyRejected, true);
    // Without the file, the same rows are differences.
    const bare = await verifyOf(src, dst);
    assert.equal(bare.onlyRejected, false);
  });
});

describe('completeness: a scope carries the organization\'s whole world', () => {
  it('--org carries its release files and their files, access groups, alerts and the plugin rows tied to it; nothing of the other org', async () => {
    const src = await db('postgres');
    const dst = await db('mysql');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 2 });
      await loadExtras(d);
    });
    const r = await runMigration(opts(src, dst, { scope: { orgs: ['globex'] } }));
    assert.equal(r.complete, true);
    assert.ok(r.verify?.equal, JSON.stringify(r.verify?.tables.filter((t) => !t.equal)));
    const ids = async (t: string, col = 'id') => withDb(dst.url, async (d) => (await d.selectFrom(t).select(sql.ref(col).as('k')).execute()).map((x: any) => String(x.k)).sort());
    for (const t of ['sentry_release', 'sentry_file', 'sentry_releasefile', 'sentry_accessgroup', 'sentry_accessgroup_members', 'sentry_accessgroup_projects', 'sentry_alert', 'sentry_alertrelatedgroup', 'sentry_messageindex', 'sentry_plugins_widgetuse']) {
      assert.deepEqual(await ids(t), ['2'], t);
    }
    assert.deepEqual(await ids('sentry_plugins_widget', 'code'), ['w-2']);
    assert.deepEqual(await ids('social_auth_usersocialauth'), [], 'user 2 is not a member of globex');
    const named = Object.fromEntries(r.notCarried.filter((n) => n.holdsRows).map((n) => [n.table, n.reason]));
    assert.equal(named.sentry_helppage, 'global');
    assert.equal(named.djkombu_message, 'transient');
  });

  it('a source lacking one of Sentry\'s tables: --org carries the rest', async () => {
    const src = await db('mysql');
    const dst = await db('postgres');
    await withDb(src.url, async (d) => {
      await loadFixture(d, { events: 2 });
      await sql`DROP TABLE sentry_groupasignee`.execute(d);
    });
    const r = await runMigration(opts(src, dst, { scope: { orgs: ['acme'] } }));
    assert.equal(r.complete, true);
    assert.ok(r.verify?.equal, JSON.stringify(r.verify?.tables.filter((t) => !t.equal)));
  });
});
