/**
 * `verify` against real MariaDB and PostgreSQL, MySQL<->PostgreSQL both ways and same-engine: both
 * sides are built from sql/ (64-bit ids past 2^53), loaded with the same rows, then the target is
 * damaged one way at a time and the real binary must exit 3 naming table, key and column.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Connection, connect } from '../../src/db/connect.js';
import type { Engine } from '../../src/db/url.js';
import { FULL_SCOPE } from '../../src/transfer/scope.js';
import { verify } from '../../src/transfer/verify.js';
import { renderVerify } from '../../src/ui/verify-render.js';
import { loadFixture, sentryDatabase as helperDatabase, withDb } from '../helpers/fixtures.js';
import { type TempDatabase, runCli } from '../helpers/servers.js';

const BIG = 9007199254740993n; // 2^53 + 1: any layer going through a double breaks it
const id = (n: number) => (BIG + BigInt(n)).toString();
const md5 = (s: string) => createHash('md5').update(s).digest();
/** UTC datetime text with microseconds; the engine keeps what it can (MariaDB truncates). */
const at = (sec: number, micro = 0) => new Date(Date.UTC(2015, 6, 1) + sec * 1000).toISOString().slice(0, 19).replace('T', ' ') + '.' + String(micro).padStart(6, '0');
const pickle = (n: number) => md5(`p${n}`).toString('base64').repeat(6 + (n % 5)); // stands in for base64(zlib(pickle))

type Rows = Record<string, Record<string, unknown>[]>;
const projectOf = (g: number) => [20, 21, 22][g % 3];

function fixture(): Rows {
  const user = (n: number, username: string, first: string, last: string, email: string, staff: boolean) => ({
    password: `pbkdf2_sha256$12000$salt${n}$hash=`, last_login: at(n, 654321), id: n, username, first_name: first, last_name: last,
    email, is_staff: staff, is_active: true, is_superuser: staff, date_joined: at(n * 7), is_managed: false,
  });
  const org = (n: number, slug: string) => ({ id: id(n), name: `Org ${slug} Ünïcode`, owner_id: 1, status: 0, date_added: at(n), slug, flags: '1' });
  const project = (n: number, team: number, org: number, slug: string, pub: boolean, platform: string | null) => ({
    id: id(n), name: slug, public: pub, date_added: at(n, 500000), status: 0, slug, team_id: id(team), platform, organization_id: id(org),
  });
  return {
    auth_user: [user(1, 'admin', '', '', 'admin@example.com', true), user(2, 'jörg', 'Jörg', '日本語テキスト', '', false)],
    sentry_organization: [org(1, 'acme'), org(2, 'other')],
    sentry_team: [
      { id: id(10), slug: 'core', name: 'Core', date_added: null, status: 0, organization_id: id(1) },
      { id: id(11), slug: 'misc', name: 'Misc', date_added: at(11), status: 0, organization_id: id(2) },
    ],
    sentry_project: [project(20, 10, 1, 'backend', false, ''), project(21, 10, 1, 'frontend', true, null), project(22, 11, 2, 'misc', false, 'python')],
    sentry_organizationmember: [
      { id: id(30), organization_id: id(1), user_id: 1, type: 0, date_added: at(30), email: null, has_global_access: true, flags: '0', counter: 1 },
      { id: id(31), organization_id: id(1), user_id: null, type: 50, date_added: at(31), email: 'invite@example.com', has_global_access: false, flags: '0', counter: null },
    ],
    sentry_auditlogentry: ['10.1.2.3', '0:0:0:0:0:0:0:1', null].map((ip, i) => ({
      id: id(40 + i), organization_id: id(1), actor_id: 1, target_object: null, target_user_id: null, event: i, data: pickle(i), datetime: at(40 + i, 1), ip_address: ip, actor_label: null, actor_key_id: null,
    })),
    sentry_groupedmessage: Array.from({ length: 40 }, (_, g) => ({
      id: id(1000 + g), logger: 'root', level: 40, message: `Error ${g}: ünïcödé ✓ 中文`, view: g % 2 ? null : '', status: 0, times_seen: g + 1,
      last_seen: at(5000 + g, g * 1234), first_seen: at(g), data: pickle(g), score: 0, project_id: id(projectOf(g)), time_spent_total: 0,
      time_spent_count: 0, resolved_at: null, active_at: at(g), is_public: g % 3 ? null : g % 2 === 0, platform: 'python', num_comments: 0, first_release_id: null,
    })),
    sentry_message: Array.from({ length: 3000 }, (_, i) => ({
      id: id(100000 + i * 3), message: `event ${i} ✓`, datetime: at(10000 + i, (i * 7919) % 1000000), data: pickle(i), group_id: id(1000 + (i % 40)),
      message_id: md5(`e${i}`).toString('hex'), project_id: id(projectOf(i % 40)), time_spent: null, platform: 'python', num_comments: null,
    })),
    nodestore_node: Array.from({ length: 300 }, (_, i) => ({ id: md5(`n${i}`).toString('base64'), data: pickle(i + 7), timestamp: at(20000 + i, 999999) })),
  };
}

