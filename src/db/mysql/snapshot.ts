import type mysql from 'mysql2';
import type { SnapshotReader } from '../snapshot.js';
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
