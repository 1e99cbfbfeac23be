/**
 * One batch of keys from one host: lock, take, journal, decode, apply, re-buffer, unlock (drain.ts has the order's
 * rationale). Also used by replay for the apply/re-buffer half.
 */
import type { Redis } from 'ioredis';
import { RuntimeFailure } from '../errors.js';
import type { Kysely } from 'kysely';
import type { SentryDb } from '../db/sentry-db.js';
import type { ApplyContext, ApplyResult } from './apply-entry.js';
import { type UnitItem, applyUnits } from './apply-units.js';
import { type RawFields, lockKeys, rebufferKey, takeKeys, unlockKeys } from './buffer-redis.js';
import { BUFFER_MODELS, type ModelName } from './buffer-models.js';
import { decodeEntry, isRejection } from './decode-entry.js';
import { type DrainJournal, encodeFields } from './drain-journal.js';
import { BUFFER_KEY, type PartitionRouting } from './routing.js';

export interface DrainStats {
  keysSeen: number;
  taken: number;
  applied: number;
  empty: number;
  lockedSkipped: number;
  listedSkipped: number;
  unrecognized: number;
  misrouted: number;
  rejected: number;
  dbFailed: number;
  rebuffered: number;
  uncertain: number;
  orphansTaken: number;
  rowsUpdated: number;
  rowsInserted: number;
  dropped: number;
  missingGroups: number;
  missingReleases: number;
  /** Sentry's ensure_release_exists for created `sentry:release` tag values: releases created, already there, too long. */
  releases: { created: number; existed: number; tooLong: number };
  /** Keys Redis would not let us take (not a hash: WRONGTYPE), each counted once and named in `problems`. */
  takeFailed: number;
  /** Merged TagKey/GroupTagKey follow-up rows by outcome, and the `values_seen` increments they applied. */
  followUps: { updated: number; inserted: number; dropped: number; skipped: number; increments: number };
  perModel: Record<ModelName, { keys: number; increments: Record<string, string> }>;
  /** First problems, for the report (capped). */
  problems: { key: string; what: string }[];
}

export function newStats(): DrainStats {
  return {
    keysSeen: 0, taken: 0, applied: 0, empty: 0, lockedSkipped: 0, listedSkipped: 0, unrecognized: 0, misrouted: 0,
    rejected: 0, dbFailed: 0, rebuffered: 0, uncertain: 0, orphansTaken: 0, rowsUpdated: 0, rowsInserted: 0, dropped: 0,
    missingGroups: 0, missingReleases: 0, takeFailed: 0, releases: { created: 0, existed: 0, tooLong: 0 }, followUps: { updated: 0, inserted: 0, dropped: 0, skipped: 0, increments: 0 },
    perModel: Object.fromEntries(BUFFER_MODELS.map((m) => [m.name, { keys: 0, increments: {} }])) as DrainStats['perModel'],
    problems: [],
  };
}

export interface TakenItem {
  id: string;
  host: number;
  key: string;
  fields: RawFields;
}

export interface BatchDeps {
  db: Kysely<SentryDb>;
  redis: Redis[];
  routing: PartitionRouting;
  journal: DrainJournal;
  token: string;
  stats: DrainStats;
  ctx: ApplyContext;
}

export class BatchRunner {
  private batchNo = 0;
  /** Keys whose take failed, so a later pass over the same range counts and names each once. */
  private readonly failedKeys = new Set<string>();
  constructor(private readonly d: BatchDeps) {}

  /**
   * Lock and take a batch (sequential: the next ZRANGEBYSCORE must not see these keys again). Returns how many keys
   * were left where they were (locked by Sentry, not ours to take, or not takeable), for the caller's offset, how many
   * of those may be taken on a later pass (Sentry held their lock), and the work to finish.
   */
  async take(host: number, keys: string[], mode: 'pending' | 'orphan'): Promise<{ left: number; retryable: number; finish: () => Promise<void> }> {
    const { stats, routing, redis, token } = this.d;
    const batch = ++this.batchNo;
    stats.keysSeen += keys.length;
    let left = 0;
    const valid: string[] = [];
    for (const k of keys) {
      if (!BUFFER_KEY.test(k)) (stats.unrecognized++, left++, this.problem(k, 'not a Sentry buffer key name; left alone'));
      else if (routing.hostOf(k) !== host) (stats.misrouted++, left++, this.problem(k, `on host ${host} but Sentry routes it to host ${routing.hostOf(k)}; left alone`));
      else valid.push(k);
    }
    const byLockHost = group(valid, (k) => routing.lockHostOf(k));
    const got = new Set<string>();
    await Promise.all([...byLockHost].map(async ([lh, ks]) => {
      const ok = await lockKeys(redis[lh], ks, token);
      ks.forEach((k, i) => ok[i] && got.add(k));
    }));
    const locked = valid.filter((k) => got.has(k));
    stats.lockedSkipped += valid.length - locked.length;
    left += valid.length - locked.length;
    const unlock = () => Promise.all([...group(locked, (k) => routing.lockHostOf(k))].map(([lh, ks]) => unlockKeys(redis[lh], ks, token))).then(() => undefined);
    const items: TakenItem[] = [];
    try {
      const taken = await takeKeys(redis[host], locked, mode);
      taken.forEach((t, i) => {
        if (t.kind === 'taken') items.push({ id: `${batch}.${i}`, host, key: locked[i], fields: t.fields });
        else if (t.kind === 'empty') stats.empty++;
        else if (t.kind === 'listed') (stats.listedSkipped++, left++);
        else (left++, this.takeFailed(locked[i], t.message));
      });
      try {
        for (const it of items) this.d.journal.write({ t: 'take', id: it.id, host, key: it.key, fields: encodeFields(it.fields) });
        this.d.journal.sync();
      } catch (err) {
        // Nothing may be applied without its journal line: put the fields back where they came from, then stop.
        for (const it of items) await rebufferKey(redis[host], it.key, it.fields).catch(() => undefined);
        throw new RuntimeFailure(`cannot write the drain journal ${this.d.journal.path}: ${(err as Error).message}`,
          'the keys of this batch were put back into Redis; free space or fix --journal-dir, then run again');
      }
    } catch (err) {
      await unlock();
      throw err;
    }
    stats.taken += items.length;
    if (mode === 'orphan') stats.orphansTaken += items.length;
    return { left, retryable: valid.length - locked.length, finish: () => this.applyTaken(`u${batch}`, items).finally(unlock) };
  }

