/**
 * Apply decoded entries in database transactions ("units") with the journal protocol that lets a replay tell
 * what committed: the intent line (ids + PostgreSQL txid where checkable) is fsynced before COMMIT, the commit
 * line written after it. A unit that fails before COMMIT was rolled back; one that fails DURING COMMIT is
 * "uncertain" and its keys are neither re-buffered nor applied again here (replay asks the database).
 *
 * Fast path: the whole batch in one transaction. If any statement fails, the batch is rolled back and retried
 * one key per transaction, so one bad key cannot hold back the others; keys that still fail are re-buffered.
 */
import { type Kysely, sql } from 'kysely';
import { type ApplyContext, type ApplyResult, type FollowUp, type Outcome, applyEntry, applyFollowUps } from './apply-entry.js';
import type { BufferEntry } from './decode-entry.js';
import type { DrainJournal, TxRef } from './drain-journal.js';

export interface UnitItem {
  id: string;
  entry: BufferEntry;
}

export interface UnitsResult {
  results: Map<string, ApplyResult>;
  /** Outcomes of the merged TagKey / GroupTagKey follow-up rows. */
  followUps: { outcome: Outcome; n: number }[];
  failed: Map<string, string>;
  uncertain: string[];
}

class CommitUncertain extends Error {}

export async function applyUnits(
  db: Kysely<any>, journal: DrainJournal, unit: string, items: UnitItem[], ctx: ApplyContext,
): Promise<UnitsResult> {
  const out: UnitsResult = { results: new Map(), followUps: [], failed: new Map(), uncertain: [] };
  if (!items.length) return out;
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await runUnit(db, journal, attempt === 1 ? unit : `${unit}~${attempt}`, items, ctx);
      for (const [id, x] of r.results) out.results.set(id, x);
      out.followUps.push(...r.followUps);
      return out;
    } catch (err) {
      if (err instanceof CommitUncertain) {
        out.uncertain.push(...items.map((i) => i.id));
        return out;
      }
      if (isTransient(err) && attempt < 3) continue; // a deadlock with a concurrent batch (or Sentry): try again
      if (items.length === 1) {
        out.failed.set(items[0].id, message(err));
        return out;
      }
      break;
    }
  }
  for (const [n, item] of items.entries()) {
    try {
      const r = await runUnit(db, journal, `${unit}.${n}`, [item], ctx);
      out.results.set(item.id, r.results.get(item.id)!);
      out.followUps.push(...r.followUps);
    } catch (err) {
      if (err instanceof CommitUncertain) out.uncertain.push(item.id);
      else out.failed.set(item.id, message(err));
    }
  }
  return out;
}

async function runUnit(
  db: Kysely<any>, journal: DrainJournal, unit: string, items: UnitItem[], ctx: ApplyContext,
): Promise<{ results: Map<string, ApplyResult>; followUps: { outcome: Outcome; n: number }[] }> {
  const results = new Map<string, ApplyResult>();
  let followUps: { outcome: Outcome; n: number }[] = [];
  let committing = false;
  try {
    await db.transaction().execute(async (trx) => {
      let tx: TxRef = { none: true };
      if (ctx.engineSql.engine === 'postgres') {
        // Sentry's FKs are DEFERRABLE INITIALLY DEFERRED; Django committed each insert on its own, so a bad FK
        // surfaced at that insert. Checking immediately gives the same per-insert IntegrityError here.
        await sql`SET CONSTRAINTS ALL IMMEDIATE`.execute(trx);
        if (ctx.engineSql.txStatus) {
          const r = await sql<{ x: string }>`SELECT txid_current()::text AS x`.execute(trx);
          tx = { pg_txid: r.rows[0].x };
        }
      }
      // One order for every unit (table, then key) so concurrent units take row locks in the same order.
      const ordered = [...items].sort((a, b) => cmp(a.entry.model.table, b.entry.model.table) || cmp(a.entry.key, b.entry.key));
      const ups: FollowUp[] = [];
      for (const item of ordered) {
        const r = await applyEntry(trx, item.entry, ctx);
        results.set(item.id, r);
        if (r.followUp && r.followUp !== 'skipped') ups.push(r.followUp);
      }
      followUps = await applyFollowUps(trx, ups, ctx);
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

/** Deadlock, serialization failure, lock wait timeout: the transaction was rolled back and may simply be retried. */
function isTransient(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.code === '40P01' || e?.code === '40001' || e?.errno === 1213 || e?.errno === 1205;
}

function message(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return e?.message || e?.code || String(err);
}
