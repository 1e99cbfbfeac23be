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

/** Connections that share one snapshot, each handed to one query at a time; `take` waits for a free one. */
class Turns<C> {
  private readonly free: C[];
  private readonly waiting: ((c: C) => void)[] = [];
  constructor(readonly all: C[]) {
    this.free = [...all];
  }
  take(): Promise<C> {
    const c = this.free.pop();
    return c !== undefined ? Promise.resolve(c) : new Promise((resolve) => this.waiting.push(resolve));
  }
  give(c: C): void {
    const next = this.waiting.shift();
    if (next) next(c);
    else this.free.push(c);
  }
}

/** A raw row stream that holds a connection from its first row to its end. */
async function* held<C>(turns: Turns<C>, open: (c: C) => AsyncIterable<unknown[]>): AsyncGenerator<unknown[]> {
  const c = await turns.take();
  try {
    yield* open(c);
  } finally {
    turns.give(c);
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
  // MariaDB cannot hand a snapshot to another connection: one connection, one query at a time.
  const turns = new Turns([conn]);
  Object.assign(conn, { release: () => turns.give(conn) });
  const pool = {
    getConnection: (cb: (err: unknown, c: unknown) => void) => void turns.take().then((c) => cb(null, c)),
    end: (cb: (err?: unknown) => void) => cb(),
  };
  const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: pool as any }) });
  return {
    engine: 'mysql',
    db,
    position: null,
    snapshot: 'MySQL START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ, read only)',
    stream(text, params) {
      return held(turns, (c) => c.query({ sql: text, values: params as unknown[], rowsAsArray: true }).stream({ highWaterMark: 2000 }) as unknown as AsyncIterable<unknown[]>);
    },
    async close() {
      await p.query('COMMIT').catch(() => undefined);
      await p.end().catch(() => conn.destroy());
    },
  };
}

const RAW_TYPES = { getTypeParser: () => (v: string) => v };

/** Connections that read the snapshot at once (PostgreSQL exports it to the others). */
const PG_READERS = 2;

async function openPostgres(url: DbUrl): Promise<SnapshotSession> {
  const clients: pg.Client[] = [];
  const open = async (snapshot: string | null) => {
    const client = new pg.Client(postgresOptions(url));
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (snapshot) await client.query('SET TRANSACTION SNAPSHOT ' + pg.escapeLiteral(snapshot));
    return client;
  };
  let position: string;
  try {
    const first = await open(null);
    position = String((await first.query('SELECT txid_current_snapshot()::text AS s')).rows[0].s);
    // pg_export_snapshot (9.2+): the other readers see exactly what the first one sees.
    const snapshot = String((await first.query('SELECT pg_export_snapshot() AS s')).rows[0].s);
    for (let i = 1; i < PG_READERS; i++) await open(snapshot);
  } catch (err) {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    throw connectionFailure(url, err);
  }
  const turns = new Turns(clients);
  for (const c of clients) Object.assign(c, { release: () => turns.give(c) });
  const pool = { connect: () => turns.take(), end: async () => undefined };
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pool as any }) });
  return {
    engine: 'postgres',
    db,
    position,
    snapshot: `PostgreSQL REPEATABLE READ read-only transaction (one snapshot, ${PG_READERS} connections)`,
    stream(text, params) {
      return held(turns, (c) => c.query(new QueryStream(text, params as unknown[], { rowMode: 'array', batchSize: 2000, types: RAW_TYPES } as any)) as unknown as AsyncIterable<unknown[]>);
    },
    async close() {
      await Promise.all(clients.map(async (c) => {
        await c.query('COMMIT').catch(() => undefined);
        await c.end().catch(() => undefined);
      }));
    },
  };
}
