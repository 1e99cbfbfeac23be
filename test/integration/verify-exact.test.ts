/**
 * What `verify` must never call equal, on the real servers, every engine pair: a NULL against
 * false, bytes that only decode alike (invalid UTF-8), a datetime a fraction of a second off where
 * the target could hold the source's value exactly; and keys at both ends of int64.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { encodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { type Connection, connect } from '../../src/db/connect.js';
import type { Engine } from '../../src/db/url.js';
import { FULL_SCOPE } from '../../src/transfer/scope.js';
import { type VerifyReport, verify } from '../../src/transfer/verify.js';
import { renderVerify } from '../../src/ui/verify-render.js';
import type { ColumnInfo } from '../../src/db/engine.js';
import { introspect } from '../../src/db/introspect.js';
import { spec } from '../../src/transfer/catalog.js';
import type { HashColumn } from '../../src/db/row-hash.js';
import { hashColumns } from '../../src/transfer/row-hash.js';
import { resolveScope, scopeFilter } from '../../src/transfer/scope.js';
import { compareScopedNodes } from '../../src/transfer/verify-nodes.js';
import type { SideTable } from '../../src/transfer/verify-segments.js';
import { T0, loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import type { TempDatabase } from '../helpers/servers.js';

const PAIRS: [Engine, Engine][] = [['mysql', 'postgres'], ['postgres', 'mysql'], ['postgres', 'postgres'], ['mysql', 'mysql']];
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const EDGE_IDS = [MIN, MIN + 1n, MAX - 1n, MAX].map(String);

/** T0 + `ms` (whole seconds of it) + `micro`, as each engine takes it: UTC text, PostgreSQL with its zone. */
const at = (c: Connection, ms: number, micro = 0) => {
  const text = `${new Date(T0.getTime() + ms).toISOString().slice(0, 19).replace('T', ' ')}.${String(micro).padStart(6, '0')}`;
  return c.engine === 'postgres' ? `${text}+00` : text;
};

async function database(engine: Engine): Promise<TempDatabase> {
  const t = await sentryDatabase(engine, { bigInts: true, prefix: 'sa_verify_exact' });
  const c = await connect(t.url);
  try {
    await loadFixture(c.db, { events: 3 });
    await c.db.insertInto('sentry_option').values(EDGE_IDS.map((id, i) => ({ id, key: `edge.${i}`, value: `v${i}`, last_updated: at(c, i * 1000) }))).execute();
    if (engine === 'postgres') {
      // As a migration ends: every serial sequence at its table's largest id.
      await sql`SELECT setval(pg_get_serial_sequence(c.table_name, c.column_name), m.v) FROM information_schema.columns c,
        LATERAL (SELECT CAST(xpath('/row/m/text()', query_to_xml(format('SELECT MAX(%I) AS m FROM %I', c.column_name, c.table_name), false, true, '')) AS TEXT[]) AS x) q,
        LATERAL (SELECT CAST(q.x[1] AS BIGINT) AS v) m
        WHERE c.table_schema = current_schema() AND c.column_default LIKE 'nextval(%' AND m.v IS NOT NULL`.execute(c.db);
    }
  } finally {
    await c.close();
  }
  return t;
}

const differing = (r: VerifyReport) =>
  r.tables.filter((t) => !t.equal).map((t) => [t.table, t.differences.map((d) => [d.kind, Object.values(d.key)[0], d.columns])]);

