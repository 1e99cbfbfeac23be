/**
 * A Sentry 7.7 database with orphaned teams, made the way they happen: foreign keys dropped (or
 * bypassed), an organization row deleted directly, another organization left pending deletion.
 *
 *   org 1 sentry (visible)   team 1 backend   project 1 api, project 5 misfiled (points at org 3)
 *   org 2 doomed (status 1)  team 4 ops       project 4 infra
 *   org 3 lost   (DELETED)   team 2 backend   project 2 api
 *                            team 3 frontend  project 3 web
 *   users 1 admin (superuser), 2 alice, 3 bob, 4 erin, 5 frank (inactive)
 *   members 1 org1 admin owner, 2 org1 alice global, 3 org3 alice owner not global, 4 org3 bob global,
 *           5 org3 carol@example.com (invite), 6 org2 erin owner
 *   links 1 (m3, t2 active), 2 (m4, t3 inactive), 3 (m2, t1 active); access request 1 (t3, m3)
 *   org 3 also keeps an API key, an SSO provider and its ORG_ADD audit entry (slug lost, name Lost Org, as
 *   Sentry wrote it: flags a pickled BitHandler)
 */
import { sql } from 'kysely';
import { AUDIT, insertAuditEntries } from '../../src/admin/audit-log.js';
import { type Connection, connect } from '../../src/db/connect.js';
import type { Engine } from '../../src/db/url.js';
import { initSchema } from '../../src/setup/init-schema.js';
import { type TempDatabase, tempDatabase } from '../helpers/servers.js';

export interface Damaged {
  tmp: TempDatabase;
  conn: Connection;
  close(): Promise<void>;
}

const T0 = new Date('2015-06-01T10:00:00Z');

/**
 * The `data` of an ORG_ADD entry as Sentry 7.7 writes it (AuditLogEntry.data = Organization.get_audit_log_data(),
 * a GzippedDictField: base64(zlib(cPickle.dumps(dict)))), with `flags` a django-bitfield 1.7 BitHandler (value 1,
 * keys ['allow_joinleave']): {'slug': u'lost', 'name': u'Lost Org', 'status': 0, 'flags': <BitHandler>}.
 * Made by CPython 2.7.18 with a stand-in class of the same module path (BITHANDLER_PY, regenerated live by
 * test/unit/sentry-encodings.test.ts).
 */
export const SENTRY_ORG_ADD_DATA = 'eJwdjstuwyAQRffzFezslRXnnWW6aqSqlRopWwR44pKOgcKQyH9f8AbpMlfn3HYIPVybxIpzaiCs4bKCdG3upMaaN2CMD7OMOEJ5jHeJYzbsI4QttEZbvlukoeM5YII3y+/KDYTlvAMjpc6W2DopwesHGoawh0/+Dgdoh3AsZvlUlLGYTnDpq1mS0kjV3a+gpdDXfWci/xITThpjEuzFw1snikkQqicKRjUl8bL84zOLiH/ZRutGoUKIvhi6iluDqvxfnBf6ZqFvC11VuqzIhVaPu9LVpZ0ojzXv4UY+lfn9oY50alpqR7h9lG/xFceSTpC6f7TUbJc=';

/**
 * CPython 2.7 script: for each [slug, name, status, flags] on stdin (JSON), Organization.get_audit_log_data() as
 * GzippedDictField stores it; prints [base64 text, pickle hex] pairs. `bitfield.types.BitHandler` is a stand-in
 * with django-bitfield 1.7's module path and instance __dict__ (_value, _keys, _labels) and, like it, no
 * __reduce__ / __getstate__ of its own (its __getattr__ leaves '_' names to object).
 */
export const BITHANDLER_PY = `
import sys, types, cPickle, zlib, base64, json
bitfield = types.ModuleType('bitfield'); bt = types.ModuleType('bitfield.types')
class BitHandler(object):
    def __init__(self, value, keys, labels=None):
        self._value = int(value) if value else 0
        self._keys = keys
        self._labels = labels is not None and labels or keys
    def __getattr__(self, key):
        if key.startswith('_'):
            return object.__getattribute__(self, key)
        raise AttributeError(key)
BitHandler.__module__ = 'bitfield.types'
bt.BitHandler = BitHandler; bitfield.types = bt
sys.modules['bitfield'] = bitfield; sys.modules['bitfield.types'] = bt
# Organization.flags = BitField(flags=(('allow_joinleave', '...'),)): BitField keeps keys and labels as lists of str
keys = ['allow_joinleave']; labels = ['Allow members to join and leave teams without requiring approval.']
out = []
for slug, name, status, flags in json.load(sys.stdin):
    data = {'slug': slug, 'name': name, 'status': status, 'flags': BitHandler(flags, keys, labels)}
    raw = cPickle.dumps(data)
    out.append([base64.b64encode(zlib.compress(raw)), raw.encode('hex')])
print json.dumps(out)
`;

export const SNAPSHOT_TABLES = [
  'auth_user', 'sentry_organization', 'sentry_team', 'sentry_project', 'sentry_organizationmember',
  'sentry_organizationmember_teams', 'sentry_organizationaccessrequest', 'sentry_apikey', 'sentry_authprovider',
  'sentry_auditlogentry',
];

