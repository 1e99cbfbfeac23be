/**
 * The staging cap is on Redis's real memory: staged-bytes counts what Redis spends on each payload
 * (MEMORY USAGE), and an exporter with no importer stops staging before that passes --max-staged-mb.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { runMigration } from '../../src/transfer/migrate.js';
import { discardRun } from '../../src/transfer/status.js';
import { loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, uniqueName } from '../helpers/servers.js';

const redisUrl = parseRedisUrl(REDIS_URL(REDIS_DB.staging));
const dbs: TempDatabase[] = [];
const ns = uniqueName('sa-mem');
const dir = join(tmpdir(), uniqueName('sa-mem'));

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  await discardRun(redisUrl, ns);
  rmSync(dir, { recursive: true, force: true });
});

describe('staging stays within its cap in real Redis memory', () => {
  it('an export with no importer stops below the cap, and staged-bytes is the MEMORY USAGE of the payloads', async () => {
    const src = await sentryDatabase('mysql');
    dbs.push(src);
    await withDb(src.url, (d) => loadFixture(d, { events: 300 }));
    const cap = 96 * 1024;
    const stop = new AbortController();
    const run = runMigration({
      mode: 'export', source: src.url, redis: redisUrl, namespace: ns, scope: {}, signal: stop.signal,
      chunkRows: 40, maxStagedBytes: cap, rejectsPath: join(dir, 'r.jsonl'), journalDir: dir,
    });
    const redis = new Redis({ host: redisUrl.host, port: redisUrl.port, db: redisUrl.db });
    try {
      // The exporter waits once the cap is reached: staged-bytes stops moving.
      let last = -1;
      for (let still = 0, i = 0; still < 8 && i < 600; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const now = Number(await redis.get(`${ns}:staged-bytes`));
        still = now > 0 && now === last ? still + 1 : 0;
        last = now;
      }
      const keys = await redis.keys(`${ns}:chunk:*`);
      assert.ok(keys.length > 2, `${keys.length} chunks staged`);
      let memory = 0;
      for (const k of keys) memory += Number(await redis.memory('USAGE', k));
      assert.equal(last, memory, 'staged-bytes is what Redis spends on the payloads');
      assert.ok(memory <= cap, `${memory} bytes of payloads staged under a cap of ${cap}`);
    } finally {
      stop.abort();
      await run.catch(() => undefined);
      redis.disconnect();
    }
  });
});
