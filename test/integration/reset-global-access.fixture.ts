import { type Kysely, sql } from 'kysely';
import { journalRow } from '../../src/journal/journal.js';
import { schemaStatements } from '../../src/db/schema-files.js';
import type { Engine } from '../../src/db/url.js';

/**
 * A small Sentry 7.7 world for reset-global-access (shared by its integration and e2e tests).
 *
 * users 1 alice, 2 bob, 3 carol, 4 dave, 5 erin (superuser), 6/7 share one email (case differs), 8 frank
 * orgs  1 acme (SSO google, default_global_access on), 2 beta (no SSO), 3 gamma (SSO github, on)
 * teams 101 acme/one, 102 acme/two, 103 acme/gone (pending deletion), 104 beta/one
 * members (id org user type global; active teams):
 *   11 acme alice 50 yes [101]      12 acme bob 50 yes [103; 102 inactive]   13 acme carol OWNER yes
 *   14 acme dave 50 yes             15 beta alice 25 no                       16 beta bob 50 yes, own email, no team
 *   17 beta carol OWNER yes         18 acme erin 50 yes, no team              19 gamma dave 50 yes
 *   20 gamma frank ADMIN (25) yes, no team
 */
export async function createSchema(db: Kysely<any>, engine: Engine): Promise<void> {
  for (const s of schemaStatements(engine, { bigInts: false })) await sql.raw(s).execute(db);
}

export async function insertFixture(db: Kysely<any>): Promise<void> {
  const t = new Date('2015-06-01T12:00:00Z');
  const user = (id: number, username: string, email: string, superuser = false) => ({
    id, username, email, password: 'x', last_login: t, first_name: '', last_name: '', is_staff: superuser, is_active: true,
    is_superuser: superuser, date_joined: t, is_managed: false,
  });
  await db.insertInto('auth_user').values([
    user(1, 'alice', 'alice@example.com'), user(2, 'bob', 'bob@example.com'), user(3, 'carol', 'carol@example.com'),
    user(4, 'dave', 'dave@example.com'), user(5, 'erin', 'erin@example.com', true),
    user(6, 'shared1', 'shared@example.com'), user(7, 'shared2', 'SHARED@example.com'), user(8, 'frank', 'frank@example.com'),
  ]).execute();
  const org = (id: number, slug: string) => ({ id, slug, name: slug.toUpperCase(), status: 0, date_added: t, flags: 0, owner_id: 3 });
  await db.insertInto('sentry_organization').values([org(1, 'acme'), org(2, 'beta'), org(3, 'gamma')]).execute();
  const team = (id: number, organization_id: number, slug: string, status = 0) => ({ id, organization_id, slug, name: slug, status, date_added: t });
  await db.insertInto('sentry_team').values([team(101, 1, 'one'), team(102, 1, 'two'), team(103, 1, 'gone', 1), team(104, 2, 'one')]).execute();
  const provider = (id: number, organization_id: number, name: string) => ({
    id, organization_id, provider: name, config: '{}', date_added: t, sync_time: null, last_sync: null,
    default_role: 50, default_global_access: true, flags: 0,
  });
  await db.insertInto('sentry_authprovider').values([provider(1, 1, 'google'), provider(2, 3, 'github')]).execute();
  const member = (id: number, organization_id: number, user_id: number, type: number, has_global_access: boolean, email: string | null = null) => ({
    id, organization_id, user_id, type, has_global_access, email, date_added: t, flags: 1, counter: id - 10,
  });
  await db.insertInto('sentry_organizationmember').values([
    member(11, 1, 1, 50, true), member(12, 1, 2, 50, true), member(13, 1, 3, 0, true), member(14, 1, 4, 50, true),
    member(15, 2, 1, 25, false), member(16, 2, 2, 50, true, 'bob-invite@example.com'), member(17, 2, 3, 0, true),
    member(18, 1, 5, 50, true), member(19, 3, 4, 50, true), member(20, 3, 8, 25, true),
  ]).execute();
  await db.insertInto('sentry_organizationmember_teams').values([
    { id: 1001, organizationmember_id: 11, team_id: 101, is_active: true },
    { id: 1002, organizationmember_id: 12, team_id: 102, is_active: false },
    { id: 1003, organizationmember_id: 12, team_id: 103, is_active: true },
  ]).execute();
}

/** Every row reset-global-access may touch, normalised, for before/after comparisons. */
export async function snapshot(db: Kysely<any>) {
  const rows = async (table: string) => (await db.selectFrom(table).selectAll().orderBy('id').execute()).map(journalRow);
  return {
    members: await rows('sentry_organizationmember'),
    providers: await rows('sentry_authprovider'),
    memberTeams: await rows('sentry_organizationmember_teams'),
    audit: await rows('sentry_auditlogentry'),
  };
}
