/**
 * A Python 2 pickler that writes what CPython 2.7 `cPickle.dumps(obj, protocol)` writes, for protocols 0, 1, 2.
 *
 * Byte-for-byte equal to cPickle (checked against CPython 2.7.18) for scalars, lists, tuples, single-key dicts,
 * datetimes (naive or pytz UTC) and timedeltas, including cPickle's memo numbering (from 1), its rule that a
 * `str`/`unicode` shorter than 2 characters is never memoized, and its batching of APPENDS/SETITEMS by 1000.
 * Limits:
 * - dict items are written in JS insertion order; CPython writes hash order, so multi-key dicts are equal as
 *   values but not necessarily as bytes;
 * - cPickle memoizes by object identity: the same Python string object written twice becomes `g<n>`. JS string
 *   primitives have no identity, so every occurrence is written in full (Python loads the same value). Arrays,
 *   Maps, plain objects, PyTuple, PyStr/Buffer and PyDateTime objects seen twice are written as memo GETs;
 * - `-0` is written as the float -0.0; integral JS numbers outside the safe-integer range are written as floats (pass a bigint for a long, or
 *   PyInt for a big int); lone UTF-16 surrogates are written as U+FFFD in protocols 1 and 2;
 * - any tz-aware datetime is written with pytz `_UTC` and must have offset 0.
 */
import { formatFloat17, encodeRawUnicodeEscape, reprBytes } from './py-text.js';
import {
  PickleError, PyDateTime, PyFloat, PyGlobal, PyInt, PyObject, PyStr, PyTimedelta, PyTuple, PyTzInfo,
  isPlainDict, type PyValue,
} from './py-value.js';

export type PickleProtocol = 0 | 1 | 2;

const BATCHSIZE = 1000;
const UTC_KEY = '\0pytz.utc';

/** `cPickle.dumps(value, protocol)`; protocol 0 is what Sentry 7 writes to Redis and GzippedDictFields. */
export function pickle(value: PyValue, protocol: PickleProtocol = 0): Buffer {
  const p = new Pickler(protocol);
  if (protocol === 2) p.bytes(0x80, 2);
  p.save(value);
  p.bytes(0x2e);
  return p.result();
}

class Pickler {
  /** Output so far: `out[0, len)`, grown by doubling (one buffer, not a chunk per opcode). */
  private out = Buffer.allocUnsafe(256);
  private len = 0;
  /** object (or a string key for globals / the UTC singleton) -> memo index */
  private memo = new Map<unknown, number>();
  private nextMemo = 1;
  private readonly bin: boolean;
  private depth = 0;

  constructor(private readonly proto: PickleProtocol) {
    this.bin = proto >= 1;
  }

  result(): Buffer {
    return Buffer.from(this.out.subarray(0, this.len));
  }

