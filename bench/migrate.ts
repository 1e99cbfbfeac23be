/**
 * `npm run bench -- migrate [--events N[,N…]] [--keep] …`
 *
 * In one run on this machine: seed a fresh MariaDB database with N events, make three fresh
 * PostgreSQL targets with init-schema (same id width), then time, one after the other,
 *   1. sentry-admin migrate MySQL -> PG (staged through Redis), sampling its peak RSS and Redis memory;
 *   2. pgloader, data only, into the existing schema;
 *   3. the raw limit: psql \copy of the same rows from TSV files dumped beforehand (not timed).
 * Row counts are checked against the source after each load (printed, not asserted). Everything
 * made is dropped at the end unless --keep. See bench/README.md.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisMemorySampler, fmtInt, fmtMiB, fmtSeconds, mustRun, note, parseFlags, runProcess, which } from './lib.js';
import * as db from './migrate/databases.js';
import { PGLOADER_INSTALL, pgloaderPath, pgloaderVersion, runPgloader } from './migrate/pgloader.js';
import { summarizeCpuProfile } from './migrate/cpu-profile.js';
import { copyTables, dumpTables } from './migrate/raw-copy.js';
import { type CaseResult, type LoaderRun, type MigrateReport, countsTable, figuresTable, perTableTable, summaryTable, totalRows } from './migrate/report.js';

export const description = 'sentry-admin migrate MySQL -> PostgreSQL against pgloader and the raw psql \\copy limit';

const FLAGS = {
  events: 'string', keep: 'boolean', 'big-ints': 'boolean', mysql: 'string', postgres: 'string', redis: 'string',
  'source-db': 'string', only: 'string', 'migrate-args': 'string', seed: 'string', 'no-build': 'boolean', 'cpu-prof': 'boolean', help: 'boolean',
} as const;

const USAGE = `npm run bench -- migrate [options]
  --events N[,N…]      events to seed (default 1000000); a list runs each N and ends with a summary
  --keep               keep the databases, TSV files and Redis namespace (printed at the end)
  --big-ints           64-bit ids on the source and targets (SENTRY_USE_BIG_INTS)
  --only LIST          loaders to time, of migrate,pgloader,copy (default all three)
  --migrate-args "…"   extra flags for sentry-admin migrate (e.g. "--jobs 4 --chunk-rows 10000")
  --source-db NAME     use this already seeded MariaDB database as the source (not seeded, not dropped)
  --seed N             seed value (default 1)
  --cpu-prof           run migrate under node --cpu-prof and print where its JavaScript thread spends its time
  --mysql URL          MariaDB server (default $TEST_MYSQL_URL or mysql://root@127.0.0.1:3306)
  --postgres URL       PostgreSQL server (default $TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432)
  --redis URL          staging Redis (default redis://127.0.0.1:6379/9)
  --no-build           do not run npm run build first`;

interface Setup {
  mysql: string;
  postgres: string;
  redis: string;
  keep: boolean;
  bigInts: boolean;
  only: Set<string>;
  migrateArgs: string[];
  sourceDb?: string;
  seed: string;
  cpuProf: boolean;
}

export async function run(args: string[]): Promise<number> {
  const { flags } = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const events = String(flags.events ?? '1000000').split(',').map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))));
  if (events.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--events wants whole numbers, got "${flags.events}"`);
  const only = new Set(String(flags.only ?? 'migrate,pgloader,copy').split(','));
  const unknown = [...only].filter((x) => !['migrate', 'pgloader', 'copy'].includes(x));
  if (unknown.length) throw new Error(`--only takes migrate, pgloader, copy; not ${unknown.join(', ')}`);
  const setup: Setup = {
    mysql: String(flags.mysql ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'),
    postgres: String(flags.postgres ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'),
    redis: String(flags.redis ?? 'redis://127.0.0.1:6379/9'),
    keep: Boolean(flags.keep),
    bigInts: Boolean(flags['big-ints']),
    only,
    migrateArgs: flags['migrate-args'] ? String(flags['migrate-args']).split(/\s+/).filter(Boolean) : [],
    sourceDb: flags['source-db'] as string | undefined,
    seed: String(flags.seed ?? '1'),
    cpuProf: Boolean(flags['cpu-prof']),
  };
  for (const tool of ['psql'] as const) if (only.has('copy') && !which(tool)) throw new Error(`${tool} is not installed (apt-get install -y postgresql-client)`);
  if (!flags['no-build']) {
    note('npm run build');
    await mustRun('npm', ['run', 'build'], { cwd: db.ROOT });
  }
  const results: CaseResult[] = [];
  for (const n of events) {
    const r = await runCase(setup, n);
    results.push(r);
  }
  if (results.length > 1) {
    console.log(`\n== migrate: Redis and RSS as N grows ==`);
    console.log(summaryTable(results));
  }
  return 0;
}

async function runCase(s: Setup, events: number): Promise<CaseResult> {
  const tag = `${process.pid}_${s.sourceDb ? 'src' : events}`;
  const dir = mkdtempSync(join(tmpdir(), `sentry-admin-bench-${tag}-`));
  chmodSync(dir, 0o755); // the MariaDB server (user mysql) writes the TSV dumps below it
  const source = db.onServer(s.mysql, s.sourceDb ?? `bench_${tag}_src`);
  const targets = { migrate: db.onServer(s.postgres, `bench_${tag}_migrate`), pgloader: db.onServer(s.postgres, `bench_${tag}_pgloader`), copy: db.onServer(s.postgres, `bench_${tag}_copy`) };
  const namespace = `bench-${tag}`;
  const made: (() => Promise<void>)[] = [];
  const result: CaseResult = { events, tables: [], source: new Map(), sourceBytes: 0, seedSeconds: null };
  try {
    // ---- source ----
    if (s.sourceDb) {
      if (!(await db.mysqlDatabaseExists(source))) throw new Error(`--source-db ${s.sourceDb}: no such database on ${db.masked(s.mysql)}`);
      note(`source: existing database ${s.sourceDb} (not seeded, kept)`);
    } else {
      made.push(() => db.dropMysql(source));
      note(`seeding ${db.masked(source)} with ${fmtInt(events)} events`);
      await db.sentryAdmin(['init-schema', '--create-database', '--db', source, ...(s.bigInts ? ['--big-ints'] : [])]);
      const seeded = await db.sentryAdmin(['seed', '--db', source, '--events', String(events), '--seed', s.seed]);
      result.seedSeconds = seeded.seconds;
    }
    const bigInts = await db.sourceHasBigInts(source);
    const tables = await db.migratedTables(source);
    result.tables = tables.map((t) => t.table);
    result.source = await db.mysqlCounts(source, result.tables);
    result.sourceBytes = await db.mysqlSize(source, result.tables);
    if (s.sourceDb) result.events = result.source.get('sentry_message') ?? 0;
    note(`source: ${fmtInt(totalRows(result))} rows in ${tables.length} tables, ${fmtMiB(result.sourceBytes)} on disk${result.seedSeconds ? `, seeded in ${fmtSeconds(result.seedSeconds)} s` : ''}`);

    // ---- targets and dumps (not timed) ----
    for (const [name, url] of Object.entries(targets)) {
      if (!s.only.has(name)) continue;
      made.push(() => db.dropPg(url));
      await db.sentryAdmin(['init-schema', '--create-database', '--db', url, ...(bigInts ? ['--big-ints'] : [])]);
    }
    const dumps = s.only.has('copy') ? await dumpTables(source, tables, join(dir, 'tsv')) : [];
    if (dumps.length) note(`dumped ${dumps.length} tables to ${join(dir, 'tsv')} (${fmtMiB(dumps.reduce((a, d) => a + d.bytes, 0))})`);

    await db.mysqlQuiet(s.mysql);

    // ---- 1. sentry-admin migrate ----
    if (s.only.has('migrate')) {
      made.push(() => discard(s.redis, namespace));
      await db.pgCheckpoint(s.postgres);
      result.migrate = await timeMigrate(s, source, targets.migrate, namespace, dir);
      result.migrate.counts = await db.pgCounts(targets.migrate, result.tables);
      await settle(s, targets.migrate);
      const carried = new Set(result.migrate.report?.tables.map((t) => t.table) ?? []);
      const missing = result.tables.filter((t) => !carried.has(t));
      if (result.migrate.report && missing.length) result.migrate.notes.push(`migrate did not carry ${missing.join(', ')}`);
    } else result.migrate = skipped('sentry-admin migrate', 'not in --only');

    // ---- 2. pgloader ----
    if (!s.only.has('pgloader')) result.pgloader = skipped('pgloader', 'not in --only');
    else if (!pgloaderPath()) {
      result.pgloader = skipped('pgloader', `not installed; install it with: ${PGLOADER_INSTALL}`);
      note(`pgloader is not installed, skipping it; install it with: ${PGLOADER_INSTALL}`);
    } else {
      const name = `pgloader ${await pgloaderVersion()}`;
      const referrers = await db.pgOutsideReferrers(targets.pgloader, result.tables);
      await db.pgCheckpoint(s.postgres);
      note(`timing ${name}`);
      const sourceDb = decodeURIComponent(new URL(source).pathname.slice(1));
      const p = await runPgloader({ source, target: targets.pgloader, sourceDb, tables: result.tables, truncate: referrers.length === 0, dir });
      result.pgloader = { name, seconds: p.seconds, peakRssKb: p.peakRssKb, notes: [], failed: p.code !== 0 ? `exit ${p.code}: ${p.errors[0] ?? ''}` : undefined };
      if (p.reportedSeconds !== null) result.pgloader.notes.push(`pgloader's own "Total import time": ${fmtSeconds(p.reportedSeconds)} s (wall clock includes its start and catalog reads)`);
      if (!p.truncate) result.pgloader.notes.push(`no "truncate": ${referrers.join(', ')} reference loaded tables and are not loaded; the target was fresh and empty`);
      if (p.errors.length) result.pgloader.notes.push(`${p.errors.length} ERROR lines, e.g. ${p.errors.slice(0, 3).join(' | ')}`);
      result.pgloader.counts = await db.pgCounts(targets.pgloader, result.tables);
      await settle(s, targets.pgloader);
    }

    // ---- 3. psql \copy ----
    if (s.only.has('copy')) {
      await db.pgCheckpoint(s.postgres);
      note('timing psql \\copy');
      const c = await copyTables(targets.copy, dumps);
      result.copy = { name: 'psql \\copy', seconds: c.seconds, peakRssKb: c.peakRssKb, perTable: c.perTable, notes: c.errors.map((e) => `\\copy failed: ${e}`) };
      result.copy.netSeconds = Math.max(0.001, c.seconds - dumps.length * c.psqlStartSeconds);
      result.copy.notes.push(
        `${dumps.length} psql runs, each ~${fmtSeconds(c.psqlStartSeconds)} s to start and connect (median of 5 psql -c 'SELECT 1'); ` +
          `net of those starts ("\\copy net"): ${fmtSeconds(result.copy.netSeconds)} s`,
      );
      result.copy.counts = await db.pgCounts(targets.copy, result.tables);
    } else result.copy = skipped('psql \\copy', 'not in --only');

    printCase(result, s);
    return result;
  } finally {
    if (s.keep) {
      note(`kept: source ${db.masked(source)}; targets ${Object.values(targets).map(db.masked).join(', ')}; namespace ${namespace} on ${db.masked(s.redis)}; files ${dir}`);
    } else {
      for (const undo of made.reverse()) await undo().catch((err) => note(`cleanup: ${(err as Error).message}`));
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

type MigrateRun = LoaderRun & { report?: MigrateReport; profile?: string };

async function timeMigrate(s: Setup, source: string, target: string, namespace: string, dir: string): Promise<MigrateRun> {
  const sampler = new RedisMemorySampler(s.redis, `${namespace}:staged-bytes`);
  await sampler.start(100);
  note(`timing sentry-admin migrate ${s.migrateArgs.join(' ')}`.trim());
  let lastNote = Date.now();
  const prof = s.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'cpu-prof')}`] : [];
  const r = await runProcess(process.execPath, [
    ...prof, db.BIN, 'migrate', '--from', source, '--to', target, '--redis', s.redis, '--namespace', namespace, '--json',
    '--rejects', join(dir, 'rejects.jsonl'), '--journal-dir', join(dir, 'journals'), ...s.migrateArgs,
  ], {
    cwd: db.ROOT,
    env: { SENTRY_ADMIN_FROM: undefined, SENTRY_ADMIN_TO: undefined, SENTRY_ADMIN_REDIS: undefined, SENTRY_ADMIN_NAMESPACE: undefined },
    onStderrLine: (line) => {
      if (Date.now() - lastNote < 15_000 || !line.startsWith('{')) return;
      lastNote = Date.now();
      try {
        const p = JSON.parse(line);
        if (p.progress) note(`  migrate: ${fmtInt(p.rows)} of ${fmtInt(p.total)} rows (${p.table ?? ''})`);
      } catch {
        /* not a progress line */
      }
    },
  });
  const redis = await sampler.stop();
  const out: MigrateRun = { name: 'sentry-admin migrate', seconds: r.seconds, peakRssKb: r.peakRssKb, redis, notes: [] };
  try {
    out.report = JSON.parse(r.stdout) as MigrateReport;
    out.notes.push(`its own report: ${fmtSeconds(out.report.seconds)} s from connect to finish`);
  } catch {
    /* no report: failed before the end */
  }
  if (s.cpuProf) out.profile = summarizeCpuProfile(join(dir, 'cpu-prof'));
  if (r.code === 4) out.notes.push('exit 4: some rows were rejected (see the counts)');
  else if (r.code !== 0) out.failed = `exit ${r.code}: ${r.stderr.trim().split('\n').filter((l) => !l.startsWith('{')).slice(-3).join(' / ')}`;
  return out;
}

