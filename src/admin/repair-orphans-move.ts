import type { InferResult, Kysely } from 'kysely';
import type { SentryDb } from '../db/sentry-db.js';
import { AUDIT } from './audit-log.js';
import type { OrgGroup } from './orphaned-teams.js';
import { type OpList, type Row, freeSlug } from './repair-orphans-ops.js';

/**
 * `--into-org SLUG`: move the teams of missing organizations into an existing one, the way Sentry
 * 7.7's `Organization.merge_to` (models/organization.py) does it for teams and members:
 * - each member is re-pointed, unless the target already has a membership for the same user
 *   (or, for a pending invite, the same e-mail), which is then reused; the old membership's team
 *   links and access requests for the moved teams move to it;
 * - a moved member with global access gets an inactive link to each team the target had before,
 *   so the move does not widen their access (merge_to's get_or_create(is_active=False));
 * Deliberate differences: merge_to also gives reused members those inactive links (which would
 * cut them off from their own organization's teams); we do not. Where a reused membership's
 * global access differs from the old one, links are added so access to the moved teams stays what
 * it was. merge_to also moves API keys and audit entries; we leave them with the missing
 * organization (a key of another organization must not gain access to the target).
 * Team slugs that collide in the target are renamed the way slugify_instance does (`-1`, `-2`…).
 */

export interface MovedTeam {
  id: string;
  fromOrganizationId: string;
  slug: string;
  newSlug: string;
}

export interface MoveResult {
  target: { id: string; slug: string };
  teams: MovedTeam[];
  /** Memberships re-pointed to the target. */
  membersMoved: { id: string; userId: string | null; email: string | null }[];
  /** Memberships whose user (or invite e-mail) already had one in the target: `from` stays behind. */
  membersMerged: { fromId: string; toId: string; userId: string | null; email: string | null }[];
  linksMoved: number;
  linksAdded: number;
  requestsMoved: number;
  /** What stays pointing at the missing organization, in words. */
  leftBehind: string[];
}

type Member = { id: string; userId: string | null; email: string | null; global: boolean; orgId: string };
type Link = { id: string; teamId: string };
type Request = { id: string; teamId: string };

export async function planMove(db: Kysely<SentryDb>, groups: OrgGroup[], target: { id: string; slug: string }, actorLabel: string, ops: OpList): Promise<MoveResult> {
  const result: MoveResult = { target, teams: [], membersMoved: [], membersMerged: [], linksMoved: 0, linksAdded: 0, requestsMoved: 0, leftBehind: [] };
  if (groups.length === 0) return result;
  const targetTeams = (await db.selectFrom('sentry_team').select(['id', 'slug']).where('organization_id', '=', target.id).orderBy('id').execute())
    .map((t) => ({ id: String(t.id), slug: String(t.slug) }));
  const teamsOfOrg = moveTeams(groups, target, targetTeams, actorLabel, ops, result);
  const members = await readMembers(db, groups.map((g) => g.organizationId), target.id);
  const merge = new MemberMerge(members, target.id, ops, result);
  for (const m of members.from) {
    const moved = new Set(teamsOfOrg.get(m.orgId) ?? []);
    const match = merge.matchOf(m);
    if (match) merge.merge(m, match, moved);
    else merge.move(m, targetTeams);
  }
  result.leftBehind.push(...leftBehind(groups, members.from, result, merge));
  return result;
}

/** Phase 1: each team into the target, renamed when its slug is taken there (TEAM_EDIT audit entry each). Team ids by old organization. */
function moveTeams(
  groups: OrgGroup[], target: { id: string }, targetTeams: { slug: string }[], actorLabel: string, ops: OpList, result: MoveResult,
): Map<string, string[]> {
  const taken = new Set(targetTeams.map((t) => t.slug.toLowerCase()));
  const teamsOfOrg = new Map<string, string[]>();
  for (const g of groups) {
    for (const t of g.teams) {
      const newSlug = freeSlug(t.slug, taken);
      const set: Row = newSlug === t.slug ? { organization_id: target.id } : { organization_id: target.id, slug: newSlug };
      const before: Row = newSlug === t.slug ? { organization_id: g.organizationId } : { organization_id: g.organizationId, slug: t.slug };
      ops.update('sentry_team', t.id, set, before);
      ops.audit({
        organizationId: target.id, event: AUDIT.TEAM_EDIT, targetObject: t.id, targetUserId: null, actorLabel,
        data: { slug: newSlug, name: t.name, status: t.status },
      });
      result.teams.push({ id: t.id, fromOrganizationId: g.organizationId, slug: t.slug, newSlug });
    }
    teamsOfOrg.set(g.organizationId, g.teams.map((t) => t.id));
  }
  return teamsOfOrg;
}

