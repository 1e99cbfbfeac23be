import type { Kysely } from 'kysely';
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

export async function planMove(db: Kysely<any>, groups: OrgGroup[], target: { id: string; slug: string }, actorLabel: string, ops: OpList): Promise<MoveResult> {
  const result: MoveResult = { target, teams: [], membersMoved: [], membersMerged: [], linksMoved: 0, linksAdded: 0, requestsMoved: 0, leftBehind: [] };
  if (groups.length === 0) return result;
  const orgIds = groups.map((g) => g.organizationId);
  const targetTeams = await db.selectFrom('sentry_team').select(['id', 'slug']).where('organization_id', '=', target.id).orderBy('id').execute();
  const taken = new Set(targetTeams.map((t) => String(t.slug).toLowerCase()));
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

  const members = async (where: (q: any) => any): Promise<Member[]> =>
    (await where(db.selectFrom('sentry_organizationmember').select(['id', 'user_id', 'email', 'has_global_access', 'organization_id'])).orderBy('id').execute())
      .map((m: any) => ({ id: String(m.id), userId: m.user_id === null ? null : String(m.user_id), email: m.email, global: Boolean(m.has_global_access), orgId: String(m.organization_id) }));
  const from = await members((q) => q.where('organization_id', 'in', orgIds));
  const existing = await members((q) => q.where('organization_id', '=', target.id));
  const byUser = new Map(existing.filter((m) => m.userId).map((m) => [m.userId!, m]));
  const byEmail = new Map(existing.filter((m) => m.email).map((m) => [m.email!.toLowerCase(), m]));
  const memberIds = [...from, ...existing].map((m) => m.id);
  const links = memberIds.length ? await db.selectFrom('sentry_organizationmember_teams').select(['id', 'organizationmember_id', 'team_id', 'is_active'])
    .where('organizationmember_id', 'in', memberIds).orderBy('id').execute() : [];
  const requests = memberIds.length ? await db.selectFrom('sentry_organizationaccessrequest').select(['id', 'member_id', 'team_id'])
    .where('member_id', 'in', memberIds).orderBy('id').execute() : [];
  const linked = new Set(links.map((l) => `${l.organizationmember_id}:${l.team_id}`));
  const requested = new Set(requests.map((r) => `${r.member_id}:${r.team_id}`));
  let linksLeft = 0;
  let requestsLeft = 0;

  for (const m of from) {
    const match = m.userId ? byUser.get(m.userId) : m.email ? byEmail.get(m.email.toLowerCase()) : undefined;
    const moved = new Set(teamsOfOrg.get(m.orgId) ?? []);
    if (!match) {
      ops.update('sentry_organizationmember', m.id, { organization_id: target.id }, { organization_id: m.orgId });
      result.membersMoved.push({ id: m.id, userId: m.userId, email: m.email });
      if (m.global) for (const t of targetTeams) addLink(m.id, String(t.id), false);
      const now = { ...m, orgId: target.id };
      if (m.userId) byUser.set(m.userId, now);
      else if (m.email) byEmail.set(m.email.toLowerCase(), now);
      continue;
    }
    result.membersMerged.push({ fromId: m.id, toId: match.id, userId: m.userId, email: m.email });
    const mine = links.filter((l) => String(l.organizationmember_id) === m.id && moved.has(String(l.team_id)));
    for (const l of mine) {
      const key = `${match.id}:${l.team_id}`;
      if (linked.has(key)) {
        linksLeft++;
        continue;
      }
      ops.update('sentry_organizationmember_teams', String(l.id), { organizationmember_id: match.id }, { organizationmember_id: m.id });
      linked.add(key);
      result.linksMoved++;
    }
    // Access to the moved teams stays what the old membership gave (OrganizationMember.get_teams).
    if (m.global !== match.global) {
      const had = new Set(mine.map((l) => String(l.team_id)));
      for (const teamId of moved) if (!had.has(teamId)) addLink(match.id, teamId, m.global);
    }
    for (const r of requests.filter((x) => String(x.member_id) === m.id && moved.has(String(x.team_id)))) {
      const key = `${match.id}:${r.team_id}`;
      if (requested.has(key)) {
        requestsLeft++;
        continue;
      }
      ops.update('sentry_organizationaccessrequest', String(r.id), { member_id: match.id }, { member_id: m.id });
      requested.add(key);
      result.requestsMoved++;
    }
  }

  function addLink(memberId: string, teamId: string, active: boolean): void {
    const key = `${memberId}:${teamId}`;
    if (linked.has(key)) return;
    linked.add(key);
    ops.insert('sentry_organizationmember_teams', { organizationmember_id: memberId, team_id: teamId, is_active: active });
    result.linksAdded++;
  }

  const g = (n: number, what: string) => (n ? [`${n} ${what}`] : []);
  for (const grp of groups) {
    const merged = result.membersMerged.filter((x) => from.find((m) => m.id === x.fromId)?.orgId === grp.organizationId).length;
    const rest = [
      ...g(merged, 'membership(s) whose user already belongs to the target (kept as they were; the user keeps access through the target membership)'),
      ...g(grp.counts.apiKeys, 'API key(s)'),
      ...g(grp.counts.authProviders, 'SSO provider(s)'),
      ...g(grp.counts.auditEntries, 'audit entries'),
    ];
    if (rest.length) result.leftBehind.push(`organization ${grp.organizationId} stays missing; still pointing at it: ${rest.join(', ')}`);
  }
  if (linksLeft) result.leftBehind.push(`${linksLeft} team link(s) of merged memberships already existed on the target membership (left on the old one)`);
  if (requestsLeft) result.leftBehind.push(`${requestsLeft} access request(s) of merged memberships already existed on the target membership (left on the old one)`);
  return result;
}
