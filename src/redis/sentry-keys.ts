import type { Redis } from 'ioredis';

/** Keys Sentry 7 keeps in its own Redis (buffer, locks, celery/kombu broker). */
const EXACT = ['b:p', 'l:b:p', 'celery', 'counters-0', 'events', 'cleanup', 'default', 'unacked', 'unacked_index'];
const PATTERNS = ['b:k:*', 'l:*', '_kombu.binding.*', 'ts:*', 'tsdb:*'];

export interface SentryKeyReport {
  sentryKeysFound: boolean;
  /** A few example key names per kind, for the warning text. */
  examples: string[];
  /** Total keys in this database (DBSIZE). */
  dbsize: number;
}

/**
 * Does this Redis database hold Sentry's own keys? Staging a migration next to them is what once
 * froze a production Redis. Bounded: EXISTS on the fixed names, then a few SCAN pages; never KEYS.
 */
export async function detectSentryKeys(redis: Redis, opts: { scanPages?: number } = {}): Promise<SentryKeyReport> {
  const examples: string[] = [];
  const dbsize = await redis.dbsize();
  if (dbsize === 0) return { sentryKeysFound: false, examples, dbsize };
  const pipe = redis.pipeline();
  for (const k of EXACT) pipe.exists(k);
  const res = (await pipe.exec()) ?? [];
  EXACT.forEach((k, i) => {
    if (Number(res[i]?.[1]) > 0) examples.push(k);
  });
  for (const pattern of PATTERNS) {
    let cursor = '0';
    for (let page = 0; page < (opts.scanPages ?? 5); page++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      const found = keys.find((k) => !examples.includes(k));
      if (found) {
        examples.push(found);
        break;
      }
      cursor = next;
      if (cursor === '0') break;
    }
  }
  return { sentryKeysFound: examples.length > 0, examples, dbsize };
}
