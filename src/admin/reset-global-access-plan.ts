import type { Kysely, Selectable } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { SentryDb, SentryOrganizationmember } from '../db/sentry-db.js';
import { UsageErrors } from '../errors.js';
import { type AuditActor, resolveActor } from './audit-log.js';
import { CHUNK, type ShownSql, shownSql } from './reset-global-access-sql.js';
import { chunks, readUserCsv, type ResolvedUser, resolveUsers, type UserRef, userArgs } from './user-list.js';

/**
 * The read side of reset-global-access: who is listed, which memberships and auth providers would
 * change, who would be left seeing nothing, and the SQL the write side runs. A member without
 * global access sees only the teams they have an active OrganizationMemberTeam row for (Sentry
 * 7.7 `OrganizationMember.get_teams`).
 */
export const COMMAND = 'reset-global-access';
export const ACTOR_LABEL = 'sentry-admin reset-global-access';
const OWNER = 0;
const ADMIN = 25;
const TEAM_VISIBLE = 0;

export interface ResetOptions {
  /** `--users FILE.csv` */
  csv?: string;
  /** `--user VALUE`, repeated */
  user?: string[];
  /** `--org SLUG` */
  org?: string;
  providerDefault: boolean;
  includeOwners: boolean;
  /**
   * `--keep-team-access`: first link each member to every team of the organization they see now, as Sentry's
   * member form does when global access is unticked (keepTeamLinks).
   */
  keepTeamAccess?: boolean;
  /** `--actor`: id, username or e-mail of the Sentry user the audit entries name. */
  actor?: string;
}

export interface PlannedMember {
  id: string;
  organizationId: string;
  userId: string;
  /** The membership's own email column (NULL once an invite is accepted), as Sentry's audit data has it. */
  email: string | null;
  type: number;
  /** Teams the member keeps once global access is off: active OrganizationMemberTeam rows (new ones included). */
  activeTeamIds: string[];
  /** With --keep-team-access: teams to link the member to (active links created). */
  newLinks: string[];
}

export interface OrgPlan {
  id: string;
  slug: string;
  name: string;
  change: number;
  ownersSkipped: number;
  alreadyOff: number;
  provider: { id: string; provider: string; defaultGlobalAccess: boolean; willChange: boolean } | null;
}

export interface ZeroTeamMember {
  memberId: string;
  organization: string;
  userId: string;
  username: string;
  /** Superusers still see every team (TeamManager.get_for_user); everybody else would see nothing. */
  superuser: boolean;
}

/**
 * A member whose role rests on global access: OrganizationMember.get_scopes() (models/organizationmember.py at 7.7.0)
 * grants `org:write` and `member:write` to an admin (type 25) or owner, and `org:delete` and `member:delete` to an
 * owner, only while has_global_access is set.
 */
export interface ScopeLoss {
  memberId: string;
  organization: string;
  userId: string;
  username: string;
  role: 'owner' | 'admin';
  scopes: string[];
}

export interface ResetPlan {
  command: typeof COMMAND;
  database: string;
  options: { org: string | null; providerDefault: boolean; includeOwners: boolean; keepTeamAccess: boolean };
  /** Who the audit entries name. */
  actor: AuditActor;
  users: number;
  organizations: OrgPlan[];
  totals: { change: number; ownersSkipped: number; alreadyOff: number; providersChange: number; linksAdded: number };
  zeroTeam: ZeroTeamMember[];
  /** Owners (with --include-owners) and admins who lose scopes along with global access. */
  scopesLost: ScopeLoss[];
  /** Users with no membership in the organizations in scope. */
  notMembers: string[];
  /** Organizations where no owner with global access would remain (only possible with --include-owners). */
  noGlobalOwner: string[];
  sql: ShownSql[];
  members: PlannedMember[];
}