/**
 * Between two timed loads: drop the target just counted (unless --keep), so its autovacuum does
 * not run during the next load, and let MariaDB write back its dirty pages.
 */
async function settle(s: Setup, target: string): Promise<void> {
  if (!s.keep) await db.dropPg(target);
  await db.mysqlQuiet(s.mysql);
}

async function discard(redis: string, namespace: string): Promise<void> {
  await db.sentryAdmin(['discard', '--redis', redis, '--namespace', namespace]);
}

function skipped(name: string, why: string): LoaderRun {
  return { name, seconds: null, skipped: why, peakRssKb: null, notes: [] };
}

function printCase(r: CaseResult, s: Setup): void {
  const rows = totalRows(r);
  console.log(`\n== migrate: N = ${fmtInt(r.events)} events, ${fmtInt(rows)} rows in ${r.tables.length} tables, source ${fmtMiB(r.sourceBytes)} ==`);
  if (s.migrateArgs.length) console.log(`migrate flags: ${s.migrateArgs.join(' ')}`);
  console.log(figuresTable(r));
  for (const l of [r.migrate, r.pgloader, r.copy]) for (const n of l?.notes ?? []) console.log(`  ${l!.name}: ${n}`);
  const counts = countsTable(r);
  console.log('\nrow counts after each load (source = MariaDB):');
  console.log(counts.text);
  counts.verdicts.forEach((v) => console.log(`  ${v}`));
  console.log('\nper table (tables with >= 1% of the rows):');
  console.log(perTableTable(r));
  if ((r.migrate as MigrateRun | undefined)?.profile) console.log('\n' + (r.migrate as MigrateRun).profile);
}
