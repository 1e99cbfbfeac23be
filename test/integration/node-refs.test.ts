/**
 * The server reading node ids out of `sentry_message.data` (src/db/mysql/node-refs.ts) must give, for
 * every value, either the id the client's decoder gives or NULL (then the client decodes it): a scoped
 * verify picks nodestore rows by these ids. Values as Sentry writes them, and values it never should.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { PyStr } from '../../src/codec/py-value.js';
import { decodeNodeRef, encodeGzippedDict, encodeNodeRef, newNodeId } from '../../src/codec/sentry-encodings.js';
import { type Connection, adapterFor, connect } from '../../src/db/connect.js';
import { ENGINES, type TempDatabase, tempDatabase } from '../helpers/servers.js';

/** What the verify's client-side decoding makes of a value: a damaged one points at no node. */
function clientRef(v: string | null): string | null {
  try {
    return decodeNodeRef(v);
  } catch {
    return null;
  }
}

const dict = (entries: [string, unknown][]) => encodeGzippedDict(new Map(entries.map(([k, v]) => [new PyStr(k), v as any])))!;
const simpleIds = [...Array.from({ length: 20 }, () => newNodeId()), 'a.b_c-d=', 'x'.repeat(60)];
const simple = simpleIds.map(encodeNodeRef);
const damaged = (() => {
  const b = Buffer.from(encodeNodeRef('damaged-node'), 'base64');
  b[b.length - 6] ^= 0xff;
  return b.toString('base64');
})();
const others: (string | null)[] = [
  encodeNodeRef("it's quoted"), // pickled as S"…": not the common shape
  encodeNodeRef('back\\slash'),
  encodeNodeRef(''),
  dict([['node_id', 'unicode-id']]), // a unicode id (V opcode)
  dict([['message', 'legacy inline event'], ['extra', new PyStr('x'.repeat(5000))]]),
  dict([['node_id', new PyStr('big-one')], ['pad', new PyStr('y'.repeat(9000))]]), // inflates past 4 KiB
  'not base64!',
  `${encodeNodeRef('with-newline').slice(0, 20)}\n${encodeNodeRef('with-newline').slice(20)}`,
  `${encodeNodeRef('trailing-newline')}\n`,
  ` ${encodeNodeRef('leading-space')}`,
  damaged,
  '',
  null,
];

for (const engine of ENGINES) {
  describe(`node ids read by the server (${engine})`, () => {
    let t: TempDatabase;
    let c: Connection;
    before(async () => {
      t = await tempDatabase(engine, 'sa_node_refs');
      c = await connect(t.url);
      // The column as Sentry's schema has it (docs/sentry7-schema.md): text, utf8, case-insensitive collation on MySQL.
      await sql.raw(engine === 'mysql'
        ? 'CREATE TABLE ev (id INT PRIMARY KEY, data LONGTEXT CHARACTER SET utf8 COLLATE utf8_general_ci NULL)'
        : 'CREATE TABLE ev (id INT PRIMARY KEY, data TEXT NULL)').execute(c.db);
      const values = [...simple, ...others];
      await c.db.insertInto('ev').values(values.map((data, id) => ({ id, data }))).execute();
    });
    after(async () => {
      await c?.close();
      await t?.drop();
    });

    it('gives the id the client decodes, or NULL; the common shape is always read on MySQL', async () => {
      const refs = (await adapterFor(engine)).nodeRefs;
      if (engine === 'postgres') {
        assert.equal(refs, null, 'PostgreSQL has no zlib in SQL');
        return;
      }
      assert.ok(refs && (await refs.probe(c.db)), 'this MariaDB reads node ids itself');
      const rows = await c.db.selectFrom('ev').select(['id', 'data', refs.select(sql.ref('data')).as('node')]).orderBy('id').execute();
      assert.equal(rows.length, simple.length + others.length);
      for (const r of rows) {
        const node = r.node === null ? null : String(r.node);
        const want = clientRef(r.data);
        if (r.id < simple.length) assert.equal(node, simpleIds[r.id], `simple ref #${r.id}`);
        else assert.ok(node === null || node === want, `value #${r.id} (${JSON.stringify(r.data)?.slice(0, 40)}): server ${node}, client ${want}`);
      }
      // Each value the server left alone is one the client still reads (or one that points at no node).
      const left = rows.filter((r) => r.node === null).map((r) => clientRef(r.data));
      assert.ok(left.includes("it's quoted") && left.includes('big-one') && left.includes('with-newline'), `left: ${left}`);
    });
  });
}