/** Read the user list and check it against the database; every problem is thrown together (exit 2). */
async function resolveInput(db: Kysely<SentryDb>, opts: ResetOptions) {
  const problems: string[] = [];
  let refs: UserRef[] = [];
  if (opts.csv !== undefined && opts.user?.length) {
    problems.push('give either --users FILE.csv or --user, not both');
  } else if (opts.csv !== undefined) {
    const csv = readUserCsv(opts.csv);
    refs = csv.refs;
    problems.push(...csv.problems);
  } else if (opts.user?.length) {
    refs = userArgs(opts.user);
  } else {
    problems.push('say whose access to reset: --users FILE.csv or --user ID_OR_EMAIL (repeatable)');
  }

  const resolved = await resolveUsers(db, refs);
  problems.push(...resolved.problems);
  let org: { id: string; slug: string } | undefined;
  if (opts.org !== undefined) {
    const found = await db.selectFrom('sentry_organization').select(['id', 'slug'])
      .where((eb) => eb(eb.fn('lower', ['slug']), '=', opts.org!.toLowerCase())).execute();
    const exact = found.find((o) => o.slug === opts.org);
    org = exact && { id: String(exact.id), slug: exact.slug };
    if (!org) problems.push(`no organization with slug "${opts.org}"${found.length ? ` (did you mean "${found[0].slug}"?)` : ''}`);
  }
  if (problems.length) throw new UsageErrors(problems, 'fix the list and run again; nothing was written');
  return { users: resolved.users, org };
}

type MemberRow = Pick<Selectable<SentryOrganizationmember>, 'id' | 'organization_id' | 'user_id' | 'email' | 'type' | 'has_global_access'>;

/**
 * Work out what would change. With `lock` (inside apply's transaction) the memberships and
 * providers read are locked FOR UPDATE, so the writes act on exactly what was planned.
 */
