/**
 * Apply decoded entries in database transactions ("units") with the journal protocol that lets a replay tell
 * what committed: the intent line (ids + PostgreSQL txid where checkable) is fsynced before COMMIT, the commit
 * line written after it. A unit that fails before COMMIT was rolled back; one that fails DURING COMMIT is
 * "uncertain" and its keys are neither re-buffered nor applied again here (replay asks the database).
 *
 * Fast path: the whole batch in one transaction. If any statement fails, the batch is rolled back and retried in
 * halves, and halves of those, so one bad key cannot hold back the others (about 2·log2(n) transactions for one bad
 * key among n, not n); keys that still fail alone are re-buffered.
 */
import type { Kysely } from 'kysely';
import { isTransient } from '../db/errors.js';
import type { SentryDb } from '../db/sentry-db.js';
import { type ApplyContext, type ApplyResult, type FollowUp, type Outcome, applyEntry, applyFollowUps } from './apply-entry.js';
import { applySet } from './apply-set.js';
import type { DrainJournal } from './drain-journal.js';
import type { UnitItem, UnitsResult } from './units.js';

export type { UnitItem, UnitsResult };

class CommitUncertain extends Error {}

export async function applyUnits(
  db: Kysely<SentryDb>, journal: DrainJournal, unit: string, items: UnitItem[], ctx: ApplyContext,
): Promise<UnitsResult> {
  const out: UnitsResult = { results: new Map(), followUps: [], failed: new Map(), uncertain: [] };
  if (!items.length) return out;
  const attempt = async (name: string, part: UnitItem[]): Promise<void> => {
    try {
      const r = await withRetry(() => runUnit(db, journal, name, part, ctx));
      for (const [id, x] of r.results) out.results.set(id, x);
      out.followUps.push(...r.followUps);
      return;
    } catch (err) {
      if (err instanceof CommitUncertain) return void out.uncertain.push(...part.map((i) => i.id));
      if (part.length === 1) return void out.failed.set(part[0].id, message(err));
    }
    // A key the database refuses fails its whole unit: halve until it stands alone, and the rest still commits.
    const half = Math.ceil(part.length / 2);
    await attempt(`${name}.0`, part.slice(0, half));
    await attempt(`${name}.1`, part.slice(half));
  };
  await attempt(unit, items);
  return out;
}

/** A deadlock with a concurrent batch (or with Sentry) rolled the transaction back: try again, a little later. */
async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await run();
    } catch (err) {
      if (!isTransient(err) || n >= 5) throw err;
      await new Promise((r) => setTimeout(r, 10 * n + Math.random() * 40 * n));
    }
  }
}

async function runUnit(
  db: Kysely<SentryDb>, journal: DrainJournal, unit: string, items: UnitItem[], ctx: ApplyContext,
): Promise<{ results: Map<string, ApplyResult>; followUps: { outcome: Outcome; n: number }[] }> {
  const results = new Map<string, ApplyResult>();
  let followUps: { outcome: Outcome; n: number }[] = [];
  let committing = false;
  try {
    // READ COMMITTED (PostgreSQL's default; MySQL's is REPEATABLE READ): an UPDATE that finds no row then takes no
    // gap lock, as Sentry's autocommit UPDATE held none past its statement, so concurrent inserts do not deadlock.
    await db.transaction().setIsolationLevel('read committed').execute(async (trx) => {
      const tx = await ctx.engineSql.dialect.beginUnit(trx, ctx.engineSql.txStatus);
      if (ctx.perKey) {
        // One order for every unit (table, then key) so concurrent units take row locks in the same order.
        const ordered = [...items].sort((a, b) => cmp(a.entry.model.table, b.entry.model.table) || cmp(a.entry.key, b.entry.key));
        const ups: FollowUp[] = [];
        for (const item of ordered) {
          const r = await applyEntry(trx, item.entry, ctx);
          results.set(item.id, r);
          if (r.followUp && r.followUp !== 'skipped') ups.push(r.followUp);
        }
        followUps = await applyFollowUps(trx, ups, ctx);
      } else {
        const r = await applySet(trx, items, ctx);
        for (const [id, x] of r.results) results.set(id, x);
        followUps = r.followUps;
      }
      journal.write({ t: 'intent', unit, ids: items.map((i) => i.id), tx });
      journal.sync();
      committing = true;
    });
  } catch (err) {
    if (committing) throw new CommitUncertain(message(err));
    throw err;
  }
  journal.write({ t: 'commit', unit });
  return { results, followUps };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function message(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return e?.message || e?.code || String(err);
}