for (const [from, to] of PAIRS) {
  describe(`verify ${from} -> ${to}: exact`, () => {
    let dbs: TempDatabase[] = [];
    let a: Connection;
    let b: Connection;
    before(async () => {
      dbs = await Promise.all([database(from), database(to)]);
      [a, b] = await Promise.all(dbs.map((d) => connect(d.url)));
    });
    after(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await Promise.all(dbs.map((d) => d.drop()));
    });
    const run = () => verify(a, b, FULL_SCOPE, { segmentRows: 2 });
    const group = (c: Connection, values: Record<string, unknown>) => c.db.updateTable('sentry_groupedmessage').set(values).where('id', '=', '1').execute();

    it('equal databases are equal, keys at both ends of int64 included', async () => {
      const r = await run();
      assert.deepEqual(differing(r), []);
      assert.equal(r.equal, true);
      const options = r.tables.find((t) => t.table === 'sentry_option')!;
      assert.deepEqual([options.sourceRows, options.targetRows], [4, 4]);
    });

    it('a row at 2^63-1 changed, one at -2^63 missing: both named', async () => {
      await b.db.updateTable('sentry_option').set({ value: 'changed' }).where('id', '=', String(MAX)).execute();
      await b.db.deleteFrom('sentry_option').where('id', '=', String(MIN)).execute();
      try {
        const r = await run();
        assert.deepEqual(differing(r), [['sentry_option', [['missing', String(MIN), undefined], ['changed', String(MAX), ['value']]]]]);
      } finally {
        await b.db.updateTable('sentry_option').set({ value: 'v3' }).where('id', '=', String(MAX)).execute();
        await b.db.insertInto('sentry_option').values({ id: String(MIN), key: 'edge.0', value: 'v0', last_updated: at(b, 0) }).execute();
      }
    });

    it('a nullable boolean: NULL in the target where the source has false is a difference', async () => {
      await group(b, { is_public: null });
      try {
        const r = await run();
        assert.deepEqual(differing(r), [['sentry_groupedmessage', [['changed', '1', ['is_public']]]]]);
        const d = r.tables.find((t) => t.table === 'sentry_groupedmessage')!.differences[0];
        assert.deepEqual(d.values, { is_public: ['0', null] });
      } finally {
        await group(b, { is_public: false });
      }
    });

    if (from === 'mysql') {
      it('invalid UTF-8 in the source (ED A0 80) against U+FFFD in the target is a difference', async () => {
        // A MariaDB utf8 column holds the 3 bytes of a lone surrogate; a target can only hold
        // what a decoder made of them: three U+FFFD. Both read back alike through a driver.
        await a.db.updateTable('sentry_groupedmessage').set({ message: sql`CONCAT('a', UNHEX('EDA080'))` }).where('id', '=', '1').execute();
        await group(b, { message: 'a\uFFFD\uFFFD\uFFFD' });
        try {
          const r = await run();
          assert.deepEqual(differing(r), [['sentry_groupedmessage', [['changed', '1', ['message']]]]]);
          const d = r.tables.find((t) => t.table === 'sentry_groupedmessage')!.differences[0];
          assert.deepEqual(d.values, { message: ['0x61eda080', 'a\uFFFD\uFFFD\uFFFD'] });
        } finally {
          const old = 'ZeroDivisionError: tab\there, newline\nand backslash \\ ü';
          await group(a, { message: old });
          await group(b, { message: old });
        }
      });
    }

    // Datetimes: exact wherever the target holds the source's digits.
    const lastSeen = 'sentry_groupedmessage.last_seen';
    if (to === 'postgres') {
      it(`a target datetime ${from === 'mysql' ? '999 ms' : '1 µs'} off is a difference`, async () => {
        await group(b, { last_seen: from === 'mysql' ? at(b, 0, 999000) : at(b, 0, 1) });
        try {
          const r = await run();
          assert.deepEqual(differing(r), [['sentry_groupedmessage', [['changed', '1', ['last_seen']]]]]);
          assert.equal(r.datetimePrecision[lastSeen], 'microseconds');
        } finally {
          await group(b, { last_seen: at(b, 0) });
        }
      });
    } else if (from === 'postgres') {
      it('a source fraction the MySQL datetime target cannot hold is cut, and the column says so; a second off is a difference', async () => {
        await group(a, { last_seen: at(a, 0, 999999) });
        try {
          const r = await run();
          assert.deepEqual(differing(r), []);
          assert.equal(r.datetimePrecision[lastSeen], 'seconds (source truncated)');
          assert.match(renderVerify(r), /datetimes compared at seconds, the source's fraction cut \(the target cannot hold it\): .*sentry_groupedmessage\.last_seen/);
          await group(b, { last_seen: at(b, 1000) });
          assert.deepEqual(differing(await run()), [['sentry_groupedmessage', [['changed', '1', ['last_seen']]]]]);
        } finally {
          await group(a, { last_seen: at(a, 0) });
          await group(b, { last_seen: at(b, 0) });
        }
      });
    } else {
      it('MySQL datetimes compare exactly at whole seconds', async () => {
        await group(b, { last_seen: at(b, 1000) });
        try {
          const r = await run();
          assert.deepEqual(differing(r), [['sentry_groupedmessage', [['changed', '1', ['last_seen']]]]]);
          assert.equal(r.datetimePrecision[lastSeen], 'seconds');
        } finally {
          await group(b, { last_seen: at(b, 0) });
        }
      });
    }
  });
}

