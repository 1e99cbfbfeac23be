/**
 * A safe unpickler for Python 2 pickles, protocols 0, 1 and 2 (what cPickle writes). It never executes
 * anything: GLOBAL is checked against an allowlist, and REDUCE/BUILD only build JS values (pickle-globals.ts).
 *
 * Results (see py-value.ts): `S`/BINSTRING -> PyStr (bytes, `string_escape` decoded); `V`/BINUNICODE -> string;
 * `I`/BININT* -> number (PyInt beyond 2^53), `I01`/`I00` -> boolean; `L`/LONG1/LONG4 -> bigint, always, so a
 * caller can tell `I4242` from `L4242L`; floats -> number (or PyFloat with `wrapFloats`); dict -> Map with
 * key types preserved (use `dictGet`); tuple -> PyTuple.
 */
import { DEFAULT_ALLOWED_GLOBALS, build, describe, instantiate, resolveGlobal } from './pickle-globals.js';
import { decodeRawUnicodeEscape, decodeStringEscape } from './py-text.js';
import { PickleError, PyFloat, PyInt, PyStr, PyTuple, type PyValue } from './py-value.js';

export interface UnpickleOptions {
  /** Allowed globals as `"module name"`; default DEFAULT_ALLOWED_GLOBALS. Unknown allowed ones load opaquely. */
  allow?: Iterable<string>;
  /** Turn every other global into an inert PyGlobal/PyObject instead of throwing (to parse past ScoreClause). */
  opaque?: boolean;
  /** Return floats as PyFloat so that `2.0` stays a float when written back. */
  wrapFloats?: boolean;
}

const MARK = Symbol('mark');
const DEFAULT_ALLOW: ReadonlySet<string> = new Set(DEFAULT_ALLOWED_GLOBALS);
type Slot = PyValue | typeof MARK;

/** `pickle.loads(data)` without the code execution. Throws PickleError on anything it cannot read. */
export function unpickle(data: Uint8Array, opts: UnpickleOptions = {}): PyValue {
  return new Unpickler(Buffer.from(data.buffer, data.byteOffset, data.byteLength), opts).load();
}

class Unpickler {
  private pos = 0;
  private at = 0;
  private stack: Slot[] = [];
  private memo = new Map<number, PyValue>();
  private allow: ReadonlySet<string>;

  constructor(
    private readonly buf: Buffer,
    private readonly opts: UnpickleOptions,
  ) {
    this.allow = opts.allow ? new Set(opts.allow) : DEFAULT_ALLOW;
  }

  private fail(msg: string): never {
    throw new PickleError(msg, this.at);
  }

