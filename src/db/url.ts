import { UsageError } from '../errors.js';

export type Engine = 'mysql' | 'postgres';

/** A parsed database URL. `masked` is safe to print; `password` never is. */
export interface DbUrl {
  engine: Engine;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Query-string options, e.g. ?ssl=true or ?socket=/run/mysqld/mysqld.sock */
  params: Record<string, string>;
  masked: string;
}

const ENGINES: Record<string, Engine> = {
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
};

const DEFAULT_PORT: Record<Engine, number> = { mysql: 3306, postgres: 5432 };

/**
 * Replace the password of any URL-looking text with ***. Use on every message that may hold a URL.
 * A password may hold a raw '@' (URL parsers split at the last one), and a user name may too
 * (`user@server`): mask up to the last '@' of the URL, erring towards masking too much.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/\s]*:)(\S*)@/gi, '$1***@')
    .replace(/([?&](?:password|passwd|pwd|pass|sslpassword)=)[^&#\s"'`]*/gi, '$1***'); // libpq-style ?password=
}

/** Parse `mysql://user:pass@host:port/db` or `postgres://…`. Throws UsageError with a masked URL. */
export function parseDbUrl(raw: string, label = 'database URL'): DbUrl {
  const shown = maskSecrets(raw);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${label} "${shown}" is not a URL`, 'expected mysql://user:pass@host:3306/sentry or postgres://user@host:5432/sentry');
  }
  const engine = ENGINES[u.protocol];
  if (!engine) {
    throw new UsageError(`${label} "${shown}" has scheme "${u.protocol.replace(':', '')}"; expected mysql:// or postgres://`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) {
    throw new UsageError(`${label} "${shown}" names no database`, 'add the database name after the host, e.g. …@127.0.0.1:3306/sentry');
  }
  if (!u.hostname) throw new UsageError(`${label} "${shown}" names no host`);
  const port = u.port ? Number(u.port) : DEFAULT_PORT[engine];
  const params: Record<string, string> = {};
  u.searchParams.forEach((v, k) => (params[k] = v));
  const user = decodeURIComponent(u.username) || (engine === 'mysql' ? 'root' : 'postgres');
  const password = decodeURIComponent(u.password);
  const masked = `${engine}://${encodeURIComponent(user)}${password ? ':***' : ''}@${u.hostname}:${port}/${database}`;
  return { engine, host: u.hostname.replace(/^\[|\]$/g, ''), port, user, password, database, params, masked };
}

/** The same server with another database (used by tests and init-schema helpers). */
export function withDatabase(url: DbUrl, database: string): DbUrl {
  const masked = url.masked.replace(/\/[^/]*$/, `/${database}`);
  return { ...url, database, masked };
}

/** Back to a connection string (password included: never print it). */
export function formatDbUrl(url: DbUrl): string {
  const auth = encodeURIComponent(url.user) + (url.password ? ':' + encodeURIComponent(url.password) : '');
  const q = new URLSearchParams(url.params).toString();
  return `${url.engine}://${auth}@${url.host}:${url.port}/${encodeURIComponent(url.database)}${q ? '?' + q : ''}`;
}
