import type { Kysely } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';
import type { SentryDb } from '../db/sentry-db.js';
import { LockedError, UsageError } from '../errors.js';
import type { RedisUrl } from '../config/redis-url.js';
import { lockName } from './approve-requests.js';
import { type DeletionTaskScan, deletionWarnings, readBrokers } from './deletion-tasks.js';
import { AUDIT, type AuditActor, resolveActor } from './audit-log.js';
import { journalDir, journalPath, markJournalApplied, newJournal, writeJournal } from '../journal/journal.js';
import { type OrgGroup, type OrphanReport, ORG_STATUS, findOrphanedTeams } from './orphaned-teams.js';
import { type MoveResult, planMove } from './repair-orphans-move.js';
import { type Op, OpList, executeOps } from './repair-orphans-ops.js';
import { type ProjectMove, planProjects } from './repair-orphans-projects.js';
import { type RecreatedOrg, checkOrgSlug, planRecreate } from './repair-orphans-recreate.js';
import { withConnection } from './with-connection.js';

export type { ProjectMove } from './repair-orphans-projects.js';

/**
 * Plan and apply the repair of orphaned teams (teams whose organization is gone; docs/cli.md `repair-orphaned-teams`).
 * The plan is computed from the database as it is, shown by default, and written only with
 * `apply`: then it is planned again inside the one transaction that writes it, journaled (pending
 * before commit, applied after) so `undo` reverses it, under a lock so two repairs never race.
 */

export const COMMAND = 'repair-orphaned-teams';
export const ACTOR_LABEL = 'sentry-admin';

export interface RepairOptions {
  /** Move the teams into this existing organization instead of re-creating theirs. */
  intoOrg?: string;
  /** Slug (and name) of the re-created organization; only when exactly one is missing. */
  newOrg?: string;
  name?: string;
  /** Owner of re-created organizations: id, username or e-mail; default the first superuser. */
  owner?: string;
  /** Make organizations pending deletion (or being deleted) visible again. */
  restore?: boolean;
  apply?: boolean;
  journalDir?: string;
  /** `--actor`: id, username or e-mail of the Sentry user the audit entries name. */
  actor?: string;
  /** `--sentry-redis`: Sentry's Redis broker(s), read for queued deletions (deletion-tasks.ts). */
  sentryRedis?: RedisUrl[];
}

export interface RepairPlan {
  mode: 'recreate' | 'into-org';
  report: OrphanReport;
  recreated: RecreatedOrg[];
  moved: MoveResult | null;
  /** Projects re-pointed to their team's (new) organization, renamed when their slug was taken. */
  projects: ProjectMove[];
  restored: { organizationId: string; slug: string; fromStatus: number }[];
  /** Things seen and deliberately not changed, in words. */
  leftAlone: string[];
  warnings: string[];
  /** Who the audit entries name. */
  actor: AuditActor;
  /** Sentry's queued delete_organization tasks, and which brokers were read. */
  deletionTasks: DeletionTaskScan;
  ops: Op[];
}

export interface RepairResult {
  plan: RepairPlan;
  applied: boolean;
  journal: string | null;
  /** Rows written (or that would be) per table and operation, e.g. `sentry_team update: 2`. */
  writes: Record<string, number>;
}

/** Flag combinations that make no sense, refused before anything is read. */
export function checkRepairOptions(opts: RepairOptions): void {
  if (opts.intoOrg !== undefined && opts.newOrg !== undefined) throw new UsageError('give either --into-org or --new-org, not both');
  if (opts.intoOrg !== undefined && opts.owner !== undefined) {
    throw new UsageError('--owner is for re-created organizations; with --into-org the teams join an organization that already has its owner');
  }
  if (opts.name !== undefined && opts.newOrg === undefined) throw new UsageError('--name goes with --new-org SLUG');
  if (opts.name !== undefined && !opts.name.trim()) throw new UsageError('--name must not be empty');
  if (opts.newOrg !== undefined) checkOrgSlug(opts.newOrg, '--new-org');
  if (opts.intoOrg !== undefined && !opts.intoOrg.trim()) throw new UsageError('--into-org needs the slug of an existing organization');
}

/**
 * The `repair-orphaned-teams` command as one call: refuses a senseless flag combination before connecting, opens the
 * database, plans (with `apply`: plans again and writes), closes it. A plan refused throws RepairRefused.
 */
export async function runRepairOrphanedTeams(url: DbUrl, opts: RepairOptions): Promise<RepairResult> {
  checkRepairOptions(opts);
  return withConnection(url, (conn) => repairOrphanedTeams(conn, opts));
}