  private room(n: number): void {
    if (this.len + n <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.len + n));
    this.out.copy(grown, 0, 0, this.len);
    this.out = grown;
  }

  bytes(...b: number[]): void {
    this.room(b.length);
    for (const x of b) this.out[this.len++] = x;
  }

  private raw(buf: Uint8Array): void {
    this.room(buf.length);
    this.out.set(buf, this.len);
    this.len += buf.length;
  }

  /** A string of code points < 256, one byte each. */
  private text(s: string): void {
    this.room(s.length);
    this.len += this.out.write(s, this.len, 'latin1');
  }

  private u32(n: number): void {
    this.bytes(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }

  private put(key?: unknown): void {
    const idx = this.nextMemo++;
    if (key !== undefined) this.memo.set(key, idx);
    if (!this.bin) this.text(`p${idx}\n`);
    else if (idx < 256) this.bytes(0x71, idx);
    else (this.bytes(0x72), this.u32(idx));
  }

  /** Writes a memo GET if `key` was memoized already. */
  private fetched(key: unknown): boolean {
    const idx = this.memo.get(key);
    if (idx === undefined) return false;
    if (!this.bin) this.text(`g${idx}\n`);
    else if (idx < 256) this.bytes(0x68, idx);
    else (this.bytes(0x6a), this.u32(idx));
    return true;
  }

  save(v: PyValue): void {
    if (++this.depth > 1000) throw new PickleError('value nested deeper than 1000 levels (or a cycle through a tuple)');
    try {
      this.saveInner(v);
    } finally {
      this.depth--;
    }
  }

  private saveInner(v: PyValue): void {
    if (v === null || v === undefined) return this.bytes(0x4e);
    if (typeof v === 'boolean') return this.proto >= 2 ? this.bytes(v ? 0x88 : 0x89) : this.text(v ? 'I01\n' : 'I00\n');
    if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? this.saveInt(BigInt(v)) : this.saveFloat(v);
    if (typeof v === 'bigint') return this.saveLong(v);
    if (typeof v === 'string') return this.saveUnicode(v);
    if (v instanceof PyInt) return this.saveInt(v.value);
    if (v instanceof PyFloat) return this.saveFloat(v.value);
    if (typeof v !== 'object') throw new PickleError(`cannot pickle a JS ${typeof v}`);
    if (this.fetched(v)) return;
    if (v instanceof PyStr) return this.saveBytes(v.bytes, v);
    if (v instanceof Uint8Array) return this.saveBytes(v, v);
    if (Array.isArray(v)) return this.saveList(v);
    if (v instanceof PyTuple) return this.saveTuple(v.items, v);
    if (v instanceof Map) return this.saveDict([...v], v);
    if (v instanceof PyDateTime) return this.saveDateTime(v);
    if (v instanceof PyTimedelta) return this.saveReduce('datetime', 'timedelta', [v.days, v.seconds, v.microseconds], v);
    if (v instanceof PyTzInfo) return this.saveTz(v);
    if (v instanceof PyGlobal || v instanceof PyObject) throw new PickleError(`cannot pickle opaque ${v.module}.${v.name}`);
    if (isPlainDict(v)) return this.saveDict(Object.entries(v), v);
    throw new PickleError(`cannot pickle a ${(v as object).constructor?.name ?? 'object'}`);
  }

  private saveInt(n: bigint): void {
    if (this.bin && n >= -0x80000000n && n <= 0x7fffffffn) {
      const x = Number(n);
      if (x >= 0 && x < 0x100) return this.bytes(0x4b, x);
      if (x >= 0 && x < 0x10000) return this.bytes(0x4d, x & 0xff, x >> 8);
      return (this.bytes(0x4a), this.u32(x));
    }
    this.text(`I${n}\n`);
  }

  private saveLong(n: bigint): void {
    if (this.proto < 2) return this.text(`L${n}L\n`);
    const b = longBytes(n);
    if (b.length < 256) this.bytes(0x8a, b.length);
    else (this.bytes(0x8b), this.u32(b.length));
    this.raw(b);
  }

  private saveFloat(x: number): void {
    if (!this.bin) return this.text(`F${formatFloat17(x)}\n`);
    const b = Buffer.alloc(9);
    b[0] = 0x47;
    b.writeDoubleBE(x, 1);
    if (Number.isNaN(x)) b[1] = 0xff; // CPython 2.7's float('nan') has the sign bit set
    this.raw(b);
  }

  /** `memoKey` undefined: a temporary (refcount 1 in CPython), never memoized. */
  private saveBytes(b: Uint8Array, memoKey?: unknown): void {
    if (!this.bin) this.text(`S${reprBytes(b)}\n`);
    else if (b.length < 256) (this.bytes(0x55, b.length), this.raw(b));
    else (this.bytes(0x54), this.u32(b.length), this.raw(b));
    if (memoKey !== undefined && b.length >= 2) this.put(memoKey);
  }

  private saveUnicode(s: string): void {
    if (!this.bin) {
      this.bytes(0x56);
      this.raw(encodeRawUnicodeEscape(s));
      this.bytes(0x0a);
    } else {
      const b = Buffer.from(s, 'utf8');
      this.bytes(0x58);
      this.u32(b.length);
      this.raw(b);
    }
    let codePoints = 0;
    for (const _ of s) if (++codePoints >= 2) break;
    if (codePoints >= 2) this.put();
  }

  private saveList(items: PyValue[]): void {
    this.bin ? this.bytes(0x5d) : this.bytes(0x28, 0x6c);
    this.put(items);
    this.batch(items.length, (i) => this.save(items[i]), 0x61, 0x65);
  }

  private saveDict(entries: [PyValue, PyValue][], memoKey: unknown): void {
    this.bin ? this.bytes(0x7d) : this.bytes(0x28, 0x64);
    this.put(memoKey);
    this.batch(entries.length, (i) => (this.save(entries[i][0]), this.save(entries[i][1])), 0x73, 0x75);
  }

  /** cPickle's batch_list / batch_dict: one APPEND/SETITEM per item in protocol 0, else MARK..APPENDS by 1000. */
  private batch(n: number, saveItem: (i: number) => void, single: number, multi: number): void {
    if (!this.bin) {
      for (let i = 0; i < n; i++) (saveItem(i), this.bytes(single));
      return;
    }
    for (let start = 0; start < n; start += BATCHSIZE) {
      const end = Math.min(n, start + BATCHSIZE);
      if (end - start === 1) {
        saveItem(start);
        this.bytes(single);
        continue;
      }
      this.bytes(0x28);
      for (let i = start; i < end; i++) saveItem(i);
      this.bytes(multi);
    }
  }

  private saveTuple(items: PyValue[], memoKey?: unknown): void {
    if (items.length === 0) return this.bin ? this.bytes(0x29) : this.bytes(0x28, 0x74);
    if (this.proto >= 2 && items.length <= 3) {
      for (const it of items) this.save(it);
      this.bytes(0x84 + items.length);
    } else {
      this.bytes(0x28);
      for (const it of items) this.save(it);
      this.bytes(0x74);
    }
    if (memoKey !== undefined) this.put(memoKey);
  }

  private saveGlobal(module: string, name: string): void {
    const key = `\0global ${module} ${name}`;
    if (this.fetched(key)) return;
    this.text(`c${module}\n${name}\n`);
    this.put(key);
  }

  /**
   * `__reduce__` returning (global, args): the global, the args tuple (a temporary in CPython, so never
   * memoized, nor is the datetime `state` string inside it), REDUCE, then the result is memoized.
   */
  private saveReduce(module: string, name: string, args: PyValue[], memoKey: unknown, state?: Uint8Array): void {
    this.saveGlobal(module, name);
    const n = args.length + (state ? 1 : 0);
    if (n === 0) this.saveTuple([]);
    else {
      const small = this.proto >= 2 && n <= 3;
      if (!small) this.bytes(0x28);
      if (state) this.saveBytes(state);
      for (const a of args) this.save(a);
      this.bytes(small ? 0x84 + n : 0x74);
    }
    this.bytes(0x52);
    this.put(memoKey);
  }

  private saveTz(tz: PyTzInfo): void {
    if (tz.offsetMinutes !== 0) throw new PickleError(`cannot pickle a tzinfo with offset ${tz.offsetMinutes} min (only UTC)`);
    if (this.fetched(UTC_KEY)) return;
    this.saveReduce('pytz', '_UTC', [], UTC_KEY);
  }

  private saveDateTime(d: PyDateTime): void {
    const state = Buffer.from([
      d.year >> 8, d.year & 0xff, d.month, d.day, d.hour, d.minute, d.second,
      (d.microsecond >> 16) & 0xff, (d.microsecond >> 8) & 0xff, d.microsecond & 0xff,
    ]);
    this.saveReduce('datetime', 'datetime', d.tz ? [d.tz] : [], d, state);
  }
}

/** Python's `encode_long`: little-endian two's complement, as few bytes as possible (0 -> no bytes). */
function longBytes(n: bigint): Buffer {
  if (n === 0n) return Buffer.alloc(0);
  const out: number[] = [];
  let x = n;
  for (;;) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
    const top = out[out.length - 1];
    if ((x === 0n && top < 0x80) || (x === -1n && top >= 0x80)) break;
  }
  return Buffer.from(out);
}