  private take(n: number): Buffer {
    if (n < 0 || this.pos + n > this.buf.length) this.fail('truncated pickle');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** One byte, without the Buffer view `take(1)` would allocate (opcodes are read one byte at a time). */
  private byte(): number {
    if (this.pos >= this.buf.length) this.fail('truncated pickle');
    return this.buf[this.pos++];
  }

  private line(): Buffer {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('truncated pickle (line without newline)');
    const b = this.buf.subarray(this.pos, end);
    this.pos = end + 1;
    return b;
  }

  /** `line().toString('latin1')` without the intermediate Buffer view. */
  private lineText(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('truncated pickle (line without newline)');
    const t = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return t;
  }

  private pop(): PyValue {
    const v = this.stack.pop();
    if (v === undefined) this.fail('stack underflow');
    if (v === MARK) this.fail('unexpected MARK');
    return v;
  }

  private top(): PyValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined || v === MARK) this.fail('stack underflow');
    return v;
  }

  private popMark(): PyValue[] {
    const i = this.stack.lastIndexOf(MARK);
    if (i < 0) this.fail('MARK missing');
    const items = this.stack.splice(i) as PyValue[];
    items.shift();
    return items;
  }

  private push(v: PyValue): void {
    this.stack.push(v);
  }

  private fetch(i: number): void {
    if (!this.memo.has(i)) this.fail(`memo key ${i} not defined`);
    this.push(this.memo.get(i)!);
  }

  /** A memo index (GET/PUT): the same integers `decimal` reads, as a number (no BigInt per memo access). */
  private index(text: string): number {
    if (!/^[+-]?\d+$/.test(text)) this.fail(`bad integer ${JSON.stringify(text)}`);
    return Number(text);
  }

  private decimal(text: string): bigint {
    if (!/^[+-]?\d+$/.test(text)) this.fail(`bad integer ${JSON.stringify(text)}`);
    return BigInt(text);
  }

  private global(module: string, name: string): PyValue {
    const ident = /^[A-Za-z_][\w.]*$/;
    if (!ident.test(module) || !ident.test(name)) this.fail(`bad GLOBAL ${JSON.stringify(`${module} ${name}`)}`);
    if (!this.allow.has(`${module} ${name}`) && !this.opts.opaque) {
      this.fail(`global ${module}.${name} is not allowed (pass it in \`allow\` or use opaque mode)`);
    }
    return resolveGlobal(module, name);
  }

  private float(x: number): PyValue {
    return this.opts.wrapFloats ? new PyFloat(x) : x;
  }

  load(): PyValue {
    for (;;) {
      this.at = this.pos;
      const op = this.byte();
      switch (op) {
        case 0x2e: // STOP
          return this.pop();
        case 0x80: { // PROTO
          const v = this.byte();
          if (v > 2) this.fail(`pickle protocol ${v} is not supported (only 0-2)`);
          break;
        }
        case 0x28: this.stack.push(MARK); break; // MARK
        case 0x30: this.pop(); break; // POP
        case 0x31: this.popMark(); break; // POP_MARK
        case 0x32: this.push(this.top()); break; // DUP
        case 0x4e: this.push(null); break; // NONE
        case 0x88: this.push(true); break; // NEWTRUE
        case 0x89: this.push(false); break; // NEWFALSE
        case 0x49: { // INT
          const t = this.lineText();
          if (t === '01' || t === '00') this.push(t === '01');
          else {
            const n = this.decimal(t);
            this.push(Number.isSafeInteger(Number(n)) ? Number(n) : new PyInt(n));
          }
          break;
        }
        case 0x4a: this.push(this.take(4).readInt32LE(0)); break; // BININT
        case 0x4b: this.push(this.byte()); break; // BININT1
        case 0x4d: this.push(this.take(2).readUInt16LE(0)); break; // BININT2
        case 0x4c: this.push(this.decimal(this.lineText().replace(/L$/, ''))); break; // LONG
        case 0x8a: this.push(longFrom(this.take(this.byte()))); break; // LONG1
        case 0x8b: this.push(longFrom(this.take(this.take(4).readInt32LE(0)))); break; // LONG4
        case 0x46: { // FLOAT
          const t = this.lineText().trim();
          if (!/^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf(inity)?|nan)$/i.test(t)) this.fail(`bad float ${JSON.stringify(t)}`);
          const low = t.toLowerCase().replace(/^\+/, '');
          this.push(this.float(low.endsWith('nan') ? NaN : low.includes('inf') ? (low[0] === '-' ? -Infinity : Infinity) : Number(t)));
          break;
        }
        case 0x47: this.push(this.float(this.take(8).readDoubleBE(0))); break; // BINFLOAT
        case 0x53: { // STRING
          let s = this.line();
          let end = s.length;
          while (end > 0 && s[end - 1] <= 0x20) end--;
          s = s.subarray(0, end);
          if (s.length < 2 || (s[0] !== 0x27 && s[0] !== 0x22) || s[s.length - 1] !== s[0]) this.fail('S string is not quoted');
          this.push(new PyStr(decodeStringEscape(s.subarray(1, -1), this.at)));
          break;
        }
        case 0x54: this.push(new PyStr(this.take(this.take(4).readInt32LE(0)))); break; // BINSTRING
        case 0x55: this.push(new PyStr(this.take(this.byte()))); break; // SHORT_BINSTRING
        case 0x56: this.push(decodeRawUnicodeEscape(this.line(), this.at)); break; // UNICODE
        case 0x58: this.push(this.take(this.take(4).readInt32LE(0)).toString('utf8')); break; // BINUNICODE
        case 0x5d: this.push([]); break; // EMPTY_LIST
        case 0x6c: this.push(this.popMark()); break; // LIST
        case 0x61: { // APPEND
          const v = this.pop();
          this.list().push(v);
          break;
        }
        case 0x65: { // APPENDS
          const items = this.popMark();
          this.list().push(...items);
          break;
        }
        case 0x29: this.push(new PyTuple([])); break; // EMPTY_TUPLE
        case 0x74: this.push(new PyTuple(this.popMark())); break; // TUPLE
        case 0x85: case 0x86: case 0x87: { // TUPLE1-3
          const n = op - 0x84;
          const items: PyValue[] = [];
          for (let i = 0; i < n; i++) items.unshift(this.pop());
          this.push(new PyTuple(items));
          break;
        }
        case 0x7d: this.push(new Map()); break; // EMPTY_DICT
        case 0x64: this.push(this.pairs(new Map(), this.popMark())); break; // DICT
        case 0x73: { // SETITEM
          const v = this.pop();
          const k = this.pop();
          this.pairs(this.dict(), [k, v]);
          break;
        }
        case 0x75: { // SETITEMS
          const items = this.popMark();
          this.pairs(this.dict(), items);
          break;
        }
        case 0x67: this.fetch(this.index(this.lineText())); break; // GET
        case 0x68: this.fetch(this.byte()); break; // BINGET
        case 0x6a: this.fetch(this.take(4).readUInt32LE(0)); break; // LONG_BINGET
        case 0x70: this.memo.set(this.index(this.lineText()), this.top()); break; // PUT
        case 0x71: this.memo.set(this.byte(), this.top()); break; // BINPUT
        case 0x72: this.memo.set(this.take(4).readUInt32LE(0), this.top()); break; // LONG_BINPUT
        case 0x63: { // GLOBAL
          const module = this.lineText();
          this.push(this.global(module, this.lineText()));
          break;
        }
        case 0x52: case 0x81: { // REDUCE, NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          if (!(args instanceof PyTuple)) this.fail(`${op === 0x52 ? 'REDUCE' : 'NEWOBJ'} arguments must be a tuple, got ${describe(args)}`);
          this.push(instantiate(cls, args.items, this.at));
          break;
        }
        case 0x62: { // BUILD
          const state = this.pop();
          build(this.top(), state, this.at);
          break;
        }
        case 0x69: { // INST
          const module = this.lineText();
          const cls = this.global(module, this.lineText());
          this.push(instantiate(cls, this.popMark(), this.at));
          break;
        }
        case 0x6f: { // OBJ
          const [cls, ...args] = this.popMark();
          this.push(instantiate(cls ?? null, args, this.at));
          break;
        }
        default:
          this.fail(op === 0x50 || op === 0x51 ? 'persistent ids are not supported' : `unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private list(): PyValue[] {
    const l = this.top();
    if (!Array.isArray(l)) this.fail(`APPEND to ${describe(l)}`);
    return l;
  }

  private dict(): Map<PyValue, PyValue> {
    const d = this.top();
    if (!(d instanceof Map)) this.fail(`SETITEM on ${describe(d)}`);
    return d;
  }

  /** str keys are equal by bytes (like Python); other keys compare as JS Map keys (objects by identity). */
  private strKeys = new WeakMap<Map<PyValue, PyValue>, Map<string, PyStr>>();

  private pairs(d: Map<PyValue, PyValue>, items: PyValue[]): Map<PyValue, PyValue> {
    if (items.length % 2) this.fail('odd number of items for a dict');
    for (let i = 0; i < items.length; i += 2) {
      let k = items[i];
      if (Array.isArray(k) || k instanceof Map) this.fail(`unhashable dict key ${describe(k)}`);
      if (k instanceof PyStr) {
        let index = this.strKeys.get(d);
        if (!index) this.strKeys.set(d, (index = new Map()));
        const text = k.bytes.toString('latin1');
        k = index.get(text) ?? index.set(text, k).get(text)!;
      }
      d.set(k, items[i + 1]);
    }
    return d;
  }
}

/** Python's `decode_long`: little-endian two's complement. */
function longFrom(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  const n = BigInt(`0x${Buffer.from(b).reverse().toString('hex')}`);
  return b[b.length - 1] & 0x80 ? n - (1n << BigInt(b.length * 8)) : n;
}
