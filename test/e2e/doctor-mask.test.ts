/**
 * doctor never echoes a password, also one given as a query parameter (libpq's ?password=), in a refusal or a report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_DB, REDIS_URL, runCli } from '../helpers/servers.js';

test('doctor masks a password given as a query parameter', async () => {
  for (const db of ['postgres://h/?password=XSECRET1', 'postgres://127.0.0.1:1/db?sslmode=disable&password=XSECRET1', 'mysql://root@127.0.0.1:1/db?pwd=XSECRET1']) {
    const r = await runCli(['doctor', '--db', db, '--redis', REDIS_URL(REDIS_DB.doctorMask)]);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout + r.stderr, /XSECRET1/, db);
    const j = await runCli(['doctor', '--db', db, '--redis', REDIS_URL(REDIS_DB.doctorMask), '--json']);
    assert.doesNotMatch(j.stdout + j.stderr, /XSECRET1/, db);
  }
});
