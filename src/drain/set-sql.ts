/**
 * The set-based statements of the drain, one pair per engine (apply-set.ts decides what goes through them):
 *   lockTargets   which row each entry's filters match, locked FOR UPDATE, one statement per table;
 *   updateRows    one UPDATE for many rows of one shape (the same SET columns), by id.
 *
 * PostgreSQL: the entries travel as arrays (`unnest`), so a statement has one parameter per column, whatever
 * the batch size. UPDATE … FROM evaluates every SET expression on the old row, as Sentry's single UPDATE does, so
 * the score keeps its own text.
 *
 * MySQL/MariaDB: the lookup is a UNION ALL of the per-key WHERE clauses, each branch locking its rows (a trailing
 * FOR UPDATE would lock only the last branch on MariaDB): the comparisons are the very ones of the per-key UPDATE,
 * in the column's collation (a case-insensitive match finds the same row, so duplicates show up by id). The UPDATE
 * is single-table, `col = CASE id WHEN … THEN … END`: a multi-table UPDATE does not promise an assignment order.
 * Its assignments come in Sentry's own SET order (Assignments.order: CPython 2.7's dict order, py27-dict.ts) and the
 * score keeps its own text, so MySQL's left-to-right evaluation gives each row what Sentry's UPDATE gives it: rows of
 * one statement share that order (shapeOf).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Assignments, num } from './apply-entry.js';
import type { BufferModel } from './buffer-models.js';
import type { EngineSql } from './score-sql.js';

/** An entry to look up: its position, and its (non-null) filter values in model.filters order. */
export interface Target {
  i: number;
  filters: string[];
}

export type RowId = string | number;

const TEXT_FILTERS = new Set(['key', 'value']);
/** PostgreSQL array type of each plain assigned column (counters are int8[], last_seen timestamptz[]). */
const PG_VALUE_TYPES: Record<string, string> = { message: 'text[]', level: 'int4[]', view: 'text[]', data: 'text[]' };
const MYSQL_BRANCHES = 500;

/**
 * [entry position, row id] for every row the targets' filters match, locked in target order. PostgreSQL takes the
 * lock an UPDATE of non-key columns takes (FOR NO KEY UPDATE), which a concurrent foreign-key check's KEY SHARE
 * (a tag value inserted for this group by another unit) does not wait for; FOR UPDATE would.
 */
export async function lockTargets(trx: Kysely<any>, engine: EngineSql['engine'], model: BufferModel, targets: Target[]): Promise<[number, RowId][]> {
  if (!targets.length) return [];
  const t = sql.table(model.table);
  if (engine === 'postgres') {
    const arrays = model.filters.map((f, k) => sql`${targets.map((x) => x.filters[k])}::${sql.raw(TEXT_FILTERS.has(f) ? 'text[]' : 'int8[]')}`);
    const names = model.filters.map((_, k) => sql.id(`f${k}`));
    const on = model.filters.map((f, k) => sql`t.${sql.ref(f)} = v.${sql.id(`f${k}`)}`);
    const r = await sql<{ i: number; id: RowId }>`
      SELECT v.i, t.id FROM unnest(${targets.map((x) => x.i)}::int4[], ${sql.join(arrays)}) AS v(i, ${sql.join(names)})
      JOIN ${t} AS t ON ${sql.join(on, sql` AND `)}
      ORDER BY v.i FOR NO KEY UPDATE OF t`.execute(trx);
    return r.rows.map((x) => [Number(x.i), x.id]);
  }
  const out: [number, RowId][] = [];
  for (let s = 0; s < targets.length; s += MYSQL_BRANCHES) {
    const branches = targets.slice(s, s + MYSQL_BRANCHES).map((x) => {
      const where = model.filters.map((f, k) => sql`${sql.ref(f)} = ${x.filters[k]}`);
      return sql`(SELECT ${x.i} AS i, id FROM ${t} WHERE ${sql.join(where, sql` AND `)} FOR UPDATE)`;
    });
    const r = await sql<{ i: number; id: RowId }>`${sql.join(branches, sql` UNION ALL `)}`.execute(trx);
    for (const x of r.rows) out.push([Number(x.i), x.id]);
  }
  return out;
}

/** A row to update and what to assign; every row of one call has the same shape (shapeOf). */
export interface RowUpdate {
  id: RowId;
  a: Assignments;
}

/** The SET columns of an entry, as a key: rows of one shape go into one UPDATE. */
export function shapeOf(a: Assignments): string {
  return JSON.stringify(a.order);
}

/** UPDATE the rows (all of one shape, already locked); returns how many rows the server says it matched. */
export async function updateRows(trx: Kysely<any>, es: EngineSql, model: BufferModel, rows: RowUpdate[]): Promise<number> {
  const a0 = rows[0].a;
  const counterCols = a0.counters.map(([c]) => c).sort();
  const counter = (r: RowUpdate, c: string) => num(r.a.counters.find(([x]) => x === c)![1]);
  const value = (r: RowUpdate, k: number) => r.a.values[k][1];
  const t = sql.table(model.table);
  if (es.engine === 'postgres') {
    const cols: [string, RawBuilder<unknown>][] = [['_id', sql`${rows.map((r) => r.id)}::int8[]`]];
    const set: RawBuilder<unknown>[] = [];
    counterCols.forEach((c, k) => {
      cols.push([`c${k}`, sql`${rows.map((r) => counter(r, c))}::int8[]`]);
      set.push(sql`${sql.ref(c)} = t.${sql.ref(c)} + v.${sql.id(`c${k}`)}`);
    });
    a0.values.forEach(([c], k) => {
      cols.push([`x${k}`, sql`${rows.map((r) => value(r, k))}::${sql.raw(PG_VALUE_TYPES[c])}`]);
      set.push(sql`${sql.ref(c)} = v.${sql.id(`x${k}`)}`);
    });
    if (a0.score) set.push(sql`score = ${es.score}`);
    if (a0.lastSeen !== undefined) {
      cols.push(['ls', sql`${rows.map((r) => r.a.lastSeen!)}::timestamptz[]`]);
      set.push(sql`last_seen = v.ls`);
    }
    const r = await sql`
      UPDATE ${t} AS t SET ${sql.join(set)}
      FROM unnest(${sql.join(cols.map(([, arr]) => arr))}) AS v(${sql.join(cols.map(([n]) => sql.id(n)))})
      WHERE t.id = v._id`.execute(trx);
    return Number(r.numAffectedRows ?? 0);
  }
  const byId = (vals: unknown[]) => sql`CASE id ${sql.join(rows.map((r, k) => sql`WHEN ${r.id} THEN ${vals[k]}`), sql` `)} END`;
  const set = a0.order.map((c) => {
    if (counterCols.includes(c)) return sql`${sql.ref(c)} = ${sql.ref(c)} + ${byId(rows.map((r) => counter(r, c)))}`;
    if (c === 'score') return sql`score = ${es.score}`;
    if (c === 'last_seen') return sql`last_seen = ${byId(rows.map((r) => r.a.lastSeen!))}`;
    const k = a0.values.findIndex(([x]) => x === c);
    return sql`${sql.ref(c)} = ${byId(rows.map((r) => value(r, k)))}`;
  });
  const r = await sql`UPDATE ${t} SET ${sql.join(set)} WHERE id IN (${sql.join(rows.map((r) => r.id))})`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}
