import { Kysely, MysqlDialect } from 'kysely';
import type mysql from 'mysql2';
import { type SnapshotReader, type SnapshotSession, Turns } from '../snapshot.js';
import type { DbUrl } from '../url.js';
import { openSession } from './open.js';
import { mysqlCanonical } from './values.js';

/** MySQL/MariaDB's snapshot reader (src/db/snapshot.ts): raw values, datetimes as text, no boolean cast. */
export async function openSnapshotReader(url: DbUrl): Promise<SnapshotReader> {
  const conn = await openSession(url, { typeCast: true, dateStrings: true, rowsAsArray: true }, [
    'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
    'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY',
  ]);
  const p = conn.promise();
  const position = await mysqlPosition(p);
  return {
    engine: 'mysql',
    position,
    snapshot: 'MySQL START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ, read only)',
    stream(text, params) {
      return conn.query({ sql: text, values: params as unknown[], rowsAsArray: true }).stream({ highWaterMark: 2000 }) as unknown as AsyncIterable<unknown[]>;
    },
    canonical: mysqlCanonical,
    async close() {
      await p.query('COMMIT').catch(() => undefined);
      await p.end().catch(() => conn.destroy());
    },
  };
}

/**
 * A snapshot session (src/db/snapshot.ts) on one connection: MariaDB cannot hand its snapshot to another
 * connection, so every query of the session takes its turn on this one.
 */
export async function openSnapshotSession(url: DbUrl, o: { readOnly: boolean }): Promise<SnapshotSession> {
  const conn = await openSession(url, { typeCast: true, dateStrings: true }, [
    'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
    `START TRANSACTION WITH CONSISTENT SNAPSHOT${o.readOnly ? ', READ ONLY' : ''}`,
  ]);
  const p = conn.promise();
  const turns = new Turns([conn]);
  Object.assign(conn, { release: () => turns.give(conn) });
  const pool = {
    getConnection: (cb: (err: unknown, c: unknown) => void) => void turns.take().then((c) => cb(null, c)),
    end: (cb: (err?: unknown) => void) => cb(),
  };
  return {
    engine: 'mysql',
    db: new Kysely<any>({ dialect: new MysqlDialect({ pool: pool as any }) }),
    position: await mysqlPosition(p),
    snapshot: `MySQL START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ${o.readOnly ? ', read only' : ''})`,
    stream(text, params) {
      return turns.held((c) => c.query({ sql: text, values: params as unknown[], rowsAsArray: true }).stream({ highWaterMark: 2000 }) as unknown as AsyncIterable<unknown[]>);
    },
    canonical: mysqlCanonical,
    async close() {
      await p.query('COMMIT').catch(() => undefined);
      await p.end().catch(() => conn.destroy());
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