const ROWS = fixture();
const cutFraction = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(v) ? `${v.slice(0, 19)}.000000` : v);
const asSql = (engine: Engine, v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(v) && engine === 'postgres' ? `${v}+00` : v);

/**
 * `wholeSeconds`: a PostgreSQL target migrated from MySQL holds the source's whole seconds (a
 * MariaDB source keeps no fraction; a MariaDB target cuts it by itself on insert).
 */
async function sentryDatabase(engine: Engine, wholeSeconds = false): Promise<TempDatabase> {
  const t = await helperDatabase(engine, { bigInts: true, prefix: 'sa_verify' });
  const c = await connect(t.url);
  const value = (v: unknown) => asSql(engine, wholeSeconds ? cutFraction(v) : v);
  try {
    for (const [table, rows] of Object.entries(ROWS)) {
      for (let i = 0; i < rows.length; i += 500) {
        const part = rows.slice(i, i + 500).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, value(v)])));
        await c.db.insertInto(table).values(part).execute();
      }
    }
    if (engine === 'postgres') await fixSequences(c);
  } finally {
    await c.close();
  }
  return t;
}

/** What a migration does at its end: every serial sequence past its table's largest id. */
async function fixSequences(c: Connection) {
  const seqs = await sql<{ t: string; seq: string }>`
    SELECT c.table_name AS t, pg_get_serial_sequence(c.table_name, c.column_name) AS seq FROM information_schema.columns c
    WHERE c.table_schema = current_schema() AND c.column_default LIKE 'nextval(%'`.execute(c.db);
  for (const { t, seq } of seqs.rows) {
    await sql`SELECT setval(${seq}, COALESCE((SELECT MAX(id) FROM ${sql.table(t)}), 1), (SELECT MAX(id) FROM ${sql.table(t)}) IS NOT NULL)`.execute(c.db);
  }
}

const find = (table: string, key: string) => ROWS[table].find((r) => String(r.id) === key)!;
/** Targets that hold whole seconds (migrated from MySQL): every value written to them is cut. */
const WHOLE = new WeakSet<Connection>();
const set = (c: Connection, table: string, key: string, values: Record<string, unknown>) =>
  c.db.updateTable(table).set(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, asSql(c.engine, WHOLE.has(c) ? cutFraction(v) : v)]))).where('id', '=', key).execute();
const restore = (c: Connection, table: string, key: string, cols: string[]) =>
  set(c, table, key, Object.fromEntries(cols.map((k) => [k, find(table, key)[k]])));

interface Damage {
  name: string;
  table: string;
  key: string;
  kind: 'missing' | 'extra' | 'changed';
  column?: string;
  apply(c: Connection): Promise<unknown>;
  revert(c: Connection): Promise<unknown>;
}

const change = (name: string, table: string, key: string, column: string, value: (old: any) => unknown): Damage => ({
  name, table, key, kind: 'changed', column,
  apply: (c) => set(c, table, key, { [column]: value(find(table, key)[column]) }),
  revert: (c) => restore(c, table, key, [column]),
});
const hourLater = (s: string) => at((Date.parse(s.slice(0, 19).replace(' ', 'T') + 'Z') - Date.UTC(2015, 6, 1)) / 1000 + 3600, Number(s.slice(20)));

