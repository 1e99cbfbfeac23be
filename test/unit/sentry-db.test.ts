/**
 * src/db/sentry-db.ts is generated from sql/<engine>/sentry-7.7.sql by scripts/gen-sentry-db.mjs: it must be what the
 * generator makes of the schema files now, and name every table the schema files create.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SENTRY_TABLES_77 } from '../../src/db/schema-files.js';

const script = fileURLToPath(new URL('../../scripts/gen-sentry-db.mjs', import.meta.url));
const output = fileURLToPath(new URL('../../src/db/sentry-db.ts', import.meta.url));

describe('generated Sentry schema type', () => {
  it('is current (node scripts/gen-sentry-db.mjs --check)', () => {
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('has one entry per table of the schema files', () => {
    const text = readFileSync(output, 'utf8');
    const body = /export interface SentryDb \{\n([^}]*)\}/.exec(text);
    assert.ok(body, 'SentryDb interface');
    const tables = body[1].trim().split('\n').map((l) => l.trim().split(':')[0]);
    assert.deepEqual([...tables].sort(), [...SENTRY_TABLES_77].sort());
  });
});
