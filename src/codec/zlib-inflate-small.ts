/**
 * zlib (RFC 1950/1951) decompression of small inputs, in JavaScript.
 *
 * Why not node:zlib: `inflateSync` costs about 30 µs a call however small the input (it builds a
 * stream object per call), and reading the node ids of a million events inflates a million ~60-byte
 * GzippedDict values: half a minute of CPU for what is a few hundred bytes of work each. This reads
 * stored, fixed-Huffman and dynamic-Huffman blocks in a few µs. Anything it does not accept (a
 * preset dictionary, a damaged stream, a wrong Adler-32, an input over SMALL bytes) goes to
 * node:zlib, so results and errors are node's.
 */
import { inflateSync } from 'node:zlib';

const SMALL = 4096;

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
  16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** Order in which a dynamic block lists the code lengths of the code-length alphabet. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

class Bad extends Error {}

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Code {
  count: Uint16Array;
  symbol: Uint16Array;
  /** For the fixed codes: every code's symbol by the next LOOKUP_BITS bits of input, `symbol << 4 | length`. */
  lookup?: Int32Array;
}

/** Bits a lookup reads at once: the longest fixed code (9 bits; the fixed distance codes are 5). */
const LOOKUP_BITS = 9;

/**
 * A table of every code of `h` (none longer than LOOKUP_BITS) by the next LOOKUP_BITS input bits: bits
 * arrive least significant first while codes are written most significant bit first, so each code's
 * slots are its bits reversed, under every value of the bits that follow it.
 */
function withLookup(h: Code): Code {
  const lookup = new Int32Array(1 << LOOKUP_BITS).fill(-1);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= LOOKUP_BITS; len++) {
    for (let i = 0; i < h.count[len]; i++, code++) {
      let rev = 0;
      for (let b = 0; b < len; b++) rev |= ((code >> b) & 1) << (len - 1 - b);
      for (let hi = 0; hi < 1 << (LOOKUP_BITS - len); hi++) lookup[rev | (hi << len)] = (h.symbol[index + i] << 4) | len;
    }
    index += h.count[len];
    code <<= 1;
  }
  return { ...h, lookup };
}

/** As zlib: over-subscribed codes are refused, incomplete ones too unless no code is longer than 1 bit. */
function code(lengths: ArrayLike<number>, n: number, incompleteOk: boolean): Code {
  const count = new Uint16Array(16);
  let max = 0;
  for (let s = 0; s < n; s++) {
    count[lengths[s]]++;
    if (lengths[s] > max) max = lengths[s];
  }
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - count[len];
    if (left < 0) throw new Bad();
  }
  if (left > 0 && !(incompleteOk && max <= 1)) throw new Bad();
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
  const symbol = new Uint16Array(n);
  for (let s = 0; s < n; s++) if (lengths[s]) symbol[offs[lengths[s]]++] = s;
  return { count, symbol };
}

let fixed: [Code, Code] | null = null;
function fixedCodes(): [Code, Code] {
  if (!fixed) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixed = [withLookup(code(l, 288, false)), withLookup(code(new Uint8Array(32).fill(5), 32, false))]; // distance symbols 30, 31 are refused when met
  }
  return fixed;
}

class Reader {
  pos = 2;
  buf = 0;
  cnt = 0;
  out: Uint8Array;
  len = 0;
  constructor(readonly input: Uint8Array) {
    this.out = new Uint8Array(Math.max(256, input.length * 4));
  }
  bits(n: number): number {
    while (this.cnt < n) {
      if (this.pos >= this.input.length) throw new Bad();
      this.buf |= this.input[this.pos++] << this.cnt;
      this.cnt += 8;
    }
    const v = this.buf & ((1 << n) - 1);
    this.buf >>>= n;
    this.cnt -= n;
    return v;
  }
  /** One symbol: by its code's lookup table, or else a bit at a time (codes are read most significant bit first). */
  decode(h: Code): number {
    if (h.lookup) {
      while (this.cnt < LOOKUP_BITS && this.pos < this.input.length) {
        this.buf |= this.input[this.pos++] << this.cnt;
        this.cnt += 8;
      }
      const e = h.lookup[this.buf & ((1 << LOOKUP_BITS) - 1)];
      const len = e & 15;
      if (e < 0 || len > this.cnt) throw new Bad();
      this.buf >>>= len;
      this.cnt -= len;
      return e >> 4;
    }
    let c = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      c |= this.bits(1);
      const n = h.count[len];
      if (c - first < n) return h.symbol[index + c - first];
      index += n;
      first = (first + n) << 1;
      c <<= 1;
    }
    throw new Bad();
  }
  /** Whole bytes read ahead into `buf` go back to the input (a stored block or the trailer starts there). */
  unread() {
    this.pos -= this.cnt >> 3;
    this.cnt &= 7;
    this.buf &= (1 << this.cnt) - 1;
  }
  put(byte: number) {
    if (this.len === this.out.length) {
      const grown = new Uint8Array(this.out.length * 2);
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.len++] = byte;
  }
}

