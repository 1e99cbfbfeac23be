import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { type CliError, LockedError, RuntimeFailure } from '../errors.js';

/**
 * A lease: a Redis key that says "this process holds X" and dies with its holder.
 *
 *   take     SET key token NX PX ttl           (token = host:pid:random, unique to this holder)
 *   refresh  every ttl/3, PEXPIRE only if GET key == token (one Lua call)
 *   release  DEL only if GET key == token (one Lua call), so a late release never frees someone else's lease
 *   lost     when a refresh finds the key gone or owned by another token (deleted by hand, by `discard --force`,
 *            evicted, or expired while this process was paused), or when no refresh has succeeded for a whole
 *            ttl: `lost` (an AbortSignal) is raised once, with the reason. The holder must stop using what the
 *            lease protected; `throwIfLost()` turns it into a RuntimeFailure with a message a user can act on.
 *
 * A holder killed with SIGKILL leaves a key that expires within `ttlMs`: that expiry is how others learn that
 * it is dead (importers reclaim a dead importer's chunks only after its lease is gone).
 */
export interface LeaseOptions {
  ttlMs?: number;
  /** How long to wait for a lease someone else holds before giving up (LockedError). 0: do not wait. */
  waitMs?: number;
  /** What the lease stands for, in words ("an export", "importer vm-1:4242:9f3a"). */
  what: string;
  /** The token to write (default host:pid:random). */
  token?: string;
  signal?: AbortSignal;
  /** Asked once when the lease is lost: a better error than "lease lost" (e.g. "the run was discarded"), or null. */
  explain?: () => Promise<CliError | null>;
}

export class Lease {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastRefresh = Date.now();
  private released = false;
  /** Raised once when the lease is no longer ours; the reason is `lostReason`. */
  readonly lost: AbortSignal = this.controller.signal;
  lostReason: string | null = null;
  private lostError: CliError | null = null;
  explain?: () => Promise<CliError | null>;

  private constructor(
    readonly redis: Redis,
    readonly key: string,
    readonly token: string,
    readonly ttlMs: number,
    readonly what: string,
  ) {}

  /** Take the lease, waiting up to `waitMs` for its holder to release it or die. */
  static async acquire(redis: Redis, key: string, o: LeaseOptions): Promise<Lease> {
    const ttl = o.ttlMs ?? 15_000;
    const token = o.token ?? newToken();
    const deadline = Date.now() + (o.waitMs ?? ttl + 2_000);
    while (!(await redis.set(key, token, 'PX', ttl, 'NX'))) {
      if (Date.now() >= deadline || o.signal?.aborted) {
        const holder = await redis.get(key);
        throw new LockedError(`${o.what} is already running (lease ${key} held by ${holder ?? 'a process that just ended'})`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const lease = new Lease(redis, key, token, ttl, o.what);
    lease.explain = o.explain;
    lease.start();
    return lease;
  }

  private start(): void {
    this.timer = setInterval(() => void this.refresh(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** One refresh; also called by holders that want to know now (e.g. just before a commit). */
  async refresh(): Promise<boolean> {
    if (this.released || this.lost.aborted) return !this.lost.aborted;
    try {
      const ok = (await this.redis.eval(REFRESH, 1, this.key, this.token, this.ttlMs)) as number;
      if (ok === 1) {
        this.lastRefresh = Date.now();
        return true;
      }
      const holder = await this.redis.get(this.key).catch(() => null);
      this.lostError = (await this.explain?.().catch(() => null)) ?? null;
      this.lose(holder ? `its lease ${this.key} is now held by ${holder}` : `its lease ${this.key} was deleted or expired`);
      return false;
    } catch (err) {
      // Redis unreachable: the key may still be ours. Once a whole ttl has passed without a refresh it has expired.
      if (Date.now() - this.lastRefresh >= this.ttlMs) this.lose(`its lease ${this.key} could not be refreshed for ${this.ttlMs} ms (${(err as Error).message})`);
      return false;
    }
  }

  private lose(reason: string): void {
    if (this.lost.aborted) return;
    this.lostReason = reason;
    if (this.timer) clearInterval(this.timer);
    this.controller.abort(new Error(reason));
  }

  /** RuntimeFailure when the lease was lost: the holder stops, and the user is told what happened and what to do. */
  throwIfLost(): void {
    if (!this.lost.aborted) return;
    if (this.lostError) throw this.lostError;
    throw new RuntimeFailure(
      `${this.what} stopped: ${this.lostReason}; another process may have taken over, or the run was discarded`,
      'check `sentry-admin status` with the same --redis and --namespace; if nothing else is running, run the same command again to resume',
    );
  }

  /** Give the lease back (only if it is still ours). Safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    await this.redis.eval(RELEASE, 1, this.key, this.token).catch(() => undefined);
  }
}

/** host:pid:random — unique to one holder, and says where it runs. */
export function newToken(prefix?: string): string {
  return `${prefix ?? hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

const REFRESH = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
