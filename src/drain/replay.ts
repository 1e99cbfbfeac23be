/**
 * `drain-buffer --replay JOURNAL`: after a crash, apply exactly once what a drain took out of Redis but did not
 * finish. Per taken key the journal says (drain-journal.ts foldJournal):
 *   committed / rebuffered   nothing to do;
 *   unit-open                an intent without a commit: PostgreSQL >= 10 answers with txid_status(); committed
 *                            units are recorded as such, aborted ones become pending. Elsewhere it is "uncertain";
 *   pending                  applied now (or re-buffered when it cannot be decoded), recorded in the same journal,
 *                            so a second replay finds nothing left;
 *   uncertain                a re-buffer that may have reached Redis, or a COMMIT whose outcome nobody can tell:
 *                            listed with its raw fields, never applied twice by guessing.
 * Without --apply it only reports. It holds l:b:p meanwhile, and refuses while the drain that wrote the journal
 * still holds it.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Connection } from '../db/connect.js';
import { LockedError, UsageError } from '../errors.js';
import { PendingLock, defineScripts } from './buffer-redis.js';
import { BatchRunner, type DrainStats, newStats } from './drain-batch.js';
import { DrainJournal, type TakeRecord, foldJournal, readDrainJournal } from './drain-journal.js';
import { BUFFER_KEY, PartitionRouting } from './routing.js';
import { detectEngineSql } from './score-sql.js';

export interface ReplaySummary {
  journal: string;
  applied: boolean;
  counts: Record<'committed' | 'rebuffered' | 'pending' | 'uncertain' | 'resolvedCommitted' | 'resolvedAborted', number>;
  uncertain: { id: string; key: string; why: string }[];
  stats: DrainStats;
}

export async function replayJournal(
  conn: Connection, redis: Redis[], path: string, opts: { apply: boolean; insertMissingGroups: boolean },
): Promise<ReplaySummary> {
  const j = readDrainJournal(path);
  if (j.header.engine !== conn.engine) {
    throw new UsageError(`journal ${path} was written against a ${j.header.engine} database (${j.header.database}), not this ${conn.engine} one`);
  }
  if (j.header.hosts.length !== redis.length) {
    throw new UsageError(`journal ${path} names ${j.header.hosts.length} Sentry Redis host(s); pass the same ${j.header.hosts.length} --sentry-redis URL(s) in the same order`);
  }
  const routing = new PartitionRouting(redis.length);
  redis.forEach(defineScripts);
  const lockRedis = redis[routing.pendingLockHost];
  if ((await lockRedis.get('l:b:p')) === j.header.token) {
    throw new LockedError(`the drain that wrote ${path} still holds l:b:p; let it finish (or wait 60 s after it died)`);
  }
  const records = foldJournal(j.lines);
  const invalid = records.find((r) => !BUFFER_KEY.test(r.key) || !Number.isInteger(r.host) || r.host < 0 || r.host >= redis.length || routing.hostOf(r.key) !== r.host);
  if (invalid) throw new UsageError(`journal ${path} entry ${invalid.id} names key ${JSON.stringify(invalid.key)} on host ${invalid.host}, which is not a Sentry buffer key there; refusing to replay it`);
  const counts: ReplaySummary['counts'] = { committed: 0, rebuffered: 0, pending: 0, uncertain: 0, resolvedCommitted: 0, resolvedAborted: 0 };
  const engineSql = await detectEngineSql(conn.db, conn.engine);
  const resolutions: { unit: string; status: 'committed' | 'aborted' }[] = [];

  // Ask the database about units whose COMMIT outcome the journal does not know.
  const open = new Map<string, TakeRecord[]>();
  for (const r of records) if (r.state === 'unit-open') (open.get(r.unit!) ?? open.set(r.unit!, []).get(r.unit!)!).push(r);
  for (const [unit, rs] of open) {
    const tx = rs[0].tx!;
    const status = engineSql.txStatus ? await engineSql.dialect.transactionStatus(conn.db, tx) : null;
    if (status === 'committed' || status === 'aborted') {
      resolutions.push({ unit, status });
      for (const r of rs) r.state = status === 'committed' ? 'committed' : 'pending';
      counts[status === 'committed' ? 'resolvedCommitted' : 'resolvedAborted'] += rs.length;
    } else {
      for (const r of rs) Object.assign(r, { state: 'uncertain', why: status === 'in progress' ? 'its transaction is still running' : 'COMMIT outcome unknown (no transaction status on this server)' });
    }
  }
  for (const r of records) {
    if (r.state === 'committed') counts.committed++;
    else if (r.state === 'rebuffered') counts.rebuffered++;
    else if (r.state === 'pending') counts.pending++;
    else counts.uncertain++;
  }
  const uncertain = records.filter((r) => r.state === 'uncertain').map((r) => ({ id: r.id, key: r.key, why: r.why ?? 'unknown' }));
  const stats = newStats();
  if (!opts.apply) return { journal: path, applied: false, counts, uncertain, stats };

  const token = `sentry-admin:${randomBytes(8).toString('hex')}`;
  const lock = new PendingLock(lockRedis, token);
  if (!(await lock.tryAcquire())) throw new LockedError("Sentry's flush lock l:b:p is held by another run; try again shortly");
  const journal = DrainJournal.reopen(path);
  try {
    lock.keepAlive();
    for (const r of resolutions) journal.write({ t: 'resolved', unit: r.unit, status: r.status });
    journal.sync();
    const runner = new BatchRunner({ db: conn.db, redis, routing, journal, token, stats, ctx: { engineSql, insertMissingGroups: opts.insertMissingGroups } });
    const pending = records.filter((r) => r.state === 'pending');
    const stamp = Date.now().toString(36);
    for (let i = 0; i < pending.length; i += 200) {
      const part = pending.slice(i, i + 200);
      stats.keysSeen += part.length;
      stats.taken += part.length;
      await runner.applyTaken(`r${stamp}.${i / 200}`, part.map((r) => ({ id: r.id, host: r.host, key: r.key, fields: r.fields })));
    }
    journal.close();
  } finally {
    await lock.release().catch(() => undefined);
  }
  return { journal: path, applied: true, counts, uncertain, stats };
}
