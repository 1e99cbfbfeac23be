/**
 * `npm run bench -- sync [--events N] [--direction mysql:postgres|postgres:mysql] [--keep] …`
 *
 * In one run (issue 17): seed a source with N events (default 1,000,000), time `migrate` into a fresh
 * target of the other engine and a `verify` of the pair, then change the source the way a running
 * Sentry 7.7 would (test/helpers/source-changes.ts): new events with their groups, nodes and
 * mappings (1% of N), counter updates on 1% of the groups and tag values, and `sentry cleanup` of
 * the oldest 0.5% of the events; then time one `sync` round and a `sync --final` on the now quiet
 * source, and prove the end state with a last `verify`. See bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../src/db/connect.js';
import { addEvents, bumpCounters, cleanupOldest } from '../test/helpers/source-changes.js';
import { fmtInt, mustRun, note, parseFlags, runProcess, timed } from './lib.js';
import * as db from './migrate/databases.js';
import { CLEAN_ENV, describeRun, runSync } from './sync/invoke.js';
import { type Step, type SyncCaseResult, aimsLines, changesTable, figuresTable } from './sync/report.js';

export const description = 'sync after a live source changed: one round against the full migrate, --final against a verify';

const FLAGS = {
  events: 'string', direction: 'string', keep: 'boolean', mysql: 'string', postgres: 'string', redis: 'string', seed: 'string',
  'no-build': 'boolean', 'sync-stub': 'boolean', help: 'boolean',
} as const;

const USAGE = `npm run bench -- sync [options]
  --events N           events to seed (default 1000000)
  --direction D        mysql:postgres (default) or postgres:mysql: source engine, then target engine
  --keep               keep both databases and the Redis namespaces (printed at the end)
  --seed N             seed value (default 1)
  --mysql URL          MariaDB server (default $TEST_MYSQL_URL or mysql://root@127.0.0.1:3306)
  --postgres URL       PostgreSQL server (default $TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432)
  --redis URL          staging Redis (default redis://127.0.0.1:6379/9)
  --sync-stub          do not call sentry-admin sync (a stand-in that changes nothing), to work on the case itself
  --no-build           do not run npm run build first`;

/** The share of N each simulated change touches (issue 17). */
const NEW_EVENTS = 0.01;
const BUMPED = 0.01;
const CLEANED = 0.005;

interface Setup {
  events: number;
  source: 'mysql' | 'postgres';
  target: 'mysql' | 'postgres';
  servers: Record<'mysql' | 'postgres', string>;
  redis: string;
  keep: boolean;
  seed: string;
  stub: boolean;
}

