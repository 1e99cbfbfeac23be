import mysql from 'mysql2';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { connectionFailure } from './connect.js';
import { mysqlOptions } from './mysql.js';
import { postgresOptions } from './postgres.js';
import type { DbUrl } from './url.js';

/**
 * One connection that reads a whole export from a single consistent snapshot:
 * MySQL `START TRANSACTION WITH CONSISTENT SNAPSHOT` (REPEATABLE READ, read only),
 * PostgreSQL `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`. Rows stream with backpressure
 * as arrays of raw values: strings for bigints, datetimes and text; numbers for small ints
 * (MySQL); everything text on PostgreSQL.
 */
export interface SnapshotReader {
  readonly engine: 'mysql' | 'postgres';
  /** What the report says about consistency. */
  readonly snapshot: string;
  /**
   * Where the source stood when the snapshot was taken, comparable between two snapshots: equal
   * positions mean nothing was committed in between. PostgreSQL: the snapshot (`xmin:xmax:xip`);
   * MariaDB: the binlog GTID position when binary logging is on. Null when the server cannot say.
   */
  readonly position: string | null;
  stream(text: string, params: readonly unknown[]): AsyncIterable<unknown[]>;
  close(): Promise<void>;
}

export async function openSnapshotReader(url: DbUrl): Promise<SnapshotReader> {
  return url.engine === 'mysql' ? openMysql(url) : openPostgres(url);
}

async function openMysql(url: DbUrl): Promise<SnapshotReader> {
  const { typeCast: _bools, ...opts } = mysqlOptions(url);
  const conn = mysql.createConnection({ ...opts, dateStrings: true, rowsAsArray: true });
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
  const position = await mysqlPosition(p);
  return {
    engine: 'mysql',
    position,
    snapshot: 'MySQL START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ, read only)',
    stream(text, params) {
      return conn.query({ sql: text, values: params as unknown[], rowsAsArray: true }).stream({ highWaterMark: 2000 }) as unknown as AsyncIterable<unknown[]>;
    },
    async close() {
      await p.query('COMMIT').catch(() => undefined);
      await p.end().catch(() => conn.destroy());
    },
  };
}

const RAW_TYPES = { getTypeParser: () => (v: string) => v };

async function openPostgres(url: DbUrl): Promise<SnapshotReader> {
  const client = new pg.Client(postgresOptions(url));
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectionFailure(url, err);
  }
  // txid_current_snapshot() exists on every supported version (pg_current_snapshot from 13 on).
  const position = String((await client.query('SELECT txid_current_snapshot()::text AS s')).rows[0].s);
  return {
    engine: 'postgres',
    position,
    snapshot: 'PostgreSQL REPEATABLE READ read-only transaction',
    stream(text, params) {
      return client.query(new QueryStream(text, params as unknown[], { rowMode: 'array', batchSize: 2000, types: RAW_TYPES } as any)) as unknown as AsyncIterable<unknown[]>;
    },
    async close() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * MariaDB's binlog position of the consistent snapshot itself (status `binlog_snapshot_file` /
 * `binlog_snapshot_position`, taken atomically with START TRANSACTION WITH CONSISTENT SNAPSHOT);
 * null without binary logging, or on a server that does not report it.
 */
async function mysqlPosition(p: ReturnType<mysql.Connection['promise']>): Promise<string | null> {
  try {
    const [on] = (await p.query('SELECT @@global.log_bin AS v')) as unknown as [{ v: number | string }[]];
    if (Number(on[0]?.v) !== 1) return null;
    const [rows] = (await p.query("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) as unknown as [{ Variable_name: string; Value: string }[]];
    const v = Object.fromEntries(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
    return v.binlog_snapshot_file ? `binlog ${v.binlog_snapshot_file}:${v.binlog_snapshot_position}` : null;
  } catch {
    return null;
  }
}
