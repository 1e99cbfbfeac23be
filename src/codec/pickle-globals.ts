/**
 * What the unpickler does with GLOBAL, REDUCE, NEWOBJ, INST, OBJ and BUILD. Nothing is ever executed: a
 * small table turns the handful of classes Sentry 7 pickles into JS values, every other allowed global
 * becomes an inert `PyObject` carrying its arguments and state.
 */
import {
  PickleError, PyDateTime, PyGlobal, PyObject, PyStr, PyTimedelta, PyTuple, PyTzInfo, dictGet, type PyValue,
} from './py-value.js';

/**
 * Allowed when the caller passes no list. `pytz UTC` is accepted as the UTC instance itself: pytz pickles
 * `pytz.utc` as `pytz _UTC` + REDUCE of `()`, so a bare `pytz UTC` global only appears in hand-made pickles.
 * `_codecs encode` and `__builtin__ bytes` let Python 3's protocol 0-2 encoding of `bytes` load as a str.
 * `bitfield.types BitHandler`: Organization.get_audit_log_data() (sentry/models/organization.py at 7.7.0) puts the
 * `flags` BitField's value, a django-bitfield 1.7 BitHandler, into every ORG_ADD / ORG_EDIT audit entry. It has no
 * __reduce__ of its own, so cPickle writes `copy_reg._reconstructor(BitHandler, object, None)` + BUILD of its
 * __dict__ {_value, _keys, _labels}; it loads as an inert PyObject holding that state, checked to be data (below).
 */
export const DEFAULT_ALLOWED_GLOBALS: readonly string[] = [
  'datetime datetime',
  'datetime timedelta',
  'pytz _UTC',
  'pytz UTC',
  'psycopg2.tz FixedOffsetTimezone',
  'django.utils.timezone UTC',
  'copy_reg _reconstructor',
  '__builtin__ object',
  '_codecs encode',
  '__builtin__ bytes',
  'bitfield.types BitHandler',
];

type Ctor = (args: PyValue[], at: number) => PyValue;

const KNOWN: Record<string, Ctor> = {
  'datetime datetime': makeDateTime,
  'datetime timedelta': (a, at) => new PyTimedelta(int(a[0] ?? 0, at), int(a[1] ?? 0, at), int(a[2] ?? 0, at)),
  'pytz _UTC': () => new PyTzInfo(0, 'pytz _UTC'),
  'pytz UTC': () => new PyTzInfo(0, 'pytz _UTC'),
  'django.utils.timezone UTC': () => new PyTzInfo(0, 'django.utils.timezone UTC'),
  'psycopg2.tz FixedOffsetTimezone': (a, at) => new PyTzInfo(offsetOf(a[0] ?? null, at), 'psycopg2.tz FixedOffsetTimezone'),
  'copy_reg _reconstructor': (a, at) => {
    // copy_reg._reconstructor(cls, base, state) is cls.__new__(cls) (+ base.__init__(obj, state))
    const made = instantiate(a[0] ?? null, [], at);
    if (made instanceof PyObject && a[2] !== null && a[2] !== undefined) made.args.push(a[2]);
    return made;
  },
  '_codecs encode': (a, at) => {
    const [text, enc] = a;
    if (typeof text !== 'string' || !['latin1', 'latin-1'].includes(String(enc)) || /[^\0-\xff]/.test(text)) {
      throw new PickleError('_codecs.encode supported only for latin-1 text (Python 3 bytes)', at);
    }
    return new PyStr(Buffer.from(text, 'latin1'));
  },
  '__builtin__ bytes': (a, at) => {
    if (a.length) throw new PickleError('bytes(...) supported only without arguments (Python 3 empty bytes)', at);
    return new PyStr('');
  },
};

/** The value GLOBAL pushes. `pytz UTC` is an instance; everything else is a reference to call later. */
export function resolveGlobal(module: string, name: string): PyValue {
  return module === 'pytz' && name === 'UTC' ? PyTzInfo.utc() : new PyGlobal(module, name);
}

