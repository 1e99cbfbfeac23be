/**
 * Bench: drain a backlog of pending keys written byte for byte as Sentry 7.7 writes them (a mix of the six
 * models, against a seeded database), while a second process keeps incrementing the way Sentry does; a PING
 * prober (worker thread, own socket) measures Redis latency without and during the drain; the drain runs as the
 * real CLI in its own process, which reports its peak RSS. At the end every increment issued must be in the
 * database or still in Redis.
 *
 *   npm run build && node --import tsx bench/drain-buffer.ts [--keys 1000000] [--engine postgres|mysql] [--batch-size n] [--pause-ms n]
 *     [--concurrency n] [--per-key] [--rate 1000] [--cpu-prof-dir dir]
 * --batch-size, --pause-ms and --concurrency go to the CLI only when given: by default the bench measures its defaults.
 * --cpu-prof-dir runs the drain under `node --cpu-prof` and leaves its .cpuprofile there.
 * Uses Redis database 14 (BENCH_REDIS to change), which it empties before and after: not 11, which
 * test/integration/drain-buffer.test.ts flushes (a test run during a bench would empty the backlog).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { parseRedisUrl } from '../src/config/redis-url.js';
import { connect } from '../src/db/connect.js';
import { schemaStatements } from '../src/db/schema-files.js';
import type { Engine } from '../src/db/url.js';
import { LatencyProbe } from '../src/drain/latency.js';
import { sleep } from '../src/util/sleep.js';
import { openRedis } from '../src/redis/client.js';
import { REDIS_URL, runCli, tempDatabase } from '../test/helpers/servers.js';
import { LAST_SEEN_UTC, SCORE_PICKLE, py, seedProject, sentryIncr } from '../test/integration/drain-fixtures.js';
import { backlogKey, writeBacklog } from './drain-backlog.js';

const { values: a } = parseArgs({
  options: {
    keys: { type: 'string', default: '1000000' }, engine: { type: 'string', default: 'postgres' },
    'batch-size': { type: 'string' }, 'pause-ms': { type: 'string' },
    writer: { type: 'boolean', default: false }, rate: { type: 'string', default: '1000' },
    concurrency: { type: 'string' }, 'per-key': { type: 'boolean', default: false }, 'cpu-prof-dir': { type: 'string' },
  },
});
const REDIS = process.env.BENCH_REDIS ?? REDIS_URL(14);
const N = Number(a.keys);
const GROUPS = Math.max(10, Math.round(N * 0.1));
const RELEASES = Math.max(1, Math.round(N * 0.01));

if (a.writer) await writer();
else await main();

/** The second process: Sentry's incr, on keys of the backlog, until stdin closes; prints what it issued. */
async function writer(): Promise<void> {
  const r = await openRedis(parseRedisUrl(REDIS));
  let stop = false;
  process.stdin.on('close', () => (stop = true)).resume();
  const issued: Record<string, number> = { Group: 0, Release: 0, TagValue: 0, GroupTagValue: 0, TagKey: 0, GroupTagKey: 0 };
  let i = 0;
  while (!stop) {
    const k = backlogKey((i * 7919) % N, N);
    i++;
    await sentryIncr([r], k.model, k.columns, k.filters, k.model === 'Group' ? { last_seen: LAST_SEEN_UTC, score: SCORE_PICKLE } : k.extra);
    issued[k.model] += Object.values(k.columns)[0];
    if (i % 10 === 0) await sleep(10_000 / Number(a.rate)); // about --rate increments per second, as a busy Sentry would
  }
  process.stdout.write(JSON.stringify(issued) + '\n');
  r.disconnect();
}

