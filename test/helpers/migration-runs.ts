/**
 * What a migration test file makes: Sentry databases, namespaces in Redis database 9, a directory for
 * rejects files and journals. `cleanup()` (in the file's `after`) drops and deletes all of it.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import type { MigrateOptions } from '../../src/transfer/migrate.js';
import { discardRun } from '../../src/transfer/status.js';
import { sentryDatabase } from './fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, uniqueName } from './servers.js';

export function migrationRuns(prefix: string, defaults: Partial<MigrateOptions> = {}) {
  const redis = parseRedisUrl(REDIS_URL(REDIS_DB.staging));
  const dbs: TempDatabase[] = [];
  const namespaces: string[] = [];
  const dir = join(tmpdir(), uniqueName(prefix));
  return {
    redis,
    dir,
    /** An empty Sentry 7.7 schema on the engine's test server. */
    async db(engine: 'mysql' | 'postgres', bigInts = false): Promise<TempDatabase> {
      const d = await sentryDatabase(engine, { bigInts });
      dbs.push(d);
      return d;
    },
    /** Options of a migrate run in a namespace of its own (rejects and journals under `dir`). */
    opts(from: TempDatabase | undefined, to: TempDatabase | undefined, extra: Partial<MigrateOptions> = {}): MigrateOptions {
      const ns = uniqueName(prefix);
      namespaces.push(ns);
      return {
        mode: 'migrate', source: from?.url, target: to?.url, redis, namespace: ns, scope: {}, signal: new AbortController().signal,
        rejectsPath: join(dir, `${ns}.jsonl`), journalDir: join(dir, 'journals'), chunkRows: 3, ...defaults, ...extra,
      };
    },
    async cleanup(): Promise<void> {
      await Promise.all(dbs.map((d) => d.drop()));
      for (const ns of namespaces) await discardRun(redis, ns);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
