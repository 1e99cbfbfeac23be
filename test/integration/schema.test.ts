/**
 * Applies sql/<engine>/sentry-7.7.sql to real MariaDB and PostgreSQL servers, in both id widths,
 * and checks what information_schema then reports.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { SENTRY_TABLES_77, schemaStatements, schemaVersion } from '../../src/db/schema-files.js';
import type { Engine } from '../../src/db/url.js';

const SERVER: Record<Engine, URL> = {
  mysql: new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'),
  postgres: new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'),
};

type Row = Record<string, unknown>;

interface Probe {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

function serverOptions(engine: Engine) {
  const u = SERVER[engine];
  return {
    host: u.hostname,
    port: Number(u.port) || (engine === 'mysql' ? 3306 : 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password) || undefined,
  };
}

/** Create database `name` and return a connection to it; `drop()` removes it again. */
async function createDatabase(engine: Engine, name: string): Promise<{ probe: Probe; drop: () => Promise<void> }> {
  if (engine === 'mysql') {
    const admin = await mysql.createConnection({ ...serverOptions(engine), multipleStatements: false });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8`);
    const conn = await mysql.createConnection({ ...serverOptions(engine), database: name, multipleStatements: false });
    const probe: Probe = {
      query: async (sql, params) => (await conn.query(sql, params))[0] as Row[],
      close: () => conn.end(),
    };
    return { probe, drop: async () => { await admin.query(`DROP DATABASE IF EXISTS \`${name}\``); await admin.end(); } };
  }
  const admin = new pg.Client({ ...serverOptions(engine), database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const client = new pg.Client({ ...serverOptions(engine), database: name });
  await client.connect();
  const probe: Probe = {
    query: async (sql, params) => (await client.query(sql, params)).rows as Row[],
    close: () => client.end(),
  };
  return { probe, drop: async () => { await admin.query(`DROP DATABASE IF EXISTS "${name}"`); await admin.end(); } };
}

interface Column { table: string; name: string; type: string; nullable: boolean; defaultValue: string | null; extra: string }

async function columns(engine: Engine, probe: Probe, schema: string): Promise<Map<string, Column>> {
  const rows = engine === 'mysql'
    ? await probe.query(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS n, COLUMN_DEFAULT AS d, EXTRA AS extra
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`, [schema])
    : await probe.query(
      `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS n, column_default AS d, '' AS extra
         FROM information_schema.columns WHERE table_schema = 'public'`);
  const out = new Map<string, Column>();
  for (const r of rows) {
    const col = { table: String(r.t), name: String(r.c), type: String(r.type), nullable: r.n === 'YES',
      defaultValue: r.d === null ? null : String(r.d), extra: String(r.extra ?? '') };
    out.set(`${col.table}.${col.name}`, col);
  }
  return out;
}

async function foreignKeys(engine: Engine, probe: Probe, schema: string): Promise<Row[]> {
  return engine === 'mysql'
    ? probe.query(
      `SELECT rc.CONSTRAINT_NAME AS name, rc.TABLE_NAME AS t, rc.REFERENCED_TABLE_NAME AS ref, 'NO' AS deferrable, 'NO' AS deferred
         FROM information_schema.REFERENTIAL_CONSTRAINTS rc WHERE rc.CONSTRAINT_SCHEMA = ?`, [schema])
    : probe.query(
      `SELECT con.conname AS name, rel.relname AS t, ref.relname AS ref,
              CASE WHEN con.condeferrable THEN 'YES' ELSE 'NO' END AS deferrable,
              CASE WHEN con.condeferred THEN 'YES' ELSE 'NO' END AS deferred
         FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
        WHERE con.contype = 'f'`);
}

/** Unique keys (not the primary key) as `table(col1,col2)` in key order. */
async function uniqueKeys(engine: Engine, probe: Probe, schema: string): Promise<Set<string>> {
  const rows = engine === 'mysql'
    ? await probe.query(
      `SELECT TABLE_NAME AS t, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'
        GROUP BY TABLE_NAME, INDEX_NAME`, [schema])
    : await probe.query(
      `SELECT tc.table_name AS t, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS cols
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
        WHERE tc.constraint_type = 'UNIQUE' AND tc.table_schema = 'public'
        GROUP BY tc.table_name, tc.constraint_name`);
  return new Set(rows.map((r) => `${String(r.t)}(${String(r.cols)})`));
}

const INT32: Record<Engine, string> = { mysql: 'int(11)', postgres: 'integer' };
const INT64: Record<Engine, string> = { mysql: 'bigint(20)', postgres: 'bigint' };

for (const engine of ['mysql', 'postgres'] as const) {
  for (const bigInts of [false, true]) {
    describe(`sentry 7.7 schema on ${engine}, ${bigInts ? 'big' : 'small'} ids`, () => {
      const name = `sa_schema_${randomBytes(4).toString('hex')}`;
      const idType = bigInts ? INT64[engine] : INT32[engine];
      let db: Awaited<ReturnType<typeof createDatabase>>;
      let cols: Map<string, Column>;

      before(async () => {
        db = await createDatabase(engine, name);
        for (const statement of schemaStatements(engine, { bigInts })) {
          try {
            await db.probe.query(statement);
          } catch (err) {
            throw new Error(`${(err as Error).message}\nin: ${statement.slice(0, 200)}`);
          }
        }
        cols = await columns(engine, db.probe, name);
      });

      after(async () => {
        await db?.probe.close();
        await db?.drop();
      });

      const col = (key: string): Column => {
        const c = cols.get(key);
        assert.ok(c, `column ${key} exists`);
        return c;
      };

      it('creates exactly the tables of SENTRY_TABLES_77', async () => {
        const tables = new Set([...cols.values()].map((c) => c.table));
        assert.deepEqual([...tables].sort(), [...SENTRY_TABLES_77].sort());
        assert.equal(new Set(SENTRY_TABLES_77).size, SENTRY_TABLES_77.length);
      });

      it('lists parents before children in SENTRY_TABLES_77', async () => {
        const fks = await foreignKeys(engine, db.probe, name);
        const declared = schemaStatements(engine, { bigInts }).join('\n').split(' FOREIGN KEY ').length - 1;
        assert.equal(fks.length, declared);
        for (const fk of fks) {
          if (fk.t === fk.ref) continue;
          assert.ok(SENTRY_TABLES_77.indexOf(String(fk.ref)) < SENTRY_TABLES_77.indexOf(String(fk.t)),
            `${String(fk.ref)} must come before ${String(fk.t)} (${String(fk.name)})`);
        }
      });

      it('keeps the 32-bit columns 32-bit and the id columns at the chosen width', () => {
        assert.equal(col('auth_user.id').type, INT32[engine]);
        assert.equal(col('sentry_organizationmember.user_id').type, INT32[engine]);
        assert.equal(col('sentry_organizationmember.user_id').nullable, true);
        assert.equal(col('sentry_organizationmember_teams.id').type, INT32[engine]);
        assert.equal(col('sentry_authprovider_default_teams.id').type, INT32[engine]);
        assert.equal(col('sentry_organizationmember_teams.organizationmember_id').type, idType);
        assert.equal(col('sentry_organizationmember_teams.team_id').type, idType);
        assert.equal(col('sentry_organization.id').type, idType);
        assert.equal(col('sentry_organization.owner_id').type, INT32[engine]);
        assert.equal(col('sentry_groupedmessage.project_id').type, idType);
        assert.equal(col('sentry_project.slug').nullable, true);
        assert.equal(col('sentry_project.team_id').nullable, false);
        assert.equal(col('sentry_release.new_groups').nullable, false);
        assert.equal(col('nodestore_node.id').type, engine === 'mysql' ? 'varchar(40)' : 'character varying');
        if (engine === 'mysql') {
          assert.equal(col('sentry_organization.status').type, 'int(10) unsigned');
          assert.equal(col('auth_user.is_active').type, 'tinyint(1)');
          assert.equal(col('sentry_message.data').type, 'longtext');
        }
      });

      it('has no column defaults besides sequences and auto_increment', () => {
        for (const c of cols.values()) {
          if (engine === 'postgres') {
            assert.ok(c.defaultValue === null || c.defaultValue.startsWith('nextval('), `${c.table}.${c.name} default ${c.defaultValue}`);
          } else {
            // MariaDB reports a nullable column without DEFAULT as 'NULL'
            assert.ok(c.defaultValue === null || (c.defaultValue === 'NULL' && c.nullable), `${c.table}.${c.name} default ${c.defaultValue}`);
          }
        }
        if (engine === 'mysql') assert.match(col('sentry_organization.id').extra, /auto_increment/);
        else assert.match(col('sentry_organization.id').defaultValue ?? '', /^nextval\('sentry_organization_id_seq'/);
      });

      it('has the unique keys the toolkit relies on', async () => {
        const uniques = await uniqueKeys(engine, db.probe, name);
        assert.ok(uniques.has('sentry_organizationaccessrequest(team_id,member_id)'));
        assert.ok(uniques.has('sentry_organizationmember_teams(organizationmember_id,team_id)'));
        assert.ok(uniques.has('sentry_organizationmember(organization_id,user_id)'));
        assert.ok(uniques.has('sentry_organization(slug)'));
        assert.ok(uniques.has('sentry_projectkey(public_key)'));
      });

      it(engine === 'postgres' ? 'makes every FK deferrable initially deferred' : 'makes FKs immediate', async () => {
        for (const fk of await foreignKeys(engine, db.probe, name)) {
          const expected = engine === 'postgres' ? 'YES' : 'NO';
          assert.equal(fk.deferrable, expected, String(fk.name));
          assert.equal(fk.deferred, expected, String(fk.name));
        }
      });

      it('records the South history of 7.7.0', async () => {
        const rows = await db.probe.query(
          "SELECT migration FROM south_migrationhistory WHERE app_name = 'sentry' ORDER BY migration DESC");
        assert.equal(rows.length, 191);
        assert.equal(rows[0].migration, `${schemaVersion}_auto__add_field_release_new_groups`);
        const apps = await db.probe.query('SELECT DISTINCT app_name FROM south_migrationhistory ORDER BY app_name');
        assert.deepEqual(apps.map((r) => r.app_name), ['django', 'nodestore', 'search', 'sentry', 'social_auth']);
      });
    });
  }
}
