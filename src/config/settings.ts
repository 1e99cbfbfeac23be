import { UsageError, UsageErrors } from '../errors.js';
import { type DbUrl, maskSecrets, parseDbUrl } from '../db/url.js';
import { readDotenv } from './dotenv.js';
import { type RedisUrl, parseRedisUrl } from './redis-url.js';

/** The shared settings of ../shared/CLI.md, resolved flag > environment > .env > default. */
export interface Settings {
  from?: DbUrl;
  to?: DbUrl;
  db?: DbUrl;
  redis: RedisUrl;
  namespace: string;
  sentryRedis: RedisUrl[];
  /** `--actor`: the Sentry user (id, username or e-mail) audit entries name; resolved against the database later. */
  actor?: string;
  /** SMTP server for `approve-requests --notify`: smtp://user:pass@host:port (smtps:// for TLS). */
  smtpUrl?: string;
  /** The From of those e-mails (Sentry's SERVER_EMAIL; its default root@localhost). */
  smtpFrom: string;
  json: boolean;
  /** Where each value came from, for `doctor` and for error messages. */
  sources: Partial<Record<SettingKey, Source>>;
}

export type SettingKey = 'from' | 'to' | 'db' | 'redis' | 'namespace' | 'sentryRedis' | 'actor' | 'smtpUrl' | 'smtpFrom';
export type Source = 'flag' | 'environment' | '.env' | 'default';

export const SETTINGS: Record<SettingKey, { flag: string; env: string; default?: string }> = {
  from: { flag: '--from', env: 'SENTRY_ADMIN_FROM' },
  to: { flag: '--to', env: 'SENTRY_ADMIN_TO' },
  db: { flag: '--db', env: 'SENTRY_ADMIN_DB' },
  redis: { flag: '--redis', env: 'SENTRY_ADMIN_REDIS', default: 'redis://127.0.0.1:6379/0' },
  namespace: { flag: '--namespace', env: 'SENTRY_ADMIN_NAMESPACE', default: 'sentry-admin' },
  sentryRedis: { flag: '--sentry-redis', env: 'SENTRY_ADMIN_SENTRY_REDIS' },
  actor: { flag: '--actor', env: 'SENTRY_ADMIN_ACTOR' },
  smtpUrl: { flag: '--smtp-url', env: 'SENTRY_ADMIN_SMTP_URL' },
  smtpFrom: { flag: '--mail-from', env: 'SENTRY_ADMIN_SMTP_FROM', default: 'root@localhost' },
};

export interface ResolveOptions {
  /** Settings this command cannot run without. */
  required?: SettingKey[];
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
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof UsageError) problems.push(e.message + (e.hint ? ` (${e.hint})` : ''));
      else throw e;
      return undefined;
    }
  };
  const where = (key: SettingKey) => (sources[key] === 'flag' ? SETTINGS[key].flag : `${SETTINGS[key].env} (${sources[key]})`);

  const dbUrl = (key: 'from' | 'to' | 'db') => {
    const v = raw(key);
    return v === undefined ? undefined : attempt(() => parseDbUrl(String(v), where(key)));
  };
  const settings: Settings = {
    from: dbUrl('from'),
    to: dbUrl('to'),
    db: dbUrl('db'),
    redis: attempt(() => parseRedisUrl(String(raw('redis')), where('redis')))!,
    namespace: String(raw('namespace')),
    sentryRedis: [],
    actor: raw('actor') as string | undefined,
    smtpUrl: raw('smtpUrl') as string | undefined,
    smtpFrom: String(raw('smtpFrom')),
    json: flags.json === true,
    sources,
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
  if (problems.length) throw new UsageErrors(problems, 'see `sentry-admin <command> --help`');
  return settings;
}