const DAMAGES: Damage[] = [
  change('one changed value', 'sentry_groupedmessage', id(1007), 'message', () => 'Error 7: changed'),
  change('one wrong boolean', 'sentry_project', id(21), 'public', () => false),
  change('one datetime off by an hour', 'sentry_groupedmessage', id(1011), 'last_seen', hourLater),
  change('one truncated pickle', 'sentry_message', id(100000 + 3 * 1234), 'data', (d: string) => d.slice(0, -9)),
  change('one truncated node', 'nodestore_node', ROWS.nodestore_node[17].id as string, 'data', (d: string) => d.slice(0, -1)),
  change("NULL where the source has ''", 'sentry_project', id(20), 'platform', () => null),
  change('another address', 'sentry_auditlogentry', id(40), 'ip_address', () => '10.1.2.4'),
  {
    name: 'one missing row', table: 'sentry_message', key: id(100000 + 3 * 2999), kind: 'missing',
    apply: (c) => c.db.deleteFrom('sentry_message').where('id', '=', id(100000 + 3 * 2999)).execute(),
    revert: (c) => c.db.insertInto('sentry_message').values(Object.fromEntries(Object.entries(find('sentry_message', id(100000 + 3 * 2999))).map(([k, v]) => [k, asSql(c.engine, WHOLE.has(c) ? cutFraction(v) : v)]))).execute(),
  },
  {
    name: 'one extra row', table: 'sentry_message', key: id(100000 + 3 * 1500 + 1), kind: 'extra',
    apply: (c) => c.db.insertInto('sentry_message').values({ ...find('sentry_message', id(100000 + 3 * 1500)), id: id(100000 + 3 * 1500 + 1), message_id: 'x', datetime: asSql(c.engine, at(1)) }).execute(),
    revert: (c) => c.db.deleteFrom('sentry_message').where('id', '=', id(100000 + 3 * 1500 + 1)).execute(),
  },
];

const PAIRS: [Engine, Engine][] = [['mysql', 'postgres'], ['postgres', 'mysql'], ['postgres', 'postgres'], ['mysql', 'mysql']];

for (const [from, to] of PAIRS) {
  describe(`verify ${from} -> ${to}`, () => {
    let src: TempDatabase;
    let dst: TempDatabase;
    let target: Connection;
    before(async () => {
      [src, dst] = await Promise.all([sentryDatabase(from), sentryDatabase(to, from === 'mysql')]);
      target = await connect(dst.url);
      if (from === 'mysql') WHOLE.add(target);
    });
    after(async () => {
      await target?.close();
      await Promise.all([src?.drop(), dst?.drop()]);
    });
    const verify = async (...extra: string[]) => {
      const r = await runCli(['verify', '--from', src.text, '--to', dst.text, '--json', '--segment-rows', '400', ...extra]);
      assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
      return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
    };

    it('equal databases exit 0, every row of every table counted on both sides', async () => {
      const { code, report } = await verify();
      assert.equal(code, 0, JSON.stringify(report.tables.filter((t: any) => !t.equal), null, 1));
      const rows = Object.fromEntries(report.tables.map((t: any) => [t.table, [t.sourceRows, t.targetRows]]));
      for (const [table, list] of Object.entries(ROWS)) assert.deepEqual(rows[table], [list.length, list.length], table);
      // Exact unless the target cannot hold the source's fraction (PostgreSQL -> MySQL datetime).
      const how = to === 'postgres' ? 'microseconds' : from === 'postgres' ? 'seconds (source truncated)' : 'seconds';
      assert.equal(report.datetimePrecision['sentry_message.datetime'], how);
      assert.ok(Object.keys(report.datetimePrecision).length > 10);
      assert.deepEqual(new Set(Object.values(report.datetimePrecision)), new Set([how]));
      if (to === 'postgres') assert.ok(report.sequences.length > 10 && report.sequences.every((s: any) => s.ok));
    });

    for (const d of DAMAGES) {
      it(`${d.name}: exit 3, ${d.table} ${d.key}${d.column ? ` ${d.column}` : ''} named`, async () => {
        await d.apply(target);
        try {
          const { code, report } = await verify();
          assert.equal(code, 3);
          const bad = report.tables.filter((t: any) => !t.equal);
          assert.deepEqual(bad.map((t: any) => t.table), [d.table]);
          assert.deepEqual(bad[0].differences.map((x: any) => [x.kind, x.key.id, x.columns]), [[d.kind, d.key, d.column ? [d.column] : undefined]]);
          assert.equal(bad[0].status, { missing: 'missing rows', extra: 'extra rows', changed: 'changed rows' }[d.kind]);
        } finally {
          await d.revert(target);
        }
      });
    }

    it('human output names the table, key and column', async () => {
      const d = DAMAGES[2];
      await d.apply(target);
      try {
        const r = await runCli(['verify', '--from', src.text, '--to', dst.text]);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stdout, new RegExp(`changed: +id=${d.key}: last_seen \\("2015-07-01 01:23:31[.0-9]*" -> "2015-07-01 02:23:31`));
        assert.match(r.stdout, /DIFFERENT: 1 table\(s\) differ/);
      } finally {
        await d.revert(target);
      }
    });

    it('a scope ignores differences outside it', async () => {
      const d = DAMAGES[0]; // group 1007 belongs to project 21 (acme/frontend)
      await d.apply(target);
      try {
        const { code, report } = await verify('--project', 'other/misc');
        assert.equal(code, 0, JSON.stringify(report.tables.filter((t: any) => !t.equal)));
        const groups = report.tables.find((t: any) => t.table === 'sentry_groupedmessage');
        assert.deepEqual([groups.sourceRows, groups.targetRows], [13, 13]);
        assert.equal(report.tables.find((t: any) => t.table === 'nodestore_node').sourceRows, 0); // no event here points at a node
        assert.equal((await verify('--org', 'acme')).code, 3);
      } finally {
        await d.revert(target);
      }
    });

    if (to === 'postgres') {
      it('a stale PostgreSQL sequence is reported, exit 3', async () => {
        await sql`SELECT setval(pg_get_serial_sequence('sentry_project', 'id'), 5)`.execute(target.db);
        try {
          const { code, report } = await verify();
          assert.equal(code, 3);
          assert.equal(report.differentTables, 0);
          assert.deepEqual(report.sequences.filter((s: any) => !s.ok).map((s: any) => [s.table, s.nextValue, s.maxId]), [['sentry_project', '6', id(22)]]);
        } finally {
          await fixSequences(target);
        }
      });
    }
  });
}

