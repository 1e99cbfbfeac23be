/**
 * Where Sentry 7.7 keeps each buffer key, computed exactly as it does (docs/sentry7-buffer.md §2.2, §4):
 * - the hash key `b:k:<app_label.model_name>:<md5 of the sorted filters>` (sentry/buffer/redis.py `_make_key` at 7.7.0);
 * - the host, nydus 0.11.0 `PartitionRouter`: `crc32(str(key)) % len(hosts)` with Python 2's SIGNED crc32 and
 *   floored modulo, so `-41287917 % 3 == 0` (JS `%` and an unsigned crc32 would both give other hosts).
 */
import { createHash } from 'node:crypto';

export const PENDING_KEY = 'b:p';
export const KEY_TTL_SECONDS = 3600; // RedisBuffer.key_expire
export const PENDING_LOCK_TTL_SECONDS = 60; // process_pending: set(lock, nx, ex=60)
export const KEY_LOCK_TTL_SECONDS = 10; // process: set(lock, nx, ex=10)

/** `_make_lock_key`: `l:b:p` for the flush, `l:b:k:…` per hash. */
export const lockKey = (key: string): string => `l:${key}`;

/** A buffer hash key as Sentry 7 names it; anything else under `b:k:` is left alone. */
export const BUFFER_KEY = /^b:k:([a-z0-9_]+\.[a-z0-9_]+):([0-9a-f]{32})$/;

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Python 2 `binascii.crc32(data)`: the IEEE CRC-32 as a SIGNED 32-bit int. */
export function pythonCrc32(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) | 0;
}

/** nydus `PartitionRouter._route`: Python's `%` takes the sign of the divisor. */
export function partitionHost(key: Uint8Array | string, hostCount: number): number {
  if (!Number.isInteger(hostCount) || hostCount < 1) throw new RangeError(`host count must be >= 1, got ${hostCount}`);
  const s = pythonCrc32(key);
  return ((s % hostCount) + hostCount) % hostCount;
}

/** A filter value as `_coerce_val` + `smart_str` render it: ints without `L`, unicode as UTF-8, str as its bytes. */
export type FilterScalar = number | bigint | string | Uint8Array | null | boolean;

export function smartStr(v: FilterScalar): Buffer {
  if (v === null) return Buffer.from('None');
  if (typeof v === 'boolean') return Buffer.from(v ? 'True' : 'False');
  if (typeof v === 'bigint') return Buffer.from(v.toString());
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new RangeError(`filter value ${v} is not an integer`);
    return Buffer.from(String(v));
  }
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.from(v);
}

/**
 * `_make_key(model, filters)`. `meta` is `model._meta` (e.g. `sentry.tagvalue`); filter names are sorted as
 * Python 2 sorts byte strings, then `name=value` pairs are joined with `&` and md5-hashed as raw bytes.
 */
export function bufferKey(meta: string, filters: Iterable<[string, FilterScalar]>): string {
  const pairs = [...filters].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts: Buffer[] = [];
  pairs.forEach(([k, v], i) => {
    if (i) parts.push(Buffer.from('&'));
    parts.push(Buffer.from(`${k}=`, 'utf8'), smartStr(v));
  });
  return `b:k:${meta}:${createHash('md5').update(Buffer.concat(parts)).digest('hex')}`;
}

/** A cluster of Sentry buffer hosts in Sentry's numbering (`SENTRY_BUFFER_OPTIONS['hosts']` 0..n-1). */
export class PartitionRouting {
  constructor(readonly hostCount: number) {}
  hostOf(key: string): number {
    return partitionHost(key, this.hostCount);
  }
  lockHostOf(key: string): number {
    return partitionHost(lockKey(key), this.hostCount);
  }
  get pendingLockHost(): number {
    return partitionHost(lockKey(PENDING_KEY), this.hostCount);
  }
}
