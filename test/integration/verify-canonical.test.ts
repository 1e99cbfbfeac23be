/**
 * The canonical form of every column kind row-hash.ts knows, computed by each real engine: NULL
 * differs from every value ('', 0, false, '~', the epoch, no bytes) in a column's part and in the
 * row's md5, and the same values give the same bytes on MySQL and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Connection, connect } from '../../src/db/connect.js';
import type { ColumnInfo } from '../../src/db/engine.js';
import { introspect } from '../../src/db/introspect.js';
import type { Engine } from '../../src/db/url.js';
import type { HashColumn } from '../../src/db/row-hash.js';
import { hashColumns, partHex, partValue, rowMd5 } from '../../src/transfer/row-hash.js';
import { type TempDatabase, tempDatabase } from '../helpers/servers.js';

const DDL: Record<Engine, string> = {
  mysql: `CREATE TABLE k (id int PRIMARY KEY, i16 smallint NULL, i32 int NULL, i64 bigint NULL, b tinyint(1) NULL,
    dt datetime NULL, dt6 datetime(6) NULL, d date NULL, n decimal(10,2) NULL, v varchar(20) NULL, t longtext NULL,
    ip char(39) NULL, by_ blob NULL) DEFAULT CHARSET=utf8`,
  postgres: `CREATE TABLE k (id int PRIMARY KEY, i16 smallint NULL, i32 integer NULL, i64 bigint NULL, b boolean NULL,
    dt timestamp with time zone NULL, dt6 timestamp with time zone NULL, d date NULL, n numeric(10,2) NULL, v varchar(20) NULL,
    t text NULL, ip inet NULL, by_ bytea NULL)`,
};
const EPOCH = '1970-01-01 00:00:00';
// id 1: every column NULL; 2: the values most like NULL; 3: '~' where text can hold it.
const ROWS = (e: Engine) => [
  { id: 1 },
  { id: 2, i16: 0, i32: 0, i64: '0', b: false, dt: e === 'postgres' ? `${EPOCH}+00` : EPOCH, dt6: e === 'postgres' ? `${EPOCH}+00` : EPOCH, d: '1970-01-01', n: '0.00', v: '', t: '', ip: '0.0.0.0', by_: Buffer.alloc(0) },
  { id: 3, v: '~', t: '~', ip: '::1', by_: Buffer.from([0x7e]) },
];

describe('canonical form on both engines', () => {
  const dbs: Partial<Record<Engine, { t: TempDatabase; c: Connection; cols: ColumnInfo[] }>> = {};
  before(async () => {
    for (const e of ['mysql', 'postgres'] as Engine[]) {
      const t = await tempDatabase(e, 'sa_verify_canon');
      const c = await connect(t.url);
      await sql.raw(DDL[e]).execute(c.db);
      await c.db.insertInto('k').values(ROWS(e)).execute();
      dbs[e] = { t, c, cols: (await introspect(c)).columns.get('k')!.filter((x) => x.name !== 'id') };
    }
  });
  after(async () => {
    for (const x of Object.values(dbs)) {
      await x.c.close();
      await x.t.drop();
    }
  });

  /** Per row: the md5 and each column's part as hex, computed by `e` as one side of verify `from` -> `to`. */
  const parts = async (e: Engine, from: Engine, to: Engine) => {
    const me = dbs[e]!;
    const pair = hashColumns(dbs[from]!.cols, dbs[to]!.cols, me.cols.map((c) => c.name));
    const cols: HashColumn[] = e === from ? pair.source : pair.target;
    const d = me.c.adapter.hash;
    const rows = await me.c.db.selectFrom('k')
      .select([sql`id`.as('id'), sql`${rowMd5(d, cols)}`.as('md5'), ...cols.map((c, i) => sql`${partHex(d, c)}`.as(`p${i}`))])
      .orderBy('id').execute();
    return { cols, rows: rows.map((r) => ({ md5: String(r.md5), parts: cols.map((_, i) => String(r[`p${i}`])) })) };
  };

  for (const [e, other] of [['mysql', 'mysql'], ['postgres', 'postgres'], ['mysql', 'postgres'], ['postgres', 'mysql']] as [Engine, Engine][]) {
    it(`${e} (paired with ${other}): NULL differs from every value, in every column and in the row md5`, async () => {
      const { cols, rows } = await parts(e, e, other);
      const [nulls, empty, tilde] = rows;
      assert.notEqual(nulls.md5, empty.md5);
      assert.notEqual(nulls.md5, tilde.md5);
      cols.forEach((c, i) => {
        assert.equal(partValue(c, nulls.parts[i]), null, c.col.name);
        assert.notEqual(nulls.parts[i], empty.parts[i], `${c.col.name}: NULL and ${partValue(c, empty.parts[i])}`);
        if (tilde.parts[i] !== nulls.parts[i]) assert.notEqual(partValue(c, tilde.parts[i]), null, c.col.name);
      });
      for (const name of ['v', 't']) {
        const i = cols.findIndex((c) => c.col.name === name);
        assert.notEqual(nulls.parts[i], tilde.parts[i], `${name}: NULL and '~'`);
        assert.equal(partValue(cols[i], tilde.parts[i]), '~');
      }
    });
  }

  for (const [from, to] of [['mysql', 'postgres'], ['postgres', 'mysql']] as [Engine, Engine][]) it(`${from} -> ${to}: the same values give the same bytes on both (addresses aside: compared as addresses)`, async () => {
    const [m, p] = await Promise.all([parts('mysql', from, to), parts('postgres', from, to)]);
    m.cols.forEach((c, i) => {
      for (const r of [0, 1, 2]) {
        if (c.col.name === 'ip' && r === 2) continue; // '::1' is text on MySQL, an address on PostgreSQL
        assert.equal(m.rows[r].parts[i], p.rows[r].parts[i], `${c.col.name}, row ${r + 1}: ${partValue(c, m.rows[r].parts[i])} vs ${partValue(c, p.rows[r].parts[i])}`);
      }
    });
    assert.deepEqual(m.rows.slice(0, 2).map((r) => r.md5), p.rows.slice(0, 2).map((r) => r.md5));
  });
});
