/**
 * `sentry-admin seed`: fill an empty Sentry 7.7 schema with realistic, deterministic demo data.
 *
 * Refuses (exit 2, nothing written) a database without the schema or with data in any Sentry table.
 * The same `seed` gives the same rows on MySQL and PostgreSQL, in either id width. If loading fails
 * or is interrupted, the tables are emptied again so the database is as it was.
 */
import { sql } from 'kysely';
import { type Connection, connect } from '../db/connect.js';
import { setupSql } from '../db/engine-sql.js';
import { SENTRY_TABLES_77 } from '../db/schema-files.js';
import type { DbUrl, Engine } from '../db/url.js';
import { LockedError, UsageError } from '../errors.js';
import { planActivity } from './seed-activity.js';
import { eventTables } from './seed-events.js';
import { planEvents, planGroups } from './seed-groups.js';
import { groupHashRows, groupRows, peopleTables, tagTables, userReports } from './seed-issue-rows.js';
import { type LoadOptions, type LoadPlan, loadSeed } from './seed-load.js';
import type { Project, User } from './seed-model.js';
import type { SentryTable } from './seed-tables.js';
import { orgTables, releaseRows } from './seed-org-rows.js';
import { Rng } from './seed-random.js';
import { Variants } from './seed-variants.js';
import { SEED_PASSWORD, buildWorld } from './seed-world.js';

export const MAX_EVENTS = 20_000_000;

export interface SeedOptions {
  events: number;
  seed: number;
  signal?: AbortSignal;
  /** Called as each table finishes loading. */
  onTable?: LoadOptions['onTable'];
  /** Called every few seconds while the per-event tables load. */
  onProgress?: LoadOptions['onProgress'];
}

export interface SeedResult {
  database: string;
  engine: string;
  seed: number;
  events: number;
  organizations: string[];
  /** Rows written per table. */
  tables: Record<string, number>;
  seconds: number;
  /** The password every seeded user signs in with. */
  password: string;
}

/** Tables the seed writes; all must exist. */
const WRITTEN: SentryTable[] = [
  'auth_user', 'sentry_organization', 'sentry_team', 'sentry_project', 'sentry_projectkey', 'sentry_projectoptions',
  'sentry_organizationmember', 'sentry_organizationmember_teams', 'sentry_organizationaccessrequest', 'sentry_authprovider',
  'sentry_authprovider_default_teams', 'sentry_authidentity', 'sentry_apikey', 'sentry_rule', 'sentry_savedsearch',
  'sentry_useroption', 'sentry_auditlogentry', 'sentry_release', 'sentry_groupedmessage', 'sentry_grouphash', 'sentry_message',
  'nodestore_node', 'sentry_eventmapping', 'sentry_filterkey', 'sentry_filtervalue', 'sentry_grouptagkey',
  'sentry_messagefiltervalue', 'sentry_activity', 'sentry_groupasignee', 'sentry_groupbookmark', 'sentry_groupseen',
  'sentry_groupmeta', 'sentry_grouprulestatus', 'sentry_userreport',
];

export function validateSeedOptions(events: number, seed: number): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(events) || events < 0 || events > MAX_EVENTS) problems.push(`--events must be a whole number from 0 to ${MAX_EVENTS}`);
  if (!Number.isSafeInteger(seed) || seed < 0) problems.push('--seed must be a whole number, 0 or more');
  if (problems.length) throw new UsageError(problems.join('; '));
}

