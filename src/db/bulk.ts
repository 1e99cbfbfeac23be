import { Readable } from 'node:stream';
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import { pipeline } from 'node:stream/promises';
import mysql from 'mysql2';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RuntimeFailure } from '../errors.js';
import { connectionFailure } from './connect.js';
import { AUTO_INCREMENT_SQL, autoIncrement, mysqlOptions } from './mysql.js';
import { postgresOptions } from './postgres.js';
import type { DbUrl } from './url.js';

/** A value as the bulk loaders accept it. Strings carry bigints and exact decimals. */
export type SqlValue = string | number | bigint | boolean | Date | null;
export type Row = SqlValue[];

export interface LoadResult {
  rows: number;
  /** MySQL warnings raised by the load (LOAD DATA LOCAL turns errors into warnings). */
  warnings: string[];
}

/**
 * One dedicated connection for bulk work: COPY FROM STDIN on PostgreSQL, LOAD DATA LOCAL INFILE
 * on MySQL, both fed by a stream we encode here. Transactions are explicit (begin/commit), so a
 * caller can make "delete the chunk's range, load the chunk" one atomic step.
 */
export interface BulkSession {
  readonly engine: 'mysql' | 'postgres';
  query(text: string, params?: unknown[]): Promise<any[]>;
  load(table: string, columns: string[], rows: Iterable<Row> | AsyncIterable<Row>): Promise<LoadResult>;
  /**
   * Load rows into a table whose `id` the database assigns and return the ids in row order, or null when this
   * database cannot tell them for a bulk load (the caller inserts another way). Any warning or short count throws.
   */
  loadReturningIds(table: string, columns: string[], rows: Row[]): Promise<string[] | null>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
  /**
   * kysely on this same connection: a transaction begun through it and this session's loads are one database
   * transaction (an admin command can COPY its audit rows inside the transaction that made its changes).
   */
  readonly db: Kysely<any>;
}

export async function openBulkSession(url: DbUrl, opts: { relaxChecks?: boolean } = {}): Promise<BulkSession> {
  return url.engine === 'postgres' ? openPostgres(url) : openMysql(url, opts);
}

// ---------- PostgreSQL ----------

async function openPostgres(url: DbUrl): Promise<BulkSession> {
  const client = new pg.Client(postgresOptions(url));
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw connectionFailure(url, err);
  }
  const q = (t: string) => client.query(t).then(() => undefined);
  const session: BulkSession = {
    engine: 'postgres',
    async query(text, params) {
      return (await client.query(text, params as unknown[])).rows;
    },
    async load(table, columns, rows) {
      const cols = columns.map(pgIdent).join(', ');
      const stream = client.query(copyFrom(`COPY ${pgIdent(table)} (${cols}) FROM STDIN`));
      let count = 0;
      await pipeline(Readable.from(encodeBatches(rows, encodePgRow, (n) => (count += n))), stream);
      return { rows: count, warnings: [] };
    },
    async loadReturningIds(table, columns, rows) {
      // The ids come from the table's own sequence first, then go in with the rows: no reliance on row order.
      const seq = (await client.query('SELECT pg_get_serial_sequence($1, $2) AS s', [pgIdent(table), 'id'])).rows[0]?.s;
      if (!seq) return null;
      const ids: string[] = (await client.query('SELECT nextval($1::regclass)::text AS id FROM generate_series(1, $2)', [seq, rows.length]))
        .rows.map((r: { id: string }) => r.id);
      const r = await session.load(table, ['id', ...columns], rows.map((row, i) => [ids[i], ...row]));
      if (r.rows !== rows.length) throw new RuntimeFailure(`loaded ${r.rows} of ${rows.length} rows into ${table}`);
      return ids;
    },
    begin: () => q('BEGIN'),
    commit: () => q('COMMIT'),
    rollback: () => q('ROLLBACK'),
    close: () => client.end(),
    // kysely takes the client from a "pool" and hands it back: here the pool is this one client, never closed by it.
    db: new Kysely<any>({
      dialect: new PostgresDialect({ pool: { connect: async () => Object.assign(client, { release() {} }), end: async () => undefined } as any }),
    }),
  };
  return session;
}