describe('verify nodestore under a scope (nodes found through the events pointing at them)', () => {
  for (const [from, to] of [['mysql', 'postgres'], ['postgres', 'mysql']] as [Engine, Engine][]) {
    it(`${from} -> ${to}`, async () => {
      const [src, dst] = await Promise.all([fixtureDatabase(from), fixtureDatabase(to)]);
      try {
        const cli = (...a: string[]) => runCli(['verify', '--from', src.text, '--to', dst.text, '--json', ...a]);
        const acmeNode = Buffer.from('node-1-2'.padEnd(16, '.')).toString('base64');
        await withDb(dst.url, (db) => db.updateTable('nodestore_node').set({ data: sql`SUBSTRING(data, 1, 20)` }).where('id', '=', acmeNode).execute());
        const globex = await cli('--org', 'globex');
        assert.equal(globex.code, 0, globex.stdout + globex.stderr);
        const nodes = JSON.parse(globex.stdout).tables.find((t: any) => t.table === 'nodestore_node');
        assert.deepEqual([nodes.status, nodes.sourceRows, nodes.targetRows], ['equal', 4, 4]);
        const unknown = await cli('--org', 'nosuch');
        assert.equal(unknown.code, 2);
        assert.match(JSON.parse(unknown.stdout).error, /--org nosuch: no organization/); // --json: the failure is the document
        const acme = await cli('--org', 'acme');
        assert.equal(acme.code, 3);
        const bad = JSON.parse(acme.stdout).tables.filter((t: any) => !t.equal);
        assert.deepEqual(bad.map((t: any) => [t.table, t.differences.map((d: any) => [d.key.id, d.columns])]), [['nodestore_node', [[acmeNode, ['data']]]]]);
        // The library entry migrate calls: same verdict, and it stops on the signal.
        const [a, b] = await Promise.all([connect(src.url), connect(dst.url)]);
        try {
          const report = await verify(a, b, FULL_SCOPE, { maxDiffs: 5 });
          assert.equal(report.equal, false);
          assert.match(renderVerify(report), /nodestore_node:\n {2}changed: +id=.*: data/);
          await assert.rejects(verify(a, b, FULL_SCOPE, { signal: AbortSignal.abort() }), /interrupted/);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      } finally {
        await Promise.all([src.drop(), dst.drop()]);
      }
    });
  }
});

async function fixtureDatabase(engine: Engine): Promise<TempDatabase> {
  const t = await helperDatabase(engine, { bigInts: true, prefix: 'sa_verify_nodes' });
  await withDb(t.url, (db) => loadFixture(db, { events: 4, idBase: BIG }));
  if (engine === 'postgres') {
    const c = await connect(t.url);
    await fixSequences(c).finally(() => c.close());
  }
  return t;
}

describe('verify usage', () => {
  it('exits 2 without --to', async () => {
    const r = await runCli(['verify', '--from', 'mysql://root@127.0.0.1/nothing']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--to is required/);
  });
});