export async function seed(url: DbUrl, opts: SeedOptions): Promise<SeedResult> {
  validateSeedOptions(opts.events, opts.seed);
  const started = Date.now();
  const conn = await connect(url, { poolSize: 2 });
  try {
    const release = await conn.adapter.tryLock(conn.db, `sentry-admin:seed:${url.database}`.slice(0, 64));
    if (!release) throw new LockedError(`another seed is running on ${url.masked}`);
    try {
      await checkEmptySchema(conn, url);
      const plan = buildLoadPlan(opts.events, opts.seed, conn.engine);
      let counts: Map<string, number>;
      try {
        counts = await loadSeed(url, plan.load, { signal: opts.signal, onTable: opts.onTable, onProgress: opts.onProgress });
        await advanceSequences(conn);
      } catch (err) {
        await emptyTables(conn).catch(() => undefined);
        throw err;
      }
      return {
        database: url.masked, engine: conn.engine, seed: opts.seed, events: opts.events, organizations: plan.organizations,
        tables: Object.fromEntries(WRITTEN.map((t) => [t, counts.get(t) ?? 0])), seconds: (Date.now() - started) / 1000,
        password: SEED_PASSWORD,
      };
    } finally {
      await release();
    }
  } finally {
    await conn.close();
  }
}

/** Everything the seed writes, as table generators in load order. Pure: depends on `events` and `seed` only. */
export function buildLoadPlan(events: number, seedValue: number, engine: Engine): { load: LoadPlan; organizations: string[] } {
  const rng = new Rng(seedValue);
  const world = buildWorld(rng);
  const groups = planGroups(world, events, rng);
  const eventPlan = planEvents(groups, events, rng);
  const variants = new Variants(rng);
  const staff = new Map<Project, User[]>(world.projects.map((p) => [p, p.org.members.filter((m) => m.user?.active).map((m) => m.user!)]));
  const activity = planActivity(world, groups, staff, rng.fork('activity'));
  const load: LoadPlan = {
    parents: [...orgTables(world, rng.fork('orgs')), releaseRows(world), groupRows(groups, variants, activity)],
    parallel: eventTables(groups, eventPlan, variants, setupSql(engine).clusteredByKey),
    rest: [
      groupHashRows(groups), ...tagTables(groups, eventPlan, variants), ...activity.tables,
      ...peopleTables(groups, staff, activity, rng.fork('people')), userReports(groups, eventPlan, rng.fork('reports')),
    ],
  };
  return { load, organizations: world.orgs.map((o) => o.slug) };
}

async function checkEmptySchema(conn: Connection, url: DbUrl): Promise<void> {
  const tables = new Set(await conn.adapter.listTables(conn.db));
  const missing = WRITTEN.filter((t) => !tables.has(t));
  if (missing.length === WRITTEN.length) {
    throw new UsageError(`${url.masked} has no Sentry schema; nothing was written`, `create it first: sentry-admin init-schema --db ${url.masked}`);
  }
  if (missing.length) {
    throw new UsageError(
      `${url.masked} lacks ${missing.length} tables of the Sentry 7.7 schema (${missing.slice(0, 3).join(', ')}…); nothing was written`,
      'seed needs the full 7.7 schema: create it with `sentry-admin init-schema` in a new database',
    );
  }
  const holding: string[] = [];
  for (const t of SENTRY_TABLES_77) {
    if (t === 'south_migrationhistory' || !tables.has(t)) continue;
    const r = await sql<{ one: number }>`SELECT 1 AS one FROM ${sql.table(t)} LIMIT 1`.execute(conn.db);
    if (r.rows.length) holding.push(t);
  }
  if (holding.length) {
    throw new UsageError(
      `${url.masked} already holds data (${holding.slice(0, 4).join(', ')}${holding.length > 4 ? ', …' : ''}); nothing was written`,
      'seed only fills an empty Sentry schema: point --db at a new database made with `sentry-admin init-schema`',
    );
  }
}

/** So Sentry can insert after us: every id sequence past its table's largest id (PostgreSQL; MySQL's AUTO_INCREMENT follows by itself). */
async function advanceSequences(conn: Connection): Promise<void> {
  for (const t of WRITTEN) if (t !== 'nodestore_node') await conn.adapter.syncIdSequence(conn.db, t, 'id');
}

/** After a failed load: empty what the seed wrote (every Sentry table was empty when it began). */
async function emptyTables(conn: Connection): Promise<void> {
  await setupSql(conn.engine).emptyTables(conn, WRITTEN);
}
