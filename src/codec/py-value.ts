/**
 * The JS model of the Python 2 values that Sentry 7 pickles (see docs/sentry7-buffer.md §3).
 *
 * | Python 2                   | JS                                                                 |
 * |----------------------------|--------------------------------------------------------------------|
 * | None / bool                | `null` / `boolean`                                                 |
 * | int                        | `number` (safe integer); `PyInt` when it does not fit in 2^53      |
 * | long                       | `bigint` (always; `L4242L` MySQL ids stay distinguishable from int) |
 * | float                      | `number` (non-integer), or `PyFloat` to force a float when writing |
 * | unicode                    | `string`                                                           |
 * | str (bytes)                | `PyStr` (reader); `PyStr`, `Buffer` or `Uint8Array` (writer)       |
 * | list / tuple               | `PyValue[]` / `PyTuple`                                            |
 * | dict                       | `Map` (reader: key types preserved); `Map` or plain object (writer) |
 * | datetime / timedelta / tz  | `PyDateTime` / `PyTimedelta` / `PyTzInfo`                          |
 * | class or function ref      | `PyGlobal`; an opaque instance is a `PyObject` (reader only)       |
 */

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyStr
  | Uint8Array
  | PyInt
  | PyFloat
  | PyValue[]
  | PyTuple
  | PyDict
  | PyPlainDict
  | PyDateTime
  | PyTimedelta
  | PyTzInfo
  | PyGlobal
  | PyObject;

export type PyDict = Map<PyValue, PyValue>;
export interface PyPlainDict {
  [key: string]: PyValue;
}

/** Thrown for anything that cannot be pickled or unpickled: truncated input, bad opcode, disallowed global. */
export class PickleError extends Error {
  constructor(
    message: string,
    /** Byte offset in the pickle where the problem was found (reader only). */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'PickleError';
  }
}

/** A Python 2 `str`: bytes, not text. */
export class PyStr {
  readonly bytes: Buffer;
  constructor(bytes: Uint8Array | string) {
    this.bytes = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  }
  /** The bytes decoded as UTF-8 (what Django's `smart_unicode` would do). */
  toString(): string {
    return this.bytes.toString('utf8');
  }
  /** Python 2 `'abc' == u'abc'`: equal only when the bytes are ASCII and spell the same text. */
  equalsText(text: string): boolean {
    return this.bytes.every((b) => b < 0x80) && this.bytes.toString('latin1') === text;
  }
}

/** A Python 2 `int` outside the JS safe-integer range (written back as `I...`, never `L...L`). */
export class PyInt {
  constructor(readonly value: bigint) {}
}

/** Forces a float when writing (`2.0` rather than `I2`). The reader returns plain numbers unless asked. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A tzinfo. `source` names the Python class it came from; the writer always writes pytz `_UTC`. */
export class PyTzInfo {
  constructor(
    public offsetMinutes: number,
    readonly source: string = 'pytz _UTC',
  ) {}
  static utc(): PyTzInfo {
    return new PyTzInfo(0);
  }
}

export class PyTimedelta {
  constructor(
    readonly days: number,
    readonly seconds: number,
    readonly microseconds: number,
  ) {}
  totalMicroseconds(): number {
    return (this.days * 86400 + this.seconds) * 1e6 + this.microseconds;
  }
}