export async function damagedDatabase(engine: Engine, opts: { keepForeignKeys?: boolean } = {}): Promise<Damaged> {
  const tmp = await tempDatabase(engine, 'sa_orph');
  await initSchema(tmp.url, { bigInts: engine === 'postgres' });
  const conn = await connect(tmp.url);
  const close = async () => {
    await conn.close();
    await tmp.drop();
  };
  try {
    await seed(conn);
    if (!opts.keepForeignKeys) await dropForeignKeys(conn);
    await withoutForeignKeyChecks(conn, (db) => db.deleteFrom('sentry_organization').where('id', '=', '3').execute());
    // As after a dump and restore of the damaged database: the organization id generator is no
    // further than the rows left, so it would hand out the deleted organization's id again.
    const reset = conn.engine === 'mysql'
      ? sql`ALTER TABLE sentry_organization AUTO_INCREMENT = 1`
      : sql`SELECT setval(pg_get_serial_sequence('sentry_organization', 'id'), (SELECT MAX(id) FROM sentry_organization))`;
    await reset.execute(conn.db);
  } catch (err) {
    await close();
    throw err;
  }
  return { tmp, conn, close };
}

async function seed(conn: Connection): Promise<void> {
  const db = conn.db;
  const user = (id: number, username: string, su = false, active = true) => ({
    id, username, password: 'x', last_login: T0, first_name: '', last_name: '', email: `${username}@example.com`,
    is_staff: su, is_active: active, is_superuser: su, date_joined: T0, is_managed: false,
  });
  await db.insertInto('auth_user').values([user(1, 'admin', true), user(2, 'alice'), user(3, 'bob'), user(4, 'erin'), user(5, 'frank', false, false)]).execute();
  const org = (id: number, slug: string, name: string, status: number, owner: number) => ({ id, slug, name, status, owner_id: owner, date_added: T0, flags: 0 });
  await db.insertInto('sentry_organization').values([org(1, 'sentry', 'Sentry', 0, 1), org(2, 'doomed', 'Doomed', 1, 4), org(3, 'lost', 'Lost Org', 0, 2)]).execute();
  const team = (id: number, org: number, slug: string) => ({ id, organization_id: org, slug, name: slug[0].toUpperCase() + slug.slice(1), status: 0, date_added: T0 });
  await db.insertInto('sentry_team').values([team(1, 1, 'backend'), team(2, 3, 'backend'), team(3, 3, 'frontend'), team(4, 2, 'ops')]).execute();
  const project = (id: number, org: number, teamId: number, slug: string) => ({
    id, organization_id: org, team_id: teamId, slug, name: slug.toUpperCase(), public: false, status: 0, date_added: T0, platform: null,
  });
  await db.insertInto('sentry_project').values([
    project(1, 1, 1, 'api'), project(2, 3, 2, 'api'), project(3, 3, 3, 'web'), project(4, 2, 4, 'infra'), project(5, 3, 1, 'misfiled'),
  ]).execute();
  const member = (id: number, org: number, userId: number | null, type: number, global: boolean, email: string | null = null) => ({
    id, organization_id: org, user_id: userId, type, has_global_access: global, email, flags: 0, counter: null, date_added: T0,
  });
  await db.insertInto('sentry_organizationmember').values([
    member(1, 1, 1, 0, true), member(2, 1, 2, 50, true), member(3, 3, 2, 0, false), member(4, 3, 3, 50, true),
    member(5, 3, null, 50, true, 'carol@example.com'), member(6, 2, 4, 0, true),
  ]).execute();
  await db.insertInto('sentry_organizationmember_teams').values([
    { id: 1, organizationmember_id: 3, team_id: 2, is_active: true },
    { id: 2, organizationmember_id: 4, team_id: 3, is_active: false },
    { id: 3, organizationmember_id: 2, team_id: 1, is_active: true },
  ]).execute();
  await db.insertInto('sentry_organizationaccessrequest').values({ id: 1, team_id: 3, member_id: 3 }).execute();
  await db.insertInto('sentry_apikey').values({
    id: 1, organization_id: 3, label: 'Default', key: 'a'.repeat(32), scopes: 0, status: 0, date_added: T0, allowed_origins: null,
  }).execute();
  await db.insertInto('sentry_authprovider').values({
    id: 1, organization_id: 3, provider: 'dummy', config: '{}', date_added: T0, sync_time: null, last_sync: null,
    default_role: 50, default_global_access: true, flags: 0,
  }).execute();
  for (const t of SNAPSHOT_TABLES) await conn.adapter.syncIdSequence(db, t, 'id');
  await insertAuditEntries(db, conn.adapter, [
    { organizationId: '1', event: AUDIT.ORG_ADD, targetObject: '1', targetUserId: null, actorLabel: 'admin', data: { slug: 'sentry', name: 'Sentry', status: 0, flags: 0 } },
  ], T0);
  // org 3's ORG_ADD as Sentry wrote it: its flags are a pickled BitHandler
  await db.insertInto('sentry_auditlogentry').values({
    organization_id: 3, actor_id: 2, actor_key_id: null, actor_label: 'alice', target_object: 3, target_user_id: null,
    event: AUDIT.ORG_ADD, data: SENTRY_ORG_ADD_DATA, datetime: T0, ip_address: '127.0.0.1',
  }).execute();
}

