/**
 * The raw limit: the same rows dumped beforehand from MySQL to TSV files (not timed), then loaded
 * with one `psql -c "\copy …"` per table, parents first, into a target whose foreign keys and
 * indexes are in place, as they are for `sentry-admin migrate`.
 */
import { chmodSync, closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { runProcess } from '../lib.js';
import { type BenchTable, withMysql } from './databases.js';

export interface DumpedTable {
  table: string;
  columns: string[];
  file: string;
  bytes: number;
}

/**
 * `SELECT … INTO OUTFILE` writes MySQL's default text format, which is PostgreSQL's COPY text
 * format: TAB between fields, LF after rows, \N for NULL, backslash escapes for \ TAB LF; tinyint
 * 0/1 reads as a boolean, datetimes as UTC text (the psql session runs in UTC). The one gap, a raw
 * CR inside a value (COPY would take it for an end of line), is rewritten as \r afterwards.
 * The MySQL server writes the files, so it must run on this machine (127.0.0.1).
 */
export async function dumpTables(source: string, tables: BenchTable[], dir: string): Promise<DumpedTable[]> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777); // the server process (user mysql) writes here
  const out: DumpedTable[] = [];
  await withMysql(source, async (c) => {
    for (const t of tables) {
      const file = join(dir, `${t.table}.tsv`);
      const cols = t.columns.map((x) => '`' + x.replace(/`/g, '``') + '`').join(', ');
      await c.query(`SELECT ${cols} FROM \`${t.table}\` INTO OUTFILE '${file.replace(/'/g, "''")}' CHARACTER SET utf8mb4`);
      if (containsByte(file, 0x0d)) await escapeCarriageReturns(file);
      out.push({ table: t.table, columns: t.columns, file, bytes: statSync(file).size });
    }
  });
  return out;
}

function containsByte(file: string, byte: number): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) return false;
      if (buf.subarray(0, n).includes(byte)) return true;
    }
  } finally {
    closeSync(fd);
  }
}

async function escapeCarriageReturns(file: string): Promise<void> {
  const tmp = file + '.cr';
  const cr = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(chunk.toString('latin1').replace(/\r/g, '\\r'), 'latin1'));
    },
  });
  await pipeline(createReadStream(file), cr, createWriteStream(tmp));
  renameSync(tmp, file);
}

export interface CopyResult {
  seconds: number;
  perTable: Map<string, number>;
  /** Largest VmHWM of the psql processes, KiB. */
  peakRssKb: number | null;
  errors: string[];
  /** Median time of `psql -c 'SELECT 1'` on the same target: what each per-table psql spends starting and connecting. */
  psqlStartSeconds: number;
}

const PSQL = ['-X', '-q', '-v', 'ON_ERROR_STOP=1'];
const PSQL_ENV = { PGOPTIONS: '-c timezone=UTC', PGAPPNAME: 'sentry-admin-bench' };

/** One `psql -c "\copy …"` per table, in the order given; a failed table is reported and the rest still load. */
export async function copyTables(target: string, dumps: DumpedTable[]): Promise<CopyResult> {
  const perTable = new Map<string, number>();
  const errors: string[] = [];
  let peak: number | null = null;
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) starts.push((await runProcess('psql', [...PSQL, '-d', target, '-c', 'SELECT 1'], { env: PSQL_ENV })).seconds);
  const psqlStartSeconds = starts.sort((a, b) => a - b)[2];
  const started = process.hrtime.bigint();
  for (const d of dumps) {
    const cols = d.columns.map((c) => '"' + c.replace(/"/g, '""') + '"').join(', ');
    const cmd = `\\copy "${d.table}" (${cols}) FROM '${d.file.replace(/'/g, "''")}'`;
    const r = await runProcess('psql', [...PSQL, '-d', target, '-c', cmd], { env: PSQL_ENV });
    perTable.set(d.table, r.seconds);
    if (r.peakRssKb !== null) peak = Math.max(peak ?? 0, r.peakRssKb);
    if (r.code !== 0) errors.push(`${d.table}: ${r.stderr.trim().split('\n').slice(0, 3).join(' / ')}`);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, perTable, peakRssKb: peak, errors, psqlStartSeconds };
}
