/**
 * The staging cap (--max-staged-mb) is on Redis's real memory, the whole namespace's and what Redis holds for it
 * outside its keys (requests and replies in flight), not on payload bytes:
 *   - on the shared test Redis, an export with no importer stops with every key of its namespace (payloads,
 *     streams of descriptors, hashes) under the cap, and staged-bytes is the MEMORY USAGE of the payloads;
 *   - on a Redis server of the test's own (so no other test's keys move it), used_memory_peak grows by less than
 *     the cap over an export with no importer and over a whole migration (export and import at once).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { parseRedisUrl, type RedisUrl } from '../../src/config/redis-url.js';
import { runMigration } from '../../src/transfer/migrate.js';
import { discardRun } from '../../src/transfer/status.js';
import { seed } from '../../src/setup/seed.js';
import { sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, uniqueName } from '../helpers/servers.js';

const MiB = 1 << 20;
const CAP = 4 * MiB; // a small --max-staged-mb (below about 4 MiB the fixed part Redis keeps for a run does not fit)
const dbs: TempDatabase[] = [];
const dir = join(tmpdir(), uniqueName('sa-mem'));
const shared = parseRedisUrl(REDIS_URL(REDIS_DB.staging));
const ns = uniqueName('sa-mem');
let source: TempDatabase;
let own: { url: RedisUrl; process: ChildProcess } | null = null;

before(async () => {
  source = await sentryDatabase('mysql', { prefix: 'sa_mem' });
  dbs.push(source);
  // Several times the cap of JSON to stage (the last test checks how much).
  await seed(source.url, { events: 15000, seed: 1 });
});

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  await discardRun(shared, ns);
  own?.process.kill();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A new redis-server of this file's own, on a free port, without persistence: its used_memory is this test's alone,
 * and its used_memory_peak (which nothing resets) starts from nothing. The previous one is stopped.
 */
async function freshRedis(): Promise<RedisUrl> {
  own?.process.kill();
  own = null;
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => (out += d) && /Ready to accept connections/.test(out) && resolve(true));
      child.on('exit', () => resolve(false));
      child.on('error', () => resolve(false));
    });
    if (ready) {
      own = { url: parseRedisUrl(`redis://127.0.0.1:${port}/${REDIS_DB.staging}`), process: child };
      return own.url;
    }
    if (attempt >= 4) throw new Error('could not start redis-server (is it installed?)');
  }
}

function client(url: RedisUrl): Redis {
  return new Redis({ host: url.host, port: url.port, db: url.db });
}

/** Sum of MEMORY USAGE (every sample) of every key under `<namespace>:`, by key kind. */
async function namespaceMemory(redis: Redis, namespace: string): Promise<Map<string, number>> {
  const kinds = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
    for (const k of keys) {
      const kind = k.slice(namespace.length + 1).split(':')[0];
      kinds.set(kind, (kinds.get(kind) ?? 0) + Number(await redis.memory('USAGE', k, 'SAMPLES', 0)));
    }
    cursor = next;
  } while (cursor !== '0');
  return kinds;
}

async function usedMemory(redis: Redis, field: 'used_memory' | 'used_memory_peak'): Promise<number> {
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(await redis.info('memory'))![1]);
}