function stored(r: Reader) {
  r.unread();
  r.buf = 0;
  r.cnt = 0; // to a byte boundary
  const p = r.pos;
  if (p + 4 > r.input.length) throw new Bad();
  const n = r.input[p] | (r.input[p + 1] << 8);
  if ((n ^ 0xffff) !== (r.input[p + 2] | (r.input[p + 3] << 8))) throw new Bad();
  if (p + 4 + n > r.input.length) throw new Bad();
  for (let i = 0; i < n; i++) r.put(r.input[p + 4 + i]);
  r.pos = p + 4 + n;
}

function dynamic(r: Reader): [Code, Code] {
  const nlit = r.bits(5) + 257;
  const ndist = r.bits(5) + 1;
  const ncl = r.bits(4) + 4;
  if (nlit > 286 || ndist > 30) throw new Bad();
  const cl = new Uint8Array(19);
  for (let i = 0; i < ncl; i++) cl[CL_ORDER[i]] = r.bits(3);
  const clCode = code(cl, 19, false);
  const lengths = new Uint8Array(nlit + ndist);
  for (let i = 0; i < nlit + ndist; ) {
    const sym = r.decode(clCode);
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let value = 0;
    let times: number;
    if (sym === 16) {
      if (i === 0) throw new Bad();
      value = lengths[i - 1];
      times = 3 + r.bits(2);
    } else times = sym === 17 ? 3 + r.bits(3) : 11 + r.bits(7);
    if (i + times > nlit + ndist) throw new Bad();
    while (times--) lengths[i++] = value;
  }
  if (lengths[256] === 0) throw new Bad(); // no end-of-block code
  return [code(lengths, nlit, true), code(lengths.subarray(nlit), ndist, true)];
}

function codes(r: Reader, lit: Code, dist: Code) {
  for (;;) {
    const sym = r.decode(lit);
    if (sym < 256) r.put(sym);
    else if (sym === 256) return;
    else {
      const l = sym - 257;
      if (l >= 29) throw new Bad();
      const len = LEN_BASE[l] + r.bits(LEN_EXTRA[l]);
      const d = r.decode(dist);
      if (d >= 30) throw new Bad();
      const back = DIST_BASE[d] + r.bits(DIST_EXTRA[d]);
      if (back > r.len) throw new Bad();
      for (let i = 0; i < len; i++) r.put(r.out[r.len - back]);
    }
  }
}

function adler32(b: Uint8Array, n: number): number {
  let a = 1;
  let s = 0;
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + 3800); // sums stay exact in a double between reductions
    for (; i < end; i++) {
      a += b[i];
      s += a;
    }
    a %= 65521;
    s %= 65521;
  }
  return (s * 65536 + a) >>> 0;
}

/** The bytes of a small, intact zlib stream; null when node:zlib has to decide. */
export function inflateSmall(input: Uint8Array): Buffer | null {
  try {
    if (input.length < 6) return null;
    const cmf = input[0];
    const flg = input[1];
    if ((cmf & 0x0f) !== 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) return null;
    const r = new Reader(input);
    let last = 0;
    do {
      last = r.bits(1);
      const type = r.bits(2);
      if (type === 0) stored(r);
      else if (type === 1) codes(r, ...fixedCodes());
      else if (type === 2) codes(r, ...dynamic(r));
      else return null;
    } while (!last);
    r.unread();
    const p = r.pos; // the trailer starts at the next byte boundary: bits left in `buf` are padding
    if (p + 4 !== input.length) return null;
    const want = ((input[p] << 24) | (input[p + 1] << 16) | (input[p + 2] << 8) | input[p + 3]) >>> 0;
    if (adler32(r.out, r.len) !== want) return null;
    return Buffer.from(r.out.buffer, r.out.byteOffset, r.len);
  } catch (e) {
    if (e instanceof Bad) return null;
    throw e;
  }
}

/** The bytes a zlib stream holds: small inputs decoded here, everything else (and every error) by node:zlib. */
export function zlibInflate(input: Uint8Array): Buffer {
  return (input.length <= SMALL ? inflateSmall(input) : null) ?? inflateSync(input);
}
