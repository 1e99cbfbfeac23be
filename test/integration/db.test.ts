/**
 * The database layer on real MariaDB and PostgreSQL: connect + introspect on the Sentry 7.7 schema in
 * both id widths, and the type, lock, id and bulk-load behaviour everything else relies on.
 * Runs in a non-UTC time zone so that any local-time leak in datetime handling shows.
 */
process.env.TZ = 'Asia/Kolkata';

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Connection, connect, openBulkSession } from '../../src/db/connect.js';
import { type SchemaInfo, idWidth, introspect, isSentryTable, sentryMigration } from '../../src/db/introspect.js';
import { SENTRY_TABLES_77, schemaStatements } from '../../src/db/schema-files.js';
import type { Engine } from '../../src/db/url.js';
import { ENGINES, type TempDatabase, tempDatabase } from '../helpers/servers.js';

const MIGRATION_0190 = '0190_auto__add_field_release_new_groups';
const ABOVE_2_53 = '9007199254740993'; // 2^53 + 1: a JS number would read it as ...992
const INSTANT = new Date('2015-07-28T20:41:30.000Z');

async function sentryDatabase(engine: Engine, bigInts: boolean): Promise<{ tmp: TempDatabase; conn: Connection }> {
  const tmp = await tempDatabase(engine, 'sa_db');
  const conn = await connect(tmp.url);
  for (const s of schemaStatements(engine, { bigInts })) await sql.raw(s).execute(conn.db);
  return { tmp, conn };
}

const column = (schema: SchemaInfo, table: string, name: string) => {
  const c = schema.columns.get(table)?.find((x) => x.name === name);
  assert.ok(c, `${table}.${name} is reported`);
  return c;
};
const keySig = (k: { table: string; columns: string[] }) => `${k.table}(${k.columns.join(',')})`;

/** Wait (bounded) until `probe` returns a value; for effects the server applies asynchronously. */
async function eventually<T>(probe: () => Promise<T | null>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`gave up waiting: ${what}`);
}

