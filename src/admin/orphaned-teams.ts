import { type Kysely, sql } from 'kysely';
import type { Id, SentryDb } from '../db/sentry-db.js';

/**
 * Find teams without a live home: teams whose organization row is gone, or whose organization is
 * pending deletion or being deleted (Sentry 7.7 OrganizationStatus 1 / 2), with everything else
 * that still points at such an organization, and projects whose team and organization disagree.
 * Read-only; `repair-orphaned-teams.ts` plans and applies the repair.
 *
 * Orphans exist only where the foreign keys are missing or were dropped: Sentry 7.7 never relies
 * on database cascades (tasks/deletion.py deletes teams, then members, then the organization).
 */

/** The tables whose rows carry an `organization_id` (docs/sentry7-schema.md §2, §5.1). */
export const ORG_TABLES = {
  teams: 'sentry_team',
  projects: 'sentry_project',
  members: 'sentry_organizationmember',
  authProviders: 'sentry_authprovider',
  apiKeys: 'sentry_apikey',
  auditEntries: 'sentry_auditlogentry',
} as const;

export type CountKey = keyof typeof ORG_TABLES | 'memberTeams' | 'accessRequests';
type OrgTable = (typeof ORG_TABLES)[keyof typeof ORG_TABLES];

/** One of ORG_TABLES as `x`, typed by the column they all have: a loop over them cannot name one table's type. */
const orgTableAsX = (table: OrgTable) => sql<{ organization_id: Id }>`${sql.table(table)}`.as('x');

/** A team link or access request table as `l`: its team and its membership column (named `memberCol`). */
const linkTableAsL = <M extends string>(table: string, memberCol: M) => sql<{ team_id: Id } & Record<M, Id>>`${sql.table(table)}`.as('l');

export const ORG_STATUS = { visible: 0, pendingDeletion: 1, deletionInProgress: 2 } as const;

export type OrgState = 'missing' | 'pending-deletion' | 'deletion-in-progress' | 'hidden';

export interface TeamRow {
  id: string;
  slug: string;
  name: string;
  status: number;
  organizationId: string;
}

export interface ProjectRow {
  id: string;
  slug: string | null;
  name: string;
  status: number;
  public: boolean;
  platform: string | null;
  teamId: string;
  organizationId: string;
  /** The organization of the project's team (null when the team row is gone too). */
  teamOrganizationId: string | null;
}

export interface OrgGroup {
  organizationId: string;
  state: OrgState;
  /** The organization row, when it still exists. */
  organization: { slug: string; name: string; status: number; ownerId: string } | null;
  /** Rows that point at this organization id, per kind. */
  counts: Record<CountKey, number>;
  teams: TeamRow[];
  /** Projects of those teams, and projects that point at this organization directly. */
  projects: ProjectRow[];
  /**
   * For an organization pending deletion or being deleted: 'window' while nothing says Sentry's deletion is not
   * under way (tasks/deletion.py delete_organization runs within minutes of the request: not damage, listed apart),
   * 'stuck' when Sentry's broker was read and holds no task that will delete it (its deletion was lost: damage).
   * null for a missing or unknown-status organization.
   */
  deletion: 'window' | 'stuck' | null;
}

export interface OrphanReport {
  /** Missing organizations first, then the ones being deleted; by id. Those in Sentry's deletion window are no damage. */
  groups: OrgGroup[];
  /** Projects whose `organization_id` is not their team's (team row present). */
  mismatchedProjects: ProjectRow[];
  /** Projects whose team row is gone: reported, never repaired here. */
  projectsWithoutTeam: ProjectRow[];
  nothingToRepair: boolean;
}

/** Read the damage. One statement per kind of row, never one per row. */
export async function findOrphanedTeams(db: Kysely<SentryDb>): Promise<OrphanReport> {
  const missing = await missingOrganizationIds(db);
  const hidden = await db
    .selectFrom('sentry_organization')
    .select(['id', 'slug', 'name', 'status', 'owner_id'])
    .where('status', '<>', ORG_STATUS.visible)
    .orderBy('id')
    .execute();
  const ids = [...missing, ...hidden.map((o) => String(o.id))];
  const counts = ids.length ? await countRows(db, ids) : new Map<string, Record<CountKey, number>>();
  const teams = ids.length ? await teamsOf(db, ids) : [];
  const projects = ids.length ? await projectsOf(db, ids, teams.map((t) => t.id)) : [];

  const group = (id: string, org: (typeof hidden)[number] | null): OrgGroup => ({
    organizationId: id,
    state: org ? stateOf(Number(org.status)) : 'missing',
    organization: org ? { slug: org.slug, name: org.name, status: Number(org.status), ownerId: String(org.owner_id) } : null,
    counts: counts.get(id) ?? zeroCounts(),
    teams: teams.filter((t) => t.organizationId === id),
    projects: projects.filter((p) => p.organizationId === id || teams.some((t) => t.id === p.teamId && t.organizationId === id)),
    deletion: org && stateOf(Number(org.status)) !== 'hidden' ? 'window' : null,
  });
  const groups = [...missing.map((id) => group(id, null)), ...hidden.map((o) => group(String(o.id), o))];
  const mismatchedProjects = await projectRows(db, (q) => q.whereRef('p.organization_id', '<>', 't.organization_id'));
  const projectsWithoutTeam = await projectRows(db, (q) => q.where('t.id', 'is', null));
  return {
    groups,
    mismatchedProjects,
    projectsWithoutTeam,
    nothingToRepair: groups.every((g) => g.deletion === 'window') && mismatchedProjects.length === 0,
  };
}

