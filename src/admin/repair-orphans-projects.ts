import type { Kysely } from 'kysely';
import type { SentryDb } from '../db/sentry-db.js';
import { AUDIT } from './audit-log.js';
import { type OrphanReport, type ProjectRow, ORG_STATUS } from './orphaned-teams.js';
import { type OpList, freeSlug } from './repair-orphans-ops.js';

export interface ProjectMove {
  id: string;
  slug: string | null;
  newSlug: string | null;
  fromOrganizationId: string;
  toOrganizationId: string;
}

/**
 * Every project ends in its team's organization (Sentry creates projects with
 * organization=team.organization) when that organization is visible after the repair; a slug
 * already used there is renamed. PROJECT_EDIT with Project.get_audit_log_data().
 */
export async function planProjects(
  db: Kysely<SentryDb>, report: OrphanReport, finalOrg: (teamOrg: string) => string, visibleAfter: Set<string>, actorLabel: string, ops: OpList, leftAlone: string[],
): Promise<ProjectMove[]> {
  const seen = new Map<string, ProjectRow>();
  for (const p of [...report.groups.flatMap((g) => g.projects), ...report.mismatchedProjects]) if (p.teamOrganizationId) seen.set(p.id, p);
  const candidates = [...seen.values()].filter((p) => finalOrg(p.teamOrganizationId!) !== p.organizationId);
  const finals = [...new Set(candidates.map((p) => finalOrg(p.teamOrganizationId!)))];
  if (finals.length === 0) return [];
  const orgs = await db.selectFrom('sentry_organization').select(['id', 'status']).where('id', 'in', finals).execute();
  for (const o of orgs) if (Number(o.status) === ORG_STATUS.visible) visibleAfter.add(String(o.id));
  const existing = await db.selectFrom('sentry_project').select(['organization_id', 'slug']).where('organization_id', 'in', finals).execute();
  const taken = new Map<string, Set<string>>(finals.map((f) => [f, new Set<string>()]));
  for (const p of existing) if (p.slug !== null) taken.get(String(p.organization_id))!.add(String(p.slug).toLowerCase());

  const out: ProjectMove[] = [];
  for (const p of candidates.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))) {
    const to = finalOrg(p.teamOrganizationId!);
    if (!visibleAfter.has(to)) {
      leftAlone.push(`project ${p.id} (${p.slug}): its team's organization ${to} is not visible, so it stays in organization ${p.organizationId}`);
      continue;
    }
    const newSlug = p.slug === null ? null : freeSlug(p.slug, taken.get(to)!);
    const renamed = newSlug !== p.slug;
    ops.update('sentry_project', p.id, renamed ? { organization_id: to, slug: newSlug } : { organization_id: to },
      renamed ? { organization_id: p.organizationId, slug: p.slug } : { organization_id: p.organizationId });
    ops.audit({
      organizationId: to, event: AUDIT.PROJECT_EDIT, targetObject: p.id, targetUserId: null, actorLabel,
      data: { slug: newSlug, name: p.name, status: p.status, public: p.public, platform: p.platform },
    });
    out.push({ id: p.id, slug: p.slug, newSlug, fromOrganizationId: p.organizationId, toOrganizationId: to });
  }
  return out;
}
