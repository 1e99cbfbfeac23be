/**
 * The text encodings of Python 2 pickle protocol 0, both ways:
 * `repr(str)` / `string_escape` (opcode S), `raw-unicode-escape` as cPickle writes it (opcode V),
 * and cPickle's float text (`%.17g`, opcode F).
 */
import { PickleError } from './py-value.js';

const HEX = '0123456789abcdef';

/** Python 2 `repr(str)`: `'...'`, or `"..."` when the bytes contain `'` but no `"`. */
export function reprBytes(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  const q = quote.charCodeAt(0);
  let s = quote;
  for (const c of bytes) {
    if (c === q || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c < 0x20 || c >= 0x7f) s += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else s += String.fromCharCode(c);
  }
  return s + quote;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  '\\': 0x5c, "'": 0x27, '"': 0x22, a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b,
};

/** Python 2 `string_escape` decoding of the text between the quotes of an S line. */
export function decodeStringEscape(text: Buffer, offset: number): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    if (++i >= text.length) throw new PickleError('trailing \\ in S string', offset);
    const e = String.fromCharCode(text[i]);
    if (e === '\n') continue;
    if (e in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[e]);
    else if (e >= '0' && e <= '7') {
      let v = text[i] - 0x30;
      for (let n = 0; n < 2 && i + 1 < text.length && text[i + 1] >= 0x30 && text[i + 1] <= 0x37; n++) v = v * 8 + text[++i] - 0x30;
      out.push(v & 0xff);
    } else if (e === 'x') {
      const hex = text.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new PickleError('invalid \\x escape in S string', offset);
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(0x5c, text[i]);
  }
  return Buffer.from(out);
}

/**
 * cPickle's protocol-0 unicode text: code points below 256 as raw Latin-1 bytes, `\` and LF as `\u005c` /
 * `\u000a`, others as `\uXXXX`, and astral characters as `\UXXXXXXXX` (a UCS-4 build; a UCS-2 build writes
 * a valid surrogate pair the same way).
 */
export function encodeRawUnicodeEscape(text: string): Buffer {
  const out: number[] = [];
  const esc = (prefix: string, cp: number, width: number) => {
    for (const ch of prefix + cp.toString(16).padStart(width, '0')) out.push(ch.charCodeAt(0));
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x5c || cp === 0x0a) esc('\\u', cp, 4);
    else if (cp < 0x100) out.push(cp);
    else if (cp < 0x10000) esc('\\u', cp, 4);
    else esc('\\U', cp, 8);
  }
  return Buffer.from(out);
}

/** Python `raw-unicode-escape` decoding: bytes are Latin-1; `\uXXXX` / `\UXXXXXXXX` after an odd run of `\`. */
export function decodeRawUnicodeEscape(bytes: Buffer, offset: number): string {
  let s = '';
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] !== 0x5c) {
      s += String.fromCharCode(bytes[i++]);
      continue;
    }
    let j = i;
    while (j < bytes.length && bytes[j] === 0x5c) j++;
    const run = j - i;
    const kind = bytes[j];
    if (run % 2 === 0 || (kind !== 0x75 && kind !== 0x55)) {
      s += '\\'.repeat(run);
      i = j;
      continue;
    }
    s += '\\'.repeat(run - 1);
    const width = kind === 0x75 ? 4 : 8;
    const hex = bytes.subarray(j + 1, j + 1 + width).toString('latin1');
    if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) throw new PickleError('truncated \\uXXXX escape in V string', offset);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) throw new PickleError('\\U escape out of range in V string', offset);
    s += String.fromCodePoint(cp);
    i = j + 1 + width;
  }
  return s;
}

/**
 * cPickle (CPython 2.7) writes protocol-0 floats with `PyOS_double_to_string(x, 'g', 17, 0)`:
 * 17 significant digits, correctly rounded (ties to even), trailing zeros dropped. Not `repr()`:
 * `0.1` is written `F0.10000000000000001`.
 */
export function formatFloat17(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const [digits, exp] = exactDigits17(Math.abs(x));
  const d = digits.replace(/0+$/, '') || '0';
  if (exp < -4 || exp >= 17) {
    const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${d}`;
  const int = d.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = d.slice(exp + 1);
  return sign + int + (frac ? `.${frac}` : '');
}

/** 17 significant decimal digits of a positive finite double, rounded half-even from its exact value. */
function exactDigits17(x: number): [string, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const bexp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e2 = bexp === 0 ? -1074 : bexp - 1075;
  if (bexp !== 0) mant |= 1n << 52n;
  // exact value = mant * 2^e2 = D * 10^-scale, with D an integer
  let D: bigint;
  let scale: number;
  if (e2 >= 0) [D, scale] = [mant << BigInt(e2), 0];
  else [D, scale] = [mant * 5n ** BigInt(-e2), -e2];
  let s = D.toString();
  let exp = s.length - 1 - scale;
  if (s.length > 17) {
    const cut = s.length - 17;
    const pow = 10n ** BigInt(cut);
    let q = D / pow;
    const r = D % pow;
    const half = pow / 2n;
    if (r > half || (r === half && q % 2n === 1n)) q += 1n;
    s = q.toString();
    if (s.length > 17) {
      s = s.slice(0, 17);
      exp += 1;
    }
  }
  return [s.padEnd(17, '0'), exp];
}
