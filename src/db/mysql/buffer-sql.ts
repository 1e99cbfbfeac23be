/**
 * MySQL/MariaDB side of src/db/buffer-sql.ts.
 *
 * Score: MySQL's unix_timestamp() reads a DATETIME in the SESSION time zone. Django 1.6 never sets one, so Sentry's
 * sessions use the server's global zone, while ours run at +00:00. When the global zone is not UTC we convert from it
 * explicitly, which gives the number Sentry's own flush would write.
 *
 * lockTargets: a UNION ALL of the per-key WHERE clauses, each branch locking its rows (a trailing FOR UPDATE would
 * lock only the last branch on MariaDB): the comparisons are the very ones of the per-key UPDATE, in the column's
 * collation (a case-insensitive match finds the same row, so duplicates show up by id).
 * updateRows: single-table, `col = CASE id WHEN … THEN … END`: a multi-table UPDATE does not promise an assignment
 * order. Its assignments come in Sentry's own SET order (Assignments.order) and the score keeps its own text, so
 * MySQL's left-to-right evaluation gives each row what Sentry's UPDATE gives it: rows of one statement share that order.
 */
import { sql } from 'kysely';
import { type BufferSql, type RowId, counterOf } from '../buffer-sql.js';

const SCORE = {
  plain: 'log(times_seen) * 600 + unix_timestamp(last_seen)',
  zoned: "log(times_seen) * 600 + unix_timestamp(convert_tz(last_seen, @@global.time_zone, '+00:00'))",
} as const;

const UTC_NAMES = /^(\+00:00|-00:00|UTC|GMT|Etc\/UTC|Etc\/GMT|Universal|Zulu|UCT)$/i;

// MySQLdb maps these server errors to IntegrityError (the codes Django 1.6 would have caught).
const INTEGRITY = new Set([1022, 1048, 1052, 1062, 1169, 1216, 1217, 1451, 1452, 1557, 1586, 1761, 1762, 1859]);

const BRANCHES = 500;

export const mysqlBufferSql: BufferSql = {
  async detectScore(db) {
    const notes: string[] = [];
    const r = await sql<{ g: string; s: string; c: unknown }>`
      SELECT @@global.time_zone AS g, @@system_time_zone AS s,
             CONVERT_TZ('2015-07-28 20:41:30', @@global.time_zone, '+00:00') AS c`.execute(db);
    const { g, s, c } = r.rows[0];
    const utc = UTC_NAMES.test(String(g)) || (String(g).toUpperCase() === 'SYSTEM' && UTC_NAMES.test(String(s)));
    let text: string = SCORE.plain;
    if (!utc) {
      if (c !== null) {
        text = SCORE.zoned;
        notes.push(`score: server time zone is ${g === 'SYSTEM' ? `SYSTEM (${s})` : g}; unix_timestamp() reads last_seen in it, as Sentry's sessions do`);
      } else {
        notes.push(`score: server time zone ${g} cannot be converted (time zone tables not loaded); scores use UTC and may differ from Sentry's by the zone offset`);
      }
    }
    return { score: sql.raw<number>(text), scoreText: text, txStatus: false, notes };
  },

  async beginUnit() {
    return { none: true };
  },

  async transactionStatus() {
    return null;
  },

  time: (t) => t.mysql,

  isIntegrityError(err) {
    return INTEGRITY.has(Number((err as { errno?: number })?.errno));
  },

  async releaseSavepoint() {
    // MySQL replaces a savepoint of the same name: nothing to release.
  },

  async insertRelease(trx, row) {
    // a null project_id reaches the server, which refuses it as it refused Sentry's (an IntegrityError)
    const r = await trx.insertInto('sentry_release').values({ ...row, project_id: row.project_id! }).executeTakeFirstOrThrow();
    return String(r.insertId);
  },

  // MySQLdb hands every INT/BIGINT back as a long: pickled `L…L`, as Sentry's would be
  pythonId: (id) => BigInt(id),

  async lockTargets(trx, model, targets) {
    if (!targets.length) return [];
    const t = sql.table(model.table);
    const out: [number, RowId][] = [];
    for (let s = 0; s < targets.length; s += BRANCHES) {
      const branches = targets.slice(s, s + BRANCHES).map((x) => {
        const where = model.filters.map((f, k) => sql`${sql.ref(f)} = ${x.filters[k]}`);
        return sql`(SELECT ${x.i} AS i, id FROM ${t} WHERE ${sql.join(where, sql` AND `)} FOR UPDATE)`;
      });
      const r = await sql<{ i: number; id: RowId }>`${sql.join(branches, sql` UNION ALL `)}`.execute(trx);
      for (const x of r.rows) out.push([Number(x.i), x.id]);
    }
    return out;
  },

  async updateRows(trx, score, model, rows) {
    const a0 = rows[0].a;
    const counterCols = a0.counters.map(([c]) => c).sort();
    const byId = (vals: unknown[]) => sql`CASE id ${sql.join(rows.map((r, k) => sql`WHEN ${r.id} THEN ${vals[k]}`), sql` `)} END`;
    const set = a0.order.map((c) => {
      if (counterCols.includes(c)) return sql`${sql.ref(c)} = ${sql.ref(c)} + ${byId(rows.map((r) => counterOf(r, c)))}`;
      if (c === 'score') return sql`score = ${score}`;
      if (c === 'last_seen') return sql`last_seen = ${byId(rows.map((r) => r.a.lastSeen!))}`;
      const k = a0.values.findIndex(([x]) => x === c);
      return sql`${sql.ref(c)} = ${byId(rows.map((r) => r.a.values[k][1]))}`;
    });
    const r = await sql`UPDATE ${sql.table(model.table)} SET ${sql.join(set)} WHERE id IN (${sql.join(rows.map((r) => r.id))})`.execute(trx);
    return Number(r.numAffectedRows ?? 0);
  },
};
