/**
 * `create_or_update` for a whole unit with a few statements per table instead of a few per key, with the
 * outcomes of applying the entries one by one in (table, key) order (apply-entry.ts, the reference):
 *   1. per table: lock the rows the entries target (BufferSql.lockTargets in src/db/{mysql,postgres}/buffer-sql.ts, in key order);
 *   2. rows matched by exactly one entry: one UPDATE per shape (the same SET columns), by id;
 *   3. entries that matched nothing: one multi-row INSERT in a savepoint; on an integrity error it is split in
 *      halves, and a failing piece of a few rows goes through the per-key path, still in key order, so a row
 *      inserted by an earlier key is updated by a later one exactly as one-by-one would do it;
 *   4. one by one, as before: entries with a NULL filter (`IS NULL` may match several rows), entries whose row
 *      another entry of the unit also targets (the same filters, or the same row found by the server's
 *      comparison, e.g. a case-insensitive collation), and entries that assign nothing (Django runs no UPDATE).
 *      Those rows are no other entry's, so doing them last changes nothing.
 * Then the TagKey / GroupTagKey follow-ups of created tag values, merged per row as before, go through the same
 * steps. `ApplyContext.perKey` keeps the one-by-one path (tests compare the two).
 */
import { type Kysely, sql } from 'kysely';
import { type Assignments, type RowId, bufferRows } from '../db/buffer-sql.js';
import type { SentryDb } from '../db/sentry-db.js';
import {
  type ApplyContext, type ApplyResult, type FollowUp, type InsertRow, applyEntry, assignmentsOf, followUpEntries, insertRowOf, resultOf,
} from './apply-entry.js';
import type { BufferEntry } from './decode-entry.js';
import { ensureRelease, wantsRelease } from './release-receiver.js';
import type { UnitItem, UnitsResult } from './units.js';

export type SetResult = Pick<UnitsResult, 'results' | 'followUps'>;

/** A failing INSERT of this many rows or fewer is not split further: its entries go one by one. */
const SPLIT_FLOOR = 4;

export async function applySet(trx: Kysely<SentryDb>, items: UnitItem[], ctx: ApplyContext): Promise<SetResult> {
  const results = new Map<string, ApplyResult>();
  const ordered = [...items].sort((a, b) => cmp(a.entry.model.table, b.entry.model.table) || cmp(a.entry.key, b.entry.key));
  const ups: FollowUp[] = [];
  for (const part of runsOf(ordered, (it) => it.entry.model.table)) {
    const out = await applyTable(trx, part.map((it) => it.entry), ctx);
    part.forEach((it, k) => {
      results.set(it.id, out[k]);
      const up = out[k].followUp;
      if (up && up !== 'skipped') ups.push(up);
    });
  }
  const followUps: SetResult['followUps'] = [];
  for (const part of runsOf(followUpEntries(ups), (f) => f.entry.model.table)) {
    const out = await applyTable(trx, part.map((f) => f.entry), ctx);
    part.forEach((f, k) => followUps.push({ outcome: out[k].outcome.startsWith('missing') ? 'dropped' : out[k].outcome, n: f.n }));
  }
  return { results, followUps };
}

