/**
 * The Redis side of the drain: Sentry's locks, the atomic take, the byte-exact re-buffer. Every write here goes
 * to the host nydus would route it to (routing.ts), and nothing but `b:p`, `b:k:*` and their `l:` locks is touched.
 *
 * Scripts rather than MULTI/EXEC: a script is as atomic as Sentry's pipeline. A batch goes as one script call per
 * SCRIPT_KEYS keys, one call after the other: Redis runs a call whole (and a pipeline of calls back to back), so
 * other clients (Sentry itself) wait for at most one call (25 keys: about 0.1 ms; 100 and 400 keys per call measured
 * a PING p99 of 5.1 and 6.8 ms during a drain on a loaded 2-core machine, 25 keys 3.8 ms). Every redis call inside
 * is a pcall: a script that raised half-way would have deleted hashes whose fields never reach us.
 */
import type { Redis } from 'ioredis';
import { KEY_LOCK_TTL_SECONDS, KEY_TTL_SECONDS, PENDING_KEY, PENDING_LOCK_TTL_SECONDS, lockKey } from './routing.js';

/**
 * For each key: HGETALL + DEL + ZREM b:p in one step, so each increment is read by exactly one reader (Sentry's
 * process() does HGETALL+DEL in one MULTI). KEYS = b:p, then the keys; ARGV[1] = 'orphan' leaves a key that b:p
 * still lists to the b:p pass. Returns (status, value) pairs: 0 + fields taken, 1 listed, 2 + error message.
 */
const TAKE = `
local out = {}
for i = 2, #KEYS do
  local k = KEYS[i]
  local listed = ARGV[1] == 'orphan' and redis.pcall('ZSCORE', KEYS[1], k)
  if listed then
    out[#out + 1] = 1; out[#out + 1] = ''
  else
    local v = redis.pcall('HGETALL', k)
    if v.err then
      out[#out + 1] = 2; out[#out + 1] = v.err
    else
      redis.pcall('DEL', k)
      redis.pcall('ZREM', KEYS[1], k)
      out[#out + 1] = 0; out[#out + 1] = v
    end
  end
end
return out`;

/** SET key token NX EX ttl for each key (ARGV = token, ttl): 1 where we got the lock. */
const LOCK = `
local out = {}
for i = 1, #KEYS do
  local r = redis.pcall('SET', KEYS[i], ARGV[1], 'EX', ARGV[2], 'NX')
  out[i] = (type(r) == 'table' and r.ok) and 1 or 0
end
return out`;

/** Compare-and-delete each key holding ARGV[1]. */
const UNLOCK = `
local n = 0
for i = 1, #KEYS do
  if redis.pcall('GET', KEYS[i]) == ARGV[1] then redis.pcall('DEL', KEYS[i]); n = n + 1 end
end
return n`;

/** Keys per script call (see the file comment). */
export const SCRIPT_KEYS = 25;

/**
 * Put taken fields back as they were, merged with whatever Sentry wrote since: counters add up (HINCRBY),
 * everything else only fills gaps (HSETNX: a newer extra wins, as Sentry's last-write-wins would have it).
 * ARGV = now, ttl, then (mode, field, value) triples; mode 'i' = HINCRBY (validated integer), 's' = HSETNX.
 */
const REBUFFER = `
for i = 3, #ARGV, 3 do
  if ARGV[i] == 'i' then redis.call('HINCRBY', KEYS[1], ARGV[i+1], ARGV[i+2])
  else redis.call('HSETNX', KEYS[1], ARGV[i+1], ARGV[i+2]) end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], KEYS[1])
return 1`;

const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type Scripted = Redis & {
  saTakeBuffer(numKeys: number, ...args: string[]): Promise<(number | Buffer | Buffer[])[]>;
  saLock(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
  saUnlock(numKeys: number, ...args: string[]): Promise<number>;
  saRebuffer(key: string, pending: string, ...argv: (string | Buffer)[]): Promise<number>;
  saRefresh(key: string, token: string, ttl: number): Promise<number>;
  saRelease(key: string, token: string): Promise<number>;
};

export function defineScripts(redis: Redis): void {
  if ((redis as unknown as Partial<Scripted>).saTakeBuffer) return;
  redis.defineCommand('saTake', { lua: TAKE });
  redis.defineCommand('saLock', { lua: LOCK });
  redis.defineCommand('saUnlock', { lua: UNLOCK });
  redis.defineCommand('saRebuffer', { numberOfKeys: 2, lua: REBUFFER });
  redis.defineCommand('saRefresh', { numberOfKeys: 1, lua: REFRESH });
  redis.defineCommand('saRelease', { numberOfKeys: 1, lua: RELEASE });
}

/** `call` for each slice of SCRIPT_KEYS items, one after the other; results in order. */
async function sliced<T, R>(items: T[], call: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let s = 0; s < items.length; s += SCRIPT_KEYS) out.push(...(await call(items.slice(s, s + SCRIPT_KEYS))));
  return out;
}

