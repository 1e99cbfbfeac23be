/**
 * Sentry 7 column encodings built on the pickle codec (docs/sentry7-schema.md §7, §8):
 * - GzippedDictField: `base64(zlib.compress(cPickle.dumps(value)))`, protocol 0;
 * - UnicodePickledObjectField (django-picklefield 0.3): `base64(cPickle.dumps(value, 2))`, no zlib;
 * - NodeField (`sentry_message.data`): a GzippedDict of `{'node_id': '<id>'}`, ids `b64encode(uuid4().bytes)`.
 *
 * zlib: Node bundles Chromium's zlib, which compresses to different (equally valid) bytes than the stock zlib
 * CPython links, so encoded columns equal Sentry's after decoding, not necessarily as text.
 */
import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { unpickle, type UnpickleOptions } from './pickle-read.js';
import { pickle, type PickleProtocol } from './pickle-write.js';
import { PickleError, PyStr, dictGet, pyFalsy, type PyValue } from './py-value.js';
import { zlibCompress } from './zlib-small.js';

export interface GzippedDictOptions {
  /** The column is NULL-able (`null=True`): falsy values (None, `{}`, `''`, 0...) are stored as NULL. */
  nullable?: boolean;
}

/**
 * `GzippedDictField.get_prep_value`: NULL for a falsy value in a nullable column; otherwise the encoded pickle
 * (an empty dict in a NOT NULL column is encoded `{}`). A top-level `str` is turned into `unicode` first, as Sentry does.
 */
export function encodeGzippedDict(value: PyValue | undefined, opts: GzippedDictOptions = {}): string | null {
  if (opts.nullable && pyFalsy(value)) return null;
  let v: PyValue = value === undefined ? null : value;
  if (v instanceof PyStr || v instanceof Uint8Array) v = asciiText(v instanceof PyStr ? v.bytes : Buffer.from(v));
  return zlibCompress(pickle(v, 0)).toString('base64');
}

/**
 * `GzippedDictField.to_python`: NULL or '' gives an empty dict. Where Sentry logs a broken value and returns `{}`,
 * this throws PickleError so the caller decides.
 */
export function decodeGzippedDict(text: string | null | undefined, opts?: UnpickleOptions): PyValue {
  if (!text) return new Map();
  let raw: Buffer;
  try {
    raw = inflateSync(base64(text));
  } catch (e) {
    throw new PickleError(`GzippedDict value is not base64(zlib(...)): ${(e as Error).message}`);
  }
  return unpickle(raw, opts);
}

/**
 * `UnicodePickledObjectField.get_db_prep_value`: None stays NULL; a top-level `str` is decoded as UTF-8 to
 * `unicode`; then `base64(cPickle.dumps(value, protocol))` (picklefield 0.3 uses protocol 2).
 */
export function encodePickledObject(value: null, protocol?: PickleProtocol): null;
export function encodePickledObject(value: PyValue, protocol?: PickleProtocol): string;
export function encodePickledObject(value: PyValue, protocol: PickleProtocol = 2): string | null {
  if (value === null) return null;
  let v = value;
  if (v instanceof PyStr) v = v.toString();
  else if (v instanceof Uint8Array) v = Buffer.from(v).toString('utf8');
  return pickle(v, protocol).toString('base64');
}

/** `PickledObjectField.to_python` for any protocol. Throws PickleError where picklefield would return the raw text. */
export function decodePickledObject(text: string | null | undefined, opts?: UnpickleOptions): PyValue {
  if (text === null || text === undefined) return null;
  return unpickle(base64(text), opts);
}

/** `NodeStorage.generate_id()`: `b64encode(uuid4().bytes)`, 24 characters. `rng` makes it deterministic in tests. */
export function newNodeId(rng: (size: number) => Uint8Array = randomBytes): string {
  const b = Buffer.from(rng(16));
  if (b.length !== 16) throw new RangeError(`newNodeId: rng returned ${b.length} bytes, expected 16`);
  b[6] = (b[6] & 0x0f) | 0x40; // uuid version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  return b.toString('base64');
}

/** The `sentry_message.data` value pointing at a nodestore node: `{'node_id': '<id>'}` with both as `str`. */
export function encodeNodeRef(nodeId: string): string {
  return encodeGzippedDict(new Map<PyValue, PyValue>([[new PyStr('node_id'), new PyStr(nodeId)]]))!;
}

/**
 * The node id in a `sentry_message.data` value, or null when the column is NULL or holds legacy inline
 * event data (a dict without `node_id`).
 */
export function decodeNodeRef(text: string | null | undefined): string | null {
  if (!text) return null;
  const id = dictGet(decodeGzippedDict(text), 'node_id');
  if (id === undefined || id === null) return null;
  if (typeof id === 'string') return id;
  if (id instanceof PyStr) return id.bytes.toString('latin1');
  throw new PickleError(`node_id is not a string`);
}

function base64(text: string): Buffer {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/\s]*={0,2}$/.test(t)) throw new PickleError('value is not base64');
  return Buffer.from(t, 'base64');
}

/** Python 2 `unicode(str)` uses the ASCII codec. */
function asciiText(b: Buffer): string {
  if (b.some((c) => c >= 0x80)) throw new PickleError('a non-ASCII str cannot be stored in a GzippedDictField (Python 2 unicode() fails)');
  return b.toString('latin1');
}
