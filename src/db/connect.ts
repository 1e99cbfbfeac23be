import type { Kysely } from 'kysely';
import { RuntimeFailure } from '../errors.js';
import type { EngineAdapter } from './engine.js';
import { type DbUrl, type Engine, maskSecrets, parseDbUrl } from './url.js';

export interface Connection {
  db: Kysely<any>;
  engine: Engine;
  adapter: EngineAdapter;
  url: DbUrl;
  close(): Promise<void>;
}

/** The engine's adapter, loaded on demand: a cron run on MySQL never loads the PostgreSQL driver. */
export async function adapterFor(engine: Engine): Promise<EngineAdapter> {
  return engine === 'mysql' ? (await import('./mysql.js')).mysqlAdapter : (await import('./postgres.js')).postgresAdapter;
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

export function connectionFailure(url: DbUrl, err: unknown): RuntimeFailure {
  const e = err as { code?: string; message?: string };
  const why = maskSecrets(e?.message || e?.code || String(err));
  let hint = `check that the ${url.engine === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} server at ${url.host}:${url.port} is running and reachable`;
  if (/ER_BAD_DB_ERROR|does not exist|Unknown database/i.test(why)) hint = `create the database "${url.database}" first, or fix the name in the URL`;
  else if (/access denied|authentication|password/i.test(why)) hint = 'check the user name and password in the URL';
  return new RuntimeFailure(`cannot connect to ${url.masked}: ${why}`, hint);
}
