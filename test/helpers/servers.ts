/**
 * Real servers for the tests (see .ci/run, which starts any that is down). Each test file makes
 * its own uniquely named databases and Redis namespace and drops them afterwards.
 *
 * Redis database indexes are split by purpose so that files running in parallel cannot see each
 * other's keys: 9 for staging namespaces, 10 for the doctor's "Sentry keys present" checks,
 * 11 for drain-buffer's fake Sentry buffer, 12 for migration's shared-Redis refusal.
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
