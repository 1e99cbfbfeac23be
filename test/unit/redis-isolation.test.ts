/**
 * Any two test files can run at once: each Redis database index in REDIS_DB (test/helpers/servers.ts) is used by
 * the one file it names, except `staging`, where every file writes under a namespace of its own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { REDIS_DB } from '../helpers/servers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

const files = testFiles(root).filter((f) => !f.endsWith('helpers/servers.ts') && !f.endsWith('unit/redis-isolation.test.ts'));
const text = new Map(files.map((f) => [relative(root, f), readFileSync(f, 'utf8')]));

describe('Redis database indexes of the tests', () => {
  it('are all different', () => {
    const values = Object.values(REDIS_DB);
    assert.equal(new Set(values).size, values.length);
  });

  it('are named through REDIS_DB, never as a number', () => {
    for (const [file, t] of text) {
      assert.doesNotMatch(t, /REDIS_URL\(\s*\d/, file);
      assert.doesNotMatch(t, /\bdb:\s*\d/, file);
    }
  });

  it('each belong to one file, staging excepted', () => {
    for (const name of Object.keys(REDIS_DB)) {
      if (name === 'staging') continue;
      const users = [...text].filter(([, t]) => new RegExp(`REDIS_DB\\.${name}\\b`).test(t)).map(([f]) => f);
      assert.ok(users.length <= 1, `REDIS_DB.${name} is used by ${users.join(', ')}`);
    }
  });
});
