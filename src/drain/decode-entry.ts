/**
 * One taken hash → what Sentry's `RedisBuffer.process` would hand to `Buffer.process` (buffer/redis.py at 7.7.0):
 * `m` names the model, `f` is the pickled filters, `i+col` integer counters, `e+col` pickled extras. Decoding
 * uses the project's safe unpickler (src/codec) with the datetime/tz allowlist; `e+score` alone is read in opaque
 * mode and only checked to be a ScoreClause (its content matters only for a zombie-group insert).
 *
 * Every check that fails returns a Rejection: the caller re-buffers the raw bytes untouched and reports why.
 */
import { unpickle } from '../codec/pickle-read.js';
import type { UtcTime } from '../db/buffer-sql.js';
import { PickleError, PyDateTime, PyInt, PyObject, PyStr, dictGet, type PyValue } from '../codec/py-value.js';
import { type BufferModel, MODEL_BY_PATH } from './buffer-models.js';
import type { RawFields } from './buffer-redis.js';
import { BUFFER_KEY, type FilterScalar, bufferKey } from './routing.js';

export type { UtcTime };

export interface ScoreSnapshot {
  /** `int(ScoreClause)` = `Group.get_score()` of the pickled group, or null when the snapshot lacks the fields. */
  insertScore: number | null;
}

export interface BufferEntry {
  key: string;
  model: BufferModel;
  /** Filter column → value for SQL (ids as decimal strings, text as JS strings, None as null), in model order. */
  filters: [string, string | null][];
  counters: [string, bigint][];
  /** Every field name of the hash in HGETALL order (latin1): Sentry's SET order depends on it (py27-dict.ts). */
  fieldNames?: string[];
  extras: {
    last_seen?: UtcTime;
    score?: ScoreSnapshot;
    message?: string;
    level?: number;
    culprit?: string | null;
    /** `e+data`: the raw pickle bytes (already protocol 0, as GzippedDictField would pickle) and whether it is falsy. */
    data?: { raw: Buffer; empty: boolean; dict: boolean; value: PyValue };
  };
}

export interface Rejection {
  reason: string;
}


export function decodeEntry(key: string, fields: RawFields): BufferEntry | Rejection {
  const byName = new Map<string, Buffer>();
  for (const [n, v] of fields) byName.set(n.toString('latin1'), v);
  const m = byName.get('m')?.toString('latin1');
  if (m === undefined) return { reason: 'no "m" field (not a Sentry 7 buffer hash)' };
  const model = MODEL_BY_PATH.get(m);
  if (!model) return { reason: `unknown model "${m}"` };
  const km = BUFFER_KEY.exec(key);
  if (!km || km[1] !== model.meta) return { reason: `key ${key} does not belong to model ${m}` };
  const f = byName.get('f');
  if (!f) return { reason: 'no "f" (filters) field' };

  try {
    const filterDict = unpickle(f);
    if (!(filterDict instanceof Map)) return { reason: 'filters are not a dict' };
    const typed = new Map<string, FilterScalar>();
    for (const [k, v] of filterDict) {
      const name = typeof k === 'string' ? k : k instanceof PyStr ? k.bytes.toString('latin1') : null;
      if (name === null || !model.filters.includes(name)) return { reason: `unexpected filter ${describe(k)} for ${model.name}` };
      typed.set(name, filterScalar(name, v));
    }
    if (typed.size !== model.filters.length) return { reason: `filters ${[...typed.keys()].join(',')} are not ${model.filters.join(',')}` };
    if (bufferKey(model.meta, typed) !== key) return { reason: 'the decoded filters do not hash to this key' };

    const entry: BufferEntry = {
      key, model,
      filters: model.filters.map((n) => [n, sqlFilter(typed.get(n)!)]),
      counters: [],
      fieldNames: fields.map(([n]) => n.toString('latin1')),
      extras: {},
    };
    for (const [name, raw] of byName) {
      if (name.startsWith('i+')) {
        const col = name.slice(2);
        const text = raw.toString('latin1');
        if (!(col in model.counters)) return { reason: `unexpected counter ${name} for ${model.name}` };
        if (!/^-?\d{1,18}$/.test(text)) return { reason: `counter ${name} is not an integer` };
        entry.counters.push([col, BigInt(text)]);
      } else if (name.startsWith('e+')) {
        const col = name.slice(2);
        if (!model.extras.includes(col)) return { reason: `unexpected extra ${name} for ${model.name}` };
        const why = decodeExtra(entry, col, raw);
        if (why) return { reason: `${name}: ${why}` };
      }
      // Other fields are ignored, as Sentry's process() ignores them (they still travel in journal and re-buffer).
    }
    return entry;
  } catch (e) {
    if (e instanceof PickleError || e instanceof RangeError || e instanceof TypeError) return { reason: e.message };
    throw e;
  }
}