export class PyDateTime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tz: PyTzInfo | null = null,
  ) {}

  /** `tz` null gives a naive datetime; Sentry treats naive values as UTC too (USE_TZ, TIME_ZONE='UTC'). */
  static fromDate(date: Date, tz: PyTzInfo | null = PyTzInfo.utc()): PyDateTime {
    const d = new Date(date.getTime() + (tz?.offsetMinutes ?? 0) * 60_000);
    return new PyDateTime(
      d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(),
      d.getUTCSeconds(), d.getUTCMilliseconds() * 1000, tz,
    );
  }

  /** The instant (naive values read as UTC); microseconds are truncated to milliseconds. */
  toDate(): Date {
    const ms = Date.UTC(this.year, this.month - 1, this.day, this.hour, this.minute, this.second);
    return new Date(ms + Math.floor(this.microsecond / 1000) - (this.tz?.offsetMinutes ?? 0) * 60_000);
  }

  /** Python `isoformat()` style, e.g. `2015-07-28T20:41:30.123456+00:00`. */
  toISOString(): string {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    let s = `${p(this.year, 4)}-${p(this.month)}-${p(this.day)}T${p(this.hour)}:${p(this.minute)}:${p(this.second)}`;
    if (this.microsecond) s += `.${p(this.microsecond, 6)}`;
    if (this.tz) {
      const off = Math.abs(this.tz.offsetMinutes);
      s += `${this.tz.offsetMinutes < 0 ? '-' : '+'}${p(Math.floor(off / 60))}:${p(off % 60)}`;
    }
    return s;
  }
}

/** A reference to a Python class or function (the operand of GLOBAL). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get key(): string {
    return `${this.module} ${this.name}`;
  }
}

/** An inert stand-in for an instance of a class we do not model (opaque mode). Nothing is ever called. */
export class PyObject {
  state: PyValue | undefined = undefined;
  constructor(
    readonly module: string,
    readonly name: string,
    readonly args: PyValue[],
  ) {}
}

/** `d[key]` for a decoded dict, matching a `str` or `unicode` key the way Python 2 does for ASCII keys. */
export function dictGet(dict: PyValue, key: string): PyValue | undefined {
  if (dict instanceof Map) {
    for (const [k, v] of dict) if (k === key || (k instanceof PyStr && k.equalsText(key))) return v;
    return undefined;
  }
  if (isPlainDict(dict)) return Object.hasOwn(dict, key) ? dict[key] : undefined;
  return undefined;
}

export function isPlainDict(v: unknown): v is PyPlainDict {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python truthiness, as Django fields test it (`if not value and self.null`). */
export function pyFalsy(v: PyValue | undefined): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === 0n || v === '') return true;
  if (v instanceof PyStr) return v.bytes.length === 0;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (v instanceof PyTuple) return v.items.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (v instanceof PyInt) return v.value === 0n;
  if (v instanceof PyFloat) return v.value === 0;
  if (isPlainDict(v)) return Object.keys(v).length === 0;
  return false;
}

/**
 * A JSON-friendly view for display and `--json` output: dicts become objects, `str` is decoded as UTF-8,
 * longs become numbers when safe (strings otherwise), datetimes ISO strings. Not reversible.
 */
export function toPlain(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof PyInt) return toPlain(v.value);
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyStr) return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof PyTuple) return v.items.map(toPlain);
  if (v instanceof PyDateTime) return v.toISOString();
  if (v instanceof PyTimedelta) return { days: v.days, seconds: v.seconds, microseconds: v.microseconds };
  if (v instanceof PyTzInfo) return { offsetMinutes: v.offsetMinutes, source: v.source };
  if (v instanceof PyGlobal) return { __global__: `${v.module}.${v.name}` };
  if (v instanceof PyObject) {
    if (v.module === 'bitfield.types' && v.name === 'BitHandler' && v.state !== undefined) {
      // django-bitfield's flags: the integer and the flag names it reads as bits (pickle-globals.ts)
      return { __class__: 'bitfield.types.BitHandler', value: toPlain(dictGet(v.state, '_value') ?? 0), keys: toPlain(dictGet(v.state, '_keys') ?? []) };
    }
    return { __class__: `${v.module}.${v.name}`, args: v.args.map(toPlain), state: v.state === undefined ? null : toPlain(v.state) };
  }
  const out: Record<string, unknown> = {};
  const entries: [PyValue, PyValue][] = v instanceof Map ? [...v] : Object.entries(v);
  for (const [k, val] of entries) out[String(toPlain(k))] = toPlain(val);
  return out;
}