/** Wait until `<namespace>:staged-bytes` has not moved for a second (the exporter waits for room); its value. */
async function untilStagingWaits(redis: Redis, namespace: string): Promise<number> {
  let last = -1;
  for (let still = 0, i = 0; still < 10 && i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = Number(await redis.get(`${namespace}:staged-bytes`));
    still = now > 0 && now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

/** An export with no importer into `redis`, stopped once it waits for room; `inspect` runs while it waits. */
async function exportUntilFull(url: RedisUrl, namespace: string, inspect: (redis: Redis, staged: number) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const run = runMigration({
    mode: 'export', source: source.url, redis: url, namespace, scope: {}, signal: stop.signal,
    chunkRows: 200, maxStagedBytes: CAP, rejectsPath: join(dir, `${namespace}.jsonl`), journalDir: dir,
  });
  const redis = client(url);
  try {
    const staged = await untilStagingWaits(redis, namespace);
    await inspect(redis, staged);
  } finally {
    stop.abort();
    await run.catch(() => undefined);
    redis.disconnect();
  }
}

describe('staging stays within its cap in real Redis memory', () => {
  it('an export with no importer stops with every key of its namespace under the cap; staged-bytes is the MEMORY USAGE of the payloads', async () => {
    await exportUntilFull(shared, ns, async (redis, staged) => {
      const kinds = await namespaceMemory(redis, ns);
      const total = [...kinds.values()].reduce((a, b) => a + b, 0);
      const shown = JSON.stringify(Object.fromEntries(kinds));
      assert.ok((kinds.get('chunk') ?? 0) > CAP / 2, `the cap binds: ${shown}`);
      assert.equal(staged, kinds.get('chunk'), 'staged-bytes is what Redis spends on the payloads');
      assert.ok(total <= CAP, `${total} bytes in the namespace's keys (${shown}) under a cap of ${CAP}`);
    });
  });

  /** used_memory_peak is Redis's own high-water mark, taken after every command: no sampling to miss a moment. */
  async function peakGrowth(run: (url: RedisUrl) => Promise<void>): Promise<number> {
    const url = await freshRedis();
    const redis = client(url);
    try {
      const baseline = await usedMemory(redis, 'used_memory');
      await run(url);
      return (await usedMemory(redis, 'used_memory_peak')) - baseline;
    } finally {
      redis.disconnect();
    }
  }

  it('on a Redis of its own, used_memory grows by less than the cap during an export with no importer', async () => {
    const growth = await peakGrowth((url) => exportUntilFull(url, uniqueName('sa-mem-own'), async () => undefined));
    assert.ok(growth <= CAP, `used_memory peak grew by ${growth} bytes, over the cap of ${CAP}`);
    assert.ok(growth > CAP / 2, `the cap binds (${growth} bytes)`);
  });

  it('on a Redis of its own, used_memory grows by less than the cap during a whole migration, readers included', async () => {
    const target = await sentryDatabase('postgres', { prefix: 'sa_mem' });
    dbs.push(target);
    const namespace = uniqueName('sa-mem-mig');
    let exported = 0;
    const growth = await peakGrowth(async (url) => {
      const report = await runMigration({
        mode: 'migrate', source: source.url, target: target.url, redis: url, namespace, scope: {}, signal: new AbortController().signal,
        chunkRows: 200, maxStagedBytes: CAP, rejectsPath: join(dir, `${namespace}.jsonl`), journalDir: dir, jobs: 3, verify: false,
      });
      exported = report.tables.reduce((a, t) => a + t.bytes, 0);
    });
    assert.ok(exported > 2 * CAP, `${exported} bytes carried: more than the cap holds at once`);
    assert.ok(growth <= CAP, `used_memory peak grew by ${growth} bytes, over the cap of ${CAP}`);
  });

  it('under a scope, the nodes of the carried events are cut into chunks within the payload limit, and all arrive', async () => {
    const target = await sentryDatabase('postgres', { prefix: 'sa_mem' });
    dbs.push(target);
    const org = await withDb(source.url, async (d) => (await d.selectFrom('sentry_organization').select('slug').orderBy('id').executeTakeFirstOrThrow()).slug as string);
    const namespace = uniqueName('sa-mem-org');
    const cap = 2 * MiB; // payloads of at most 64 KiB: a page of 200 events' nodes takes several
    const report = await runMigration({
      mode: 'migrate', source: source.url, target: target.url, redis: shared, namespace, scope: { orgs: [org] }, signal: new AbortController().signal,
      chunkRows: 200, maxStagedBytes: cap, rejectsPath: join(dir, `${namespace}.jsonl`), journalDir: dir,
    }).finally(() => discardRun(shared, namespace));
    const nodes = report.tables.find((t) => t.table === 'nodestore_node')!;
    assert.equal(report.complete, true);
    assert.equal(report.verify?.equal, true, 'target equals source in scope');
    assert.ok(nodes.written > 200, `${nodes.written} nodes carried`);
    assert.ok(nodes.chunks > Math.ceil(nodes.written / 200), `${nodes.chunks} chunks for ${nodes.written} nodes: cut below a page of events`);
    assert.ok(nodes.bytes / nodes.chunks <= cap / 32, `${nodes.bytes / nodes.chunks} bytes a chunk on average, at most ${cap / 32}`);
  });
});