interface Members {
  /** Memberships of the missing organizations, and of the target. */
  from: Member[];
  existing: Member[];
  /** Team links and access requests of all of them, by membership id, in id order. */
  links: Map<string, Link[]>;
  requests: Map<string, Request[]>;
  /** `member:team` pairs that have a link / a request. */
  linked: Set<string>;
  requested: Set<string>;
}

/** Phase 2: the memberships on both sides, with their team links and access requests. */
async function readMembers(db: Kysely<SentryDb>, orgIds: string[], targetId: string): Promise<Members> {
  const members = db.selectFrom('sentry_organizationmember').select(['id', 'user_id', 'email', 'has_global_access', 'organization_id']).orderBy('id');
  const member = (m: InferResult<typeof members>[number]): Member =>
    ({ id: String(m.id), userId: m.user_id === null ? null : String(m.user_id), email: m.email, global: Boolean(m.has_global_access), orgId: String(m.organization_id) });
  const from = (await members.where('organization_id', 'in', orgIds).execute()).map(member);
  const existing = (await members.where('organization_id', '=', targetId).execute()).map(member);
  const memberIds = [...from, ...existing].map((m) => m.id);
  const links = memberIds.length ? await db.selectFrom('sentry_organizationmember_teams').select(['id', 'organizationmember_id', 'team_id', 'is_active'])
    .where('organizationmember_id', 'in', memberIds).orderBy('id').execute() : [];
  const requests = memberIds.length ? await db.selectFrom('sentry_organizationaccessrequest').select(['id', 'member_id', 'team_id'])
    .where('member_id', 'in', memberIds).orderBy('id').execute() : [];
  return {
    from, existing,
    links: byMember(links.map((l) => ({ member: String(l.organizationmember_id), id: String(l.id), teamId: String(l.team_id) }))),
    requests: byMember(requests.map((r) => ({ member: String(r.member_id), id: String(r.id), teamId: String(r.team_id) }))),
    linked: new Set(links.map((l) => `${l.organizationmember_id}:${l.team_id}`)),
    requested: new Set(requests.map((r) => `${r.member_id}:${r.team_id}`)),
  };
}

function byMember(rows: { member: string; id: string; teamId: string }[]): Map<string, { id: string; teamId: string }[]> {
  const out = new Map<string, { id: string; teamId: string }[]>();
  for (const { member, id, teamId } of rows) {
    if (!out.has(member)) out.set(member, []);
    out.get(member)!.push({ id, teamId });
  }
  return out;
}

/** Phase 3: each membership of a missing organization either moves to the target or merges into the target's own. */
class MemberMerge {
  private readonly byUser: Map<string, Member>;
  private readonly byEmail: Map<string, Member>;
  /** Links and requests of merged memberships the target membership already had (left on the old one). */
  linksLeft = 0;
  requestsLeft = 0;

  constructor(private readonly members: Members, private readonly targetId: string, private readonly ops: OpList, private readonly result: MoveResult) {
    this.byUser = new Map(members.existing.filter((m) => m.userId).map((m) => [m.userId!, m]));
    this.byEmail = new Map(members.existing.filter((m) => m.email).map((m) => [m.email!.toLowerCase(), m]));
  }

  /** The target's membership of the same user (a pending invite: the same e-mail), including ones moved before it. */
  matchOf(m: Member): Member | undefined {
    return m.userId ? this.byUser.get(m.userId) : m.email ? this.byEmail.get(m.email.toLowerCase()) : undefined;
  }

