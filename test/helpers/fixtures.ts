/**
 * Small, hand-made Sentry data for tests that need exact control over values (the seed command
 * makes the big realistic sets). Everything goes through kysely, so it runs on both engines.
 */
import type { Kysely } from 'kysely';
import { encodeGzippedDict, encodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { connect } from '../../src/db/connect.js';
import { schemaStatements } from '../../src/db/schema-files.js';
import { sql } from 'kysely';
import type { DbUrl } from '../../src/db/url.js';
import { tempDatabase, type TempDatabase } from './servers.js';

export const T0 = new Date(Date.UTC(2015, 6, 28, 20, 41, 30));

/** A temp database with the Sentry 7.7 schema applied. */
export async function sentryDatabase(engine: 'mysql' | 'postgres', opts: { bigInts?: boolean; prefix?: string } = {}): Promise<TempDatabase> {
  const tmp = await tempDatabase(engine, opts.prefix ?? 'sa_fx');
  const c = await connect(tmp.url, { poolSize: 1 });
  try {
    await c.db.connection().execute(async (conn) => {
      for (const s of schemaStatements(engine, { bigInts: Boolean(opts.bigInts) })) await sql.raw(s).execute(conn);
    });
  } finally {
    await c.close();
  }
  return tmp;
}

/** Run a callback with a kysely handle on the database. */
export async function withDb<T>(url: DbUrl, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const c = await connect(url, { poolSize: 2 });
  try {
    return await fn(c.db);
  } finally {
    await c.close();
  }
}

const user = (id: number, username: string, extra: Record<string, unknown> = {}) => ({
  id, password: 'pbkdf2_sha256$12000$salt$hash', last_login: T0, username, first_name: '', last_name: '', email: `${username}@example.com`,
  is_staff: false, is_active: true, is_superuser: false, date_joined: T0, is_managed: false, ...extra,
});

/**
 * Two organizations (acme: id 1, globex: id 2), each with a team, a project, members, a group
 * with `events` events and their nodes and mappings, a tag, an audit row. `idBase` offsets
 * every big-auto id (use 2^53 + 1 to test 64-bit ids).
 */
export async function loadFixture(db: Kysely<any>, opts: { events?: number; idBase?: bigint } = {}): Promise<void> {
  const n = opts.events ?? 5;
  const b = opts.idBase ?? 0n;
  const id = (x: number) => (b + BigInt(x)).toString();
  await db.insertInto('auth_user').values([
    user(1, 'admin', { is_superuser: true, is_staff: true, first_name: 'Zoë' }),
    user(2, 'wang', { first_name: '王小明' }),
    user(3, 'carol'),
  ]).execute();
  for (const o of [1, 2]) {
    const slug = o === 1 ? 'acme' : 'globex';
    await db.insertInto('sentry_organization').values({ id: id(o), name: slug.toUpperCase(), status: 0, date_added: T0, slug, flags: 1, owner_id: 1 }).execute();
    await db.insertInto('sentry_team').values({ id: id(o), slug: 'backend', name: 'Backend', date_added: T0, status: 0, organization_id: id(o) }).execute();
    await db.insertInto('sentry_project').values({ id: id(o), name: 'API', public: false, date_added: T0, status: 0, slug: 'api', team_id: id(o), organization_id: id(o), platform: 'python' }).execute();
    await db.insertInto('sentry_organizationmember').values([
      { id: id(o * 10 + 1), organization_id: id(o), user_id: 1, type: 0, date_added: T0, email: null, has_global_access: true, flags: 0, counter: 1 },
      { id: id(o * 10 + 2), organization_id: id(o), user_id: o + 1, type: 50, date_added: T0, email: null, has_global_access: false, flags: 0, counter: 2 },
    ]).execute();
    await db.insertInto('sentry_organizationmember_teams').values({ id: o, organizationmember_id: id(o * 10 + 2), team_id: id(o), is_active: true }).execute();
    await db.insertInto('sentry_auditlogentry').values({
      id: id(o), organization_id: id(o), actor_id: 1, target_object: o, target_user_id: o + 1, event: 4, actor_label: 'admin',
      data: encodeGzippedDict({ email: 'x@example.com', has_global_access: false }), datetime: T0, ip_address: '10.0.0.1', actor_key_id: null,
    }).execute();
    await db.insertInto('sentry_groupedmessage').values({
      id: id(o), logger: 'root', level: 40, message: `ZeroDivisionError: tab\there, newline\nand backslash \\ ü`, view: 'app.views in index', status: 0,
      times_seen: n, last_seen: T0, first_seen: T0, data: encodeGzippedDict({ type: 'default' }), score: 1000, project_id: id(o),
      time_spent_total: 0, time_spent_count: 0, resolved_at: null, active_at: T0, is_public: false, platform: 'python', num_comments: 0, first_release_id: null,
    }).execute();
    await db.insertInto('sentry_filterkey').values({ id: id(o), project_id: id(o), key: 'browser', values_seen: 1, label: null, status: 0 }).execute();
    await db.insertInto('sentry_filtervalue').values({ id: id(o), key: 'browser', value: 'Chrome 43.0 é', project_id: id(o), times_seen: n, last_seen: T0, first_seen: T0, data: null }).execute();
    for (let e = 1; e <= n; e++) {
      const eid = o * 1000 + e;
      const node = Buffer.from(`node-${o}-${e}`.padEnd(16, '.')).toString('base64');
      await db.insertInto('nodestore_node').values({ id: node, data: encodeGzippedDict({ message: `event ${e}`, extra: { n: e } }), timestamp: T0 }).execute();
      await db.insertInto('sentry_message').values({
        id: id(eid), message: `event ${e}`, datetime: new Date(T0.getTime() + e * 1000), data: encodeNodeRef(node), group_id: id(o),
        message_id: eid.toString(16).padStart(32, '0'), project_id: id(o), time_spent: null, platform: 'python', num_comments: 0,
      }).execute();
      await db.insertInto('sentry_eventmapping').values({ id: id(eid), project_id: id(o), group_id: id(o), event_id: eid.toString(16).padStart(32, '0'), date_added: T0 }).execute();
    }
  }
}

/** Every row of the given tables, normalised (ids and numbers as strings, dates as ISO, booleans), ordered by id. */
export async function dumpTables(db: Kysely<any>, tables: string[]): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of tables) {
    const rows = (await db.selectFrom(t).selectAll().execute()).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])));
    // In JS, not SQL: MySQL and PostgreSQL collate text keys (nodestore ids) differently.
    out[t] = rows.sort((a: any, b: any) => compareKeys(String(a.id), String(b.id)));
  }
  return out;
}

function compareKeys(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string' && /^\d+\/\d+$/.test(v)) return v;
  return v;
}

export const FIXTURE_TABLES = [
  'auth_user', 'sentry_organization', 'sentry_team', 'sentry_project', 'sentry_organizationmember', 'sentry_organizationmember_teams',
  'sentry_auditlogentry', 'sentry_groupedmessage', 'sentry_filterkey', 'sentry_filtervalue', 'sentry_message', 'sentry_eventmapping', 'nodestore_node',
];