async function main(): Promise<void> {
  const engine = a.engine as Engine;
  const tdb = await tempDatabase(engine, 'sa_bench');
  const conn = await connect(tdb.url);
  const redis = await openRedis(parseRedisUrl(REDIS));
  try {
    await redis.flushdb();
    process.stderr.write(`schema + seed (${GROUPS} groups, ${RELEASES} releases) on ${engine}\n`);
    for (const s of schemaStatements(engine, { bigInts: false })) await sql.raw(s).execute(conn.db);
    await seedProject(conn.db);
    await seed(conn.db);
    const sumsBefore = await dbSums(conn.db);
    let t = Date.now();
    const seeded = await writeBacklog(redis, N);
    process.stderr.write(`backlog: ${N} keys in ${((Date.now() - t) / 1000).toFixed(1)} s, redis ${(await memory(redis)).toFixed(0)} MB\n`);

    const probe = new LatencyProbe(parseRedisUrl(REDIS), 5);
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--writer', '--keys', String(N), '--rate', a.rate!], { stdio: ['pipe', 'pipe', 'inherit'] });
    let issuedText = '';
    child.stdout.on('data', (d) => (issuedText += d));
    await sleep(5000);
    const idle = await probe.take();
    t = Date.now();
    const journals = mkdtempSync(join(tmpdir(), 'sa-bench-'));
    const args = ['drain-buffer', '--apply', '--json'];
    for (const f of ['batch-size', 'pause-ms', 'concurrency'] as const) if (a[f] !== undefined) args.push(`--${f}`, a[f]);
    if (a['per-key']) args.push('--per-key');
    const run = await runCli(args, {
      env: { SENTRY_ADMIN_DB: tdb.text, SENTRY_ADMIN_SENTRY_REDIS: REDIS, SENTRY_ADMIN_JOURNAL_DIR: journals }, timeoutMs: 4 * 3_600_000,
      nodeArgs: a['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', a['cpu-prof-dir']] : [],
    });
    const during = await probe.stop();
    child.stdin!.end();
    await new Promise((r) => child.on('close', r));
    if (!run.stdout) throw new Error(`drain failed (${run.code}): ${run.stderr}`);
    const d = JSON.parse(run.stdout);
    const issued = JSON.parse(issuedText);
    const after = await dbSums(conn.db);
    const left = await redisSums(redis);
    const follow = d.stats.followUps.increments;
    const rows = (['Group', 'Release', 'TagValue', 'GroupTagValue'] as const).map((m): { model: string; issued: number; applied: number; leftInRedis: number; ok: boolean } => {
      const expect = seeded[m] + issued[m];
      const got = after[m] - sumsBefore[m] + left[m];
      return { model: m, issued: expect, applied: after[m] - sumsBefore[m], leftInRedis: left[m], ok: expect === got };
    });
    const keysExpect = seeded.TagKey + issued.TagKey + seeded.GroupTagKey + issued.GroupTagKey + follow;
    const keysGot = after.TagKey - sumsBefore.TagKey + after.GroupTagKey - sumsBefore.GroupTagKey + left.TagKey + left.GroupTagKey;
    rows.push({ model: 'TagKey+GroupTagKey (incl. follow-ups)', issued: keysExpect, applied: keysGot - left.TagKey - left.GroupTagKey, leftInRedis: left.TagKey + left.GroupTagKey, ok: keysExpect === keysGot });
    const out = {
      engine, keys: N, cli: args.slice(3).join(' ') || '(defaults)', seconds: d.seconds, keysPerSecond: d.keysPerSecond, exitCode: run.code,
      ping: { idle, during, p99Ratio: idle.p99Ms ? Math.round((during.p99Ms / idle.p99Ms) * 100) / 100 : null },
      drainSelfMeasured: d.latency, peakRssMb: d.peakRssMb, journalMb: Math.round(d.journalBytes / 1048576),
      problems: d.stats.problems.slice(0, 5),
      stats: { taken: d.stats.taken, applied: d.stats.applied, inserted: d.stats.rowsInserted, updated: d.stats.rowsUpdated, lockedSkipped: d.stats.lockedSkipped, rebuffered: d.stats.rebuffered },
      accounting: rows, allAccounted: rows.every((r) => r.ok),
    };
    process.stdout.write(JSON.stringify(out, null, 1) + '\n');
  } finally {
    await redis.flushdb();
    redis.disconnect();
    await conn.close();
    await tdb.drop();
  }
}

async function seed(db: Parameters<typeof dbSums>[0]): Promise<void> {
  const t = new Date('2015-07-01T00:00:00Z');
  for (let i = 1; i <= GROUPS; i += 1000) {
    const rows = [];
    for (let id = i; id < Math.min(i + 1000, GROUPS + 1); id++) {
      rows.push({ id, logger: '', level: 40, message: 'boom', view: 'x', status: 0, times_seen: 1, last_seen: t, first_seen: t, score: 0, project_id: 1, time_spent_total: 0, time_spent_count: 0, active_at: t, is_public: false, num_comments: 0 });
    }
    await db.insertInto('sentry_groupedmessage').values(rows).execute();
  }
  for (let i = 1; i <= RELEASES; i += 1000) {
    const rows = [];
    for (let id = i; id < Math.min(i + 1000, RELEASES + 1); id++) rows.push({ id, project_id: 1, version: `v${id}`, date_added: t, data: '{}', new_groups: 0 });
    await db.insertInto('sentry_release').values(rows).execute();
  }
}

type Sums = Record<'Group' | 'Release' | 'TagValue' | 'GroupTagValue' | 'TagKey' | 'GroupTagKey', number>;

async function dbSums(db: Awaited<ReturnType<typeof connect>>['db']): Promise<Sums> {
  const one = async (table: string, col: string) =>
    Number((await sql<{ n: string }>`SELECT COALESCE(SUM(${sql.ref(col)}), 0) AS n FROM ${sql.table(table)}`.execute(db)).rows[0].n);
  return {
    Group: await one('sentry_groupedmessage', 'times_seen'), Release: await one('sentry_release', 'new_groups'),
    TagValue: await one('sentry_filtervalue', 'times_seen'), GroupTagValue: await one('sentry_messagefiltervalue', 'times_seen'),
    TagKey: await one('sentry_filterkey', 'values_seen'), GroupTagKey: await one('sentry_grouptagkey', 'values_seen'),
  };
}

async function redisSums(r: Redis): Promise<Sums> {
  const s: Sums = { Group: 0, Release: 0, TagValue: 0, GroupTagValue: 0, TagKey: 0, GroupTagKey: 0 };
  const names: Record<string, keyof Sums> = {
    'sentry.group': 'Group', 'sentry.release': 'Release', 'sentry.tagvalue': 'TagValue', 'sentry.grouptagvalue': 'GroupTagValue', 'sentry.tagkey': 'TagKey', 'sentry.grouptagkey': 'GroupTagKey',
  };
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', 'b:k:*', 'COUNT', 1000);
    cursor = next;
    const pipe = r.pipeline();
    for (const k of keys) pipe.hgetall(k);
    const res = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const h = res[i][1] as Record<string, string>;
      const model = names[k.split(':')[2]];
      for (const [f, v] of Object.entries(h)) if (f.startsWith('i+') && f !== 'i+time_spent_total' && f !== 'i+time_spent_count') s[model] += Number(v);
    });
  } while (cursor !== '0');
  return s;
}

async function memory(r: Redis): Promise<number> {
  const info = await r.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1048576;
}

void py;