  /** Re-point the membership; with global access it gets an inactive link to each team the target had (merge_to). */
  move(m: Member, targetTeams: { id: string }[]): void {
    this.ops.update('sentry_organizationmember', m.id, { organization_id: this.targetId }, { organization_id: m.orgId });
    this.result.membersMoved.push({ id: m.id, userId: m.userId, email: m.email });
    if (m.global) for (const t of targetTeams) this.addLink(m.id, t.id, false);
    const now = { ...m, orgId: this.targetId };
    if (m.userId) this.byUser.set(m.userId, now);
    else if (m.email) this.byEmail.set(m.email.toLowerCase(), now);
  }

  /** Keep `match`; the old membership's links and requests for the moved teams go to it. */
  merge(m: Member, match: Member, moved: Set<string>): void {
    this.result.membersMerged.push({ fromId: m.id, toId: match.id, userId: m.userId, email: m.email });
    const mine = (this.members.links.get(m.id) ?? []).filter((l) => moved.has(l.teamId));
    for (const l of mine) {
      if (this.repoint('sentry_organizationmember_teams', 'organizationmember_id', this.members.linked, l, m, match)) this.result.linksMoved++;
      else this.linksLeft++;
    }
    // Access to the moved teams stays what the old membership gave (OrganizationMember.get_teams).
    if (m.global !== match.global) {
      const had = new Set(mine.map((l) => l.teamId));
      for (const teamId of moved) if (!had.has(teamId)) this.addLink(match.id, teamId, m.global);
    }
    for (const r of (this.members.requests.get(m.id) ?? []).filter((x) => moved.has(x.teamId))) {
      if (this.repoint('sentry_organizationaccessrequest', 'member_id', this.members.requested, r, m, match)) this.result.requestsMoved++;
      else this.requestsLeft++;
    }
  }

  /** Move a link or request of `m` to `match`, unless `match` has one for that team already (false: left where it is). */
  private repoint(table: string, column: string, pairs: Set<string>, row: Link | Request, m: Member, match: Member): boolean {
    const key = `${match.id}:${row.teamId}`;
    if (pairs.has(key)) return false;
    this.ops.update(table, row.id, { [column]: match.id }, { [column]: m.id });
    pairs.add(key);
    return true;
  }

  private addLink(memberId: string, teamId: string, active: boolean): void {
    const key = `${memberId}:${teamId}`;
    if (this.members.linked.has(key)) return;
    this.members.linked.add(key);
    this.ops.insert('sentry_organizationmember_teams', { organizationmember_id: memberId, team_id: teamId, is_active: active });
    this.result.linksAdded++;
  }
}

/** Phase 4: what stays pointing at each missing organization, in words. */
function leftBehind(groups: OrgGroup[], from: Member[], result: MoveResult, merge: MemberMerge): string[] {
  const orgOf = new Map(from.map((m) => [m.id, m.orgId]));
  const mergedPerOrg = new Map<string, number>();
  for (const x of result.membersMerged) mergedPerOrg.set(orgOf.get(x.fromId)!, (mergedPerOrg.get(orgOf.get(x.fromId)!) ?? 0) + 1);
  const g = (n: number, what: string) => (n ? [`${n} ${what}`] : []);
  const out: string[] = [];
  for (const grp of groups) {
    const rest = [
      ...g(mergedPerOrg.get(grp.organizationId) ?? 0, 'membership(s) whose user already belongs to the target (kept as they were; the user keeps access through the target membership)'),
      ...g(grp.counts.apiKeys, 'API key(s)'),
      ...g(grp.counts.authProviders, 'SSO provider(s)'),
      ...g(grp.counts.auditEntries, 'audit entries'),
    ];
    if (rest.length) out.push(`organization ${grp.organizationId} stays missing; still pointing at it: ${rest.join(', ')}`);
  }
  if (merge.linksLeft) out.push(`${merge.linksLeft} team link(s) of merged memberships already existed on the target membership (left on the old one)`);
  if (merge.requestsLeft) out.push(`${merge.requestsLeft} access request(s) of merged memberships already existed on the target membership (left on the old one)`);
  return out;
}