function stateOf(status: number): OrgState {
  if (status === ORG_STATUS.pendingDeletion) return 'pending-deletion';
  if (status === ORG_STATUS.deletionInProgress) return 'deletion-in-progress';
  return 'hidden';
}

export function zeroCounts(): Record<CountKey, number> {
  return { teams: 0, projects: 0, members: 0, memberTeams: 0, accessRequests: 0, authProviders: 0, apiKeys: 0, auditEntries: 0 };
}

/** Organization ids referenced by any row while no organization row has them, ascending. */
async function missingOrganizationIds(db: Kysely<SentryDb>): Promise<string[]> {
  const found = new Set<string>();
  for (const table of Object.values(ORG_TABLES) as OrgTable[]) {
    const rows = await db
      .selectFrom(orgTableAsX(table))
      .select('x.organization_id as org')
      .distinct()
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('sentry_organization as o').select('o.id').whereRef('o.id', '=', 'x.organization_id'))))
      .execute();
    for (const r of rows) found.add(String(r.org));
  }
  return [...found].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}

async function countRows(db: Kysely<SentryDb>, ids: string[]): Promise<Map<string, Record<CountKey, number>>> {
  const out = new Map<string, Record<CountKey, number>>();
  const add = (org: unknown, key: CountKey, n: unknown) => {
    const id = String(org);
    if (!out.has(id)) out.set(id, zeroCounts());
    out.get(id)![key] += Number(n);
  };
  for (const [key, table] of Object.entries(ORG_TABLES) as [CountKey, OrgTable][]) {
    const rows = await db
      .selectFrom(orgTableAsX(table))
      .select(['x.organization_id as org', (eb) => eb.fn.countAll().as('n')])
      .where('x.organization_id', 'in', ids)
      .groupBy('x.organization_id')
      .execute();
    for (const r of rows) add(r.org, key, r.n);
  }
  // A team link or access request belongs to the organization of its team, or else of its member.
  for (const [key, table, memberCol] of [
    ['memberTeams', 'sentry_organizationmember_teams', 'organizationmember_id'],
    ['accessRequests', 'sentry_organizationaccessrequest', 'member_id'],
  ] as const) {
    const byTeam = await db
      .selectFrom(linkTableAsL(table, memberCol))
      .innerJoin('sentry_team as t', 't.id', 'l.team_id')
      .select(['t.organization_id as org', (eb) => eb.fn.countAll().as('n')])
      .where('t.organization_id', 'in', ids)
      .groupBy('t.organization_id')
      .execute();
    const byMember = await db
      .selectFrom(linkTableAsL(table, memberCol))
      .innerJoin('sentry_organizationmember as m', 'm.id', `l.${memberCol}`)
      .leftJoin('sentry_team as t', 't.id', 'l.team_id')
      .select(['m.organization_id as org', (eb) => eb.fn.countAll().as('n')])
      .where('m.organization_id', 'in', ids)
      .where((eb) => eb.or([eb('t.id', 'is', null), eb('t.organization_id', 'not in', ids)]))
      .groupBy('m.organization_id')
      .execute();
    for (const r of [...byTeam, ...byMember]) add(r.org, key, r.n);
  }
  return out;
}

async function teamsOf(db: Kysely<SentryDb>, ids: string[]): Promise<TeamRow[]> {
  const rows = await db
    .selectFrom('sentry_team')
    .select(['id', 'slug', 'name', 'status', 'organization_id'])
    .where('organization_id', 'in', ids)
    .orderBy('id')
    .execute();
  return rows.map((t) => ({ id: String(t.id), slug: t.slug, name: t.name, status: Number(t.status), organizationId: String(t.organization_id) }));
}

function projectsOf(db: Kysely<SentryDb>, ids: string[], teamIds: string[]): Promise<ProjectRow[]> {
  return projectRows(db, (q) =>
    q.where((eb) => eb.or([eb('p.organization_id', 'in', ids), ...(teamIds.length ? [eb('p.team_id', 'in', teamIds)] : [])])));
}

const projectQuery = (db: Kysely<SentryDb>) => db
  .selectFrom('sentry_project as p')
  .leftJoin('sentry_team as t', 't.id', 'p.team_id')
  .select(['p.id', 'p.slug', 'p.name', 'p.status', 'p.public', 'p.platform', 'p.team_id', 'p.organization_id', 't.organization_id as team_org']);
type ProjectQuery = ReturnType<typeof projectQuery>;

/** Projects with their team's organization, filtered by `where`, by id. */
export async function projectRows(db: Kysely<SentryDb>, where: (q: ProjectQuery) => ProjectQuery): Promise<ProjectRow[]> {
  const rows = await where(projectQuery(db)).orderBy('p.id').execute();
  return rows.map((p) => ({
    id: String(p.id),
    slug: p.slug,
    name: p.name,
    status: Number(p.status),
    public: Boolean(p.public),
    platform: p.platform ?? null,
    teamId: String(p.team_id),
    organizationId: String(p.organization_id),
    teamOrganizationId: p.team_org === null || p.team_org === undefined ? null : String(p.team_org),
  }));
}
