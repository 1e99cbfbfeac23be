/**
 * PostgreSQL side of src/db/buffer-sql.ts.
 *
 * Score: PostgreSQL >= 12 has no `abstime`. A timestamptz → abstime cast drops the fraction of a second (abstime is
 * whole seconds since the epoch), so `floor(extract(epoch from last_seen))::int` is the same integer for every date
 * abstime could hold; the rest of the expression (double * 600 + int, rounded into the integer column) is unchanged.
 *
 * lockTargets / updateRows: the entries travel as arrays (`unnest`), so a statement has one parameter per column,
 * whatever the batch size. UPDATE … FROM evaluates every SET expression on the old row, as Sentry's single UPDATE
 * does, so the score keeps its own text.
 */
import { type RawBuilder, sql } from 'kysely';
import { type BufferSql, type RowId, counterOf } from '../buffer-sql.js';

const SCORE = {
  abstime: 'log(times_seen) * 600 + last_seen::abstime::int',
  epoch: 'log(times_seen) * 600 + floor(extract(epoch from last_seen))::int',
} as const;

const TEXT_FILTERS = new Set(['key', 'value']);
/** PostgreSQL array type of each plain assigned column (counters are int8[], last_seen timestamptz[]). */
const VALUE_TYPES: Record<string, string> = { message: 'text[]', level: 'int4[]', view: 'text[]', data: 'text[]' };

export const postgresBufferSql: BufferSql = {
  async detectScore(db) {
    const notes: string[] = [];
    const r = await sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`.execute(db);
    const v = Number(r.rows[0].v);
    const text = v < 120000 ? SCORE.abstime : SCORE.epoch;
    if (v >= 120000) notes.push('score: PostgreSQL >= 12 has no abstime; using floor(extract(epoch ...)), the same integer');
    return { score: sql.raw<number>(text), scoreText: text, txStatus: v >= 100000, notes };
  },

  async beginUnit(trx, txStatus) {
    // Sentry's FKs are DEFERRABLE INITIALLY DEFERRED; Django committed each insert on its own, so a bad FK
    // surfaced at that insert. Checking immediately gives the same per-insert IntegrityError here.
    await sql`SET CONSTRAINTS ALL IMMEDIATE`.execute(trx);
    if (!txStatus) return { none: true };
    const r = await sql<{ x: string }>`SELECT txid_current()::text AS x`.execute(trx);
    return { pg_txid: r.rows[0].x };
  },

  async transactionStatus(db, tx) {
    if (!('pg_txid' in tx)) return null;
    const r = await sql<{ s: string | null }>`SELECT txid_status(${tx.pg_txid}::bigint) AS s`.execute(db);
    return r.rows[0].s;
  },

  time: (t) => t.pg,

  isIntegrityError(err) {
    const code = (err as { code?: string })?.code;
    return typeof code === 'string' && code.startsWith('23');
  },

  async releaseSavepoint(trx, name) {
    await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(trx);
  },

  async insertRelease(trx, row) {
    // a null project_id reaches the server, which refuses it as it refused Sentry's (an IntegrityError)
    return (await trx.insertInto('sentry_release').values({ ...row, project_id: row.project_id! }).returning('id').executeTakeFirstOrThrow()).id;
  },

  // psycopg2 (Python 2) hands back an int for an id that fits one: pickled `I…`, as Sentry's would be
  pythonId: (id) => Number(id),

  /**
   * PostgreSQL takes the lock an UPDATE of non-key columns takes (FOR NO KEY UPDATE), which a concurrent foreign-key
   * check's KEY SHARE (a tag value inserted for this group by another unit) does not wait for; FOR UPDATE would.
   */
  async lockTargets(trx, model, targets) {
    if (!targets.length) return [];
    const arrays = model.filters.map((f, k) => sql`${targets.map((x) => x.filters[k])}::${sql.raw(TEXT_FILTERS.has(f) ? 'text[]' : 'int8[]')}`);
    const names = model.filters.map((_, k) => sql.id(`f${k}`));
    const on = model.filters.map((f, k) => sql`t.${sql.ref(f)} = v.${sql.id(`f${k}`)}`);
    const r = await sql<{ i: number; id: RowId }>`
      SELECT v.i, t.id FROM unnest(${targets.map((x) => x.i)}::int4[], ${sql.join(arrays)}) AS v(i, ${sql.join(names)})
      JOIN ${sql.table(model.table)} AS t ON ${sql.join(on, sql` AND `)}
      ORDER BY v.i FOR NO KEY UPDATE OF t`.execute(trx);
    return r.rows.map((x) => [Number(x.i), x.id]);
  },

  async updateRows(trx, score, model, rows) {
    const a0 = rows[0].a;
    const cols: [string, RawBuilder<unknown>][] = [['_id', sql`${rows.map((r) => r.id)}::int8[]`]];
    const set: RawBuilder<unknown>[] = [];
    a0.counters.map(([c]) => c).sort().forEach((c, k) => {
      cols.push([`c${k}`, sql`${rows.map((r) => counterOf(r, c))}::int8[]`]);
      set.push(sql`${sql.ref(c)} = t.${sql.ref(c)} + v.${sql.id(`c${k}`)}`);
    });
    a0.values.forEach(([c], k) => {
      cols.push([`x${k}`, sql`${rows.map((r) => r.a.values[k][1])}::${sql.raw(VALUE_TYPES[c])}`]);
      set.push(sql`${sql.ref(c)} = v.${sql.id(`x${k}`)}`);
    });
    if (a0.score) set.push(sql`score = ${score}`);
    if (a0.lastSeen !== undefined) {
      cols.push(['ls', sql`${rows.map((r) => r.a.lastSeen!)}::timestamptz[]`]);
      set.push(sql`last_seen = v.ls`);
    }
    const r = await sql`
      UPDATE ${sql.table(model.table)} AS t SET ${sql.join(set)}
      FROM unnest(${sql.join(cols.map(([, arr]) => arr))}) AS v(${sql.join(cols.map(([n]) => sql.id(n)))})
      WHERE t.id = v._id`.execute(trx);
    return Number(r.numAffectedRows ?? 0);
  },
};