export async function repairOrphanedTeams(conn: Connection, opts: RepairOptions): Promise<RepairResult> {
  checkRepairOptions(opts);
  const tasks = await readBrokers(conn, opts.sentryRedis ?? [], 'sentry-admin-repair');
  if (!opts.apply) {
    const plan = await planRepair(conn.db, opts, tasks);
    return { plan, applied: false, journal: null, writes: countWrites(plan.ops) };
  }
  // per database: a repair of another database on the same server does not wait for this one
  const release = await conn.adapter.tryLock(conn.db, lockName(conn.url.database, COMMAND));
  if (!release) throw new LockedError(`another ${COMMAND} is running on ${conn.url.masked}`);
  try {
    const path = journalPath(journalDir(opts.journalDir), COMMAND);
    let result!: RepairResult;
    let journal: ReturnType<typeof newJournal> | null = null;
    const db: Kysely<SentryDb> = conn.db;
    await db.transaction().execute(async (tx) => {
      const plan = await planRepair(tx, opts, tasks);
      result = { plan, applied: false, journal: null, writes: countWrites(plan.ops) };
      if (plan.ops.length === 0) return;
      const changes = await executeOps(tx, conn.adapter, plan.ops);
      journal = newJournal(COMMAND, conn.url.masked, conn.engine, summarize(plan));
      journal.changes = changes;
      writeJournal(path, journal);
    });
    if (journal) {
      markJournalApplied(path, journal as ReturnType<typeof newJournal>);
      result = { ...result, applied: true, journal: path };
    }
    return result;
  } finally {
    await release();
  }
}

/** Read the damage and decide every write. Read-only; `db` may be a transaction. */
export async function planRepair(db: Kysely<SentryDb>, opts: RepairOptions, tasks: DeletionTaskScan = { checked: [], tasks: [], problems: [] }): Promise<RepairPlan> {
  const report = await findOrphanedTeams(db);
  // With a broker read, an organization being deleted for which it holds no task is a deletion that was lost.
  if (tasks.checked.length) {
    const queued = new Set(tasks.tasks.map((t) => t.organizationId));
    for (const g of report.groups) if (g.deletion === 'window' && !queued.has(g.organizationId)) g.deletion = 'stuck';
    report.nothingToRepair = report.groups.every((g) => g.deletion === 'window') && report.mismatchedProjects.length === 0;
  }
  try {
    return await planFrom(db, opts, report, tasks);
  } catch (err) {
    if (err instanceof UsageError) throw new RepairRefused(report, err);
    throw err;
  }
}

/** The repair cannot be planned as asked (exit 2, nothing written); carries what was found. */
export class RepairRefused extends UsageError {
  constructor(readonly report: OrphanReport, cause: UsageError) {
    super(cause.message, cause.hint);
  }
}

async function planFrom(db: Kysely<SentryDb>, opts: RepairOptions, report: OrphanReport, tasks: DeletionTaskScan): Promise<RepairPlan> {
  const actor = await resolveActor(db, opts.actor, ACTOR_LABEL);
  const ops = new OpList(actor);
  const leftAlone: string[] = [];
  const warnings: string[] = [];
  const homeless = report.groups.filter((g) => g.state === 'missing' && g.teams.length > 0);
  // --into-org also gives a home to the teams of an organization whose deletion is known lost (unless --restore
  // keeps them there); one Sentry is still deleting keeps its teams, and the plan says why.
  const stuck = report.groups.filter((g) => g.deletion === 'stuck' && g.teams.length > 0 && !opts.restore);
  for (const g of report.groups.filter((x) => x.state === 'missing' && x.teams.length === 0)) {
    leftAlone.push(`organization ${g.organizationId} is gone and has no teams; ${describeCounts(g)} still point at it (nothing to give a home)`);
  }
  for (const g of homeless) {
    const hidden = g.teams.filter((t) => t.status !== 0);
    if (hidden.length) leftAlone.push(`organization ${g.organizationId}: team(s) ${hidden.map((t) => `${t.slug} (status ${t.status})`).join(', ')} were being deleted themselves; their status is kept`);
  }
  const target = opts.intoOrg !== undefined ? await targetOrganization(db, opts.intoOrg) : null;

  let recreated: RecreatedOrg[] = [];
  let moved: MoveResult | null = null;
  if (target) {
    moved = await planMove(db, [...homeless, ...stuck], target, ACTOR_LABEL, ops);
    leftAlone.push(...moved.leftBehind);
    for (const g of report.groups.filter((x) => x.deletion === 'window' && x.teams.length > 0 && !opts.restore)) {
      leftAlone.push(`organization ${g.organizationId} (${g.organization!.slug}) is being deleted by Sentry with ${g.teams.length} team(s): ` +
        `--into-org does not take teams out of a deletion Sentry is still running; add --restore to keep the organization and its teams`);
    }
  } else {
    recreated = await planRecreate(db, homeless, { newOrg: opts.newOrg, name: opts.name, owner: opts.owner, actorLabel: ACTOR_LABEL }, ops);
    for (const g of homeless) {
      if (g.counts.apiKeys) warnings.push(`organization ${g.organizationId}: ${g.counts.apiKeys} API key(s) become usable again`);
      if (g.counts.authProviders) warnings.push(`organization ${g.organizationId}: its SSO provider comes back; members log in through it again`);
    }
  }

  const restored = await planRestore(db, report.groups, Boolean(opts.restore), ops, leftAlone, warnings);
  const visible = new Set<string>([...recreated.map((r) => r.organizationId), ...restored.map((r) => r.organizationId), ...(target ? [target.id] : [])]);
  const movedOrgs = new Set(moved ? homeless.map((g) => g.organizationId) : []);
  const projects = await planProjects(db, report, (teamOrg) => (movedOrgs.has(teamOrg) ? target!.id : teamOrg), visible, ACTOR_LABEL, ops, leftAlone);
  if (report.projectsWithoutTeam.length) {
    leftAlone.push(`${report.projectsWithoutTeam.length} project(s) whose team is gone (ids ${report.projectsWithoutTeam.map((p) => p.id).join(', ')}): not a team repair`);
  }
  warnings.push(...deletionWarnings(tasks, [...recreated.map((r) => r.organizationId), ...restored.map((r) => r.organizationId)]));
  return { mode: target ? 'into-org' : 'recreate', report, recreated, moved, projects, restored, leftAlone, warnings, actor, deletionTasks: tasks, ops: ops.ops };
}

