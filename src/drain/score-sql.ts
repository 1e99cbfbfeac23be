/**
 * Engine-keyed SQL for the two things that differ between MySQL and PostgreSQL in a buffer flush (kept here,
 * not in src/db/engine.ts, because nothing else needs them).
 *
 * `ScoreClause.evaluate` (sentry/event_manager.py at 7.7.0) emits, verbatim:
 *   postgresql: log(times_seen) * 600 + last_seen::abstime::int
 *   mysql:      log(times_seen) * 600 + unix_timestamp(last_seen)
 * - PostgreSQL >= 12 has no `abstime`. A timestamptz → abstime cast drops the fraction of a second (abstime is whole
 *   seconds since the epoch), so `floor(extract(epoch from last_seen))::int` is the same integer for every date
 *   abstime could hold; the rest of the expression (double * 600 + int, rounded into the integer column) is unchanged.
 * - MySQL's unix_timestamp() reads a DATETIME in the SESSION time zone. Django 1.6 never sets one, so Sentry's
 *   sessions use the server's global zone, while ours run at +00:00. When the global zone is not UTC we convert
 *   from it explicitly, which gives the number Sentry's own flush would write.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Engine } from '../db/url.js';

export interface EngineSql {
  engine: Engine;
  score: RawBuilder<number>;
  scoreText: string;
  /** PostgreSQL >= 10 can say whether a past transaction committed (txid_status): exact replay. */
  txStatus: boolean;
  notes: string[];
}

const SCORE = {
  pgAbstime: 'log(times_seen) * 600 + last_seen::abstime::int',
  pgEpoch: 'log(times_seen) * 600 + floor(extract(epoch from last_seen))::int',
  mysql: 'log(times_seen) * 600 + unix_timestamp(last_seen)',
  mysqlZoned: "log(times_seen) * 600 + unix_timestamp(convert_tz(last_seen, @@global.time_zone, '+00:00'))",
} as const;

const UTC_NAMES = /^(\+00:00|-00:00|UTC|GMT|Etc\/UTC|Etc\/GMT|Universal|Zulu|UCT)$/i;

export async function detectEngineSql(db: Kysely<any>, engine: Engine): Promise<EngineSql> {
  const notes: string[] = [];
  if (engine === 'postgres') {
    const r = await sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`.execute(db);
    const v = Number(r.rows[0].v);
    const text = v < 120000 ? SCORE.pgAbstime : SCORE.pgEpoch;
    if (v >= 120000) notes.push('score: PostgreSQL >= 12 has no abstime; using floor(extract(epoch ...)), the same integer');
    return { engine, score: sql.raw<number>(text), scoreText: text, txStatus: v >= 100000, notes };
  }
  const r = await sql<{ g: string; s: string; c: unknown }>`
    SELECT @@global.time_zone AS g, @@system_time_zone AS s,
           CONVERT_TZ('2015-07-28 20:41:30', @@global.time_zone, '+00:00') AS c`.execute(db);
  const { g, s, c } = r.rows[0];
  const utc = UTC_NAMES.test(String(g)) || (String(g).toUpperCase() === 'SYSTEM' && UTC_NAMES.test(String(s)));
  let text: string = SCORE.mysql;
  if (!utc) {
    if (c !== null) {
      text = SCORE.mysqlZoned;
      notes.push(`score: server time zone is ${g === 'SYSTEM' ? `SYSTEM (${s})` : g}; unix_timestamp() reads last_seen in it, as Sentry's sessions do`);
    } else {
      notes.push(`score: server time zone ${g} cannot be converted (time zone tables not loaded); scores use UTC and may differ from Sentry's by the zone offset`);
    }
  }
  return { engine, score: sql.raw<number>(text), scoreText: text, txStatus: false, notes };
}
