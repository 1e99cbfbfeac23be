/**
 * Time `verify`. Two cases:
 *
 *   npm run bench -- verify [--rows N] [--pairs mysql:postgres,...] [--keep]
 *     two databases holding the same ~1M-row sentry_message table (plus its parents), MySQL against
 *     PostgreSQL and each engine against itself; then once more with a few rows damaged, to price
 *     the bisection. Prints seconds and rows/s per pair.
 *
 *   npm run bench -- verify --scoped [--events N] [--org acme] [--since 2015-07-01] [--pairs …] [--repeat R] [--keep]
 *     a seeded Sentry (N events, default 1,000,000) on both sides, verified in full and under the
 *     scope (default --org acme --since 2015-07-01): seconds per compared row of each, and their
 *     ratio (bench/verify/scoped.ts).
 *
 * The databases are dropped afterwards unless --keep.
 */
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type Connection, connect, openBulkSession } from '../src/db/connect.js';
import type { Row } from '../src/db/bulk.js';
import { schemaStatements } from '../src/db/schema-files.js';
import type { Engine } from '../src/db/url.js';
import { FULL_SCOPE } from '../src/transfer/scope.js';
import { verify } from '../src/transfer/verify.js';
import { type TempDatabase, tempDatabase } from '../test/helpers/servers.js';
import { parseFlags } from './lib.js';
import { runScoped } from './verify/scoped.js';

export const description = 'verify: 1M sentry_message rows per pair (--rows), or full against scoped per-row cost of a seeded Sentry (--scoped)';

const GROUPS = 100;
const T0 = Date.UTC(2015, 6, 1);

function* messages(n: number): Generator<Row> {
  for (let i = 1; i <= n; i++) {
    const digest = createHash('md5').update(String(i)).digest();
    yield [
      String(i), `ZeroDivisionError: integer division or modulo by zero (event ${i})`, new Date(T0 + i * 1000),
      // A Sentry 7 event row holds only a node reference: base64(zlib(pickle({'node_id': ...}))).
      `eJzLTAkCAAH/AQA${digest.toString('base64')}${digest.toString('hex')}`,
      String(1 + (i % GROUPS)), digest.toString('hex'), '1', null, 'python', i % 7 === 0 ? null : '0',
    ];
  }
}
const MESSAGE_COLUMNS = ['id', 'message', 'datetime', 'data', 'group_id', 'message_id', 'project_id', 'time_spent', 'platform', 'num_comments'];

