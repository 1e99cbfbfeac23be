/**
 * `sentry-admin sync` through the binary: killed (SIGKILL) in the middle of a round, the same command
 * run again ends with the target equal to the source, and exit codes and --json are the contract's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { encodeGzippedDict, encodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { discardRun } from '../../src/transfer/status.js';
import { T0, loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, runCli, uniqueName } from '../helpers/servers.js';

const BIN = fileURLToPath(new URL('../../bin/sentry-admin', import.meta.url));
const redisUrl = REDIS_URL(REDIS_DB.staging);
const dbs: TempDatabase[] = [];
const namespaces: string[] = [];
const work = join(tmpdir(), uniqueName('sa-sync-cli'));
mkdirSync(work, { recursive: true });

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const ns of namespaces) await discardRun(parseRedisUrl(redisUrl), ns);
  rmSync(work, { recursive: true, force: true });
});

const count = (d: TempDatabase, table: string) =>
  withDb(d.url, async (k) => Number((await k.selectFrom(table).select(sql`COUNT(*)`.as('n')).executeTakeFirstOrThrow()).n));

describe('sync through the binary', () => {
  it('SIGKILL in the middle of a round, then the same command again, ends equal (exit 0); --final --json ends with verify equal', async () => {
    const src = await sentryDatabase('postgres');
    const dst = await sentryDatabase('mysql');
    dbs.push(src, dst);
    await withDb(src.url, (d) => loadFixture(d, { events: 3 }));
    const ns = uniqueName('sa-sync-cli');
    namespaces.push(ns);
    const base = ['--from', src.text, '--to', dst.text, '--redis', redisUrl, '--namespace', ns];
    const first = await runCli(['migrate', ...base, '--json'], { cwd: work });
    assert.equal(first.code, 0, first.stderr);

    // The source moves on: 600 new events with their nodes and mappings.
    await withDb(src.url, async (d) => {
      for (let i = 0; i < 600; i += 100) {
        const ids = Array.from({ length: 100 }, (_, k) => 10_000 + i + k);
        const node = (id: number) => Buffer.from(`sync-node-${id}`).toString('base64');
        await d.insertInto('nodestore_node').values(ids.map((id) => ({ id: node(id), data: encodeGzippedDict({ n: id }), timestamp: T0 }))).execute();
        await d.insertInto('sentry_message').values(ids.map((id) => ({
          id, message: `later ${id}`, datetime: T0, data: encodeNodeRef(node(id)), group_id: 1, message_id: id.toString(16).padStart(32, '0'),
          project_id: 1, time_spent: null, platform: 'python', num_comments: 0,
        }))).execute();
        await d.insertInto('sentry_eventmapping').values(ids.map((id) => ({ id, project_id: 1, group_id: 1, event_id: id.toString(16).padStart(32, '0'), date_added: T0 }))).execute();
      }
    });

    const before = await count(dst, 'sentry_message');
    const child = spawn(process.execPath, [BIN, 'sync', ...base, '--batch-rows', '3'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: work });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    for (let i = 0; i < 1200 && child.exitCode === null; i++) {
      if ((await count(dst, 'sentry_message')) > before) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, null, stderr);
    const mid = await count(dst, 'sentry_message');
    assert.ok(mid > before && mid < before + 600, `killed part-way (target had ${mid} events, ${before} before)`);

    const again = await runCli(['sync', ...base, '--json'], { cwd: work });
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.equal(report.rounds[0].tables.sentry_message.inserted, before + 600 - mid);
    assert.equal(await count(dst, 'sentry_message'), before + 600);

    const fin = await runCli(['sync', ...base, '--final', '--quiet-seconds', '1', '--json'], { cwd: work });
    assert.equal(fin.code, 0, fin.stderr);
    const f = JSON.parse(fin.stdout);
    assert.equal(f.verify.equal, true);
    assert.equal(f.rounds.at(-1).changed, 0);
  });
});