async function targetOrganization(db: Kysely<SentryDb>, slug: string): Promise<{ id: string; slug: string }> {
  const org = await db.selectFrom('sentry_organization').select(['id', 'slug', 'status']).where('slug', '=', slug).executeTakeFirst();
  if (!org) throw new UsageError(`--into-org ${slug}: no organization has this slug`, 'give the slug of an existing, visible organization');
  if (Number(org.status) !== ORG_STATUS.visible) {
    throw new UsageError(`--into-org ${slug}: that organization is not visible (status ${org.status})`, 'restore it first (--restore), or choose a visible organization');
  }
  return { id: String(org.id), slug: org.slug };
}

/**
 * `--restore`: status back to VISIBLE with an ORG_EDIT entry (data = get_audit_log_data(), as
 * api/endpoints/organization_details.py writes on a change; 7.7 has no ORG_RESTORE event).
 */
async function planRestore(db: Kysely<SentryDb>, groups: OrgGroup[], restore: boolean, ops: OpList, leftAlone: string[], warnings: string[]) {
  const out: RepairPlan['restored'] = [];
  for (const g of groups.filter((x) => x.organization)) {
    const org = g.organization!;
    const what = `organization ${g.organizationId} (${org.slug}, status ${org.status}) with ${g.teams.length} team(s)`;
    if (g.state === 'hidden') {
      leftAlone.push(`${what}: status ${org.status} is not one Sentry 7.7 defines; left alone`);
      continue;
    }
    if (!restore) {
      leftAlone.push(g.deletion === 'window'
        ? `${what} is ${g.state.replace(/-/g, ' ')}: Sentry's cleanup task deletes it within minutes (not damage); add --restore to keep it`
        : `${what} is ${g.state.replace(/-/g, ' ')}; add --restore to make it visible again`);
      continue;
    }
    const row = await db.selectFrom('sentry_organization').select('flags').where('id', '=', g.organizationId).executeTakeFirstOrThrow();
    ops.update('sentry_organization', g.organizationId, { status: ORG_STATUS.visible }, { status: org.status });
    ops.audit({
      organizationId: g.organizationId, event: AUDIT.ORG_EDIT, targetObject: g.organizationId, targetUserId: null, actorLabel: ACTOR_LABEL,
      data: { slug: org.slug, name: org.name, status: ORG_STATUS.visible, flags: Number(row.flags) },
    });
    out.push({ organizationId: g.organizationId, slug: org.slug, fromStatus: org.status });
    const hiddenTeams = g.teams.filter((t) => t.status !== 0).length;
    if (hiddenTeams) leftAlone.push(`organization ${g.organizationId}: ${hiddenTeams} team(s) not visible themselves (status ≠ 0) stay as they are`);
    if (g.state === 'deletion-in-progress') warnings.push(`organization ${g.organizationId}: its deletion had started; what was already deleted does not come back`);
  }
  return out;
}

export function describeCounts(g: OrgGroup): string {
  const parts = Object.entries(g.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${COUNT_WORDS[k] ?? k}`);
  return parts.length ? parts.join(', ') : 'no rows';
}

export const COUNT_WORDS: Record<string, string> = {
  teams: 'teams', projects: 'projects', members: 'members', memberTeams: 'member-team links', accessRequests: 'access requests',
  authProviders: 'auth providers', apiKeys: 'API keys', auditEntries: 'audit entries',
};

function countWrites(ops: Op[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const op of ops) {
    if (op.kind === 'sync-sequence') continue;
    const key = op.kind === 'audit' ? 'sentry_auditlogentry insert' : `${op.table} ${op.kind}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function summarize(plan: RepairPlan): string {
  const parts: string[] = [];
  for (const r of plan.recreated) parts.push(`re-created organization ${r.organizationId} (${r.slug})`);
  if (plan.moved?.teams.length) parts.push(`moved ${plan.moved.teams.length} team(s) into ${plan.moved.target.slug}`);
  if (plan.projects.length) parts.push(`re-pointed ${plan.projects.length} project(s)`);
  for (const r of plan.restored) parts.push(`restored organization ${r.organizationId} (${r.slug})`);
  return parts.join('; ') || 'nothing';
}
