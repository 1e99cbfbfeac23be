import type { RedisUrl } from '../config/redis-url.js';
import { PENDING_KEY } from '../drain/routing.js';
import { openRedis } from '../redis/client.js';

/**
 * Does Sentry's Redis buffer still hold counters the database has not received? Sentry 7.7's
 * RedisBuffer (`sentry/buffer/redis.py`, `RedisBuffer.incr`) adds to a hash `b:k:<md5>` and lists it
 * in the sorted set `b:p`; `process_pending` and `process` apply and delete them (docs/sentry7-buffer.md).
 * Pending means either: a key listed in `b:p`, or a `b:k:*` hash left behind by a flush that died.
 */
export async function pendingBufferKeys(urls: RedisUrl[]): Promise<{ pending: number; checked: boolean; where: string }> {
  let pending = 0;
  for (const url of urls) {
    const redis = await openRedis(url, { name: 'sentry-admin-sync', flag: '--sentry-redis' });
    try {
      pending += await redis.zcard(PENDING_KEY);
      if (!pending) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', 'b:k:*', 'COUNT', 1000);
          pending += keys.length;
          cursor = next;
        } while (cursor !== '0' && !pending);
      }
    } finally {
      redis.disconnect();
    }
  }
  return { pending, checked: urls.length > 0, where: urls.map((u) => u.masked).join(' ') };
}
