/**
 * src/db/sentry-db.ts says what our drivers return for every Sentry column; this checks it against real rows on both
 * engines in both id widths: the seed's data (every table it writes), read back through connect(), each value's
 * JavaScript type the one its column's type promises.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/db/connect.js';
import { initSchema } from '../../src/setup/init-schema.js';
import { seed } from '../../src/setup/seed.js';
import { ENGINES, type TempDatabase, tempDatabase } from '../helpers/servers.js';

/** table → column → the type written in src/db/sentry-db.ts (`Id`, `Timestamp | null`, `Generated<number>`…). */
function generatedTypes(): Map<string, Map<string, string>> {
  const text = readFileSync(new URL('../../src/db/sentry-db.ts', import.meta.url), 'utf8');
  const iface = new Map<string, Map<string, string>>();
  for (const m of text.matchAll(/export interface (\w+) \{\n([^}]*)\}/g)) {
    iface.set(m[1], new Map([...m[2].matchAll(/^ {2}'?(\w+)'?: (.+);$/gm)].map((c) => [c[1], c[2]])));
  }
  const tables = new Map<string, Map<string, string>>();
  for (const [table, name] of iface.get('SentryDb')!) tables.set(table, iface.get(name)!);
  return tables;
}

/** What a value of this generated type must look like, given the id width. */
function accepts(type: string, v: unknown, bigInts: boolean): boolean {
  const nullable = type.endsWith(' | null');
  const base = type.replace(/ \| null$/, '');
  if (v === null) return nullable;
  switch (base) {
    case 'Id':
    case 'GeneratedId':
      return typeof v === (bigInts ? 'string' : 'number');
    case 'Int8':
    case 'string':
      return typeof v === 'string';
    case 'number':
    case 'Generated<number>':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'Timestamp':
      return v instanceof Date;
    default:
      throw new Error(`no check for the generated type ${type}`);
  }
}

const types = generatedTypes();

for (const engine of ENGINES) {
  for (const bigInts of [false, true]) {
    describe(`generated Sentry schema types on ${engine}, ${bigInts ? '64' : '32'}-bit ids`, () => {
      let db: TempDatabase;
      before(async () => {
        db = await tempDatabase(engine, 'sa_types');
        await initSchema(db.url, { bigInts });
        await seed(db.url, { events: 200, seed: 3 });
      });
      after(async () => {
        await db?.drop();
      });

      it('every value the driver returns has its column type', async () => {
        const conn = await connect(db.url, { poolSize: 1 });
        try {
          let checked = 0;
          for (const [table, columns] of types) {
            const rows = await conn.db.selectFrom(table).selectAll().limit(50).execute();
            for (const row of rows) {
              assert.deepEqual(Object.keys(row).sort(), [...columns.keys()].sort(), `${table}: columns`);
              for (const [col, v] of Object.entries(row)) {
                assert.ok(accepts(columns.get(col)!, v, bigInts), `${table}.${col}: ${columns.get(col)} but the driver returned ${v === null ? 'null' : typeof v} ${String(v).slice(0, 30)}`);
                checked++;
              }
            }
          }
          assert.ok(checked > 1000, `only ${checked} values checked`);
        } finally {
          await conn.close();
        }
      });
    });
  }
}