/** Raw hash fields exactly as Redis holds them. */
export type RawFields = [name: Buffer, value: Buffer][];

export type TakeResult = { kind: 'taken'; fields: RawFields } | { kind: 'empty' } | { kind: 'listed' } | { kind: 'error'; message: string };

/** Atomically take a batch of keys of one host (one script call per SCRIPT_KEYS keys). */
export async function takeKeys(redis: Redis, keys: string[], mode: 'pending' | 'orphan'): Promise<TakeResult[]> {
  return sliced(keys, async (slice) => {
    let reply: (number | Buffer | Buffer[])[];
    try {
      reply = await (redis as unknown as Scripted).saTakeBuffer(slice.length + 1, PENDING_KEY, ...slice, mode);
    } catch (e) {
      // the script did not run (or was refused as a whole): nothing was taken
      return slice.map((): TakeResult => ({ kind: 'error', message: (e as Error).message }));
    }
    return slice.map((_, i): TakeResult => {
      const [status, value] = [reply[2 * i], reply[2 * i + 1]];
      if (status === 1) return { kind: 'listed' };
      if (status !== 0) return { kind: 'error', message: Buffer.isBuffer(value) ? value.toString() : 'no reply' };
      const flat = value as Buffer[];
      if (!flat.length) return { kind: 'empty' };
      const fields: RawFields = [];
      for (let j = 0; j + 1 < flat.length; j += 2) fields.push([flat[j], flat[j + 1]]);
      return { kind: 'taken', fields };
    });
  });
}

const INTEGER = /^-?\d{1,18}$/;

/** Re-buffer one key's raw fields byte for byte (see REBUFFER). */
export async function rebufferKey(redis: Redis, key: string, fields: RawFields, now = Date.now()): Promise<void> {
  const argv: (string | Buffer)[] = [(now / 1000).toFixed(6), String(KEY_TTL_SECONDS)];
  for (const [name, value] of fields) {
    const counter = name.length > 2 && name[0] === 0x69 && name[1] === 0x2b && INTEGER.test(value.toString('latin1'));
    argv.push(counter ? 'i' : 's', name, value);
  }
  await (redis as unknown as Scripted).saRebuffer(key, PENDING_KEY, ...argv);
}

/** `SET key token NX EX ttl` for many keys on one host; true where we got the lock. */
export async function lockKeys(redis: Redis, keys: string[], token: string, ttl = KEY_LOCK_TTL_SECONDS): Promise<boolean[]> {
  return sliced(keys, async (slice) => {
    const r = await (redis as unknown as Scripted).saLock(slice.length, ...slice.map(lockKey), token, ttl);
    return slice.map((_, i) => r[i] === 1);
  });
}

/** Compare-and-delete our per-key locks (Sentry 7.7 lets them expire; deleting only ours is the Sentry 8 way). */
export async function unlockKeys(redis: Redis, keys: string[], token: string): Promise<void> {
  await sliced(keys, async (slice) => [await (redis as unknown as Scripted).saUnlock(slice.length, ...slice.map(lockKey), token)]);
}

/** Sentry's flush lock `l:b:p`, held with our token so its `process_pending` returns at once while we drain. */
export class PendingLock {
  private timer?: NodeJS.Timeout;
  lost = false;
  constructor(
    private readonly redis: Redis,
    readonly token: string,
  ) {}

  async tryAcquire(): Promise<boolean> {
    return (await this.redis.set(lockKey(PENDING_KEY), this.token, 'EX', PENDING_LOCK_TTL_SECONDS, 'NX')) === 'OK';
  }

  /** Refresh every `everyMs` (compare-and-expire); marks `lost` if someone else's value is there. */
  keepAlive(everyMs = 15_000): void {
    this.timer = setInterval(() => {
      (this.redis as unknown as Scripted)
        .saRefresh(lockKey(PENDING_KEY), this.token, PENDING_LOCK_TTL_SECONDS)
        .then((ok) => {
          if (!ok) this.lost = true;
        })
        .catch(() => undefined);
    }, everyMs);
    this.timer.unref();
  }

  async holder(): Promise<string | null> {
    return this.redis.get(lockKey(PENDING_KEY));
  }

  async release(): Promise<boolean> {
    if (this.timer) clearInterval(this.timer);
    return (await (this.redis as unknown as Scripted).saRelease(lockKey(PENDING_KEY), this.token)) === 1;
  }
}
