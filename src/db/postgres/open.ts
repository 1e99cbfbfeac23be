/**
 * How every PostgreSQL connection is opened, one entry per kind: a pool (`openPool`), one dedicated client
 * (`openSession`: the snapshot reader and the bulk session), a statement on the server outside the database
 * (`onServer`: CREATE/DROP DATABASE, from the `postgres` database). All share `postgresOptions` (UTC, UTF-8).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { connectionFailure } from '../errors.js';
import type { DbUrl } from '../url.js';

// int8 and numeric already arrive as strings (pg's default). Keep it that way, explicitly.
pg.types.setTypeParser(20, (v) => v);
pg.types.setTypeParser(1700, (v) => v);

/** Client options shared by every PostgreSQL connection we open. */
export function postgresOptions(url: DbUrl): pg.ClientConfig {
  return {
    host: url.params.host ?? url.host,
    port: url.port,
    user: url.user,
    password: url.password || undefined,
    database: url.database,
    ssl: url.params.ssl === 'true' || url.params.sslmode === 'require' ? { rejectUnauthorized: false } : undefined,
    options: '-c TimeZone=UTC -c client_encoding=UTF8',
    connectionTimeoutMillis: 10_000,
    application_name: 'sentry-admin',
  };
}

export function openPool(url: DbUrl, poolSize: number): { db: Kysely<any>; close(): Promise<void> } {
  const pool = new pg.Pool({ ...postgresOptions(url), max: poolSize });
  // A client that loses its server must not crash the process; the next query reports it.
  // pool 'error' covers idle clients only: a checked-out one (a lock's pinned connection, idle
  // between queries) emits on itself, and pg-pool removes its own listener while it is out.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/**
 * One dedicated client with `setup` run on it. A failure on the way closes it and names the server
 * (connectionFailure). A client that loses its server must not crash the process: the next query reports it.
 */
export async function openSession(url: DbUrl, setup: string[]): Promise<pg.Client> {
  const client = new pg.Client(postgresOptions(url));
  client.on('error', () => undefined);
  try {
    await client.connect();
    for (const text of setup) await client.query(text);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectionFailure(url, err);
  }
  return client;
}

/** kysely on one client that is never handed back nor closed by kysely (the caller owns it). */
export function kyselyOn(client: pg.Client): Kysely<any> {
  const pool = { connect: async () => Object.assign(client, { release() {} }), end: async () => undefined };
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: pool as any }) });
}

/** One statement on the server of `url`, from its `postgres` database (CREATE/DROP DATABASE). */
export async function onServer(url: DbUrl, text: string): Promise<void> {
  const c = new pg.Client({ ...postgresOptions(url), database: 'postgres' });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