async function sentryDatabase(engine: Engine, rows: number): Promise<TempDatabase> {
  const t = await tempDatabase(engine, 'sa_bench_verify');
  const c = await connect(t.url);
  try {
    for (const s of schemaStatements(engine, { bigInts: true })) await sql.raw(s).execute(c.db);
    const now = new Date(T0);
    await c.db.insertInto('auth_user').values({ password: 'x', last_login: now, id: 1, username: 'admin', first_name: '', last_name: '', email: '', is_staff: true, is_active: true, is_superuser: true, date_joined: now, is_managed: false }).execute();
    await c.db.insertInto('sentry_organization').values({ id: '1', name: 'Acme', owner_id: 1, status: 0, date_added: now, slug: 'acme', flags: '0' }).execute();
    await c.db.insertInto('sentry_team').values({ id: '1', slug: 'core', name: 'Core', date_added: now, status: 0, organization_id: '1' }).execute();
    await c.db.insertInto('sentry_project').values({ id: '1', name: 'Backend', public: false, date_added: now, status: 0, slug: 'backend', team_id: '1', platform: 'python', organization_id: '1' }).execute();
    await c.db.insertInto('sentry_groupedmessage').values(Array.from({ length: GROUPS }, (_, g) => ({
      id: String(g + 1), logger: 'root', level: 40, message: `group ${g}`, view: null, status: 0, times_seen: 1, last_seen: now, first_seen: now,
      data: null, score: 0, project_id: '1', time_spent_total: 0, time_spent_count: 0, resolved_at: null, active_at: now, is_public: false,
      platform: 'python', num_comments: 0, first_release_id: null,
    }))).execute();
  } finally {
    await c.close();
  }
  const bulk = await openBulkSession(t.url, { relaxChecks: true });
  try {
    await bulk.begin();
    await bulk.load('sentry_message', MESSAGE_COLUMNS, messages(rows));
    await bulk.commit();
    if (engine === 'postgres') {
      // As a migration ends: every sequence past its table's ids.
      for (const t of ['auth_user', 'sentry_organization', 'sentry_team', 'sentry_project', 'sentry_groupedmessage', 'sentry_message']) {
        await bulk.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}))`);
      }
      await bulk.query('ANALYZE');
    }
  } finally {
    await bulk.close();
  }
  return t;
}

async function timeVerify(a: Connection, b: Connection) {
  const t0 = performance.now();
  const r = await verify(a, b, FULL_SCOPE);
  const seconds = (performance.now() - t0) / 1000;
  const rows = r.tables.reduce((n, t) => n + (t.sourceRows ?? 0), 0);
  return { seconds, rows, equal: r.equal, report: r };
}

async function main(args: string[]) {
  const rows = Number(args[args.indexOf('--rows') + 1] || 0) || 1_000_000;
  const pairs = (args.includes('--pairs') ? args[args.indexOf('--pairs') + 1] : 'mysql:postgres,postgres:postgres,mysql:mysql')
    .split(',').map((p) => p.split(':') as [Engine, Engine]);
  // One copy per engine, a second only for same-engine pairs.
  const needed = [...new Set(pairs.flatMap(([x, y]) => (x === y ? [`${x}:a`, `${x}:b`] : [`${x}:a`, `${y}:a`])))];
  const made = new Map<string, TempDatabase>();
  try {
    for (const key of needed) {
      const [e, copy] = key.split(':') as [Engine, string];
      {
        const t0 = performance.now();
        made.set(`${e}:${copy}`, await sentryDatabase(e, rows));
        process.stderr.write(`loaded ${rows} rows into ${e} (${copy}) in ${((performance.now() - t0) / 1000).toFixed(1)}s\n`);
      }
    }
    console.log(`verify, sentry_message with ${rows} rows (64-bit ids), full scope`);
    for (const [x, y] of pairs) {
      const a = await connect(made.get(`${x}:a`)!.url);
      const b = await connect(made.get(`${y}:${x === y ? 'b' : 'a'}`)!.url);
      try {
        const eq = await timeVerify(a, b);
        console.log(`  ${x} -> ${y}  equal:   ${eq.seconds.toFixed(2)} s  ${Math.round(eq.rows / eq.seconds)} rows/s  (exit ${eq.equal ? 0 : 3})`);
        // Damage 5 rows spread over the table, time again, and repair.
        const ids = [1, 2, 3, 4, 5].map((k) => String(Math.floor((rows * k) / 6)));
        await b.db.updateTable('sentry_message').set({ message: 'damaged' }).where('id', 'in', ids).execute();
        const dm = await timeVerify(a, b);
        const found = dm.report.tables.flatMap((t) => t.differences).length;
        console.log(`  ${x} -> ${y}  5 diffs: ${dm.seconds.toFixed(2)} s  ${Math.round(dm.rows / dm.seconds)} rows/s  (found ${found}, exit ${dm.equal ? 0 : 3})`);
        await b.db.updateTable('sentry_message').set({ message: sql`CONCAT('ZeroDivisionError: integer division or modulo by zero (event ', id, ')')` }).where('id', 'in', ids).execute();
      } finally {
        await a.close();
        await b.close();
      }
    }
  } finally {
    if (args.includes('--keep')) for (const [k, t] of made) console.log(`kept ${k} ${t.text}`);
    else for (const t of made.values()) await t.drop().catch(() => undefined);
  }
}

export async function run(args: string[]): Promise<number> {
  if (!args.includes('--scoped')) {
    await main(args);
    return 0;
  }
  const { flags } = parseFlags(args, { scoped: 'boolean', events: 'string', org: 'string', since: 'string', pairs: 'string', repeat: 'string', keep: 'boolean' });
  return runScoped({
    events: Number(flags.events ?? 1_000_000),
    pairs: String(flags.pairs ?? 'mysql:postgres').split(',').map((p) => p.split(':') as [Engine, Engine]),
    orgs: String(flags.org ?? 'acme').split(','),
    since: flags.since === undefined ? '2015-07-01' : String(flags.since) || null,
    repeat: Math.max(1, Number(flags.repeat ?? 1)),
    keep: Boolean(flags.keep),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