  /** take + finish in one go (tests, small runs). */
  async run(host: number, keys: string[], mode: 'pending' | 'orphan'): Promise<number> {
    const { left, finish } = await this.take(host, keys, mode);
    await finish();
    return left;
  }

  /** Decode and apply taken items; re-buffer what was rejected or failed. */
  async applyTaken(unit: string, items: TakenItem[]): Promise<void> {
    const { stats, journal } = this.d;
    const units: UnitItem[] = [];
    const back: { item: TakenItem; why: string }[] = [];
    for (const it of items) {
      const e = decodeEntry(it.key, it.fields);
      if (isRejection(e)) (stats.rejected++, back.push({ item: it, why: e.reason }));
      else units.push({ id: it.id, entry: e });
    }
    const r = await applyUnits(this.d.db, journal, unit, units, this.d.ctx);
    for (const u of units) {
      const res = r.results.get(u.id);
      if (res) this.count(u, res);
    }
    for (const { outcome, n } of r.followUps) {
      const k = outcome === 'missing-group' || outcome === 'missing-release' ? 'dropped' : outcome;
      stats.followUps[k]++;
      if (k === 'updated' || k === 'inserted') stats.followUps.increments += n;
      if (k === 'updated') stats.rowsUpdated++;
      if (k === 'inserted') stats.rowsInserted++;
    }
    for (const [id, why] of r.failed) {
      stats.dbFailed++;
      back.push({ item: items.find((i) => i.id === id)!, why: `database: ${why}` });
    }
    for (const id of r.uncertain) {
      stats.uncertain++;
      this.problem(items.find((i) => i.id === id)!.key, 'COMMIT failed: outcome unknown, kept in the journal for --replay');
    }
    if (back.length) await this.rebuffer(back);
    journal.sync();
  }

  private async rebuffer(back: { item: TakenItem; why: string }[]): Promise<void> {
    const { journal, redis, stats } = this.d;
    for (const b of back) journal.write({ t: 'rebuffer', ids: [b.item.id], reason: b.why });
    journal.sync();
    const done: string[] = [];
    for (const { item, why } of back) {
      try {
        await rebufferKey(redis[item.host], item.key, item.fields);
        done.push(item.id);
        stats.rebuffered++;
        this.problem(item.key, `re-buffered: ${why}`);
      } catch (e) {
        stats.uncertain++;
        this.problem(item.key, `re-buffer failed (${(e as Error).message}); raw fields are in the journal`);
      }
    }
    if (done.length) journal.write({ t: 'rebuffered', ids: done });
  }

  private count(u: UnitItem, res: ApplyResult): void {
    const s = this.d.stats;
    const m = s.perModel[u.entry.model.name];
    s.applied++;
    m.keys++;
    const counted = res.outcome === 'updated' || res.outcome === 'inserted';
    if (counted) for (const [c, n] of u.entry.counters) m.increments[c] = (BigInt(m.increments[c] ?? 0) + n).toString();
    if (res.outcome === 'updated') s.rowsUpdated++;
    else if (res.outcome === 'inserted') s.rowsInserted++;
    else if (res.outcome === 'dropped') s.dropped++;
    else if (res.outcome === 'missing-group') (s.missingGroups++, this.problem(u.entry.key, `group ${u.entry.filters[0][1]} does not exist; skipped (Sentry would insert a project-less group; see --insert-missing-groups)`));
    else if (res.outcome === 'missing-release') (s.missingReleases++, this.problem(u.entry.key, `release ${u.entry.filters[0][1]} does not exist; skipped (Sentry drops it too)`));
    if (res.followUp === 'skipped') s.followUps.skipped++;
    if (res.release === 'created') s.releases.created++;
    else if (res.release === 'exists') s.releases.existed++;
    else if (res.release === 'too-long') (s.releases.tooLong++, this.problem(u.entry.key, 'a sentry:release value longer than 64 characters: no release created (Sentry\'s own flush of it fails and loses the increment)'));
  }

  private takeFailed(key: string, message: string): void {
    if (this.failedKeys.has(key)) return;
    this.failedKeys.add(key);
    this.d.stats.takeFailed++;
    this.problem(key, /WRONGTYPE/.test(message)
      ? `not taken: it is not a hash (Redis: ${message}); left where it is, look at it with TYPE and remove or rename it by hand`
      : `not taken: ${message}; left where it is`);
  }

  private problem(key: string, what: string): void {
    if (this.d.stats.problems.length < 200) this.d.stats.problems.push({ key, what });
  }
}

function group<T>(xs: T[], by: (x: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of xs) (m.get(by(x)) ?? m.set(by(x), []).get(by(x))!).push(x);
  return m;
}
