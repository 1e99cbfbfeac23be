/**
 * `drain-buffer --apply`: empty Sentry 7's counter buffer into the database the way `process_pending` +
 * `process_incr` would (docs/sentry7-buffer.md §5), in bounded batches:
 *   hold l:b:p (our token, refreshed) → per host, ZRANGEBYSCORE b:p -inf <start> LIMIT off N → per key
 *   SET l:<key> NX EX 10 on the lock's host → atomic HGETALL+DEL+ZREM on the key's host → journal (fsync)
 *   → decode → apply in a DB transaction → re-buffer what could not be applied → release our key locks;
 * then sweep `b:k:*` hashes that b:p no longer lists (SCAN), and release l:b:p.
 * Redis work goes as small script calls (buffer-redis.ts); a batch is applied with a few statements per table
 * (apply-set.ts), or one key at a time with `perKey` (apply-entry.ts, the reference it is tested against).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statfsSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { RedisUrl } from '../config/redis-url.js';
import type { Connection } from '../db/connect.js';
import { LockedError, RuntimeFailure } from '../errors.js';
import { PendingLock, defineScripts } from './buffer-redis.js';
import { BatchRunner, type DrainStats, newStats } from './drain-batch.js';
import { DrainJournal, drainJournalPath } from './drain-journal.js';
import { sleep } from '../util/sleep.js';
import { LatencyProbe, type LatencyStats } from './latency.js';
import { BUFFER_KEY, PENDING_KEY, PartitionRouting } from './routing.js';
import { type EngineSql, detectEngineSql } from './score-sql.js';

export interface DrainOptions {
  batchSize: number;
  pauseMs: number;
  /** Batches applied at once, each in its own database transaction (taking stays sequential). */
  concurrency?: number;
  maxKeys?: number;
  orphanSweep: boolean;
  insertMissingGroups: boolean;
  /** Apply one key at a time (the reference path, apply-entry.ts) instead of set-based (apply-set.ts). */
  perKey?: boolean;
  journalDir: string;
  /** How long to wait for Sentry's own flush to let go of l:b:p before giving up (exit 75). */
  lockWaitMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: DrainProgress) => void;
  log?: (line: string) => void;
}

export interface DrainProgress {
  phase: 'pending' | 'orphans';
  host: number;
  done: number;
  total: number;
  stats: DrainStats;
}

export interface DrainSummary {
  journal: string;
  journalBytes: number;
  hosts: { host: string; pendingAtStart: number; pendingAtEnd: number }[];
  stats: DrainStats;
  seconds: number;
  keysPerSecond: number;
  latency: { idle: LatencyStats[]; during: LatencyStats[] };
  interrupted: boolean;
  lockLost: boolean;
  /** Peak resident memory of this process, MB. */
  peakRssMb: number;
  notes: string[];
}

export async function drainBuffer(conn: Connection, redis: Redis[], urls: RedisUrl[], opts: DrainOptions): Promise<DrainSummary> {
  const routing = new PartitionRouting(redis.length);
  redis.forEach(defineScripts);
  const token = `sentry-admin:${randomBytes(8).toString('hex')}`;
  const lock = new PendingLock(redis[routing.pendingLockHost], token);
  await acquire(lock, opts);
  const probes = urls.map((u) => new LatencyProbe(u));
  let journal: DrainJournal | undefined;
  try {
    lock.keepAlive();
    const plan = await decide(conn, redis, urls, probes, token, opts);
    journal = plan.journal;
    const stats = newStats();
    const runner = new BatchRunner({
      db: conn.db, redis, routing, journal, token, stats,
      ctx: { engineSql: plan.engineSql, insertMissingGroups: opts.insertMissingGroups, perKey: opts.perKey },
    });
    await run(redis, runner, stats, plan, lock, opts);
    return await finish(redis, urls, probes, plan, stats, lock, opts);
  } finally {
    await Promise.all(probes.map((p) => p.stop().catch(() => undefined)));
    try {
      journal?.close();
    } catch {
      // already closed, or the disk is gone: the lines that matter were fsynced batch by batch
    }
    await lock.release().catch(() => undefined);
  }
}

/** What the drain takes (keys scored before `cutoff`), decided once the lock is held; the journal is open. */
interface DrainPlan {
  engineSql: EngineSql;
  idle: LatencyStats[];
  /** When the drain proper began (after the idle baseline): keys/s counts the drain. */
  started: number;
  cutoff: number;
  pendingAtStart: number[];
  total: number;
  journal: DrainJournal;
}

