import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import mysql from 'mysql2';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { connectionFailure } from './connect.js';
import { mysqlOptions } from './mysql.js';
import { postgresOptions } from './postgres.js';
import type { SnapshotReader } from './snapshot.js';
import type { DbUrl } from './url.js';

/**
 * A snapshot reader whose connection also speaks kysely: every query, grouped hash or raw row read,
 * sees the same consistent snapshot (MySQL `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`;
 * PostgreSQL `REPEATABLE READ READ ONLY`). `sync` compares and copies one round from it, so a child
 * row it sees always comes with the parent it references, and it never writes or locks the source.
 *
 * One connection, handed to one query at a time (a kysely query or a raw `stream`, which holds it
 * until read to its end or abandoned): callers may issue queries concurrently, they run in turn.
 */
export interface SnapshotSession extends SnapshotReader {
  readonly db: Kysely<any>;
}

export async function openSnapshotSession(url: DbUrl): Promise<SnapshotSession> {
  return url.engine === 'mysql' ? openMysql(url) : openPostgres(url);
}

/** A one-connection pool: `acquire` resolves when the connection is free, with the function that frees it. */
function turns(): () => Promise<() => void> {
  let tail = Promise.resolve();
  return () => {
    let free!: () => void;
    const mine = new Promise<void>((r) => (free = r));
    const ready = tail.then(() => free);
    tail = tail.then(() => mine);
    return ready;
  };
}

/** A raw row stream that holds the connection from its first row to its end. */
async function* held(acquire: () => Promise<() => void>, open: () => AsyncIterable<unknown[]>): AsyncGenerator<unknown[]> {
  const free = await acquire();
  try {
    yield* open();
  } finally {
    free();
  }
}

async function openMysql(url: DbUrl): Promise<SnapshotSession> {
  // Raw values, as the export reads them (no boolean cast, dates as text); kysely reads counts and hashes.
  const { typeCast: _bools, ...opts } = mysqlOptions(url);
  const conn = mysql.createConnection({ ...opts, dateStrings: true });
  conn.on('error', () => undefined);
  const p = conn.promise();
  try {
    await p.connect();
    await p.query("SET SESSION time_zone = '+00:00'");
    await p.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await p.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  } catch (err) {
    conn.destroy();
    throw connectionFailure(url, err);
  }
  const acquire = turns();
  let free = () => undefined as void;
  const shared = Object.assign(conn, { release: () => free() });
  const pool = {
    getConnection: (cb: (err: unknown, c: unknown) => void) => void acquire().then((f) => ((free = f), cb(null, shared))),
    end: (cb: (err?: unknown) => void) => cb(),
  };
  const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: pool as any }) });
  return {
    engine: 'mysql',
    db,
    position: null,
    snapshot: 'MySQL START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ, read only)',
    stream(text, params) {
      return held(acquire, () => conn.query({ sql: text, values: params as unknown[], rowsAsArray: true }).stream({ highWaterMark: 2000 }) as unknown as AsyncIterable<unknown[]>);
    },
    async close() {
      await p.query('COMMIT').catch(() => undefined);
      await p.end().catch(() => conn.destroy());
    },
  };
}

const RAW_TYPES = { getTypeParser: () => (v: string) => v };

async function openPostgres(url: DbUrl): Promise<SnapshotSession> {
  const client = new pg.Client(postgresOptions(url));
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectionFailure(url, err);
  }
  const position = String((await client.query('SELECT txid_current_snapshot()::text AS s')).rows[0].s);
  const acquire = turns();
  let free = () => undefined as void;
  const shared = Object.assign(client, { release: () => free() });
  const pool = { connect: async () => ((free = await acquire()), shared), end: async () => undefined };
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pool as any }) });
  return {
    engine: 'postgres',
    db,
    position,
    snapshot: 'PostgreSQL REPEATABLE READ read-only transaction',
    stream(text, params) {
      return held(acquire, () => client.query(new QueryStream(text, params as unknown[], { rowMode: 'array', batchSize: 2000, types: RAW_TYPES } as any)) as unknown as AsyncIterable<unknown[]>);
    },
    async close() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
