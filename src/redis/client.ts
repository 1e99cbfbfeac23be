import { Redis } from 'ioredis';
import type { RedisUrl } from '../config/redis-url.js';
import { RuntimeFailure } from '../errors.js';

/**
 * Open an ioredis client and check it answers. Fails fast (no endless reconnect loop) with a
 * message that names the host and what to check.
 */
export async function openRedis(url: RedisUrl, opts: { name?: string; flag?: string } = {}): Promise<Redis> {
  const redis = new Redis({
    host: url.host,
    port: url.port,
    db: url.db,
    username: url.username,
    password: url.password,
    tls: url.tls ? {} : undefined,
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => (times > 3 ? null : Math.min(times * 200, 1000)),
    connectionName: opts.name ?? 'sentry-admin',
  });
  redis.on('error', () => undefined); // reported by the failing command instead
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new RuntimeFailure(
      `cannot connect to Redis at ${url.masked}: ${(err as Error).message}`,
      `check that Redis is running at ${url.host}:${url.port}, or pass ${opts.flag ?? '--redis'}`,
    );
  }
  return redis;
}
