/**
 * `sentry-admin seed` on real MariaDB and PostgreSQL, in both id widths: what it writes, that every
 * foreign key and node reference holds, that python3 reads its pickles, that it refuses a database it
 * must not touch, and that one --seed gives the same data on both engines. Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { decodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { type Connection, connect } from '../../src/db/connect.js';
import { introspect } from '../../src/db/introspect.js';
import type { Engine } from '../../src/db/url.js';
import { initSchema } from '../../src/setup/init-schema.js';
import { ENGINES, type TempDatabase, runCli, tempDatabase } from '../helpers/servers.js';

const EVENTS = 2000;
const SEED = 7;

interface Seeded {
  engine: Engine;
  bigInts: boolean;
  db: TempDatabase;
  conn: Connection;
  counts: Record<string, number>;
}

const seeded: Seeded[] = [];
const extra: TempDatabase[] = [];

async function count(conn: Connection, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(conn.db);
  return Number(r.rows[0].n);
}

async function allCounts(conn: Connection): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await conn.adapter.listTables(conn.db)) out[t] = await count(conn, t);
  return out;
}

/** Rows of a table as engine-neutral text, ordered by id, hashed. */
async function digest(conn: Connection, table: string): Promise<string> {
  const rows = await conn.db.selectFrom(table).selectAll().execute();
  const text = rows
    .map((r) => Object.keys(r).sort().map((k) => {
      const v = (r as Record<string, unknown>)[k];
      return `${k}=${v === null ? 'NULL' : v instanceof Date ? v.toISOString() : String(v)}`;
    }).join('|'))
    .sort();
  return createHash('sha256').update(text.join('\n')).digest('hex');
}

/** Decode base64 values with python3; `zlib` for GzippedDict/NodeField, not for picklefield values. */
function pythonDecode(values: { value: string; zlib: boolean }[]): unknown[] {
  const script = `
import sys, json, base64, zlib, pickle
def plain(o):
    if isinstance(o, bytes): return o.decode('utf-8')
    if isinstance(o, dict): return {plain(k): plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [plain(x) for x in o]
    return o
out = []
for item in json.load(sys.stdin):
    raw = base64.b64decode(item['value'])
    if item['zlib']: raw = zlib.decompress(raw)
    out.append(plain(pickle.loads(raw, encoding='bytes')))
print(json.dumps(out))
`;
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(values), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

before(async () => {
  for (const engine of ENGINES) {
    for (const bigInts of [false, true]) {
      const db = await tempDatabase(engine, 'sa_seed');
      await initSchema(db.url, { bigInts });
      const r = await runCli(['seed', '--db', db.text, '--events', String(EVENTS), '--seed', String(SEED), '--json']);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.events, EVENTS);
      const conn = await connect(db.url);
      seeded.push({ engine, bigInts, db, conn, counts: await allCounts(conn) });
    }
  }
});

after(async () => {
  for (const s of seeded) {
    await s.conn.close();
    await s.db.drop();
  }
  for (const d of extra) await d.drop();
});

