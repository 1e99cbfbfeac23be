import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { deflateSync, inflateSync } from 'node:zlib';
import { zlibCompress } from '../../src/codec/zlib-small.js';
import { pickle } from '../../src/codec/pickle-write.js';
import { sentryDict } from '../../src/admin/audit-log.js';

/** A deterministic byte source (xorshift), so a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
}

const samples = (): Buffer[] => {
  const r = rng(7);
  const out: Buffer[] = [Buffer.alloc(0), Buffer.from('a'), Buffer.from('ab'), Buffer.from('abc'), Buffer.alloc(1024, 0x61), Buffer.alloc(300, 0)];
  for (let k = 0; k < 400; k++) {
    const n = Math.floor(r() * 1100);
    const alphabet = 1 + Math.floor(r() * 255);
    out.push(Buffer.from(Array.from({ length: n }, () => Math.floor(r() * alphabet))));
  }
  for (let k = 0; k < 200; k++) {
    out.push(pickle(sentryDict({ email: k % 3 ? null : `user${k}@example.com`, user: BigInt(k * 7919), teams: Array.from({ length: k % 7 }, (_, i) => BigInt(i * 13 + k)), has_global_access: false }), 0));
  }
  return out;
};

test('every stream inflates back to its input (random, repetitive, empty, past 1 KiB, pickles)', () => {
  for (const s of samples()) assert.ok(inflateSync(zlibCompress(s)).equals(s), `input of ${s.length} bytes`);
});

test('small pickles compress about as well as zlib level 6 (within 5% overall, 10% each)', () => {
  let ours = 0;
  let theirs = 0;
  for (const s of samples().slice(-200)) {
    const [x, y] = [zlibCompress(s).length, deflateSync(s).length];
    assert.ok(x <= y * 1.1, `${x} vs ${y}`);
    ours += x;
    theirs += y;
  }
  assert.ok(ours <= theirs * 1.05, `${ours} vs ${theirs}`);
});

test("python3's zlib.decompress reads them", () => {
  const lines = samples().filter((_, i) => i % 10 === 0).map((s) => `${zlibCompress(s).toString('base64')} ${s.toString('hex') || '-'}`);
  const script = [
    'import sys, zlib, base64',
    'for line in sys.stdin:',
    '    z, raw = line.split()',
    '    assert zlib.decompress(base64.b64decode(z)) == (b"" if raw == "-" else bytes.fromhex(raw)), raw',
    'print("ok")',
  ].join('\n');
  assert.equal(execFileSync('python3', ['-c', script], { input: lines.join('\n') + '\n' }).toString().trim(), 'ok');
});
