/**
 * The one entry point for database sessions, each opened by its engine's folder (src/db/mysql/, src/db/postgres/):
 * a pool (`connect`), a consistent-snapshot reader (`openSnapshotReader`), a bulk session (`openBulkSession`), and the
 * adapter itself (`adapterFor`: CREATE/DROP DATABASE and everything else that differs between the engines).
 */
import type { Kysely } from 'kysely';
import type { BulkSession } from './bulk.js';
import type { EngineAdapter } from './engine.js';
import { connectionFailure } from './errors.js';
import type { SnapshotReader, SnapshotSession } from './snapshot.js';
import { type DbUrl, type Engine, parseDbUrl } from './url.js';

export interface Connection {
  db: Kysely<any>;
  engine: Engine;
  adapter: EngineAdapter;
  url: DbUrl;
  close(): Promise<void>;
}

/** The engine's adapter, loaded on demand: a cron run on MySQL never loads the PostgreSQL driver. */
export async function adapterFor(engine: Engine): Promise<EngineAdapter> {
  return engine === 'mysql' ? (await import('./mysql/adapter.js')).mysqlAdapter : (await import('./postgres/adapter.js')).postgresAdapter;
}

/**
 * Open a pool on a Sentry database and check that it answers. Bigints come back as strings,
 * datetimes as UTC, tinyint(1) as booleans. Connection failures become a RuntimeFailure whose
 * message names the host (password masked) and says what to check.
 */
export async function connect(url: string | DbUrl, opts: { poolSize?: number } = {}): Promise<Connection> {
  const parsed = typeof url === 'string' ? parseDbUrl(url) : url;
  const adapter = await adapterFor(parsed.engine);
  const { db, close } = adapter.open(parsed, { poolSize: opts.poolSize ?? 4 });
  try {
    await adapter.serverVersion(db);
  } catch (err) {
    await close().catch(() => undefined);
    throw connectionFailure(parsed, err);
  }
  return { db, engine: parsed.engine, adapter, url: parsed, close };
}

/** One connection reading a single consistent snapshot (src/db/snapshot.ts). */
export async function openSnapshotReader(url: DbUrl): Promise<SnapshotReader> {
  return (await adapterFor(url.engine)).openSnapshotReader(url);
}

/** A snapshot reader that also speaks kysely (src/db/snapshot.ts): what a `sync` round reads the source through. */
export async function openSnapshotSession(url: DbUrl, o: { readOnly: boolean }): Promise<SnapshotSession> {
  return (await adapterFor(url.engine)).openSnapshotSession(url, o);
}

/** One connection for bulk loads (src/db/bulk.ts). */
export async function openBulkSession(url: DbUrl, opts: { relaxChecks?: boolean } = {}): Promise<BulkSession> {
  return (await adapterFor(url.engine)).openBulkSession(url, opts);
}