export async function run(args: string[]): Promise<number> {
  const { flags } = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const events = Number(String(flags.events ?? '1000000').replace(/[_k]/g, (c) => (c === 'k' ? '000' : '')));
  if (!Number.isInteger(events) || events <= 0) throw new Error(`--events wants a whole number, got "${flags.events}"`);
  const direction = String(flags.direction ?? 'mysql:postgres');
  if (!['mysql:postgres', 'postgres:mysql'].includes(direction)) throw new Error(`--direction takes mysql:postgres or postgres:mysql, not ${direction}`);
  const [source, target] = direction.split(':') as ['mysql' | 'postgres', 'mysql' | 'postgres'];
  const setup: Setup = {
    events, source, target, redis: String(flags.redis ?? 'redis://127.0.0.1:6379/9'), keep: Boolean(flags.keep), seed: String(flags.seed ?? '1'),
    stub: Boolean(flags['sync-stub']),
    servers: {
      mysql: String(flags.mysql ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'),
      postgres: String(flags.postgres ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'),
    },
  };
  if (!flags['no-build']) {
    note('npm run build');
    await mustRun('npm', ['run', 'build'], { cwd: db.ROOT });
  }
  const r = await runCase(setup);
  console.log(`\n== sync: N = ${fmtInt(r.events)} events, ${r.direction} ==`);
  console.log(figuresTable(r));
  aimsLines(r).forEach((l) => console.log(`  ${l}`));
  console.log('\nrows changed: by the simulated Sentry (inserted / updated / deleted), and as sync reports them');
  console.log(changesTable(r));
  console.log('  (the simulated counts add up per write: a row inserted and then counted again, or updated twice, counts twice; sync sees the end state)');
  return r.after.equal === false && !setup.stub ? 3 : 0;
}

async function runCase(s: Setup): Promise<SyncCaseResult> {
  const tag = `${process.pid}_${s.events}`;
  const dir = mkdtempSync(join(tmpdir(), `sentry-admin-bench-sync-${tag}-`));
  const src = db.onServer(s.servers[s.source], `bench_sync_${tag}_src`);
  const dst = db.onServer(s.servers[s.target], `bench_sync_${tag}_dst`);
  const ns = { migrate: `bench-sync-${tag}` };
  const made: (() => Promise<void>)[] = [];
  const drop = (engine: 'mysql' | 'postgres', url: string) => () => (engine === 'mysql' ? db.dropMysql(url) : db.dropPg(url));
  try {
    // ---- source and target (not timed) ----
    made.push(drop(s.source, src));
    note(`seeding ${db.masked(src)} with ${fmtInt(s.events)} events`);
    await db.sentryAdmin(['init-schema', '--create-database', '--db', src]);
    await db.sentryAdmin(['seed', '--db', src, '--events', String(s.events), '--seed', s.seed]);
    made.push(drop(s.target, dst));
    await db.sentryAdmin(['init-schema', '--create-database', '--db', dst]);
    await quiet(s);

    // ---- migrate, then a verify of the equal pair ----
    made.push(() => discard(s.redis, ns.migrate));
    note('timing sentry-admin migrate');
    const m = await runProcess(process.execPath, [
      db.BIN, 'migrate', '--from', src, '--to', dst, '--redis', s.redis, '--namespace', ns.migrate, '--json',
      '--rejects', join(dir, 'rejects.jsonl'), '--journal-dir', join(dir, 'journals'),
    ], { cwd: db.ROOT, env: CLEAN_ENV });
    const migrate: Step = { label: 'sentry-admin migrate (with its verify)', seconds: m.seconds, exit: m.code };
    if (m.code !== 0) throw new Error(`migrate exited ${m.code}: ${m.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    await quiet(s);
    const verify = await timeVerify(src, dst, 'sentry-admin verify (equal pair)');

    // ---- the source lives on ----
    const conn = await connect(src, { poolSize: 2 });
    const changes: SyncCaseResult['changes'] = [];
    try {
      const n = Math.max(1, Math.round(s.events * NEW_EVENTS));
      note(`source: ${fmtInt(n)} new events, counters on ${BUMPED * 100}% of groups and tag values, cleanup of the oldest ${CLEANED * 100}%`);
      const a = await timed(() => addEvents(conn, n, { seed: Number(s.seed) }));
      changes.push({ label: 'addEvents', seconds: a.seconds, changes: a.value.changes });
      const b = await timed(() => bumpCounters(conn, BUMPED, { seed: Number(s.seed) }));
      changes.push({ label: 'bumpCounters', seconds: b.seconds, changes: b.value });
      const c = await timed(() => cleanupOldest(conn, CLEANED));
      changes.push({ label: 'cleanupOldest', seconds: c.seconds, changes: c.value.changes });
    } finally {
      await conn.close();
    }
    await quiet(s);

    // ---- sync in the migration's namespace (it knows the target): one round, then --final on the quiet source ----
    const rejects = ['--rejects', join(dir, 'rejects.jsonl')];
    note('timing sentry-admin sync --rounds 1');
    const round = await runSync('sentry-admin sync --rounds 1', { from: src, to: dst, redis: s.redis, namespace: ns.migrate, args: ['--rounds', '1', ...rejects], stub: s.stub });
    note(describeRun(round));
    await quiet(s);
    note('timing sentry-admin sync --final');
    const final = await runSync('sentry-admin sync --final', { from: src, to: dst, redis: s.redis, namespace: ns.migrate, args: ['--final', ...rejects], stub: s.stub });
    note(describeRun(final));

    // ---- the proof (an equal pair never narrows; a different one stops after a few named rows per table) ----
    const after = await timeVerify(src, dst, 'sentry-admin verify (after sync)', ['--max-diffs', '10']);
    return { events: s.events, direction: `${s.source} -> ${s.target}`, migrate, verify, changes, round, final, after };
  } finally {
    if (s.keep) note(`kept: source ${db.masked(src)}, target ${db.masked(dst)}, namespaces ${Object.values(ns).join(', ')} on ${db.masked(s.redis)}, files ${dir}`);
    else {
      for (const undo of made.reverse()) await undo().catch((err) => note(`cleanup: ${(err as Error).message}`));
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** A timed `sentry-admin verify --json`: exit 0 equal, 3 different. */
async function timeVerify(src: string, dst: string, label: string, extra: string[] = []): Promise<Step & { equal: boolean | null; differentTables: number | null }> {
  note(`timing ${label}`);
  const v = await runProcess(process.execPath, [db.BIN, 'verify', '--from', src, '--to', dst, '--json', ...extra], { cwd: db.ROOT, env: CLEAN_ENV });
  let doc: { equal?: boolean; differentTables?: number } = {};
  try {
    doc = JSON.parse(v.stdout);
  } catch {
    /* failed before its report */
  }
  if (v.code !== 0 && v.code !== 3) note(`${label} exited ${v.code}: ${v.stderr.trim().split('\n').slice(-2).join(' / ')}`);
  return { label, seconds: v.seconds, exit: v.code, equal: doc.equal ?? null, differentTables: doc.differentTables ?? null };
}

/** Between timed steps: let MariaDB write back its dirty pages and PostgreSQL checkpoint. */
async function quiet(s: Setup): Promise<void> {
  await db.mysqlQuiet(s.servers.mysql);
  await db.pgCheckpoint(s.servers.postgres);
}

async function discard(redis: string, namespace: string): Promise<void> {
  await db.sentryAdmin(['discard', '--redis', redis, '--namespace', namespace]);
}
