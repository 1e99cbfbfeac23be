/**
 * The small inflater gives node:zlib's bytes for every kind of stream (stored, fixed and dynamic
 * Huffman blocks, every level, several blocks), and node's error for damaged ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { encodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { zlibCompress } from '../../src/codec/zlib-small.js';
import { inflateSmall, zlibInflate } from '../../src/codec/zlib-inflate-small.js';

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
}

const samples = (): Buffer[] => {
  const r = rng(11);
  const out: Buffer[] = [Buffer.alloc(0), Buffer.from('a'), Buffer.alloc(3000, 0x61), Buffer.from(Array.from({ length: 256 }, (_, i) => i))];
  for (let k = 0; k < 300; k++) {
    const n = Math.floor(r() * 2500);
    const alphabet = 1 + Math.floor(r() * 255);
    out.push(Buffer.from(Array.from({ length: n }, () => Math.floor(r() * alphabet))));
  }
  return out;
};

test('same bytes as node:zlib, for every level and strategy, and for our own compressor', () => {
  for (const raw of samples()) {
    for (const opts of [{ level: 0 }, { level: 1 }, { level: 6 }, { level: 9 }, { strategy: constants.Z_FIXED }, { strategy: constants.Z_HUFFMAN_ONLY }, { level: 9, memLevel: 1 }]) {
      const z = deflateSync(raw, opts);
      assert.deepEqual(zlibInflate(z), raw, `${raw.length} bytes, ${JSON.stringify(opts)}`);
      if (z.length <= 4096) assert.deepEqual(inflateSmall(z), raw, `decoded here: ${raw.length} bytes, ${JSON.stringify(opts)}`);
    }
    assert.deepEqual(inflateSmall(zlibCompress(raw)), raw);
  }
  const ref = Buffer.from(encodeNodeRef('bm9kZS0wLi4uLi4uLi4uLg=='), 'base64');
  assert.deepEqual(inflateSmall(ref), inflateSync(ref));
});

test('damaged streams: node:zlib decides (same result or same error)', () => {
  const r = rng(5);
  for (const raw of samples().slice(0, 80)) {
    const z = deflateSync(raw);
    for (let k = 0; k < 5; k++) {
      const bad = Buffer.from(z);
      bad[Math.floor(r() * bad.length)] ^= 1 << Math.floor(r() * 8);
      const cut = bad.subarray(0, Math.max(0, bad.length - Math.floor(r() * 3)));
      let native: unknown;
      let ours: unknown;
      try { native = inflateSync(cut); } catch (e) { native = (e as Error).message; }
      try { ours = zlibInflate(cut); } catch (e) { ours = (e as Error).message; }
      assert.deepEqual(ours, native);
    }
  }
});
