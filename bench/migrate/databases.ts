/**
 * The databases of the migrate benchmark: made with the built CLI (init-schema, seed), inspected
 * and counted with plain drivers, dropped at the end.
 */
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { CATALOG } from '../../src/transfer/catalog.js';
import { type ProcessOptions, type ProcessResult, mustRun } from '../lib.js';

export const BIN = fileURLToPath(new URL('../../bin/sentry-admin', import.meta.url));
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `mysql://root@host:3306` + name -> `mysql://root@host:3306/name` (a server URL may carry a database already: replaced). */
export function onServer(server: string, database: string): string {
  const u = new URL(server);
  u.pathname = '/' + database;
  return u.toString();
}

/** The same URL with its password hidden, for printing. */
export function masked(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Run the built binary (`bin/sentry-admin` -> dist/), as a user would; the environment's SENTRY_ADMIN_* do not leak in. */
export function sentryAdmin(args: string[], o: ProcessOptions = {}): Promise<ProcessResult> {
  const env: Record<string, string | undefined> = { ...o.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('SENTRY_ADMIN_') && !(k in env)) env[k] = undefined;
  return mustRun(process.execPath, [BIN, ...args], { ...o, env, cwd: o.cwd ?? ROOT });
}

export async function withMysql<T>(url: string, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const u = new URL(url);
  const c = await mysql.createConnection({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || undefined, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z',
  });
  try {
    await c.query("SET SESSION time_zone = '+00:00'");
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropMysql(url: string): Promise<void> {
  const db = decodeURIComponent(new URL(url).pathname.slice(1));
  await withMysql(onServer(url, ''), (c) => c.query(`DROP DATABASE IF EXISTS \`${db.replace(/`/g, '``')}\``));
}

export async function dropPg(url: string): Promise<void> {
  const db = decodeURIComponent(new URL(url).pathname.slice(1));
  await withPg(onServer(url, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS "${db.replace(/"/g, '""')}" WITH (FORCE)`));
}

export async function mysqlDatabaseExists(url: string): Promise<boolean> {
  const db = decodeURIComponent(new URL(url).pathname.slice(1));
  return withMysql(onServer(url, ''), async (c) => {
    const [rows] = await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [db]);
    return (rows as unknown[]).length > 0;
  });
}

/** A table the migration carries, with the columns the source has (in their order). */
export interface BenchTable {
  table: string;
  columns: string[];
}

/**
 * The tables `sentry-admin migrate` carries from this source, parents first: the catalog's order,
 * limited to the tables the source has. South history and Django internals are not in the catalog.
 */
export async function migratedTables(source: string): Promise<BenchTable[]> {
  return withMysql(source, async (c) => {
    const [rows] = await c.query(
      'SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position',
    );
    const cols = new Map<string, string[]>();
    for (const r of rows as { t: string; c: string }[]) cols.set(r.t, [...(cols.get(r.t) ?? []), r.c]);
    return CATALOG.filter((s) => cols.has(s.table)).map((s) => ({ table: s.table, columns: cols.get(s.table)! }));
  });
}

/** Whether the source has 64-bit ids (SENTRY_USE_BIG_INTS), so the targets get the same width. */
export async function sourceHasBigInts(source: string): Promise<boolean> {
  return withMysql(source, async (c) => {
    const [rows] = await c.query(
      "SELECT data_type AS dt FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'sentry_groupedmessage' AND column_name = 'id'",
    );
    return String((rows as { dt: string }[])[0]?.dt).toLowerCase() === 'bigint';
  });
}

export async function mysqlCounts(url: string, tables: string[]): Promise<Map<string, number>> {
  return withMysql(url, async (c) => {
    const out = new Map<string, number>();
    for (const t of tables) {
      const [rows] = await c.query(`SELECT COUNT(*) AS n FROM \`${t}\``);
      out.set(t, Number((rows as { n: string }[])[0].n));
    }
    return out;
  });
}

export async function pgCounts(url: string, tables: string[]): Promise<Map<string, number>> {
  return withPg(url, async (c) => {
    const out = new Map<string, number>();
    for (const t of tables) {
      try {
        out.set(t, Number((await c.query(`SELECT COUNT(*) AS n FROM "${t}"`)).rows[0].n));
      } catch {
        out.set(t, NaN);
      }
    }
    return out;
  });
}

/** Flush PostgreSQL's dirty buffers so one timed load does not pay for the previous one's writes. */
export async function pgCheckpoint(server: string): Promise<void> {
  await withPg(onServer(server, 'postgres'), (c) => c.query('CHECKPOINT')).catch(() => undefined);
}

/** On-disk size of the given source tables (data + indexes), bytes, after ANALYZE (InnoDB's figures lag a fresh load). */
export async function mysqlSize(url: string, tables: string[]): Promise<number> {
  return withMysql(url, async (c) => {
    if (tables.length) await c.query(`ANALYZE TABLE ${tables.map((t) => '`' + t + '`').join(', ')}`);
    const [rows] = await c.query(
      'SELECT COALESCE(SUM(data_length + index_length), 0) AS b FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)',
      [tables],
    );
    return Number((rows as { b: string }[])[0].b);
  });
}

/** Tables outside `tables` whose foreign keys point into `tables` (PostgreSQL refuses to TRUNCATE those targets alone). */
export async function pgOutsideReferrers(url: string, tables: string[]): Promise<string[]> {
  return withPg(url, async (c) => {
    const r = await c.query(
      `SELECT DISTINCT cl.relname AS t FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class rf ON rf.oid = k.confrelid
       WHERE k.contype = 'f' AND rf.relname = ANY($1) AND NOT (cl.relname = ANY($1)) ORDER BY 1`,
      [tables],
    );
    return r.rows.map((x: { t: string }) => x.t);
  });
}

/**
 * Wait (at most `maxMs`) while InnoDB is still writing back dirty pages (a fresh seed or dump):
 * until almost none are left, or their number stops falling (an idle MariaDB keeps some).
 */
export async function mysqlQuiet(server: string, maxMs = 120_000): Promise<void> {
  await withMysql(onServer(server, ''), async (c) => {
    const deadline = Date.now() + maxMs;
    let before = Infinity;
    for (;;) {
      const [rows] = await c.query(
        "SHOW GLOBAL STATUS WHERE variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')",
      );
      const v = Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, Number(r.Value)]));
      const dirty = v.Innodb_buffer_pool_pages_dirty;
      if (dirty <= 0.02 * v.Innodb_buffer_pool_pages_total || dirty >= before * 0.98 || Date.now() > deadline) return;
      before = dirty;
      await new Promise((r) => setTimeout(r, 3000));
    }
  });
}
