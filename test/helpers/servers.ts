/**
 * Real servers for the tests (see .ci/run, which starts any that is down). Each test file makes
 * its own uniquely named databases and Redis namespace and drops them afterwards.
 *
 * Redis (REDIS_DB): so that any two test files can run at once, a file either writes only under a
 * namespace of its own (uniqueName) in the shared staging index, or owns an index no other file uses,
 * when its keys must have fixed names (Sentry's own b:p, b:k:*, l:b:p: drain-buffer and doctor read
 * them by those names, and the drain tests FLUSHDB theirs). test/unit/redis-isolation.test.ts checks it.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adapterFor } from '../../src/db/connect.js';
import { type DbUrl, type Engine, formatDbUrl, parseDbUrl } from '../../src/db/url.js';

export const ENGINES: Engine[] = process.env.SA_ENGINES ? (process.env.SA_ENGINES.split(',') as Engine[]) : ['mysql', 'postgres'];

export const SERVER_URL: Record<Engine, string> = {
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
  postgres: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};

/** Redis database indexes: `staging` is shared by namespace, every other one belongs to the one file named. */
export const REDIS_DB = {
  /** Staging namespaces (uniqueName), any number of files. */
  staging: 9,
  /** test/e2e/cli.test.ts: doctor's "Sentry keys present" checks. */
  doctorKeys: 10,
  /** test/integration/drain-buffer.test.ts: a fake Sentry buffer, FLUSHDB between tests. */
  drainBuffer: 11,
  /** test/integration/migrate.test.ts: a staging Redis that holds Sentry's own keys. */
  sharedRedis: 12,
  /** test/integration/drain-set-apply.test.ts: a fake Sentry buffer, FLUSHDB between tests. */
  drainSetApply: 13,
  /** bench/drain-buffer.ts (BENCH_REDIS overrides it): FLUSHDB. */
  bench: 14,
  /** test/e2e/doctor-mask.test.ts: doctor reads it (a refused database fails the run first). */
  doctorMask: 8,
  /** test/e2e/cli-contract.test.ts: usage errors and doctor with an unreachable database; never written. */
  cliContract: 15,
  /** test/integration/sync.test.ts: a fake Sentry buffer (`b:p`) that sync --final must refuse; its key deleted after. */
  syncBuffer: 7,
} as const;

export const REDIS_URL = (index: number) => `${process.env.TEST_REDIS_BASE ?? 'redis://127.0.0.1:6379'}/${index}`;

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export interface TempDatabase {
  url: DbUrl;
  /** The URL as a user would type it (password included). */
  text: string;
  drop(): Promise<void>;
}

/** Create an empty database on the engine's test server; drop() removes it. */
export async function tempDatabase(engine: Engine, prefix = 'sa_t'): Promise<TempDatabase> {
  const base = parseDbUrl(SERVER_URL[engine]);
  const url: DbUrl = { ...base, database: uniqueName(prefix), masked: '' };
  url.masked = base.masked.replace(/\/[^/]*$/, `/${url.database}`);
  const adapter = await adapterFor(engine);
  await adapter.createDatabase(url);
  return { url, text: formatDbUrl(url), drop: () => adapter.dropDatabase(url) };
}

const BIN = fileURLToPath(new URL('../../bin/sentry-admin', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real built binary (bin/sentry-admin → dist/), as cron or a user would. */
export function runCli(
  args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  for (const k of Object.keys(env)) if (k.startsWith('SENTRY_ADMIN_') && !(opts.env && k in opts.env)) delete env[k];
  return runProgram(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { env, cwd: opts.cwd, timeoutMs: opts.timeoutMs });
}

/** Run a program to its end and collect its output (killed after `timeoutMs`, default 120 s). */
export function runProgram(
  cmd: string, args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
