/**
 * The column order of the UPDATE Sentry 7.7's buffer flush sends, derived as CPython 2.7 derives it.
 *
 * Sentry builds the SET clause from Python 2 dicts (at 7.7.0):
 *   buffer/redis.py RedisBuffer.process: values = conn.hgetall(key)   (redis-py: dict(izip(it, it)), HGETALL order)
 *                                        incr_values[k[2:]] = …, extra_values[k[2:]] = … for k in values.iteritems()
 *   buffer/base.py  Buffer.process:      update_kwargs = dict((c, F(c) + v) for c, v in columns.iteritems())
 *                                        update_kwargs.update(extra)
 *   db/models/query.py create_or_update: objects.filter(**kwargs).update(**values)   (a new **kwargs dict)
 *   Django 1.6 UpdateQuery.add_update_values: for name, val in six.iteritems(values) → SET in that order.
 * MySQL evaluates a single-table UPDATE's assignments left to right on the values already assigned, so the order
 * decides whether `score = log(times_seen) * 600 + unix_timestamp(last_seen)` sees the new `times_seen` and the new
 * `last_seen` (PostgreSQL evaluates every assignment on the old row: order does not matter there).
 *
 * CPython 2.7's dict order is deterministic when hash randomisation is off (its default): this file reproduces
 * Objects/stringobject.c string_hash and Objects/dictobject.c (lookdict_string's probing, insertdict, the resize
 * rule of PyDict_SetItem, dictresize, PyDict_Merge's pre-size) for `str` keys on a 64-bit build. Only insertions
 * happen in that chain (no deletions, so no dummy slots). The result is checked against a real CPython 2.7 for every
 * shape Sentry can write (test/unit/drain-set-order.test.ts).
 */

const MASK64 = (1n << 64n) - 1n;
const MULT = 1000003n;

/** string_hash of a Python 2 `str` (64-bit `long`, randomisation off: prefix = suffix = 0), as unsigned 64 bits. */
export function py27StrHash(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  let x = BigInt(bytes[0]) << 7n;
  for (const b of bytes) x = ((MULT * x) & MASK64) ^ BigInt(b);
  x ^= BigInt(bytes.length);
  if (x === MASK64) x = MASK64 - 1n; // -1 is reserved: becomes -2
  return x;
}

interface Slot {
  key: string;
  hash: bigint;
}

/** A CPython 2.7 dict of `str` keys (values are irrelevant to the order), insertions only. */
export class Py27Dict {
  private table: (Slot | null)[] = new Array(8).fill(null);
  private fill = 0;
  private used = 0;
  private static readonly hashes = new Map<string, bigint>();

  private static hashOf(key: string): bigint {
    let h = Py27Dict.hashes.get(key);
    if (h === undefined) Py27Dict.hashes.set(key, (h = py27StrHash(Buffer.from(key, 'latin1'))));
    return h;
  }

  /** The slot a key is in, or the empty slot it would go to (lookdict_string without dummies). */
  private slotOf(key: string, hash: bigint): number {
    const mask = BigInt(this.table.length - 1);
    let i = hash & mask;
    let perturb = hash;
    for (;;) {
      const s = this.table[Number(i & mask)];
      if (s === null || s.key === key) return Number(i & mask);
      i = ((i << 2n) + i + perturb + 1n) & MASK64;
      perturb >>= 5n;
    }
  }

  private insert(key: string, hash: bigint): void {
    const at = this.slotOf(key, hash);
    if (this.table[at] !== null) return; // an existing key keeps its slot
    this.table[at] = { key, hash };
    this.fill++;
    this.used++;
  }

  private resize(minused: number): void {
    let size = 8;
    while (size <= minused) size <<= 1;
    const old = this.table;
    this.table = new Array(size).fill(null);
    this.fill = 0;
    this.used = 0;
    for (const s of old) if (s) this.insert(s.key, s.hash);
  }

  /** PyDict_SetItem: d[key] = … (also dict(iterable of pairs), and each keyword of a **kwargs call). */
  set(key: string): this {
    const before = this.used;
    this.insert(key, Py27Dict.hashOf(key));
    if (this.used > before && this.fill * 3 >= this.table.length * 2) this.resize((this.used > 50000 ? 2 : 4) * this.used);
    return this;
  }

  /** PyDict_Merge(self, other, override=1): dict.update(other) with a dict argument. */
  update(other: Py27Dict): this {
    if (other.used === 0) return this;
    if ((this.fill + other.used) * 3 >= this.table.length * 2) this.resize((this.used + other.used) * 2);
    for (const s of other.table) if (s) this.insert(s.key, s.hash);
    return this;
  }

  /** Iteration order (PyDict_Next: slots in table order). */
  keys(): string[] {
    return this.table.filter((s): s is Slot => s !== null).map((s) => s.key);
  }

  static of(keys: Iterable<string>): Py27Dict {
    const d = new Py27Dict();
    for (const k of keys) d.set(k);
    return d;
  }
}

const orders = new Map<string, string[]>();

/**
 * The field names (Django model field names, e.g. `culprit`, not the column `view`) of Sentry's UPDATE in its SET
 * order, from a buffer hash's field names in HGETALL order (names as latin1 strings). Memoised: a drain sees few
 * distinct field lists.
 */
export function sentrySetOrder(hashFields: string[]): string[] {
  const id = hashFields.join('\0');
  let out = orders.get(id);
  if (out) return out;
  const values = Py27Dict.of(hashFields);
  const incr = new Py27Dict();
  const extra = new Py27Dict();
  for (const k of values.keys()) {
    if (k.startsWith('i+')) incr.set(k.slice(2));
    else if (k.startsWith('e+')) extra.set(k.slice(2));
  }
  const updateKwargs = Py27Dict.of(incr.keys()).update(extra);
  out = Py27Dict.of(updateKwargs.keys()).keys(); // update(**values): a fresh dict, keyword by keyword
  orders.set(id, out);
  return out;
}
