import type { Redis } from 'ioredis';
import type { RedisUrl } from '../config/redis-url.js';
import { UsageError } from '../errors.js';

/**
 * Refuse a staging Redis that may evict our keys. Staged payloads, streams and counters carry no TTL, so
 * `noeviction` and the `volatile-*` policies (which only evict keys with a TTL) never drop them; under
 * `volatile-*` a lease (which has a TTL) may be evicted, and its holder then sees the lease lost and stops
 * cleanly — nothing is lost. `allkeys-*` may drop a chunk payload or a checkpoint at any moment, so it is
 * refused whatever maxmemory is now (a later CONFIG SET maxmemory would start the evictions mid-run).
 */
export async function refuseEvictingRedis(redis: Redis, url: RedisUrl): Promise<void> {
  // INFO is allowed on managed Redis services that rename CONFIG; if even INFO is refused we cannot tell, and go on.
  const info = await redis.info('memory').catch(() => '');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? 'noeviction';
  if (!policy.startsWith('allkeys-')) return;
  throw new UsageError(
    `the staging Redis ${url.masked} has maxmemory-policy ${policy}, which may evict staged chunks mid-run and lose rows; nothing was written`,
    `run \`redis-cli -h ${url.host} -p ${url.port} CONFIG SET maxmemory-policy noeviction\` (and set it in redis.conf so it survives a restart; volatile-* also works), or stage in another Redis instance with --redis`,
  );
}
