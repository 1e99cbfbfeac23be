import { UsageError, UsageErrors } from '../errors.js';
import { type DbUrl, maskSecrets, parseDbUrl } from '../db/url.js';
import { readDotenv } from './dotenv.js';
import { type IntSpec, flagKey, parseInteger } from './integers.js';
import { type RedisUrl, parseRedisUrl } from './redis-url.js';

/** The shared settings of docs/cli.md, resolved flag > environment > .env > default. */
export interface Settings {
  from?: DbUrl;
  to?: DbUrl;
  db?: DbUrl;
  redis: RedisUrl;
  namespace: string;
  sentryRedis: RedisUrl[];
  /** SENTRY_ADMIN_EXCLUDE as written ("T T.C …"); used only when no --exclude-* flag is given. */
  exclude?: string;
  /** Where undo journals go (`--journal-dir` of the writing commands). */
  journalDir?: string;
  /** `--actor`: the Sentry user (id, username or e-mail) audit entries name; resolved against the database later. */
  actor?: string;
  /** SMTP server for `approve-requests --notify`: smtp://user:pass@host:port (smtps:// for TLS). */
  smtpUrl?: string;
  /** The From of those e-mails (Sentry's SERVER_EMAIL; its default root@localhost). */
  smtpFrom: string;
  json: boolean;
  /** The whole-number options asked for (ResolveOptions.integers), by flag: `ints['--jobs']`. */
  ints: Record<string, number | undefined>;
  /** Where each value came from, for `doctor`, error messages and the hints of src/ui/hints.ts. */
  sources: Partial<Record<SettingKey, Source>>;
  /** Lines to show the user: SENTRY_ADMIN_* names in .env that nothing reads (a typo). */
  warnings: string[];
}

export type SettingKey = 'from' | 'to' | 'db' | 'redis' | 'namespace' | 'sentryRedis' | 'exclude' | 'journalDir' | 'actor' | 'smtpUrl' | 'smtpFrom';
export type Source = 'flag' | 'environment' | '.env' | 'default';

/** Every setting the CLI reads from the environment or .env: one row each (.env.example lists them all). */
export const SETTINGS: Record<SettingKey, { flag: string; env: string; default?: string }> = {
  from: { flag: '--from', env: 'SENTRY_ADMIN_FROM' },
  to: { flag: '--to', env: 'SENTRY_ADMIN_TO' },
  db: { flag: '--db', env: 'SENTRY_ADMIN_DB' },
  // A database of its own: Sentry's is usually 0, and staging there could stall production.
  redis: { flag: '--redis', env: 'SENTRY_ADMIN_REDIS', default: 'redis://127.0.0.1:6379/9' },
  namespace: { flag: '--namespace', env: 'SENTRY_ADMIN_NAMESPACE', default: 'sentry-admin' },
  sentryRedis: { flag: '--sentry-redis', env: 'SENTRY_ADMIN_SENTRY_REDIS' },
  exclude: { flag: '--exclude-table/--exclude-column', env: 'SENTRY_ADMIN_EXCLUDE' },
  journalDir: { flag: '--journal-dir', env: 'SENTRY_ADMIN_JOURNAL_DIR', default: 'journals' },
  actor: { flag: '--actor', env: 'SENTRY_ADMIN_ACTOR' },
  smtpUrl: { flag: '--smtp-url', env: 'SENTRY_ADMIN_SMTP_URL' },
  smtpFrom: { flag: '--mail-from', env: 'SENTRY_ADMIN_SMTP_FROM', default: 'root@localhost' },
};

/** Read elsewhere, by the commands that use them (named here so a .env holding them is not warned about). */
export const OTHER_ENV: Record<string, string> = {
  SENTRY_ADMIN_DEBUG: 'set to 1 to print a stack trace with an unexpected error',
};

