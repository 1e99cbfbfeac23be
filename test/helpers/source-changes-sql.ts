/**
 * Set-based writes for the live-source simulator (source-changes.ts), on both engines through a
 * `Connection`: multi-row inserts, and "add these deltas to these rows" as one UPDATE joined to a
 * list of values per batch (PostgreSQL `UPDATE … FROM (VALUES …)`, MySQL `UPDATE … JOIN (SELECT …
 * UNION ALL …)`). Never a statement per row.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Connection } from '../../src/db/connect.js';

/** Rows inserted, updated and deleted per table by one simulated change. */
export type Changes = Record<string, { inserted: number; updated: number; deleted: number }>;

export function count(changes: Changes, table: string, kind: 'inserted' | 'updated' | 'deleted', n: number | bigint | undefined): void {
  const c = (changes[table] ??= { inserted: 0, updated: 0, deleted: 0 });
  c[kind] += Number(n ?? 0);
}

/** Add `b` into `a`, table by table. */
export function mergeChanges(a: Changes, b: Changes): Changes {
  for (const [t, c] of Object.entries(b)) for (const k of ['inserted', 'updated', 'deleted'] as const) count(a, t, k, c[k]);
  return a;
}

/** Multi-row INSERTs of `batch` rows each (ids given, or left to the table's sequence / AUTO_INCREMENT). */
export async function insertRows(conn: Connection, table: string, rows: Record<string, unknown>[], batch = 500): Promise<number> {
  for (let i = 0; i < rows.length; i += batch) await conn.db.insertInto(table).values(rows.slice(i, i + batch)).execute();
  return rows.length;
}

export interface RowDelta {
  id: string;
  /** Added to the `add` columns, in their order. */
  add: number[];
  /** The `latest` column becomes this when it is NULL or older. */
  latest?: Date;
}

/**
 * `SET col = col + delta` for each `add` column and `latest = max(latest, value)` on the rows by id,
 * one statement per `batch` rows; returns the rows updated. This is what Sentry's buffer flush
 * does to each counter row (`buffer/base.py` `Buffer.process`: `F(col) + value`, plus `extra`
 * columns set, here the later `last_seen`).
 */
export async function addToRows(
  conn: Connection, table: string, addCols: string[], latestCol: string | null, rows: RowDelta[], batch = 1000,
): Promise<number> {
  let updated = 0;
  const pg = conn.engine === 'postgres';
  const int = sql.raw(pg ? 'bigint' : 'SIGNED');
  const time = sql.raw(pg ? 'timestamptz' : 'DATETIME');
  const names = ['id', ...addCols.map((_, i) => `a${i}`), ...(latestCol ? ['l'] : [])];
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const tuples = part.map((r) => [
      sql`CAST(${r.id} AS ${int})`, ...r.add.map((a) => sql`CAST(${a} AS ${int})`),
      ...(latestCol ? [sql`CAST(${r.latest ?? null} AS ${time})`] : []),
    ]);
    const sets = addCols.map((c, k) => sql`${sql.ref(c)} = t.${sql.ref(c)} + v.${sql.ref(`a${k}`)}`);
    if (latestCol) {
      const l = sql.ref(latestCol);
      sets.push(sql`${l} = CASE WHEN t.${l} IS NULL OR t.${l} < v.l THEN v.l ELSE t.${l} END`);
    }
    let q: RawBuilder<unknown>;
    if (pg) {
      const values = sql.join(tuples.map((t) => sql`(${sql.join(t)})`));
      q = sql`UPDATE ${sql.table(table)} AS t SET ${sql.join(sets)} FROM (VALUES ${values}) AS v(${sql.join(names.map((n) => sql.ref(n)))}) WHERE t.id = v.id`;
    } else {
      const selects = tuples.map((t, j) => (j === 0 ? sql`SELECT ${sql.join(t.map((x, k) => sql`${x} AS ${sql.ref(names[k])}`))}` : sql`SELECT ${sql.join(t)}`));
      // MySQL qualifies SET targets by the table alias.
      const mySets = sets.map((s) => sql`t.${s}`);
      q = sql`UPDATE ${sql.table(table)} AS t JOIN (${sql.join(selects, sql` UNION ALL `)}) AS v ON t.id = v.id SET ${sql.join(mySets)}`;
    }
    const r = await q.execute(conn.db);
    updated += Number(r.numAffectedRows ?? 0);
  }
  return updated;
}

/**
 * `Group.score` from the row's own times_seen and last_seen, as `event_manager.py` `ScoreClause.calculate`
 * (`log(times_seen) * 600 + last_seen` in epoch seconds, natural log) and the seed (`seed-issue-rows.ts`) compute it.
 */
export function scoreSql(conn: Connection): RawBuilder<number> {
  return conn.engine === 'postgres'
    ? sql<number>`TRUNC(LN(times_seen) * 600 + EXTRACT(EPOCH FROM last_seen))`
    : sql<number>`TRUNCATE(LN(times_seen) * 600 + UNIX_TIMESTAMP(last_seen), 0)`;
}

export function score(timesSeen: number, lastSeen: Date): number {
  return Math.trunc(Math.log(timesSeen) * 600 + Math.floor(lastSeen.getTime() / 1000));
}

/** Recompute the score of these groups after their counters moved (one statement per 1000 ids). */
export async function rescore(conn: Connection, ids: string[]): Promise<void> {
  await forSlices(ids, (slice) => conn.db.updateTable('sentry_groupedmessage').set({ score: scoreSql(conn) }).where('id', 'in', slice).execute());
}

/** The latest event's datetime: the simulated Sentry's "now" (the seed's events end just before its SEED_NOW). */
export async function latestEventTime(conn: Connection): Promise<Date> {
  const r = await conn.db.selectFrom('sentry_message').select((eb) => eb.fn.max('datetime').as('t')).executeTakeFirst();
  return r?.t ? new Date(r.t as Date) : new Date(Date.UTC(2015, 8, 1, 12));
}

/** Run `fn` on slices of 1000 values (for `col IN (…)` lists). */
export async function forSlices<V>(values: readonly V[], fn: (slice: V[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) await fn(values.slice(i, i + 1000));
}

/** `SELECT … WHERE col IN (…)` in slices of 1000 values, the rows concatenated. */
export async function selectIn<T, V>(values: readonly V[], fn: (slice: V[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  await forSlices(values, async (slice) => out.push(...(await fn(slice))));
  return out;
}
