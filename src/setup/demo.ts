import type { RedisUrl } from '../config/redis-url.js';
import { adapterFor } from '../db/connect.js';
import { type DbUrl, withDatabase } from '../db/url.js';
import { type MigrationReport, runMigration } from '../transfer/migrate.js';
import { discardRun } from '../transfer/status.js';
import type { Progress } from '../ui/progress.js';
import { initSchema } from './init-schema.js';
import { type SeedResult, seed } from './seed.js';

/** The databases the demo owns on each server: dropped and re-created on every run. */
export const DEMO_DATABASE = 'sentry_admin_demo';

export interface DemoOptions {
  mysql: DbUrl;
  postgres: DbUrl;
  redis: RedisUrl;
  events: number;
  signal: AbortSignal;
  progress?: Progress;
  log: (line: string) => void;
}

export interface DemoResult {
  source: string;
  target: string;
  seed: SeedResult;
  migration: MigrationReport;
}

/**
 * The newcomer's first run: a seeded Sentry 7.7 on MySQL, migrated to PostgreSQL through Redis,
 * then verified. It touches only the `sentry_admin_demo` databases and its own Redis namespace.
 */
export async function demo(o: DemoOptions): Promise<DemoResult> {
  const source = withDatabase(o.mysql, DEMO_DATABASE);
  const target = withDatabase(o.postgres, DEMO_DATABASE);
  const namespace = 'sentry-admin-demo';
  for (const url of [source, target]) {
    await (await adapterFor(url.engine)).dropDatabase(url);
    // the source (MySQL) with 32-bit ids, the target (PostgreSQL) with 64-bit ones (SENTRY_USE_BIG_INTS)
    await initSchema(url, { bigInts: url === target, createDatabase: true });
  }
  o.log(`created the Sentry 7.7 schema in ${source.masked} and ${target.masked}`);
  const seeded = await seed(source, { events: o.events, seed: 1, signal: o.signal });
  o.log(`seeded ${source.masked}: ${seeded.events} events in ${seeded.seconds.toFixed(1)} s`);
  await discardRun(o.redis, namespace);
  const migration = await runMigration({
    mode: 'migrate', source, target, redis: o.redis, namespace, scope: {}, signal: o.signal, progress: o.progress, log: o.log, verify: true,
  });
  await discardRun(o.redis, namespace);
  return { source: source.masked, target: target.masked, seed: seeded, migration };
}
