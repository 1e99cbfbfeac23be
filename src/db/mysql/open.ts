/**
 * How every MySQL/MariaDB connection is opened, one entry per kind: a pool (`openPool`), one dedicated connection
 * (`openSession`: the snapshot reader and the bulk session), a statement on the server without a database
 * (`onServer`: CREATE/DROP DATABASE). All share `mysqlOptions` and run their sessions in UTC.
 */
import { Kysely, MysqlDialect } from 'kysely';
import mysql, { type ConnectionOptions, type TypeCastField, type TypeCastNext } from 'mysql2';
import { connectionFailure } from '../errors.js';
import type { DbUrl } from '../url.js';

/** tinyint(1) is Django's BooleanField on MySQL: read it as a boolean. */
export function mysqlTypeCast(field: TypeCastField, next: TypeCastNext): unknown {
  if (field.type === 'TINY' && field.length === 1) {
    const v = field.string();
    return v === null ? null : v !== '0';
  }
  return next();
}

/** Connection options shared by every MySQL connection we open. */
export function mysqlOptions(url: DbUrl) {
  return {
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    socketPath: url.params.socket,
    // Sentry's MySQL columns are utf8 (3-byte); we speak utf8mb4 so a 4-byte character reaches the
    // server intact and is refused there, rather than mangled here.
    charset: 'UTF8MB4_GENERAL_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    timezone: 'Z' as const,
    dateStrings: false as const,
    typeCast: mysqlTypeCast,
    connectTimeout: 10_000,
  };
}

/** Every session reads and writes datetimes in UTC (Sentry's own: USE_TZ, TIME_ZONE = 'UTC'). */
const INIT_SESSION = "SET SESSION time_zone = '+00:00'";

export function openPool(url: DbUrl, poolSize: number): { db: Kysely<any>; close(): Promise<void> } {
  const pool = mysql.createPool({ ...mysqlOptions(url), connectionLimit: poolSize, waitForConnections: true });
  pool.on('connection', (c) => c.query(INIT_SESSION));
  const db = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/**
 * One dedicated connection, `options` over the shared ones, its session in UTC and then `setup` run on it. A
 * failure on the way closes it and names the server (connectionFailure).
 */
export async function openSession(url: DbUrl, options: Partial<ConnectionOptions>, setup: string[]): Promise<mysql.Connection> {
  const conn = mysql.createConnection({ ...mysqlOptions(url), ...options });
  conn.on('error', () => undefined);
  const p = conn.promise();
  try {
    await p.connect();
    for (const text of [INIT_SESSION, ...setup]) await p.query(text);
  } catch (err) {
    conn.destroy();
    throw connectionFailure(url, err);
  }
  return conn;
}

/** kysely on one connection that is never handed back nor closed by kysely (the caller owns it). */
export function kyselyOn(conn: mysql.Connection): Kysely<any> {
  const pool = {
    getConnection: (cb: (e: unknown, c: unknown) => void) => cb(null, Object.assign(conn, { release() {} })),
    end: (cb: (e?: unknown) => void) => cb(),
  };
  return new Kysely<any>({ dialect: new MysqlDialect({ pool: pool as any }) });
}

/** One statement on the server of `url`, outside any database (CREATE/DROP DATABASE). */
export async function onServer(url: DbUrl, text: string): Promise<void> {
  const { database: _omit, ...opts } = mysqlOptions(url);
  const c = mysql.createConnection(opts);
  try {
    await c.promise().query(text);
  } finally {
    c.destroy();
  }
}