for (const [from, to] of [['mysql', 'postgres'], ['postgres', 'mysql']] as [Engine, Engine][]) {
  describe(`scoped nodestore, ${from} -> ${to}: each side's nodes from its own events, in small batches`, () => {
    it('counts every node of the in-scope events once and names a node changed, missing in the target and missing in the source', async () => {
      const dbs = await Promise.all([from, to].map(async (e) => {
        const t = await sentryDatabase(e, { prefix: 'sa_verify_exact_nodes' });
        await withDb(t.url, (db) => loadFixture(db, { events: 7 }));
        return t;
      }));
      const [a, b] = await Promise.all(dbs.map((d) => connect(d.url)));
      try {
        const node = (o: number, e: number) => Buffer.from(`node-${o}-${e}`.padEnd(16, '.')).toString('base64');
        // A second in-scope event pointing at a node already listed (in another batch of two ids).
        for (const c of [a, b]) {
          await c.db.insertInto('sentry_message').values({
            id: '1999', message: 'again', datetime: T0, data: encodeNodeRef(node(1, 3)), group_id: '1', message_id: 'f'.repeat(32), project_id: '1', time_spent: null, platform: 'python', num_comments: 0,
          }).execute();
        }
        await b.db.updateTable('nodestore_node').set({ timestamp: at(b, 1000) }).where('id', 'in', [node(1, 5), node(2, 5)]).execute();
        await b.db.deleteFrom('nodestore_node').where('id', '=', node(1, 2)).execute();
        await a.db.deleteFrom('nodestore_node').where('id', '=', node(1, 6)).execute();
        const [sa, sb] = await Promise.all([introspect(a), introspect(b)]);
        const [ca, cb] = [sa.columns.get('nodestore_node')!, sb.columns.get('nodestore_node')!];
        const cols = hashColumns(ca, cb, ca.map((c) => c.name));
        const side = (c: Connection, hashed: HashColumn[], info: ColumnInfo[]) => ({
          engine: c.engine,
          table: { db: c.db, d: c.adapter.hash, table: 'nodestore_node', key: info.find((x) => x.name === 'id')!, cols: hashed, filter: null } as SideTable,
          events: { db: c.db, url: c.url, filter: scopeFilter(c.db, spec('sentry_message'), scope)! },
        });
        const scope = await resolveScope(a.db, { orgs: ['acme'] });
        const o = { maxDiffs: 10, segmentRows: 1, segmentsPerQuery: 10, parallel: 2, leafRows: 1, fanout: 16, batch: 2 };
        const r = await compareScopedNodes(side(a, cols.source, ca), side(b, cols.target, cb), o);
        assert.deepEqual([r.sourceRows, r.targetRows], [6, 6]);
        // Buckets by the first hex digit of md5(id), as an unscoped text key is cut.
        const ids = [1, 2, 3, 4, 5, 6, 7].map((e) => node(1, e));
        assert.equal(r.segments, new Set(ids.map((id) => createHash('md5').update(id).digest('hex')[0])).size);
        assert.deepEqual(r.diffs.map((d) => [d.kind, d.key.id, d.columns]).sort(), [
          ['changed', node(1, 5), ['timestamp']], ['extra', node(1, 6), undefined], ['missing', node(1, 2), undefined],
        ]);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await Promise.all(dbs.map((d) => d.drop()));
      }
    });
  });
}