describe('seed', () => {
  it('writes the data model on every engine and id width', async () => {
    for (const s of seeded) {
      const c = s.counts;
      const where = `${s.engine}${s.bigInts ? ' big' : ''}`;
      for (const t of ['sentry_message', 'nodestore_node', 'sentry_eventmapping']) assert.equal(c[t], EVENTS, `${where} ${t}`);
      for (const t of ['auth_user', 'sentry_organization', 'sentry_team', 'sentry_project', 'sentry_projectkey', 'sentry_projectoptions',
        'sentry_organizationmember', 'sentry_organizationmember_teams', 'sentry_organizationaccessrequest', 'sentry_authprovider',
        'sentry_authprovider_default_teams', 'sentry_authidentity', 'sentry_apikey', 'sentry_auditlogentry', 'sentry_release',
        'sentry_rule', 'sentry_savedsearch', 'sentry_groupedmessage', 'sentry_grouphash', 'sentry_filterkey', 'sentry_filtervalue',
        'sentry_grouptagkey', 'sentry_messagefiltervalue', 'sentry_activity', 'sentry_groupbookmark', 'sentry_groupseen',
        'sentry_grouprulestatus', 'sentry_userreport']) {
        assert.ok(c[t] > 0, `${where}: ${t} is empty`);
      }
      const db = s.conn.db;
      const acme = await db.selectFrom('sentry_organization').selectAll().where('slug', '=', 'acme').executeTakeFirstOrThrow();
      assert.equal(acme.name, 'Acme');
      const joinleave = await db.selectFrom('sentry_organization').select('slug').where('flags', '=', 1).execute();
      assert.ok(joinleave.length >= 1);
      const types = (await db.selectFrom('sentry_organizationmember').select('type').distinct().execute()).map((r) => Number(r.type)).sort((a, b) => a - b);
      assert.deepEqual(types, [0, 25, 50]);
      const access = (await db.selectFrom('sentry_organizationmember').select('has_global_access').distinct().execute()).map((r) => r.has_global_access);
      assert.equal(access.length, 2);
      const invite = await db.selectFrom('sentry_organizationmember').selectAll().where('user_id', 'is', null).execute();
      assert.ok(invite.length >= 1 && invite.every((m) => m.email));
      assert.ok(await db.selectFrom('sentry_organizationmember_teams').select('id').where('is_active', '=', false).executeTakeFirst());
      const providers = await db.selectFrom('sentry_authprovider').selectAll().execute();
      assert.ok(providers.every((p) => p.provider === 'google' && JSON.parse(p.config).domain));
      assert.deepEqual(new Set(providers.map((p) => p.default_global_access)), new Set([true, false]));
      const superusers = await db.selectFrom('auth_user').select('username').where('is_superuser', '=', true).execute();
      assert.ok(superusers.length >= 2);
      const users = await db.selectFrom('auth_user').select(['email', 'password']).execute();
      assert.ok(users.some((u) => /[^\x00-\x7f]/.test(u.email)));
      assert.ok(users.every((u) => /^(pbkdf2_sha256\$12000\$\w{12}\$[A-Za-z0-9+/=]{44}|![A-Za-z0-9]{40})$/.test(u.password)));
      // Group counters agree with the events.
      const mismatched = await sql<{ id: string }>`
        SELECT g.id FROM sentry_groupedmessage g
        LEFT JOIN (SELECT group_id, COUNT(*) AS n, MIN(datetime) AS f, MAX(datetime) AS l FROM sentry_message GROUP BY group_id) e
          ON e.group_id = g.id
        WHERE e.n IS NULL OR e.n <> g.times_seen OR e.f <> g.first_seen OR e.l <> g.last_seen`.execute(db);
      assert.equal(mismatched.rows.length, 0, `${where}: groups whose counters disagree with their events`);
      const tagCounts = await sql<{ id: string }>`
        SELECT k.id FROM sentry_grouptagkey k
        JOIN (SELECT group_id, ${sql.ref('key')} AS k, COUNT(*) AS n, SUM(times_seen) AS s FROM sentry_messagefiltervalue GROUP BY group_id, ${sql.ref('key')}) v
          ON v.group_id = k.group_id AND v.k = k.${sql.ref('key')}
        JOIN sentry_groupedmessage g ON g.id = k.group_id
        WHERE v.n <> k.values_seen OR v.s <> g.times_seen`.execute(db);
      assert.equal(tagCounts.rows.length, 0, `${where}: group tag counts disagree with times_seen`);
    }
  });

  it('keeps every foreign key and node reference', async () => {
    for (const s of seeded) {
      const schema = await introspect(s.conn);
      for (const fk of schema.foreignKeys) {
        if (fk.columns.length !== 1) continue;
        const r = await sql<{ n: string | number }>`
          SELECT COUNT(*) AS n FROM ${sql.table(fk.table)} c
          WHERE c.${sql.ref(fk.columns[0])} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ${sql.table(fk.refTable)} p WHERE p.${sql.ref(fk.refColumns[0])} = c.${sql.ref(fk.columns[0])})`.execute(s.conn.db);
        assert.equal(Number(r.rows[0].n), 0, `${s.engine}: ${fk.table}.${fk.columns[0]} -> ${fk.refTable}`);
      }
      const nodes = new Set((await s.conn.db.selectFrom('nodestore_node').select('id').execute()).map((r) => r.id));
      const events = await s.conn.db.selectFrom('sentry_message').select(['id', 'data']).execute();
      for (const e of events) assert.ok(nodes.has(decodeNodeRef(e.data)), `${s.engine}: event ${e.id} points at a missing node`);
      const refs = new Set(events.map((e) => decodeNodeRef(e.data)));
      assert.equal(refs.size, events.length, 'one node per event');
    }
  });

  it('writes pickles that python3 decodes', async () => {
    const s = seeded.find((x) => x.engine === 'postgres')!;
    const db = s.conn.db;
    const audit = await db.selectFrom('sentry_auditlogentry').select(['event', 'data']).orderBy('id').limit(40).execute();
    const nodes = await db.selectFrom('nodestore_node').select('data').orderBy('id').limit(40).execute();
    const events = await db.selectFrom('sentry_message').select('data').orderBy('id').limit(40).execute();
    const options = await db.selectFrom('sentry_projectoptions').select(['key', 'value']).orderBy('id').execute();
    const rules = await db.selectFrom('sentry_rule').select('data').orderBy('id').limit(5).execute();
    const decoded = pythonDecode([
      ...audit.map((r) => ({ value: r.data, zlib: true })),
      ...nodes.map((r) => ({ value: r.data, zlib: true })),
      ...events.map((r) => ({ value: r.data, zlib: true })),
      ...options.map((r) => ({ value: r.value, zlib: false })),
      ...rules.map((r) => ({ value: r.data, zlib: true })),
    ]) as any[];
    let i = 0;
    for (const r of audit) {
      const d = decoded[i++];
      if (Number(r.event) === 6) assert.deepEqual(Object.keys(d).sort(), ['email', 'is_active', 'member_id', 'team_slug']);
      if (Number(r.event) === 10) assert.ok(d.slug && d.name);
    }
    for (let k = 0; k < nodes.length; k++) {
      const body = decoded[i++];
      assert.ok(body['sentry.interfaces.User'], 'node has a user');
      assert.ok(body['sentry.interfaces.Exception'] || body['sentry.interfaces.Message'], 'node has an exception or a message');
      assert.ok(Array.isArray(body.tags) && body.tags.some(([key]: [string]) => key === 'level'));
      assert.equal(body.version, '5');
      assert.equal(typeof body.extra, 'object');
    }
    for (let k = 0; k < events.length; k++) assert.match(decoded[i++].node_id, /^[A-Za-z0-9+/]{22}==$/);
    for (const o of options) {
      const v = decoded[i++];
      if (o.key === 'sentry:origins') assert.ok(Array.isArray(v) && v.length > 0);
    }
    for (let k = 0; k < rules.length; k++) assert.ok(Array.isArray(decoded[i++].conditions));
  });

  it('gives the same data on both engines and id widths for one --seed', async () => {
    const tables = ['sentry_groupedmessage', 'sentry_message', 'nodestore_node', 'sentry_filtervalue', 'sentry_messagefiltervalue',
      'sentry_auditlogentry', 'sentry_organizationmember', 'auth_user', 'sentry_activity'];
    const [first, ...others] = seeded;
    const want = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await digest(first.conn, t)])));
    for (const s of others) {
      assert.deepEqual(s.counts, first.counts, `${s.engine}${s.bigInts ? ' big' : ''}: row counts`);
      for (const t of tables) assert.equal(await digest(s.conn, t), want[t], `${s.engine}${s.bigInts ? ' big' : ''}: ${t}`);
    }
  });

  it('lets Sentry insert afterwards (sequences past the seeded ids)', async () => {
    for (const s of seeded.filter((x) => x.engine === 'postgres')) {
      const r = await sql<{ n: string }>`SELECT nextval(pg_get_serial_sequence('sentry_message', 'id')) AS n`.execute(s.conn.db);
      assert.equal(Number(r.rows[0].n), EVENTS + 1);
    }
    for (const s of seeded.filter((x) => x.engine === 'mysql')) {
      const r = await sql<{ n: string }>`SELECT auto_increment AS n FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_name = 'sentry_message'`.execute(s.conn.db);
      assert.equal(Number(r.rows[0].n), EVENTS + 1);
    }
  });

  it('refuses a database that already holds data, and writes nothing', async () => {
    for (const s of seeded.filter((x) => !x.bigInts)) {
      const r = await runCli(['seed', '--db', s.db.text, '--events', '10']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /already holds data/);
      assert.deepEqual(await allCounts(s.conn), s.counts);
    }
  });

  it('refuses a database without the Sentry schema, and bad numbers', async () => {
    for (const engine of ENGINES) {
      const db = await tempDatabase(engine, 'sa_seed_empty');
      extra.push(db);
      const r = await runCli(['seed', '--db', db.text]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /no Sentry schema/);
      assert.match(r.stderr, /init-schema/);
      const conn = await connect(db.url);
      try {
        assert.deepEqual(await conn.adapter.listTables(conn.db), []);
      } finally {
        await conn.close();
      }
    }
    for (const bad of [['--events', 'many'], ['--events', '-5'], ['--seed', '1.5'], ['--events', '999999999']]) {
      const r = await runCli(['seed', '--db', seeded[0].db.text, ...bad]);
      assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
    }
  });
});