/** Kill the server session holding advisory/named lock `name`, the way a crashed run loses its connection. */
async function killLockHolder(conn: Connection, name: string): Promise<void> {
  if (conn.engine === 'mysql') {
    const r = await sql<{ id: string | null }>`SELECT IS_USED_LOCK(${name}) AS id`.execute(conn.db);
    assert.ok(r.rows[0].id, 'someone holds the lock');
    await sql`KILL ${sql.lit(Number(r.rows[0].id))}`.execute(conn.db);
  } else {
    const r = await sql<{ pid: number }>`
      SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(conn.db);
    assert.equal(r.rows.length, 1, 'exactly one advisory lock holder in this database');
    await sql`SELECT pg_terminate_backend(${r.rows[0].pid})`.execute(conn.db);
  }
}

const broadcastIds = async (db: Kysely<any>) =>
  new Map((await db.selectFrom('sentry_broadcast').select(['id', 'message']).execute()).map((r) => [r.message, r.id]));

const signatures = new Map<string, { fks: string[]; uniques: string[]; kinds: string[] }>();

for (const engine of ENGINES) {
  for (const bigInts of [false, true]) {
    describe(`connect + introspect: ${engine}, ${bigInts ? '64' : '32'}-bit ids`, () => {
      let tmp: TempDatabase;
      let conn: Connection;
      let schema: SchemaInfo;
      before(async () => {
        ({ tmp, conn } = await sentryDatabase(engine, bigInts));
        schema = await introspect(conn);
      });
      after(async () => {
        await conn?.close();
        await tmp?.drop();
      });

      it('reports the engine and exactly the 7.7 tables', () => {
        assert.equal(conn.engine, engine);
        assert.deepEqual(schema.tables, [...SENTRY_TABLES_77].sort());
        assert.ok(schema.tables.every(isSentryTable));
      });

      it('finds the id width and the last South migration', async () => {
        assert.equal(idWidth(schema), bigInts ? 64 : 32);
        assert.equal(await sentryMigration(conn, schema), MIGRATION_0190);
        assert.equal(await sentryMigration(conn), MIGRATION_0190);
      });

      it('reports column kinds, nullability and auto-increment', () => {
        const id = bigInts ? 'int64' : 'int32';
        for (const t of ['sentry_organization', 'sentry_project', 'sentry_team', 'sentry_groupedmessage', 'sentry_message']) {
          const c = column(schema, t, 'id');
          assert.deepEqual([c.kind, c.autoIncrement, c.nullable], [id, true, false], `${t}.id`);
        }
        assert.equal(column(schema, 'sentry_team', 'organization_id').kind, id, 'FK columns follow the id width');
        assert.equal(column(schema, 'auth_user', 'id').kind, 'int32', 'auth_user.id is a Django AutoField');
        assert.equal(column(schema, 'sentry_organization', 'owner_id').kind, 'int32');
        assert.equal(column(schema, 'auth_user', 'is_active').kind, 'bool');
        assert.equal(column(schema, 'sentry_broadcast', 'is_active').kind, 'bool');
        assert.equal(column(schema, 'sentry_broadcast', 'date_added').kind, 'datetime');
        assert.equal(column(schema, 'sentry_option', 'value').kind, 'text');
        const slug = column(schema, 'sentry_organization', 'slug');
        assert.deepEqual([slug.kind, slug.maxLength, slug.nullable], ['varchar', 50, false]);
        assert.equal(column(schema, 'sentry_broadcast', 'link').nullable, true);
        assert.equal(column(schema, 'sentry_broadcast', 'message').nullable, false);
        const withDefault = [...schema.columns.values()].flat().filter((c) => c.defaultValue !== null);
        assert.deepEqual(withDefault.map((c) => `${c.table}.${c.name}`), [], 'Sentry puts no defaults in the database');
      });

      it('finds primary keys, unique keys and foreign keys (deferrable on PostgreSQL)', () => {
        assert.deepEqual(schema.primaryKeys.get('sentry_organization'), ['id']);
        assert.equal(schema.primaryKeys.size, SENTRY_TABLES_77.length, 'every table has a primary key');
        const uniques = new Set(schema.uniqueKeys.map(keySig));
        for (const k of ['sentry_organization(slug)', 'sentry_option(key)', 'sentry_organizationmember(organization_id,user_id)',
          'sentry_organizationmember(organization_id,email)', 'sentry_filterkey(project_id,key)']) {
          assert.ok(uniques.has(k), `unique key ${k}`);
        }
        assert.ok(!schema.uniqueKeys.some((k) => k.primary), 'primary keys are not listed as unique keys');
        const fk = schema.foreignKeys.find((k) => k.table === 'sentry_team' && k.columns[0] === 'organization_id');
        assert.ok(fk);
        assert.deepEqual([fk.columns, fk.refTable, fk.refColumns], [['organization_id'], 'sentry_organization', ['id']]);
        assert.ok(schema.foreignKeys.length >= 70, `${schema.foreignKeys.length} foreign keys`);
        const deferrable = new Set(schema.foreignKeys.map((k) => k.deferrable));
        assert.deepEqual([...deferrable], [engine === 'postgres']);
        signatures.set(`${engine}/${bigInts}`, {
          fks: schema.foreignKeys.map((k) => `${keySig(k)}->${k.refTable}(${k.refColumns.join(',')})`).sort(),
          uniques: [...uniques].sort(),
          kinds: [...schema.columns.values()].flat().map((c) => `${c.table}.${c.name}:${c.kind}`).sort(),
        });
      });
    });
  }
}

describe('introspection agrees across engines', () => {
  for (const bigInts of [false, true]) {
    it(`same foreign keys and unique keys on MySQL and PostgreSQL (${bigInts ? '64' : '32'}-bit)`, () => {
      const my = signatures.get(`mysql/${bigInts}`);
      const pg = signatures.get(`postgres/${bigInts}`);
      assert.ok(my && pg, 'both engines were introspected');
      assert.deepEqual(my.fks, pg.fks);
      assert.deepEqual(my.uniques, pg.uniques);
    });
  }
});

for (const engine of ENGINES) {
  describe(`values, locks, ids and bulk loads: ${engine}`, () => {
    let tmp: TempDatabase;
    let conn: Connection;
    before(async () => ({ tmp, conn } = await sentryDatabase(engine, true)));
    after(async () => {
      await conn?.close();
      await tmp?.drop();
    });

    it('round-trips a bigint id above 2^53 exactly, as a string', async () => {
      await conn.db.insertInto('sentry_messageindex').values([
        { id: ABOVE_2_53, object_id: 1, column: 'c', value: 'big' },
        { id: '9007199254740992', object_id: 1, column: 'c', value: 'big-1' },
      ]).execute();
      const r = await conn.db.selectFrom('sentry_messageindex').select(['id', 'value']).where('id', '=', ABOVE_2_53).execute();
      assert.deepEqual(r, [{ id: ABOVE_2_53, value: 'big' }]);
      const m = await conn.db.selectFrom('sentry_messageindex').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
      assert.equal(m.m, ABOVE_2_53);
    });

    it('writes and reads datetimes as the same UTC instant, stored as UTC', async () => {
      await conn.db.insertInto('sentry_broadcast').values({ message: 'when', is_active: true, date_added: INSTANT }).execute();
      const r = await conn.db.selectFrom('sentry_broadcast').select('date_added').where('message', '=', 'when').executeTakeFirstOrThrow();
      assert.ok(r.date_added instanceof Date);
      assert.equal(r.date_added.toISOString(), INSTANT.toISOString());
      const text = engine === 'mysql'
        ? sql<{ t: string }>`SELECT DATE_FORMAT(date_added, '%Y-%m-%d %H:%i:%s') AS t FROM sentry_broadcast WHERE message = 'when'`
        : sql<{ t: string }>`SELECT to_char(date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS t FROM sentry_broadcast WHERE message = 'when'`;
      assert.equal((await text.execute(conn.db)).rows[0].t, '2015-07-28 20:41:30');
    });

    it('reads booleans (tinyint(1) on MySQL) as booleans', async () => {
      await conn.db.insertInto('sentry_broadcast').values({ message: 'off', is_active: false, date_added: INSTANT }).execute();
      const r = await conn.db.selectFrom('sentry_broadcast').select(['message', 'is_active']).where('message', 'in', ['when', 'off'])
        .orderBy('message').execute();
      assert.deepEqual(r, [{ message: 'off', is_active: false }, { message: 'when', is_active: true }]);
    });

    it('tryLock: one holder at a time, free after release, free after the holder\'s connection dies', async () => {
      const other = await connect(tmp.url);
      try {
        const release = await conn.adapter.tryLock(conn.db, 'sa-test-lock');
        assert.equal(typeof release, 'function');
        assert.equal(await other.adapter.tryLock(other.db, 'sa-test-lock'), null, 'another connection is refused');
        assert.equal(await conn.adapter.tryLock(conn.db, 'sa-test-lock'), null, 'another connection of the same pool is refused');
        const unrelated = await other.adapter.tryLock(other.db, 'sa-test-other');
        assert.ok(unrelated, 'a different name is independent');
        await unrelated();
        await release!();

        const second = await other.adapter.tryLock(other.db, 'sa-test-lock');
        assert.ok(second, 'free again after release');
        assert.equal(await conn.adapter.tryLock(conn.db, 'sa-test-lock'), null);
        await killLockHolder(conn, 'sa-test-lock');
        const third = await eventually(() => conn.adapter.tryLock(conn.db, 'sa-test-lock'), 'the lock of a killed session');
        await third();
        await second().catch(() => undefined); // its connection is gone, and the lock with it
        // The pool that lost the lock's connection still works.
        const n = await sql<{ n: number }>`SELECT 1 AS n`.execute(other.db);
        assert.equal(Number(n.rows[0].n), 1);
      } finally {
        await other.close();
      }
    });

    it('insertReturningIds returns the real ids in row order, across batches', async () => {
      const rows = Array.from({ length: 1500 }, (_, i) => ({ message: `r${i}`, is_active: i % 2 === 0, date_added: INSTANT }));
      const ids = await conn.adapter.insertReturningIds(conn.db, 'sentry_broadcast', rows);
      const actual = await broadcastIds(conn.db);
      assert.equal(ids.length, rows.length);
      assert.deepEqual(ids, rows.map((r) => actual.get(r.message)));
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(await conn.adapter.insertReturningIds(conn.db, 'sentry_broadcast', []), []);
    });

    it('syncIdSequence moves the id generator past explicit ids, exactly above 2^53', async () => {
      await conn.db.insertInto('sentry_broadcast').values({ id: ABOVE_2_53, message: 'explicit', is_active: true, date_added: INSTANT }).execute();
      await conn.adapter.syncIdSequence(conn.db, 'sentry_broadcast', 'id');
      await conn.adapter.syncIdSequence(conn.db, 'sentry_broadcast', 'id'); // idempotent
      const ids = await conn.adapter.insertReturningIds(conn.db, 'sentry_broadcast',
        ['n1', 'n2'].map((message) => ({ message, is_active: true, date_added: INSTANT })));
      assert.deepEqual(ids, ['9007199254740994', '9007199254740995']);
      const actual = await broadcastIds(conn.db);
      assert.deepEqual([actual.get('n1'), actual.get('n2')], ids);
    });

    it('bulk load writes tabs, newlines, backslashes, NULL, non-ASCII and typed values exactly', async () => {
      const tricky = ['tab\there', 'line\nbreak', 'cr\rlf\r\n', 'back\\slash', '\\N', '\\.', '\\t literal', '', 'é ü 日本語 ñ',
        ...(engine === 'mysql' ? ['nul\0byte'] : [])]; // PostgreSQL text cannot hold NUL at all
      const bulk = await openBulkSession(conn.url);
      try {
        const r = await bulk.load('sentry_option', ['key', 'value', 'last_updated'], tricky.map((v, i) => [`k${i}`, v, INSTANT]));
        assert.deepEqual(r, { rows: tricky.length, warnings: [] });
        const b = await bulk.load('sentry_broadcast', ['id', 'message', 'link', 'is_active', 'date_added'], [
          ['9007199254740999', 'bulk-null', null, true, INSTANT],
          ['9007199254741000', 'bulk-false', 'https://x/?a=1\tb', false, new Date('2016-02-29T23:59:59Z')],
        ]);
        assert.deepEqual(b, { rows: 2, warnings: [] });
      } finally {
        await bulk.close();
      }
      const back = await conn.db.selectFrom('sentry_option').select(['key', 'value', 'last_updated']).orderBy('id').execute();
      assert.deepEqual(back.map((x) => x.value), tricky);
      assert.ok(back.every((x) => x.last_updated.getTime() === INSTANT.getTime()));
      const bb = await conn.db.selectFrom('sentry_broadcast').select(['id', 'link', 'is_active', 'date_added'])
        .where('message', 'like', 'bulk-%').orderBy('id').execute();
      assert.deepEqual(bb.map((x) => [x.id, x.link, x.is_active, x.date_added.toISOString()]), [
        ['9007199254740999', null, true, INSTANT.toISOString()],
        ['9007199254741000', 'https://x/?a=1\tb', false, '2016-02-29T23:59:59.000Z'],
      ]);
    });

    it('bulk load inside a transaction is rolled back with it', async () => {
      const bulk = await openBulkSession(conn.url);
      try {
        await bulk.begin();
        await bulk.load('sentry_option', ['key', 'value', 'last_updated'], [['rolled-back', 'x', INSTANT]]);
        const seen = await bulk.query('SELECT value FROM sentry_option WHERE ' + (engine === 'mysql' ? '`key`' : '"key"') + " = 'rolled-back'");
        assert.deepEqual(seen, [{ value: 'x' }], 'visible inside the transaction');
        await bulk.rollback();
      } finally {
        await bulk.close();
      }
      const r = await conn.db.selectFrom('sentry_option').select('key').where('key', '=', 'rolled-back').execute();
      assert.deepEqual(r, []);
    });

    it('a 4-byte character into a utf8 column: a MySQL warning, exact on PostgreSQL', async () => {
      const bulk = await openBulkSession(conn.url);
      let r;
      try {
        r = await bulk.load('sentry_option', ['key', 'value', 'last_updated'], [['emoji', 'a😀b', INSTANT]]);
      } finally {
        await bulk.close();
      }
      assert.equal(r.rows, 1);
      const stored = await conn.db.selectFrom('sentry_option').select('value').where('key', '=', 'emoji').executeTakeFirstOrThrow();
      if (engine === 'mysql') {
        assert.equal(r.warnings.length, 1, r.warnings.join('; '));
        assert.match(r.warnings[0], /^Warning 1366: Incorrect string value: .*sentry_option.*value/);
        assert.notEqual(stored.value, 'a😀b');
      } else {
        assert.deepEqual(r.warnings, []);
        assert.equal(stored.value, 'a😀b');
      }
    });
  });
}
