import type { OrphanReport } from '../admin/orphaned-teams.js';
import { type RepairResult, describeCounts } from '../admin/repair-orphaned-teams.js';

const ROLE: Record<number, string> = { 0: 'owner', 25: 'admin', 50: 'member', 100: 'bot' };

/** Human output of `repair-orphaned-teams`: what was found, then the plan (or what was written). */
export function renderRepair(r: RepairResult): string {
  const { plan } = r;
  const lines = renderReport(plan.report);
  if (plan.ops.length === 0 && plan.leftAlone.length === 0) return lines.join('\n');
  lines.push('', r.applied ? 'Repaired:' : 'Repair plan:');
  for (const o of plan.recreated) {
    const from = { flag: 'slug from --new-org', 'audit-log': 'its old slug, read from its audit log', derived: 'slug derived from its id' }[o.slugFrom];
    const membership = { create: 'new owner membership', promote: 'existing membership made owner with global access', keep: 'already an owner' }[o.ownerMembership];
    lines.push(`  re-create organization ${o.organizationId} as ${o.slug} ("${o.name}", ${from}); owner ${o.owner.username} (user ${o.owner.id}): ${membership}`);
    if (o.promoted) {
      const was = `${ROLE[o.promoted.type] ?? `type ${o.promoted.type}`}${o.promoted.hasGlobalAccess ? ', global access' : ', no global access'}`;
      lines.push(`    membership ${o.promoted.memberId} ${r.applied ? 'was' : 'would be'} raised from ${was} to owner with global access (recorded as MEMBER_EDIT); ` +
        `Sentry itself would not raise it: its create_org_member_for_owner fails on an existing membership`);
    }
  }
  if (plan.moved) {
    const m = plan.moved;
    for (const t of m.teams) {
      lines.push(`  move team ${t.id} ${t.slug} from organization ${t.fromOrganizationId} into ${m.target.slug}` + (t.newSlug !== t.slug ? `, renamed ${t.newSlug} (slug taken)` : ''));
    }
    if (m.membersMoved.length) lines.push(`  move ${m.membersMoved.length} membership(s) into ${m.target.slug}: ${m.membersMoved.map((x) => x.id).join(', ')}`);
    for (const x of m.membersMerged) lines.push(`  membership ${x.fromId} (${x.userId ? `user ${x.userId}` : x.email}): already a member of ${m.target.slug} as ${x.toId}; its team links and requests move there`);
    if (m.linksMoved || m.linksAdded || m.requestsMoved) {
      lines.push(`  team links moved ${m.linksMoved}, added ${m.linksAdded} (keeping each member's access as it was); access requests moved ${m.requestsMoved}`);
    }
  }
  for (const p of plan.projects) {
    lines.push(`  project ${p.id} ${p.slug ?? '(no slug)'}: organization ${p.fromOrganizationId} → ${p.toOrganizationId} (its team's)` +
      (p.newSlug !== p.slug ? `, renamed ${p.newSlug} (slug taken)` : ''));
  }
  for (const o of plan.restored) lines.push(`  restore organization ${o.organizationId} (${o.slug}): status ${o.fromStatus} → 0 (visible)`);
  const writes = Object.entries(r.writes).map(([k, n]) => `${k} ${n}`).join(', ');
  if (writes) lines.push(`  rows: ${writes}`);
  if (plan.leftAlone.length) lines.push('', 'Left alone:', ...plan.leftAlone.map((s) => `  ${s}`));
  if (plan.warnings.length) lines.push('', 'Warnings:', ...plan.warnings.map((s) => `  ${s}`));
  lines.push('');
  if (r.applied) lines.push(`journal: ${r.journal}`, `  to reverse: sentry-admin undo ${r.journal} --db URL --apply`);
  else if (plan.ops.length) lines.push('preview only: add --apply to write it (one transaction, with an undo journal)');
  else lines.push('nothing to write');
  return lines.join('\n');
}

export function renderReport(report: OrphanReport): string[] {
  const lines: string[] = [];
  const damaged = report.groups.filter((g) => g.deletion !== 'window');
  const deleting = report.groups.filter((g) => g.deletion === 'window');
  if (report.nothingToRepair && report.projectsWithoutTeam.length === 0) {
    lines.push('No orphaned teams: every team and project belongs to a visible organization' + (deleting.length ? ' or to one Sentry is deleting.' : '.'));
  }
  if (deleting.length) {
    lines.push(`Being deleted by Sentry (${deleting.length}; its cleanup task deletes them within minutes: not damage. Still here later? Its deletion was lost: --restore keeps it):`);
    for (const g of deleting) {
      lines.push(`  organization ${g.organizationId} ${g.organization!.slug} ("${g.organization!.name}"): ${g.state.replace(/-/g, ' ')} (status ${g.organization!.status}), ${describeCounts(g)}`);
    }
  }
  if (damaged.length) lines.push(`Organizations that are gone or whose deletion is stuck (${damaged.length}):`);
  for (const g of damaged) {
    const head = g.organization
      ? `organization ${g.organizationId} ${g.organization.slug} ("${g.organization.name}"): ${g.state.replace(/-/g, ' ')} (status ${g.organization.status})`
      : `organization ${g.organizationId}: gone (no row)`;
    lines.push(`  ${head}`, `    ${describeCounts(g)}`);
    for (const t of g.teams) {
      lines.push(`    team ${t.id} ${t.slug} ("${t.name}")${t.status ? `, status ${t.status}` : ''}`);
      for (const p of g.projects.filter((x) => x.teamId === t.id)) lines.push(`      project ${p.id} ${p.slug ?? '(no slug)'} ("${p.name}")`);
    }
    for (const p of g.projects.filter((x) => !g.teams.some((t) => t.id === x.teamId))) {
      lines.push(`    project ${p.id} ${p.slug ?? '(no slug)'} points here, but its team ${p.teamId} is ${p.teamOrganizationId ? `in organization ${p.teamOrganizationId}` : 'gone'}`);
    }
  }
  if (report.mismatchedProjects.length) lines.push(`Projects whose team is in another organization (${report.mismatchedProjects.length}):`);
  for (const p of report.mismatchedProjects) {
    lines.push(`  project ${p.id} ${p.slug ?? '(no slug)'}: organization ${p.organizationId}, team ${p.teamId} in organization ${p.teamOrganizationId}`);
  }
  if (report.projectsWithoutTeam.length) lines.push(`Projects whose team is gone (${report.projectsWithoutTeam.length}): ${report.projectsWithoutTeam.map((p) => p.id).join(', ')}`);
  return lines;
}