/** Decide: the engine's SQL, an idle latency baseline, the pending keys to take, room on disk, the journal. */
async function decide(
  conn: Connection, redis: Redis[], urls: RedisUrl[], probes: LatencyProbe[], token: string, opts: DrainOptions,
): Promise<DrainPlan> {
  const engineSql = await detectEngineSql(conn.db, conn.engine);
  await sleep(1000, opts.signal); // idle baseline: the drain has not sent anything yet
  const idle = await Promise.all(probes.map((p) => p.take()));
  const started = Date.now();
  const cutoff = Date.now() / 1000;
  const pendingAtStart = await Promise.all(redis.map((r) => r.zcount(PENDING_KEY, '-inf', String(cutoff))));
  const total = pendingAtStart.reduce((a, b) => a + b, 0);
  checkDisk(opts.journalDir, Math.min(total, opts.maxKeys ?? Infinity));
  const journal = DrainJournal.create(drainJournalPath(opts.journalDir), {
    t: 'header', format: 'sentry-admin-drain-journal/1', createdAt: new Date().toISOString(), database: conn.url.masked,
    engine: conn.engine, hosts: urls.map((u) => u.masked), token, pid: process.pid,
  });
  return { engineSql, idle, started, cutoff, pendingAtStart, total, journal };
}

/** How the run phase takes batches: in order, each applied in the background, at most `concurrency` at a time. */
interface Batches {
  stop(): boolean;
  /** Take a batch now and start applying it; returns how many keys were left in place and how many to retry. */
  take(h: number, keys: string[], mode: 'pending' | 'orphan'): Promise<{ left: number; retryable: number }>;
  /** Wait for every batch still being applied. */
  settle(): Promise<void>;
  progress(phase: DrainProgress['phase'], host: number): void;
}

/** Run: the pending keys host by host, then (with orphanSweep) the hashes b:p no longer lists. */
async function run(redis: Redis[], runner: BatchRunner, stats: DrainStats, plan: DrainPlan, lock: PendingLock, opts: DrainOptions): Promise<void> {
  const batches = batchesOf(runner, stats, plan, lock, opts);
  try {
    for (let h = 0; h < redis.length && !batches.stop(); h++) await drainPending(redis[h], h, batches, plan.cutoff, stats, opts);
    if (opts.orphanSweep) {
      await batches.settle(); // keys still being applied are not orphans
      for (let h = 0; h < redis.length && !batches.stop(); h++) await sweepOrphans(redis[h], h, batches, stats, opts);
    }
  } finally {
    await batches.settle().catch(() => undefined);
  }
}