export async function planReset(conn: Connection, db: Kysely<SentryDb>, opts: ResetOptions, lock = false): Promise<ResetPlan> {
  const { users, org } = await resolveInput(db, opts);
  const actor = await resolveActor(db, opts.actor, ACTOR_LABEL);
  const userById = new Map(users.map((u) => [u.id, u]));

  const rows: MemberRow[] = [];
  // user ids resolved from auth_user (a 32-bit serial): exact as numbers
  for (const part of chunks(users.map((u) => Number(u.id)), CHUNK)) {
    let q = db.selectFrom('sentry_organizationmember')
      .select(['id', 'organization_id', 'user_id', 'email', 'type', 'has_global_access'])
      .where('user_id', 'in', part);
    if (org) q = q.where('organization_id', '=', org.id);
    rows.push(...(await (lock ? q.forUpdate() : q).orderBy('id').execute()));
  }
  const orgIds = org ? [org.id] : [...new Set(rows.map((r) => String(r.organization_id)))];
  const orgs = new Map<string, OrgPlan>();
  for (const part of chunks(orgIds, CHUNK)) {
    for (const o of await db.selectFrom('sentry_organization').select(['id', 'slug', 'name']).where('id', 'in', part).execute()) {
      orgs.set(String(o.id), { id: String(o.id), slug: o.slug, name: o.name, change: 0, ownersSkipped: 0, alreadyOff: 0, provider: null });
    }
    let pq = db.selectFrom('sentry_authprovider').select(['id', 'organization_id', 'provider', 'default_global_access'])
      .where('organization_id', 'in', part);
    for (const p of await (lock && opts.providerDefault ? pq.forUpdate() : pq).execute()) {
      const dga = Boolean(p.default_global_access);
      orgs.get(String(p.organization_id))!.provider = {
        id: String(p.id), provider: p.provider, defaultGlobalAccess: dga, willChange: opts.providerDefault && dga,
      };
    }
  }

  const members: PlannedMember[] = [];
  for (const r of rows) {
    const o = orgs.get(String(r.organization_id))!;
    if (!r.has_global_access) o.alreadyOff++;
    else if (Number(r.type) === OWNER && !opts.includeOwners) o.ownersSkipped++;
    else {
      o.change++;
      members.push({
        id: String(r.id), organizationId: o.id, userId: String(r.user_id), email: r.email, type: Number(r.type), activeTeamIds: [], newLinks: [],
      });
    }
  }

  let zeroTeam = await activeTeams(db, members, (m) => ({
    memberId: m.id, organization: orgs.get(m.organizationId)!.slug, userId: m.userId,
    username: userById.get(m.userId)!.username, superuser: userById.get(m.userId)!.isSuperuser,
  }));
  if (opts.keepTeamAccess) {
    const sees = await keepTeamLinks(db, members, lock);
    zeroTeam = zeroTeam.filter((z) => !sees.has(z.memberId));
  }
  const scopesLost = members.filter((m) => m.type <= ADMIN).map((m): ScopeLoss => ({
    memberId: m.id, organization: orgs.get(m.organizationId)!.slug, userId: m.userId, username: userById.get(m.userId)!.username,
    role: m.type <= OWNER ? 'owner' : 'admin',
    scopes: m.type <= OWNER ? ['org:write', 'member:write', 'org:delete', 'member:delete'] : ['org:write', 'member:write'],
  }));
  const memberUsers = new Set(rows.map((r) => String(r.user_id)));
  const organizations = [...orgs.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  const plan: ResetPlan = {
    command: COMMAND,
    database: conn.url.masked,
    options: { org: org?.slug ?? null, providerDefault: opts.providerDefault, includeOwners: opts.includeOwners, keepTeamAccess: Boolean(opts.keepTeamAccess) },
    actor,
    users: users.length,
    organizations,
    totals: {
      change: members.length,
      ownersSkipped: sum(organizations, (o) => o.ownersSkipped),
      alreadyOff: sum(organizations, (o) => o.alreadyOff),
      providersChange: organizations.filter((o) => o.provider?.willChange).length,
      linksAdded: sum(members, (m) => m.newLinks.length),
    },
    zeroTeam,
    scopesLost,
    notMembers: users.filter((u) => !memberUsers.has(u.id)).map(userLabel),
    noGlobalOwner: await orgsLosingLastGlobalOwner(db, members, orgs),
    sql: [],
    members,
  };
  plan.sql = shownSql(conn.db, plan);
  return plan;
}

/**
 * Fill each member's active team ids (what `get_teams()` returns once global access is off) and
 * list those left without a visible team, i.e. who would see nothing.
 */
async function activeTeams<T>(db: Kysely<SentryDb>, members: PlannedMember[], describe: (m: PlannedMember) => T): Promise<T[]> {
  // No join with sentry_team here: MariaDB would drive such a join from the team table and visit
  // every membership row once per chunk. Team statuses are few; they are read apart.
  const byId = new Map(members.map((m) => [m.id, m]));
  const teamIds = new Set<string>();
  for (const part of chunks(members.map((m) => m.id), CHUNK)) {
    const rows = await db.selectFrom('sentry_organizationmember_teams')
      .select(['organizationmember_id as member', 'team_id as team'])
      .where('organizationmember_id', 'in', part).where('is_active', '=', true).execute();
    for (const r of rows) {
      byId.get(String(r.member))!.activeTeamIds.push(String(r.team));
      teamIds.add(String(r.team));
    }
  }
  const existing = new Set<string>();
  const visibleTeams = new Set<string>();
  for (const part of chunks([...teamIds], CHUNK)) {
    for (const t of await db.selectFrom('sentry_team').select(['id', 'status']).where('id', 'in', part).execute()) {
      existing.add(String(t.id));
      if (Number(t.status) === TEAM_VISIBLE) visibleTeams.add(String(t.id));
    }
  }
  for (const m of members) {
    if (m.activeTeamIds.some((t) => !existing.has(t))) m.activeTeamIds = m.activeTeamIds.filter((t) => existing.has(t));
    m.activeTeamIds.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  }
  return members.filter((m) => !m.activeTeamIds.some((t) => visibleTeams.has(t))).map(describe);
}

/**
 * What Sentry's member form does when an admin unticks "access to all teams" (web/frontend/organization_member_settings.py
 * and web/forms/edit_organization_member.py, EditOrganizationMemberForm.save, at 7.7.0): the form's team boxes start
 * ticked with `member.get_teams()`, which with global access is every team of the organization (any status) but those
 * the member has an inactive link to; saving runs `OrganizationMemberTeam.objects.create_or_update(team, member)` for
 * each, which creates an active link where there is none (an existing link is left as it is: create_or_update with no
 * values updates nothing). So the member keeps seeing exactly the teams they saw. Sets each member's `newLinks` and
 * their `activeTeamIds` after the change; returns the members who then still see a visible team.
 */
async function keepTeamLinks(db: Kysely<SentryDb>, members: PlannedMember[], lock: boolean): Promise<Set<string>> {
  const teamsOf = new Map<string, { id: string; visible: boolean }[]>();
  for (const part of chunks([...new Set(members.map((m) => m.organizationId))], CHUNK)) {
    const q = db.selectFrom('sentry_team').select(['id', 'organization_id', 'status']).where('organization_id', 'in', part).orderBy('id');
    for (const t of await q.execute()) {
      const o = String(t.organization_id);
      (teamsOf.get(o) ?? teamsOf.set(o, []).get(o)!).push({ id: String(t.id), visible: Number(t.status) === TEAM_VISIBLE });
    }
  }
  const links = new Map<string, Map<string, boolean>>();
  for (const part of chunks(members.map((m) => m.id), CHUNK)) {
    const q = db.selectFrom('sentry_organizationmember_teams').select(['organizationmember_id as member', 'team_id as team', 'is_active'])
      .where('organizationmember_id', 'in', part);
    for (const l of await (lock ? q.forUpdate() : q).execute()) {
      const m = String(l.member);
      (links.get(m) ?? links.set(m, new Map()).get(m)!).set(String(l.team), Boolean(l.is_active));
    }
  }
  const sees = new Set<string>();
  for (const m of members) {
    const mine = links.get(m.id) ?? new Map<string, boolean>();
    const seen = (teamsOf.get(m.organizationId) ?? []).filter((t) => mine.get(t.id) !== false);
    m.newLinks = seen.filter((t) => !mine.has(t.id)).map((t) => t.id);
    m.activeTeamIds = [...new Set([...m.activeTeamIds, ...seen.map((t) => t.id)])]
      .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    if (seen.some((t) => t.visible)) sees.add(m.id);
  }
  return sees;
}

/** Sentry refuses to remove an organization's only owner with global access; warn before we make one disappear. */
async function orgsLosingLastGlobalOwner(db: Kysely<SentryDb>, members: PlannedMember[], orgs: Map<string, OrgPlan>): Promise<string[]> {
  const losing = new Set(members.filter((m) => m.type === OWNER).map((m) => m.id));
  const orgIds = [...new Set(members.filter((m) => losing.has(m.id)).map((m) => m.organizationId))];
  const keeps = new Set<string>();
  for (const part of chunks(orgIds, CHUNK)) {
    const owners = await db.selectFrom('sentry_organizationmember').select(['id', 'organization_id'])
      .where('organization_id', 'in', part).where('type', '=', OWNER)
      .where('has_global_access', '=', true).where('user_id', 'is not', null).execute();
    for (const o of owners) if (!losing.has(String(o.id))) keeps.add(String(o.organization_id));
  }
  return orgIds.filter((id) => !keeps.has(id)).map((id) => orgs.get(id)!.slug).sort();
}

function sum<T>(items: T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}

function userLabel(u: ResolvedUser): string {
  return `${u.username} (id ${u.id})`;
}

