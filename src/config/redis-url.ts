import { UsageError } from '../errors.js';
import { maskSecrets } from '../db/url.js';

export interface RedisUrl {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  tls: boolean;
  masked: string;
}

/** Parse `redis://[:password@]host:port/index` (or rediss:// for TLS). */
export function parseRedisUrl(raw: string, label = 'Redis URL'): RedisUrl {
  const shown = maskSecrets(raw);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${label} "${shown}" is not a URL`, 'expected redis://127.0.0.1:6379/9');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`${label} "${shown}" has scheme "${u.protocol.replace(':', '')}"; expected redis://`);
  }
  const path = u.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0 || db > 15 || !/^\d*$/.test(path)) {
    throw new UsageError(`${label} "${shown}" has database index "${path}"; expected a number such as /9`);
  }
  const port = u.port ? Number(u.port) : 6379;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new UsageError(`${label} "${shown}" has a malformed %-escape in its user name or password`, 'write % itself as %25');
    }
  };
  const password = u.password ? decode(u.password) : undefined;
  const username = u.username ? decode(u.username) : undefined;
  return {
    host: (u.hostname || '127.0.0.1').replace(/^\[|\]$/g, ''),
    port,
    db,
    password,
    username,
    tls: u.protocol === 'rediss:',
    masked: `${u.protocol}//${password ? ':***@' : ''}${u.hostname || '127.0.0.1'}:${port}/${db}`,
  };
}