export interface ResolveOptions {
  /** Settings this command cannot run without. */
  required?: SettingKey[];
  /** Whole-number options of this command, parsed and checked with the settings (all problems at once). */
  integers?: IntSpec[];
  /** The command, to name in the hint of an error. */
  command?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Resolve and validate every shared setting once. All problems are collected and thrown together
 * as one UsageErrors (exit 2); URLs in messages have their passwords masked.
 */
export function resolveSettings(flags: Record<string, unknown>, opts: ResolveOptions = {}): Settings {
  const env = opts.env ?? process.env;
  const dotenv = readDotenv(opts.cwd ?? process.cwd());
  const problems: string[] = [];
  const sources: Settings['sources'] = {};

  const raw = (key: SettingKey): string | string[] | undefined => {
    const spec = SETTINGS[key];
    const flag = flags[key];
    if (flag !== undefined && flag !== null && flag !== '') return (sources[key] = 'flag'), flag as string | string[];
    if (env[spec.env]) return (sources[key] = 'environment'), env[spec.env];
    if (dotenv[spec.env]) return (sources[key] = '.env'), dotenv[spec.env];
    if (spec.default !== undefined) return (sources[key] = 'default'), spec.default;
    return undefined;
  };
  const attempt = <T>(fn: () => T, label?: string): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof UsageError) problems.push(e.message + (e.hint ? ` (${e.hint})` : ''));
      // decodeURIComponent on a bad %-escape in a user name or password ("%ZZ")
      else if (e instanceof URIError && label) problems.push(`${label} has a malformed %-escape in its user name, password or database name (write % itself as %25)`);
      else throw e;
      return undefined;
    }
  };
  const where = (key: SettingKey) => (sources[key] === 'flag' ? SETTINGS[key].flag : `${SETTINGS[key].env} (${sources[key]})`);

  const dbUrl = (key: 'from' | 'to' | 'db') => {
    const v = raw(key);
    return v === undefined ? undefined : attempt(() => parseDbUrl(String(v), where(key)), `${where(key)} "${maskSecrets(String(v))}"`);
  };
  const ints: Settings['ints'] = {};
  for (const spec of opts.integers ?? []) ints[spec.flag] = attempt(() => parseInteger(flags[flagKey(spec.flag)], spec));
  const settings: Settings = {
    from: dbUrl('from'),
    to: dbUrl('to'),
    db: dbUrl('db'),
    redis: attempt(() => parseRedisUrl(String(raw('redis')), where('redis')))!,
    namespace: String(raw('namespace')),
    sentryRedis: [],
    exclude: raw('exclude') as string | undefined,
    journalDir: raw('journalDir') as string | undefined,
    actor: raw('actor') as string | undefined,
    smtpUrl: raw('smtpUrl') as string | undefined,
    smtpFrom: String(raw('smtpFrom')),
    json: flags.json === true,
    ints,
    sources,
    warnings: unknownNames(dotenv),
  };
  if (settings.smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/i.test(settings.smtpUrl)) {
    problems.push(`${where('smtpUrl')} "${maskSecrets(settings.smtpUrl)}" is not an SMTP URL: expected smtp:// (or smtps:// for TLS) with user, password, host and port`);
  }
  if (!NAMESPACE.test(settings.namespace)) {
    problems.push(`${where('namespace')} "${settings.namespace}" must be 1-64 letters, digits, '_', '-' or '.', with no ':'`);
  }
  const sr = raw('sentryRedis');
  if (sr !== undefined) {
    const list = Array.isArray(sr) ? sr : String(sr).split(/[\s,]+/).filter(Boolean);
    list.forEach((u, i) => {
      const r = attempt(() => parseRedisUrl(u, `${where('sentryRedis')} #${i}`));
      if (r) settings.sentryRedis.push(r);
    });
  }
  for (const key of opts.required ?? []) {
    const v = key === 'sentryRedis' ? settings.sentryRedis.length > 0 : settings[key] !== undefined || sources[key];
    if (!v) problems.push(`${SETTINGS[key].flag} is required (or set ${SETTINGS[key].env})`);
  }
  if (problems.length) throw new UsageErrors(problems, `see \`sentry-admin${opts.command ? ` ${opts.command}` : ''} --help\``);
  return settings;
}

/** SENTRY_ADMIN_* names in .env that no setting has: most likely a typo, otherwise silently ignored. */
export function unknownNames(dotenv: Record<string, string>): string[] {
  const known = [...Object.values(SETTINGS).map((s) => s.env), ...Object.keys(OTHER_ENV)];
  return Object.keys(dotenv)
    .filter((k) => k.startsWith('SENTRY_ADMIN_') && !known.includes(k))
    .map((k) => {
      const near = known.map((n) => [n, distance(k, n)] as const).sort((a, b) => a[1] - b[1])[0];
      return `.env sets ${k}, which sentry-admin does not read` + (near && near[1] <= 3 ? ` (did you mean ${near[0]}?)` : ' (.env.example lists every setting)');
    });
}

/** Edit distance (insert, delete, replace), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
