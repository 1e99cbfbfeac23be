/**
 * zlib (RFC 1950/1951) for small inputs: one fixed-Huffman block with greedy LZ77 matches.
 *
 * Why not node:zlib: `deflateSync` costs about 10 µs a call however small the input (it builds a stream object per
 * call), and an admin command that writes 100,000 audit rows compresses 100,000 dicts of about 100 bytes: a second
 * of CPU inside the transaction. This writes the same kind of stream zlib itself writes for such inputs (a single
 * fixed-Huffman block; a dynamic table does not pay for itself under a few hundred bytes) in about 1 µs. Any zlib
 * reads it: Sentry's `zlib.decompress`, node's `inflateSync`. Inputs over SMALL bytes go to node:zlib.
 */
import { deflateSync } from 'node:zlib';

const SMALL = 1024;
const HASH_BITS = 12;
const MAX_CHAIN = 16;
const MIN_MATCH = 3;
const MAX_MATCH = 258;

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9];

/** Fixed literal/length code of each symbol 0..287, bit-reversed for the LSB-first stream, and its length. */
const LIT_CODE = new Uint16Array(288);
const LIT_LEN = new Uint8Array(288);
for (let s = 0; s < 288; s++) {
  const [code, len] = s < 144 ? [0x30 + s, 8] : s < 256 ? [0x190 + s - 144, 9] : s < 280 ? [s - 256, 7] : [0xc0 + s - 280, 8];
  LIT_CODE[s] = reverse(code, len);
  LIT_LEN[s] = len;
}
/** Length 3..258 -> index into LEN_BASE; distance 1..SMALL -> index into DIST_BASE. */
const LEN_INDEX = new Uint8Array(MAX_MATCH + 1);
for (let i = 0; i < LEN_BASE.length; i++) for (let l = LEN_BASE[i]; l < (LEN_BASE[i + 1] ?? MAX_MATCH + 1); l++) LEN_INDEX[l] = i;
const DIST_INDEX = new Uint8Array(SMALL + 1);
for (let i = 0; i < DIST_BASE.length; i++) for (let d = DIST_BASE[i]; d < (DIST_BASE[i + 1] ?? SMALL + 1) && d <= SMALL; d++) DIST_INDEX[d] = i;
const DIST_CODE = DIST_BASE.map((_, i) => reverse(i, 5));

function reverse(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) r |= ((code >> i) & 1) << (len - 1 - i);
  return r;
}

// State reused by every call (single-threaded): hash heads and chains, the output and its bit buffer. A head or
// chain entry is `position + stamp`; entries below the current call's stamp belong to earlier calls.
const head = new Int32Array(1 << HASH_BITS);
const prev = new Int32Array(SMALL);
const out = new Uint8Array(2 + Math.ceil((SMALL * 9 + 10) / 8) + 4);
let stamp = 0;
let o = 0;
let bits = 0;
let nbits = 0;

function put(v: number, len: number): void {
  bits |= v << nbits;
  nbits += len;
  while (nbits >= 8) {
    out[o++] = bits & 0xff;
    bits >>>= 8;
    nbits -= 8;
  }
}

function hash(d: Uint8Array, i: number): number {
  return Math.imul((d[i] << 16) | (d[i + 1] << 8) | d[i + 2], 0x9e3779b1) >>> (32 - HASH_BITS);
}

/** `zlib.compress(data)`: a complete zlib stream. */
export function zlibCompress(data: Uint8Array): Buffer {
  if (data.length > SMALL) return deflateSync(data);
  const n = data.length;
  if (stamp > 0x7fffffff - 2 * (SMALL + 1)) (head.fill(0), (stamp = 0));
  stamp += SMALL + 1;
  const base = stamp;
  o = 2;
  bits = 0;
  nbits = 0;
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x9c; // default level; (0x78 << 8 | 0x9c) % 31 === 0
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE 01: fixed Huffman
  const last = n - MIN_MATCH; // the last position a match (or a hash) can start at
  let i = 0;
  while (i < n) {
    let best = 0;
    let dist = 0;
    if (i <= last) {
      const limit = Math.min(MAX_MATCH, n - i);
      for (let j = head[hash(data, i)], chain = 0; j >= base && chain < MAX_CHAIN; j = prev[j - base], chain++) {
        const p = j - base;
        let l = 0;
        while (l < limit && data[p + l] === data[i + l]) l++;
        if (l > best) {
          best = l;
          dist = i - p;
          if (l === limit) break;
        }
      }
    }
    const step = best >= MIN_MATCH ? best : 1;
    if (step > 1) {
      const li = LEN_INDEX[best];
      put(LIT_CODE[257 + li], LIT_LEN[257 + li]);
      if (LEN_EXTRA[li]) put(best - LEN_BASE[li], LEN_EXTRA[li]);
      const di = DIST_INDEX[dist];
      put(DIST_CODE[di], 5);
      if (DIST_EXTRA[di]) put(dist - DIST_BASE[di], DIST_EXTRA[di]);
    } else {
      put(LIT_CODE[data[i]], LIT_LEN[data[i]]);
    }
    for (const end = i + step; i < end; i++) {
      if (i > last) continue;
      const h = hash(data, i);
      prev[i] = head[h];
      head[h] = i + base;
    }
  }
  put(LIT_CODE[256], LIT_LEN[256]); // end of block
  if (nbits) out[o++] = bits & 0xff;
  const a = adler32(data);
  out[o++] = a >>> 24;
  out[o++] = (a >>> 16) & 0xff;
  out[o++] = (a >>> 8) & 0xff;
  out[o++] = a & 0xff;
  return Buffer.from(out.subarray(0, o));
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