function batchesOf(runner: BatchRunner, stats: DrainStats, plan: DrainPlan, lock: PendingLock, opts: DrainOptions): Batches {
  let failures = 0;
  const inFlight = new Set<Promise<void>>();
  const settle = async (all: boolean) => {
    while (inFlight.size && (all || inFlight.size >= (opts.concurrency ?? 1))) await Promise.race(inFlight);
  };
  return {
    stop: () => Boolean(opts.signal?.aborted) || lock.lost || (opts.maxKeys !== undefined && stats.keysSeen >= opts.maxKeys),
    settle: () => settle(true),
    progress: (phase, host) => opts.onProgress?.({ phase, host, done: stats.keysSeen, total: plan.total, stats }),
    async take(h, keys, mode) {
      await settle(false);
      const { left, retryable, finish } = await runner.take(h, keys, mode);
      const [failedBefore, appliedBefore] = [stats.dbFailed, stats.applied];
      const p: Promise<void> = finish().then(() => {
        failures = stats.dbFailed > failedBefore && stats.applied === appliedBefore ? failures + 1 : 0;
      }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (failures >= 5) {
        await settle(true);
        throw new RuntimeFailure('the database refused five batches in a row; stopping (everything taken was re-buffered)', 'check the database, then run drain-buffer again');
      }
      if (opts.pauseMs) await sleep(opts.pauseMs, opts.signal);
      return { left, retryable };
    },
  };
}

/**
 * One host's pending keys scored before the cutoff. Skipped keys stay at the front of the range: step over them,
 * then come back for those Sentry held locked (a key that could not be taken at all, such as one of the wrong Redis
 * type, is no reason to come back).
 */
async function drainPending(redis: Redis, h: number, batches: Batches, cutoff: number, stats: DrainStats, opts: DrainOptions): Promise<void> {
  for (let pass = 0, offset = 0, retry = 0; pass < 4 && !batches.stop(); ) {
    const limit = Math.min(opts.batchSize, opts.maxKeys === undefined ? Infinity : opts.maxKeys - stats.keysSeen);
    const keys = await redis.zrangebyscore(PENDING_KEY, '-inf', String(cutoff), 'LIMIT', offset, limit);
    if (!keys.length) {
      if (offset === 0 || retry === 0) break;
      pass++;
      offset = 0;
      retry = 0;
      await sleep(pass * 3000, opts.signal); // Sentry's key locks live 10 s
      continue;
    }
    const r = await batches.take(h, keys, 'pending');
    offset += r.left;
    retry += r.retryable;
    batches.progress('pending', h);
  }
}

/** One host's b:k:* hashes (SCAN), which b:p no longer lists once the pending keys are drained. */
async function sweepOrphans(redis: Redis, h: number, batches: Batches, stats: DrainStats, opts: DrainOptions): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', 'b:k:*', 'COUNT', 1000);
    cursor = next;
    const keys = found.filter((k) => BUFFER_KEY.test(k));
    stats.unrecognized += found.length - keys.length;
    for (let i = 0; i < keys.length && !batches.stop(); i += opts.batchSize) {
      await batches.take(h, keys.slice(i, i + opts.batchSize), 'orphan');
      batches.progress('orphans', h);
    }
  } while (cursor !== '0' && !batches.stop());
}

/** Finish: latency during the drain, what is left pending, the journal's end line, the summary. */
async function finish(
  redis: Redis[], urls: RedisUrl[], probes: LatencyProbe[], plan: DrainPlan, stats: DrainStats, lock: PendingLock, opts: DrainOptions,
): Promise<DrainSummary> {
  const during = await Promise.all(probes.map((p) => p.stop()));
  const pendingAtEnd = await Promise.all(redis.map((r) => r.zcard(PENDING_KEY)));
  const { journal } = plan;
  journal.write({ t: 'end', at: new Date().toISOString() });
  journal.close();
  const seconds = (Date.now() - plan.started) / 1000;
  return {
    journal: journal.path, journalBytes: journal.bytes,
    hosts: urls.map((u, i) => ({ host: u.masked, pendingAtStart: plan.pendingAtStart[i], pendingAtEnd: pendingAtEnd[i] })),
    stats, seconds, keysPerSecond: Math.round(stats.taken / Math.max(seconds, 0.001)),
    latency: { idle: plan.idle, during }, interrupted: Boolean(opts.signal?.aborted), lockLost: lock.lost,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), notes: plan.engineSql.notes,
  };
}

/** The journal keeps every taken hash (about 0.7 KB a key, 2 KB for a Group): refuse to start without room for it. */
function checkDisk(dir: string, keys: number): void {
  mkdirSync(dir, { recursive: true });
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const need = keys * 1024 + 64 * 1048576;
  if (free < need) {
    throw new RuntimeFailure(
      `the journal directory ${dir} has ${Math.round(free / 1048576)} MB free; draining ${keys} keys needs about ${Math.round(need / 1048576)} MB`,
      'free some space or pass --journal-dir on a larger disk (nothing was taken)',
    );
  }
}

async function acquire(lock: PendingLock, opts: DrainOptions): Promise<void> {
  const deadline = Date.now() + (opts.lockWaitMs ?? 65_000);
  for (;;) {
    if (await lock.tryAcquire()) return;
    if (Date.now() >= deadline || opts.signal?.aborted) {
      const holder = await lock.holder();
      throw new LockedError(
        holder?.startsWith('sentry-admin:')
          ? `another drain-buffer run holds Sentry's flush lock l:b:p; try again when it has finished`
          : `Sentry's flush lock l:b:p is held${holder === null ? '' : ` (value ${JSON.stringify(holder.slice(0, 20))})`} and was not released; a flush is running or stuck. Try again later`,
      );
    }
    opts.log?.("waiting for Sentry's flush lock l:b:p (a flush is running)");
    await sleep(2000, opts.signal);
  }
}
