/**
 * The Redis side of the drain: Sentry's locks, the atomic take, the byte-exact re-buffer. Every write here goes
 * to the host nydus would route it to (routing.ts), and nothing but `b:p`, `b:k:*` and their `l:` locks is touched.
 *
 * Scripts rather than MULTI/EXEC: one EVALSHA per key is as atomic as Sentry's pipeline and costs one command
 * slot, so a pipeline of a batch's scripts still lets other clients in between keys.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { KEY_LOCK_TTL_SECONDS, KEY_TTL_SECONDS, PENDING_KEY, PENDING_LOCK_TTL_SECONDS, lockKey } from './routing.js';

/**
 * HGETALL + DEL + ZREM b:p in one step, so each increment is read by exactly one reader (Sentry's process()
 * does HGETALL+DEL in one MULTI). ARGV[1] = 'orphan' leaves a key that b:p still lists to the b:p pass (nil).
 */
const TAKE = `
if ARGV[1] == 'orphan' and redis.call('ZSCORE', KEYS[2], KEYS[1]) then return false end
local v = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
return v`;

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
  saTakeBuffer(key: string, pending: string, mode: string): Promise<Buffer[] | null>;
  saRebuffer(key: string, pending: string, ...argv: (string | Buffer)[]): Promise<number>;
  saRefresh(key: string, token: string, ttl: number): Promise<number>;
  saRelease(key: string, token: string): Promise<number>;
};
type ScriptedPipe = ChainableCommander & {
  saTakeBuffer(key: string, pending: string, mode: string): ChainableCommander;
  saRelease(key: string, token: string): ChainableCommander;
};

export function defineScripts(redis: Redis): void {
  if ((redis as unknown as Partial<Scripted>).saTakeBuffer) return;
  redis.defineCommand('saTake', { numberOfKeys: 2, lua: TAKE });
  redis.defineCommand('saRebuffer', { numberOfKeys: 2, lua: REBUFFER });
  redis.defineCommand('saRefresh', { numberOfKeys: 1, lua: REFRESH });
  redis.defineCommand('saRelease', { numberOfKeys: 1, lua: RELEASE });
}

/**
 * Commands per pipeline round trip. Redis runs a client's pipelined commands back to back, so a batch of a thousand
 * keys goes in slices: other clients (Sentry itself) wait for at most one slice.
 */
export const PIPELINE_SLICE = 100;

/** Run `add` for each item in pipelines of PIPELINE_SLICE commands, one slice after the other; replies in order. */
async function sliced<T>(redis: Redis, items: T[], add: (pipe: ScriptedPipe, item: T) => void): Promise<[Error | null, unknown][]> {
  const out: [Error | null, unknown][] = [];
  for (let s = 0; s < items.length; s += PIPELINE_SLICE) {
    const pipe = redis.pipeline() as ScriptedPipe;
    for (const x of items.slice(s, s + PIPELINE_SLICE)) add(pipe, x);
    out.push(...((await pipe.exec()) ?? []));
  }
  return out;
}

/** Raw hash fields exactly as Redis holds them. */
export type RawFields = [name: Buffer, value: Buffer][];

export type TakeResult = { kind: 'taken'; fields: RawFields } | { kind: 'empty' } | { kind: 'listed' } | { kind: 'error'; message: string };

/** Atomically take a batch of keys of one host (one pipeline, one script per key). */
export async function takeKeys(redis: Redis, keys: string[], mode: 'pending' | 'orphan'): Promise<TakeResult[]> {
  if (!keys.length) return [];
  const res = await sliced(redis, keys, (pipe, k) => pipe.saTakeBuffer(k, PENDING_KEY, mode));
  return keys.map((_, i): TakeResult => {
    const [err, reply] = res[i] ?? [new Error('no reply'), null];
    if (err) return { kind: 'error', message: err.message };
    if (reply === null) return { kind: 'listed' };
    const flat = reply as Buffer[];
    if (!flat.length) return { kind: 'empty' };
    const fields: RawFields = [];
    for (let j = 0; j + 1 < flat.length; j += 2) fields.push([flat[j], flat[j + 1]]);
    return { kind: 'taken', fields };
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
  if (!keys.length) return [];
  const res = await sliced(redis, keys, (pipe, k) => pipe.set(lockKey(k), token, 'EX', ttl, 'NX'));
  return keys.map((_, i) => !res[i]?.[0] && res[i]?.[1] === 'OK');
}

/** Compare-and-delete our per-key locks (Sentry 7.7 lets them expire; deleting only ours is the Sentry 8 way). */
export async function unlockKeys(redis: Redis, keys: string[], token: string): Promise<void> {
  if (!keys.length) return;
  await sliced(redis, keys, (pipe, k) => pipe.saRelease(lockKey(k), token));
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
