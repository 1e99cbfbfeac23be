import { Readable } from 'node:stream';
import { RuntimeFailure } from '../../errors.js';
import { type BulkSession, type Row, type RowText, encodeBatches, encodeRow } from '../bulk.js';
import type { DbUrl } from '../url.js';
import { freeLock, takeLock } from './locks.js';
import { kyselyOn, openSession } from './open.js';
import { quote } from './quote.js';
import { AUTO_INCREMENT_SQL, autoIncrement } from './sequences.js';

/** MySQL's bulk session (src/db/bulk.ts): LOAD DATA LOCAL INFILE fed by a stream. */
export async function openBulkSession(url: DbUrl, opts: { relaxChecks?: boolean }): Promise<BulkSession> {
  const conn = await openSession(url, { flags: ['+LOCAL_FILES'] }, [
    // READ COMMITTED: no gap locks, so chunks of one table loading side by side cannot deadlock
    // on each other's key ranges; strict mode so a bad value is an error, not a silent change.
    'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
    "SET SESSION sql_mode = CONCAT_WS(',', @@sql_mode, 'STRICT_ALL_TABLES')",
    ...(opts.relaxChecks ? ['SET SESSION unique_checks = 0, foreign_key_checks = 0'] : []),
  ]);
  const p = conn.promise();
  const db = kyselyOn(conn);
  const session: BulkSession = {
    engine: 'mysql',
    server: 'MySQL',
    async query(text, params) {
      const [rows] = await p.query(text, params);
      return rows as any[];
    },
    async load(table, columns, rows) {
      let count = 0;
      const source = Readable.from(encodeBatches(rows, encodeMysqlRow, (n) => (count += n)));
      const text =
        `LOAD DATA LOCAL INFILE 'sentry-admin-stream' INTO TABLE ${quote(table)} CHARACTER SET utf8mb4 ` +
        `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.map(quote).join(', ')})`;
      const [res] = (await p.query({ sql: text, infileStreamFactory: () => source } as any)) as any;
      const warnings: string[] = [];
      if (res.warningStatus > 0) {
        const [w] = (await p.query('SHOW WARNINGS LIMIT 20')) as any;
        for (const x of w) warnings.push(`${x.Level} ${x.Code}: ${x.Message}`);
      }
      if (res.affectedRows !== count && warnings.length === 0) {
        warnings.push(`loaded ${res.affectedRows} of ${count} rows into ${table}`);
      }
      return { rows: res.affectedRows, warnings };
    },
    async loadRefusing(table, columns, rows, refused) {
      if (!rows.length) return 0;
      await p.query('SAVEPOINT chunk_load');
      // A foreign key LOAD DATA cannot satisfy is an error, not a warning: redo the rows one by one then too.
      const r = await session.load(table, columns, rows).catch(() => null);
      if (r && !r.warnings.length && r.rows === rows.length) return r.rows;
      // LOAD DATA LOCAL made errors warnings: redo the rows one strict INSERT at a time, to find the refused ones.
      await p.query('ROLLBACK TO SAVEPOINT chunk_load');
      const text = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      let n = 0;
      for (const row of rows) {
        try {
          await p.query(text, row as unknown[]);
          n++;
        } catch (err) {
          refused(row, err as Error);
        }
      }
      return n;
    },
    // MySQL checks foreign keys at each statement: loadRefusing refuses a row whose parent is missing.
    startChunk: async () => 'per-row',
    removeOrphans: async () => [],
    async loadReturningIds(table, columns, rows) {
      // One LOAD DATA takes consecutive ids under the "traditional" or "consecutive" auto-increment lock modes
      // (it holds the table's AUTO-INC lock to its end); LAST_INSERT_ID() is the first. Interleaved mode: no.
      const [[settings]] = (await p.query(AUTO_INCREMENT_SQL)) as any;
      const mode = autoIncrement(settings);
      if (!mode.consecutive) return null;
      const r = await session.load(table, columns, rows);
      if (r.warnings.length || r.rows !== rows.length) {
        throw new RuntimeFailure(`loading ${table}: ${r.warnings[0] ?? `loaded ${r.rows} of ${rows.length} rows`}`);
      }
      const [[last]] = (await p.query('SELECT LAST_INSERT_ID() AS id')) as any;
      return mode.ids(last.id, rows.length);
    },
    tryLock: (name) => takeLock(db, name),
    unlock: (name) => freeLock(db, name),
    begin: () => p.query('START TRANSACTION').then(() => undefined),
    commit: () => p.query('COMMIT').then(() => undefined),
    rollback: () => p.query('ROLLBACK').then(() => undefined),
    close: () => p.end().catch(() => conn.destroy()),
    db,
  };
  return session;
}

/** LOAD DATA default format: \N for NULL; backslash escapes for \ TAB LF CR NUL. Datetimes as UTC text. */
export const encodeMysqlRow = (row: Row): string => encodeRow(row, MYSQL_TEXT);

const MYSQL_SPECIAL = /[\\\t\n\r\0]/;
function escapeMysql(s: string): string {
  if (!MYSQL_SPECIAL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\0/g, '\\0');
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC. */
export function mysqlDatetime(d: Date): string {
  const iso = d.toISOString(); // 2015-07-28T20:41:30.123Z
  const ms = d.getUTCMilliseconds();
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19) + (ms ? '.' + String(ms).padStart(3, '0') : '');
}

const MYSQL_TEXT: RowText = { text: escapeMysql, true: '1', false: '0', datetime: mysqlDatetime };
