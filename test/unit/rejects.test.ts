/**
 * The rejects file holds whole rows (password hashes, DSN secret keys, API keys): only its owner
 * may read it, whatever the umask, and a file an earlier version left world-readable is narrowed.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RejectsFile } from '../../src/transfer/rejects.js';

const dir = mkdtempSync(join(tmpdir(), 'sa-rejects-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const mode = (p: string) => statSync(p).mode & 0o777;
const row = { table: 'sentry_projectkey', key: '7', reason: 'test', row: { id: '7', secret_key: 'f00' } };

describe('RejectsFile', () => {
  it('creates the file 0600 even under umask 0', () => {
    const old = process.umask(0);
    try {
      const f = new RejectsFile(join(dir, 'a', 'rejects.jsonl'));
      f.write([row]);
      f.write([row, row]);
      assert.equal(mode(f.path), 0o600);
      assert.equal(readFileSync(f.path, 'utf8').trim().split('\n').length, 3);
      assert.equal(f.count, 3);
    } finally {
      process.umask(old);
    }
  });

  it('narrows a file left 0644 by an earlier run, keeping its lines', () => {
    const p = join(dir, 'old.jsonl');
    writeFileSync(p, '{"old":true}\n');
    chmodSync(p, 0o644);
    new RejectsFile(p).write([row]);
    assert.equal(mode(p), 0o600);
    assert.equal(readFileSync(p, 'utf8').split('\n')[0], '{"old":true}');
  });
});
