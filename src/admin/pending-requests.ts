import type { InferResult, Kysely } from 'kysely';
import type { SentryDb } from '../db/sentry-db.js';
import { UsageErrors } from '../errors.js';

/**
 * The read side of approve-requests: which pending team join requests are in scope, what each
 * needs (team, organization, member, user), and the member-team links they touch.
 */
export const REQ = 'sentry_organizationaccessrequest';
export const OMT = 'sentry_organizationmember_teams';
const VISIBLE = 0;

export interface Scope {
  orgIds: string[];
  teamIds: string[];
}

/** Turn --org / --team slugs into ids; every unknown slug is reported at once (exit 2, nothing written). */
export async function resolveScope(db: Kysely<SentryDb>, orgs: string[], teams: string[]): Promise<Scope | null> {
  if (orgs.length === 0 && teams.length === 0) return null;
  const problems: string[] = [];
  const pairs = teams.flatMap((t) => {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(t);
    if (!m) problems.push(`--team "${t}" is not ORG/SLUG`);
    return m ? [{ org: m[1], team: m[2], text: t }] : [];
  });
  const orgRows = orgs.length ? await db.selectFrom('sentry_organization').select(['id', 'slug']).where('slug', 'in', orgs).execute() : [];
  for (const slug of orgs) if (!orgRows.some((o) => o.slug === slug)) problems.push(`--org "${slug}": no such organization`);
  const teamRows = pairs.length
    ? await db.selectFrom('sentry_team as t').innerJoin('sentry_organization as o', 'o.id', 't.organization_id')
        .select(['t.id as id', 't.slug as team', 'o.slug as org'])
        .where('o.slug', 'in', pairs.map((p) => p.org)).where('t.slug', 'in', pairs.map((p) => p.team)).execute()
    : [];
  const teamIds: string[] = [];
  for (const p of pairs) {
    const hit = teamRows.find((t) => t.org === p.org && t.team === p.team);
    if (hit) teamIds.push(String(hit.id));
    else problems.push(`--team "${p.text}": no such team`);
  }
  if (problems.length) throw new UsageErrors(problems, 'check the slugs in Sentry (organization settings, teams)');
  return { orgIds: orgRows.map((o) => String(o.id)), teamIds };
}

/** A request with what approving it needs; LEFT JOINs so broken rows are seen and reported. */
export interface PendingRow {
  id: string;
  team_id: string;
  member_id: string;
  team_slug: string | null;
  team_name: string | null;
  team_status: number | null;
  team_org: string | null;
  org_slug: string | null;
  org_status: number | null;
  member_org: string | null;
  has_global_access: boolean | null;
  user_id: string | null;
  member_email: string | null;
  user_email: string | null;
  user_exists: string | null;
}

function pendingQuery(db: Kysely<SentryDb>) {
  return db.selectFrom(`${REQ} as r`)
    .leftJoin('sentry_team as t', 't.id', 'r.team_id')
    .leftJoin('sentry_organization as o', 'o.id', 't.organization_id')
    .leftJoin('sentry_organizationmember as m', 'm.id', 'r.member_id')
    .leftJoin('auth_user as u', 'u.id', 'm.user_id')
    .select([
      'r.id as id', 'r.team_id as team_id', 'r.member_id as member_id', 't.slug as team_slug', 't.name as team_name', 't.status as team_status',
      't.organization_id as team_org', 'o.slug as org_slug', 'o.status as org_status', 'm.organization_id as member_org',
      'm.has_global_access as has_global_access', 'm.user_id as user_id', 'm.email as member_email',
      'u.email as user_email', 'u.id as user_exists',
    ]);
}

export async function pendingRequests(db: Kysely<SentryDb>, scope: Scope | null, afterId: string, limit: number): Promise<PendingRow[]> {
  let q = pendingQuery(db).where('r.id', '>', afterId).orderBy('r.id').limit(limit);
  if (scope) {
    q = q.where((eb) => eb.or([
      ...(scope.orgIds.length ? [eb('t.organization_id', 'in', scope.orgIds)] : []),
      ...(scope.teamIds.length ? [eb('r.team_id', 'in', scope.teamIds)] : []),
    ]));
  }
  return (await q.execute()).map(normalise);
}

/**
 * Lock these requests (FOR UPDATE: an approval or denial in Sentry at the same moment waits for us,
 * or has already deleted the row) and read them again inside the caller's transaction.
 */
export async function lockRequests(tx: Kysely<SentryDb>, ids: string[]): Promise<PendingRow[]> {
  const locked = await tx.selectFrom(REQ).select('id').where('id', 'in', ids).forUpdate().execute();
  if (locked.length === 0) return [];
  return (await pendingQuery(tx).where('r.id', 'in', locked.map((r) => r.id)).orderBy('r.id').execute()).map(normalise);
}

function normalise(r: InferResult<ReturnType<typeof pendingQuery>>[number]): PendingRow {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    ...r, id: String(r.id), team_id: String(r.team_id), member_id: String(r.member_id), team_org: s(r.team_org),
    member_org: s(r.member_org), user_id: s(r.user_id), user_exists: s(r.user_exists),
    team_status: r.team_status === null ? null : Number(r.team_status), org_status: r.org_status === null ? null : Number(r.org_status),
  };
}

/** What to do with one request: approve it, only delete it (global access), skip it, or refuse it. */
export function classify(r: PendingRow): 'approve' | 'global' | 'skip' | { reason: string } {
  if (r.team_slug === null) return { reason: `team ${r.team_id} does not exist` };
  if (r.org_slug === null) return { reason: `organization ${r.team_org} of team ${r.team_id} does not exist` };
  if (r.member_org === null) return { reason: `organization member ${r.member_id} does not exist` };
  if (r.member_org !== r.team_org) return { reason: `member ${r.member_id} is in organization ${r.member_org}, but team ${r.team_id} is in organization ${r.team_org}` };
  if (r.user_id !== null && r.user_exists === null) return { reason: `user ${r.user_id} of member ${r.member_id} does not exist` };
  if (r.team_status !== VISIBLE || r.org_status !== VISIBLE) return 'skip';
  return r.has_global_access ? 'global' : 'approve';
}

/** OrganizationMember.get_email(): the user's address, or the invite's for a member without a user. */
export const emailOf = (r: PendingRow) => (r.user_id !== null ? r.user_email : r.member_email);

export interface Link {
  id: string;
  organizationmember_id: string;
  team_id: string;
  is_active: boolean;
}
export const pairKey = (memberId: unknown, teamId: unknown) => `${memberId}:${teamId}`;

/** The existing member-team links of these requests, locked when `lock`. */
export async function links(db: Kysely<SentryDb>, rows: PendingRow[], lock: boolean): Promise<Map<string, Link>> {
  const out = new Map<string, Link>();
  if (rows.length === 0) return out;
  let q = db.selectFrom(OMT).select(['id', 'organizationmember_id', 'team_id', 'is_active'])
    .where(({ eb, refTuple, tuple }) => eb(refTuple('organizationmember_id', 'team_id'), 'in', rows.map((r) => tuple(r.member_id, r.team_id))));
  if (lock) q = q.forUpdate();
  for (const l of await q.execute()) {
    out.set(pairKey(l.organizationmember_id, l.team_id), {
      id: String(l.id), organizationmember_id: String(l.organizationmember_id), team_id: String(l.team_id), is_active: Boolean(l.is_active),
    });
  }
  return out;
}
