/**
 * pgloader loading the same MySQL source into an existing Sentry schema on PostgreSQL, data only.
 *
 * The command file, and why each clause is there:
 *   data only, create no tables, create no indexes   the target schema (init-schema) stays as it is
 *   no foreign keys     without it pgloader drops every foreign key pointing at the loaded tables and
 *                       recreates only those it finds in the MySQL catalog: a schema change
 *   disable triggers    pgloader loads tables in parallel in no particular order, so the foreign keys'
 *                       triggers are switched off during the load (ALTER TABLE … DISABLE TRIGGER ALL)
 *                       and back on after; unlike `migrate` and `\copy`, nothing is checked
 *   truncate            only when every table that references a loaded table is loaded too, since
 *                       PostgreSQL refuses TRUNCATE otherwise; the target is fresh and empty anyway
 *   ALTER SCHEMA … RENAME TO 'public'   pgloader maps the MySQL database name to a PostgreSQL schema
 *   INCLUDING ONLY TABLE NAMES MATCHING   exactly the tables `migrate` carries (no South history,
 *                       no Django internals)
 *   timezone 'UTC'      MySQL datetimes are UTC wall-clock values, read into timestamptz columns
 *   prefetch rows       see PREFETCH_ROWS
 *   net_write_timeout   MariaDB drops a reader that stalls for 60 s (its default); pgloader's readers stall while
 *                       its writers catch up, and at N = 1,000,000 one died with "couldn't read from socket"
 * pgloader's default casts apply to the values: tinyint(1) -> boolean, zero dates -> NULL.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess, which } from '../lib.js';

/**
 * pgloader's default (100,000 rows read ahead per table, 4 workers) exhausts the SBCL heap of Debian's
 * build on nodestore_node (1.2 kB rows) at N = 100,000: "Heap exhausted during garbage collection".
 */
export const PREFETCH_ROWS = 10_000;

export const PGLOADER_INSTALL = 'apt-get install -y pgloader';

export function pgloaderPath(): string | null {
  return which('pgloader');
}

export async function pgloaderVersion(): Promise<string> {
  const r = await runProcess('pgloader', ['--version']);
  return /version "?([^"\s]+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

export interface PgloaderRun {
  seconds: number;
  /** pgloader's own "Total import time" line, seconds. */
  reportedSeconds: number | null;
  peakRssKb: number | null;
  code: number;
  errors: string[];
  commandFile: string;
  truncate: boolean;
}

export function commandFile(o: { source: string; target: string; sourceDb: string; tables: string[]; truncate: boolean }): string {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const options = ['data only', ...(o.truncate ? ['truncate'] : []), 'disable triggers', 'no foreign keys', 'create no tables', 'create no indexes', `prefetch rows = ${PREFETCH_ROWS}`];
  return [
    'LOAD DATABASE',
    `     FROM ${o.source}`,
    `     INTO ${o.target.replace(/^postgres:/, 'postgresql:')}`,
    '',
    `WITH ${options.join(', ')}`,
    '',
    "SET PostgreSQL PARAMETERS timezone to 'UTC'",
    "SET MySQL PARAMETERS net_read_timeout = '3600', net_write_timeout = '3600'",
    '',
    `INCLUDING ONLY TABLE NAMES MATCHING ${o.tables.map(quote).join(', ')}`,
    '',
    `ALTER SCHEMA ${quote(o.sourceDb)} RENAME TO 'public'`,
    ';',
    '',
  ].join('\n');
}

export async function runPgloader(o: { source: string; target: string; sourceDb: string; tables: string[]; truncate: boolean; dir: string }): Promise<PgloaderRun> {
  const file = join(o.dir, 'bench.load');
  writeFileSync(file, commandFile(o));
  const r = await runProcess('pgloader', ['--root-dir', join(o.dir, 'pgloader'), file], { maxStderr: 4 << 20, maxStdout: 4 << 20 });
  const text = r.stdout + '\n' + r.stderr;
  const total = /Total import time\s+\S+\s+\d+\s+\S+(?:\s+\S+)?\s+([\d.]+)s/.exec(text);
  const errors = text
    .split('\n')
    .filter((l) => /\b(ERROR|FATAL)\b|KABOOM|Heap exhausted|fatal error/i.test(l))
    .map((l) => l.replace(/^\S+Z\s+/, '').slice(0, 300));
  return { seconds: r.seconds, reportedSeconds: total ? Number(total[1]) : null, peakRssKb: r.peakRssKb, code: r.code, errors, commandFile: file, truncate: o.truncate };
}