/** What a MySQL install that lost its constraints looks like; on PostgreSQL the same by hand. */
async function dropForeignKeys(conn: Connection): Promise<void> {
  const q = conn.adapter.quoteIdent;
  for (const fk of await conn.adapter.foreignKeys(conn.db)) {
    const drop = conn.engine === 'mysql' ? 'DROP FOREIGN KEY' : 'DROP CONSTRAINT';
    await sql.raw(`ALTER TABLE ${q(fk.table)} ${drop} ${q(fk.name)}`).execute(conn.db);
  }
}

/** Run `fn` on one pinned connection with foreign key checks off, as a careless admin would. */
export async function withoutForeignKeyChecks(conn: Connection, fn: (db: any) => Promise<unknown>): Promise<void> {
  await conn.db.connection().execute(async (c) => {
    const [off, on] = conn.engine === 'mysql'
      ? ['SET FOREIGN_KEY_CHECKS = 0', 'SET FOREIGN_KEY_CHECKS = 1']
      : ['SET session_replication_role = replica', 'SET session_replication_role = DEFAULT'];
    await sql.raw(off).execute(c);
    try {
      await fn(c);
    } finally {
      await sql.raw(on).execute(c);
    }
  });
}

/** Every row of the tables a repair may touch, normalised, for exact before/after comparison. */
export async function snapshot(conn: Connection): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of SNAPSHOT_TABLES) {
    const rows = await conn.db.selectFrom(t).selectAll().orderBy('id').execute();
    out[t] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v === null ? null : String(v)])));
  }
  return out;
}

/**
 * What a repair must leave: every team and project in a visible organization (a project in its
 * team's), every visible organization with an active owner who holds an owner membership there.
 * Returns the memberships still outside a visible organization, for the caller to judge.
 */
export async function homesProblems(conn: Connection): Promise<{ problems: string[]; strayMembers: string[] }> {
  const db = conn.db;
  const problems: string[] = [];
  const teams = await db.selectFrom('sentry_team as t').leftJoin('sentry_organization as o', 'o.id', 't.organization_id')
    .select(['t.id', 'o.status']).execute();
  for (const t of teams) if (t.status === null || Number(t.status) !== 0) problems.push(`team ${t.id} has no visible organization`);
  const projects = await db.selectFrom('sentry_project as p').leftJoin('sentry_team as t', 't.id', 'p.team_id')
    .leftJoin('sentry_organization as o', 'o.id', 'p.organization_id')
    .select(['p.id', 'p.organization_id', 't.organization_id as team_org', 'o.status']).execute();
  for (const p of projects) {
    if (p.status === null || Number(p.status) !== 0) problems.push(`project ${p.id} has no visible organization`);
    if (String(p.organization_id) !== String(p.team_org)) problems.push(`project ${p.id} is not in its team's organization`);
  }
  const orgs = await db.selectFrom('sentry_organization as o').leftJoin('auth_user as u', 'u.id', 'o.owner_id')
    .select(['o.id', 'o.owner_id', 'u.is_active']).where('o.status', '=', 0).execute();
  for (const o of orgs) {
    if (!o.is_active) problems.push(`organization ${o.id} has no active owner`);
    const m = await db.selectFrom('sentry_organizationmember').select('id')
      .where('organization_id', '=', o.id).where('user_id', '=', o.owner_id).where('type', '=', 0).executeTakeFirst();
    if (!m) problems.push(`organization ${o.id}: its owner has no owner membership`);
  }
  const stray = await db.selectFrom('sentry_organizationmember as m').leftJoin('sentry_organization as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'o.status']).orderBy('m.id').execute();
  return { problems, strayMembers: stray.filter((m) => m.status === null || Number(m.status) !== 0).map((m) => String(m.id)) };
}

/** Team ids a member can reach, as Sentry 7.7's OrganizationMember.get_teams() computes them. */
export async function memberTeams(conn: Connection, memberId: string): Promise<string[]> {
  const m = await conn.db.selectFrom('sentry_organizationmember').select(['organization_id', 'has_global_access']).where('id', '=', memberId).executeTakeFirstOrThrow();
  const links = await conn.db.selectFrom('sentry_organizationmember_teams').select(['team_id', 'is_active']).where('organizationmember_id', '=', memberId).execute();
  if (!m.has_global_access) return links.filter((l) => l.is_active).map((l) => String(l.team_id)).sort();
  const left = new Set(links.filter((l) => !l.is_active).map((l) => String(l.team_id)));
  const teams = await conn.db.selectFrom('sentry_team').select('id').where('organization_id', '=', m.organization_id).execute();
  return teams.map((t) => String(t.id)).filter((id) => !left.has(id)).sort();
}