/** Entries of one table, sorted by key; returns their results in the same order. */
async function applyTable(trx: Kysely<SentryDb>, entries: BufferEntry[], ctx: ApplyContext): Promise<ApplyResult[]> {
  const model = entries[0].model;
  const out: ApplyResult[] = new Array(entries.length);
  const assign = entries.map((e) => assignmentsOf(e, ctx));
  const oneByOne = new Set<number>();
  const byFilters = new Map<string, number[]>();
  entries.forEach((e, i) => {
    if (e.filters.some(([, v]) => v === null) || isEmpty(assign[i])) return oneByOne.add(i);
    const id = JSON.stringify(e.filters.map(([, v]) => v));
    (byFilters.get(id) ?? byFilters.set(id, []).get(id)!).push(i);
  });
  for (const is of byFilters.values()) if (is.length > 1) is.forEach((i) => oneByOne.add(i));

  const targets = entries.flatMap((e, i) => (oneByOne.has(i) ? [] : [{ i, filters: e.filters.map(([, v]) => v!) }]));
  const hits = await ctx.engineSql.dialect.lockTargets(trx, model, targets);
  const rowsOf = new Map<number, RowId[]>();
  const entriesOf = new Map<string, number[]>();
  for (const [i, id] of hits) {
    (rowsOf.get(i) ?? rowsOf.set(i, []).get(i)!).push(id);
    const k = String(id);
    (entriesOf.get(k) ?? entriesOf.set(k, []).get(k)!).push(i);
  }
  for (const is of entriesOf.values()) if (is.length > 1) is.forEach((i) => oneByOne.add(i));
  for (const [i, ids] of rowsOf) if (ids.length > 1) oneByOne.add(i);

  const matched = targets.filter((x) => !oneByOne.has(x.i) && rowsOf.has(x.i)).map((x) => x.i);
  for (const part of groupsOf(matched, (i) => shapeOf(assign[i]))) {
    const n = await ctx.engineSql.dialect.updateRows(trx, ctx.engineSql.score, model, part.map((i) => ({ id: rowsOf.get(i)![0], a: assign[i] })));
    if (n !== part.length) throw new Error(`${model.table}: ${part.length} locked rows to update, the server matched ${n}`);
    for (const i of part) out[i] = resultOf(entries[i], 'updated');
  }

  const misses: { i: number; row: InsertRow }[] = [];
  for (const x of targets) {
    if (oneByOne.has(x.i) || rowsOf.has(x.i)) continue;
    const row = insertRowOf(entries[x.i], ctx);
    if (row) misses.push({ i: x.i, row });
    else out[x.i] = resultOf(entries[x.i], 'missing');
  }
  await insertOrSplit(trx, ctx, entries, misses, out);

  for (const i of [...oneByOne].sort((a, b) => a - b)) out[i] = await applyEntry(trx, entries[i], ctx);
  return out;
}

/** INSERT the missed rows at once; on an integrity error split, and below SPLIT_FLOOR rows go one by one. */
async function insertOrSplit(
  trx: Kysely<SentryDb>, ctx: ApplyContext, entries: BufferEntry[], misses: { i: number; row: InsertRow }[], out: ApplyResult[],
): Promise<void> {
  if (!misses.length) return;
  const { dialect } = ctx.engineSql;
  await sql`SAVEPOINT sa_drain_set_insert`.execute(trx);
  try {
    await bufferRows(trx).insertInto(entries[0].model.table).values(misses.map((m) => m.row)).execute();
    await dialect.releaseSavepoint(trx, 'sa_drain_set_insert');
    for (const m of misses) {
      out[m.i] = resultOf(entries[m.i], 'inserted');
      // Sentry's post_save receiver for each created row, in key order as one by one (release-receiver.ts)
      if (wantsRelease(entries[m.i])) out[m.i].release = await ensureRelease(trx, entries[m.i], String(m.row.first_seen), ctx.engineSql);
    }
    return;
  } catch (err) {
    if (!dialect.isIntegrityError(err)) throw err;
    await sql`ROLLBACK TO SAVEPOINT sa_drain_set_insert`.execute(trx);
    await dialect.releaseSavepoint(trx, 'sa_drain_set_insert');
  }
  if (misses.length <= SPLIT_FLOOR) {
    for (const m of misses) out[m.i] = await applyEntry(trx, entries[m.i], ctx);
    return;
  }
  const half = Math.ceil(misses.length / 2);
  await insertOrSplit(trx, ctx, entries, misses.slice(0, half), out);
  await insertOrSplit(trx, ctx, entries, misses.slice(half), out);
}

/** The SET columns of an entry, as a key: rows of one shape go into one UPDATE (their assignments share an order). */
function shapeOf(a: Assignments): string {
  return JSON.stringify(a.order);
}

/** Django's update() with no values runs no query and reports 0 rows: such an entry always goes to the insert. */
function isEmpty(a: Assignments): boolean {
  return !a.counters.length && !a.values.length && !a.score && a.lastSeen === undefined;
}

/** Consecutive runs of equal `by` (the input is sorted by it). */
function runsOf<T>(xs: T[], by: (x: T) => string): T[][] {
  const out: T[][] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && by(last[0]) === by(x)) last.push(x);
    else out.push([x]);
  }
  return out;
}

/** Groups in first-seen order, each in input order. */
function groupsOf<T>(xs: T[], by: (x: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const x of xs) (m.get(by(x)) ?? m.set(by(x), []).get(by(x))!).push(x);
  return [...m.values()];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