export function isRejection(x: BufferEntry | Rejection): x is Rejection {
  return 'reason' in x && !('model' in x);
}

function decodeExtra(entry: BufferEntry, col: string, raw: Buffer): string | null {
  if (col === 'score') {
    const v = unpickle(raw, { opaque: true });
    if (!(v instanceof PyObject) || v.module !== 'sentry.event_manager' || v.name !== 'ScoreClause') {
      return `expected a sentry.event_manager.ScoreClause, got ${describe(v)}`;
    }
    entry.extras.score = { insertScore: snapshotScore(v) };
    return null;
  }
  const v = unpickle(raw);
  switch (col) {
    case 'last_seen':
      if (!(v instanceof PyDateTime)) return `expected a datetime, got ${describe(v)}`;
      entry.extras.last_seen = utcTime(v);
      return null;
    case 'message':
      entry.extras.message = text(v, false)!;
      return null;
    case 'culprit':
      entry.extras.culprit = text(v, true);
      return null;
    case 'level': {
      const n = typeof v === 'bigint' ? Number(v) : v instanceof PyInt ? Number(v.value) : v;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return `expected a level number, got ${describe(v)}`;
      entry.extras.level = n;
      return null;
    }
    case 'data': {
      const dict = v instanceof Map;
      if (v !== null && !dict) return `expected a dict or None, got ${describe(v)}`;
      entry.extras.data = { raw, value: v, dict, empty: v === null || (dict && (v as Map<PyValue, PyValue>).size === 0) };
      return null;
    }
  }
  return 'not handled';
}

/** `Group.get_score()` of the pickled group: int(log(times_seen) * 600 + mktime(last_seen.timetuple())), TZ=UTC. */
function snapshotScore(clause: PyObject): number | null {
  const group = clause.state === undefined ? undefined : dictGet(clause.state, 'group');
  if (!(group instanceof PyObject) || group.state === undefined) return null;
  const ts = dictGet(group.state, 'times_seen');
  const ls = dictGet(group.state, 'last_seen');
  const n = typeof ts === 'bigint' ? Number(ts) : ts;
  if (typeof n !== 'number' || n <= 0 || !(ls instanceof PyDateTime)) return null;
  const wall = Date.UTC(ls.year, ls.month - 1, ls.day, ls.hour, ls.minute, ls.second) / 1000;
  return Math.trunc(Math.log(n) * 600 + wall);
}

function filterScalar(name: string, v: PyValue): FilterScalar {
  if (name === 'key' || name === 'value') {
    if (typeof v === 'string') return v;
    if (v instanceof PyStr) return v.bytes;
    throw new TypeError(`filter ${name} is ${describe(v)}, expected text`);
  }
  if (v === null) return null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'bigint') return v;
  if (v instanceof PyInt) return v.value;
  throw new TypeError(`filter ${name} is ${describe(v)}, expected an id`);
}

function sqlFilter(v: FilterScalar): string | null {
  if (v === null) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') throw new TypeError('boolean filter');
  return utf8(Buffer.from(v));
}

function text(v: PyValue, nullable: boolean): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof PyStr) return utf8(v.bytes);
  if (v === null && nullable) return null;
  throw new TypeError(`expected text, got ${describe(v)}`);
}

/** Django hands a `str` to the driver as bytes; a PostgreSQL/MySQL utf8 connection refuses invalid UTF-8. */
function utf8(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw new TypeError('a str value is not valid UTF-8');
  }
}

/** Aware datetimes are converted to UTC (Django, USE_TZ=True); naive ones are taken as UTC (TIME_ZONE='UTC'). */
export function utcTime(dt: PyDateTime): UtcTime {
  const ms = Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second) - (dt.tz?.offsetMinutes ?? 0) * 60_000;
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return { pg: `${base}.${p(dt.microsecond, 6)}+00`, mysql: base };
}

export function nowUtc(date = new Date()): UtcTime {
  const iso = date.toISOString(); // 2015-07-28T20:41:30.123Z
  const base = iso.slice(0, 19).replace('T', ' ');
  return { pg: `${base}.${iso.slice(20, 23)}000+00`, mysql: base };
}

function describe(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof PyObject) return `${v.module}.${v.name}`;
  if (v instanceof PyStr) return `str ${JSON.stringify(v.bytes.toString('latin1').slice(0, 40))}`;
  if (typeof v === 'string') return `unicode ${JSON.stringify(v.slice(0, 40))}`;
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}