/** REDUCE / NEWOBJ / INST / OBJ: `cls(*args)` for known classes, an inert PyObject for other allowed ones. */
export function instantiate(cls: PyValue, args: PyValue[], at: number): PyValue {
  if (!(cls instanceof PyGlobal)) throw new PickleError(`cannot call ${describe(cls)}`, at);
  const ctor = KNOWN[cls.key];
  return ctor ? ctor(args, at) : new PyObject(cls.module, cls.name, args);
}

/** BUILD: `obj.__setstate__(state)` or `obj.__dict__.update(state)`, for the objects we model. */
export function build(obj: PyValue, state: PyValue, at: number): void {
  if (obj instanceof PyObject) {
    if (obj.module === 'bitfield.types' && obj.name === 'BitHandler') checkBitHandler(state, at);
    obj.state = state;
    return;
  }
  if (obj instanceof PyTzInfo) {
    const dict = state instanceof PyTuple ? state.items[0] : state;
    const off = dict === null || dict === undefined ? undefined : dictGet(dict, '_offset');
    if (off !== undefined) obj.offsetMinutes = offsetOf(off, at);
    return;
  }
  throw new PickleError(`BUILD on ${describe(obj)} is not supported`, at);
}

/** A BitHandler's __dict__: `_value` an int, `_keys` (and `_labels`, when there) lists of text. */
function checkBitHandler(state: PyValue, at: number): void {
  const value = dictGet(state, '_value');
  const isInt = typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
  const texts = (v: PyValue | undefined) => Array.isArray(v) && v.every((x) => typeof x === 'string' || x instanceof PyStr);
  const labels = dictGet(state, '_labels');
  if (!isInt || !texts(dictGet(state, '_keys')) || (labels !== undefined && !texts(labels))) {
    throw new PickleError('a bitfield.types.BitHandler whose state is not {_value: int, _keys: [text], _labels: [text]}', at);
  }
}

export function describe(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof PyGlobal || v instanceof PyObject) return `${v.module}.${v.name}`;
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a dict';
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}

function int(v: PyValue, at: number): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) return Number(v);
  throw new PickleError(`expected an int, got ${describe(v)}`, at);
}

/** psycopg2's offset argument / `_offset` attribute: minutes (psycopg2 < 2.7) or a timedelta. */
function offsetOf(v: PyValue, at: number): number {
  if (v === null) return 0;
  if (v instanceof PyTimedelta) return v.totalMicroseconds() / 60e6;
  return int(v, at);
}

function toTz(v: PyValue | undefined, at: number): PyTzInfo | null {
  if (v === null || v === undefined) return null;
  if (v instanceof PyTzInfo) return v;
  throw new PickleError(`unsupported tzinfo ${describe(v)}`, at);
}

/** `datetime(state_bytes[, tzinfo])` as pickled, or `datetime(y, m, d, ...)`. */
function makeDateTime(a: PyValue[], at: number): PyDateTime {
  const s = a[0];
  let f: number[];
  let tz: PyTzInfo | null;
  if (s instanceof PyStr || s instanceof Uint8Array) {
    const b = s instanceof PyStr ? s.bytes : s;
    if (b.length !== 10) throw new PickleError(`datetime state must be 10 bytes, got ${b.length}`, at);
    f = [(b[0] << 8) | b[1], b[2], b[3], b[4], b[5], b[6], (b[7] << 16) | (b[8] << 8) | b[9]];
    tz = toTz(a[1], at);
  } else {
    f = a.slice(0, 7).map((v) => int(v, at));
    while (f.length < 7) f.push(0);
    tz = toTz(a[7], at);
  }
  const [y, mo, d, h, mi, sec, us] = f;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || us > 999_999) {
    throw new PickleError(`invalid datetime state ${f.join(',')}`, at);
  }
  return new PyDateTime(y, mo, d, h, mi, sec, us, tz);
}