export function pgIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** COPY text format: \N for NULL, backslash escapes for \ TAB LF CR. */
export function encodePgRow(row: Row): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i) line += '\t';
    const v = row[i];
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'string') line += escapeCopy(v);
    else if (typeof v === 'boolean') line += v ? 't' : 'f';
    else if (v instanceof Date) line += v.toISOString();
    else line += String(v);
  }
  return line + '\n';
}

const COPY_SPECIAL = /[\\\t\n\r]/;
function escapeCopy(s: string): string {
  if (!COPY_SPECIAL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

// ---------- MySQL ----------

async function openMysql(url: DbUrl, opts: { relaxChecks?: boolean }): Promise<BulkSession> {
  const conn = mysql.createConnection({ ...mysqlOptions(url), flags: ['+LOCAL_FILES'] });
  conn.on('error', () => undefined);
  const p = conn.promise();
  try {
    await p.connect();
    await p.query("SET SESSION time_zone = '+00:00'");
    // READ COMMITTED: no gap locks, so chunks of one table loading side by side cannot deadlock
    // on each other's key ranges; strict mode so a bad value is an error, not a silent change.
    await p.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await p.query("SET SESSION sql_mode = CONCAT_WS(',', @@sql_mode, 'STRICT_ALL_TABLES')");
    if (opts.relaxChecks) await p.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
  } catch (err) {
    conn.destroy();
    throw connectionFailure(url, err);
  }
  const session: BulkSession = {
    engine: 'mysql',
    async query(text, params) {
      const [rows] = await p.query(text, params);
      return rows as any[];
    },
    async load(table, columns, rows) {
      let count = 0;
      const source = Readable.from(encodeBatches(rows, encodeMysqlRow, (n) => (count += n)));
      const text =
        `LOAD DATA LOCAL INFILE 'sentry-admin-stream' INTO TABLE ${myIdent(table)} CHARACTER SET utf8mb4 ` +
        `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.map(myIdent).join(', ')})`;
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
    begin: () => p.query('START TRANSACTION').then(() => undefined),
    commit: () => p.query('COMMIT').then(() => undefined),
    rollback: () => p.query('ROLLBACK').then(() => undefined),
    close: () => p.end().catch(() => conn.destroy()),
    db: new Kysely<any>({
      dialect: new MysqlDialect({
        pool: { getConnection: (cb: (e: unknown, c: unknown) => void) => cb(null, Object.assign(conn, { release() {} })), end: (cb: (e?: unknown) => void) => cb() } as any,
      }),
    }),
  };
  return session;
}

export function myIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** LOAD DATA default format: \N for NULL; backslash escapes for \ TAB LF CR NUL. Datetimes as UTC text. */
export function encodeMysqlRow(row: Row): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i) line += '\t';
    const v = row[i];
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'string') line += escapeMysql(v);
    else if (typeof v === 'boolean') line += v ? '1' : '0';
    else if (v instanceof Date) line += mysqlDatetime(v);
    else line += String(v);
  }
  return line + '\n';
}

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

// ---------- shared ----------

/** Join encoded rows into ~256 KiB strings so the stream is not one write per row. */
async function* encodeBatches(
  rows: Iterable<Row> | AsyncIterable<Row>,
  encode: (r: Row) => string,
  counted: (n: number) => void,
): AsyncGenerator<Buffer> {
  let buf = '';
  let n = 0;
  for await (const r of rows as AsyncIterable<Row>) {
    buf += encode(r);
    n++;
    if (buf.length > 262_144) {
      counted(n);
      n = 0;
      yield Buffer.from(buf, 'utf8');
      buf = '';
    }
  }
  counted(n);
  if (buf) yield Buffer.from(buf, 'utf8');
}

export function assertNoWarnings(table: string, r: LoadResult): void {
  if (r.warnings.length) throw new RuntimeFailure(`loading ${table} raised warnings: ${r.warnings.slice(0, 3).join('; ')}`);
}
