/**
 * The engine's SQL for one drain (src/db/buffer-sql.ts: what differs between MySQL and PostgreSQL), and the score
 * expression Sentry's `ScoreClause.evaluate` (sentry/event_manager.py at 7.7.0) needs on this server.
 */
import type { Kysely } from 'kysely';
import type { BufferSql, ScoreSql } from '../db/buffer-sql.js';
import { bufferSql } from '../db/engine-sql.js';
import type { SentryDb } from '../db/sentry-db.js';
import type { Engine } from '../db/url.js';

export interface EngineSql extends ScoreSql {
  dialect: BufferSql;
}

export async function detectEngineSql(db: Kysely<SentryDb>, engine: Engine): Promise<EngineSql> {
  const dialect = bufferSql(engine);
  return { dialect, ...(await dialect.detectScore(db)) };
}
