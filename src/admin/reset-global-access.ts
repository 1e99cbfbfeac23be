import type { Transaction } from 'kysely';
import type { PyValue } from '../codec/py-value.js';
import type { BulkSession } from '../db/bulk.js';
import { type Connection, openBulkSession } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';
import type { SentryDb } from '../db/sentry-db.js';
import { RuntimeFailure } from '../errors.js';
import { AUDIT, type AuditActor, type AuditEntryInput, encodeAuditRows, insertAuditRows } from './audit-log.js';
import { type Journal, type JournalChange, journalDir, journalPath, journalRow, markJournalApplied, newJournal, writeJournal } from '../journal/journal.js';
import {
  COMMAND, type PlannedMember, planReset, type ResetOptions, type ResetPlan,
} from './reset-global-access-plan.js';
import { updates } from './reset-global-access-sql.js';
import { withConnection } from './with-connection.js';

export { ACTOR_LABEL, COMMAND, type ResetOptions, type ResetPlan } from './reset-global-access-plan.js';

/**
 * reset-global-access (lower members' privileges in bulk, safely): for a list of users, turn `has_global_access` off on their
 * organization memberships and, with --provider-default, `default_global_access` on the SSO auth
 * provider of each organization in scope.
 *
 * The preview only plans. apply() re-plans inside one transaction with the rows locked, runs
 * set-based UPDATEs, writes one MEMBER_EDIT audit entry per changed membership as Sentry's member
 * edit form does, and journals every row before committing so `undo` can reverse it exactly.
 */
export interface ResetResult extends Omit<ResetPlan, 'members'> {
  applied: boolean;
  journal: string | null;
  auditEntries: number;
}

/** The `reset-global-access` command as one call: opens the database, previews (or with `run.apply` applies), closes it. */
export async function runResetGlobalAccess(
  url: DbUrl, opts: ResetOptions, run: { apply?: boolean; journalDir?: string; signal?: AbortSignal } = {},
): Promise<ResetResult> {
  return withConnection(url, (conn) => (run.apply ? applyReset(conn, opts, run) : previewReset(conn, opts)));
}

/** The preview: plan only, nothing written. */
export async function previewReset(conn: Connection, opts: ResetOptions): Promise<ResetResult> {
  const { members: _members, ...plan } = await planReset(conn, conn.db, opts);
  return { ...plan, applied: false, journal: null, auditEntries: 0 };
}

/**
 * Apply in one transaction: re-plan with the rows locked, UPDATE, insert the audit entries, write
 * the journal (pending) before COMMIT and mark it applied after. Any failure rolls everything back.
 */
export async function applyReset(
  conn: Connection, opts: ResetOptions, run: { journalDir?: string; signal?: AbortSignal } = {},
): Promise<ResetResult> {
  const path = journalPath(journalDir(run.journalDir), COMMAND);
  const stop = () => {
    if (run.signal?.aborted) throw new RuntimeFailure('interrupted: rolled back, nothing was written');
  };
  // One dedicated connection, so the audit rows are COPYed / LOADed inside the transaction that makes the change.
  const bulk = await openBulkSession(conn.url);
  let outcome: { plan: ResetPlan; journal: Journal | null; audit: number };
  try {
    outcome = await bulk.db.transaction().execute((tx) => applyLocked(conn, tx, bulk, opts, path, stop));
  } finally {
    await bulk.close().catch(() => undefined);
  }
  const { plan, journal, audit } = outcome;
  if (journal) markJournalApplied(path, journal);
  const { members: _members, ...rest } = plan;
  return { ...rest, applied: journal !== null, journal: journal ? path : null, auditEntries: audit };
}

async function applyLocked(
  conn: Connection, tx: Transaction<SentryDb>, bulk: BulkSession, opts: ResetOptions, path: string, stop: () => void,
): Promise<{ plan: ResetPlan; journal: Journal | null; audit: number }> {
  const plan = await planReset(conn, tx, opts, true);
  if (plan.members.length === 0 && plan.totals.providersChange === 0) return { plan, journal: null, audit: 0 };
  // The UPDATEs run on the connection while the audit rows are encoded here (the encoding yields between chunks).
  const toPy = await pythonIdConverters(conn);
  const [, auditRows] = await Promise.all([
    (async () => {
      for (const { query, rows } of updates(tx, plan)) {
        stop();
        const r = await query.executeTakeFirst();
        if (Number(r.numUpdatedRows) !== rows) {
          throw new RuntimeFailure(`expected to update ${rows} row(s), the database updated ${r.numUpdatedRows}; rolled back, nothing was written`);
        }
      }
    })(),
    encodeAuditRows(plan.members.map((m) => memberEditEntry(toPy, m, plan.actor)), conn.adapter),
  ]);
  const changes: JournalChange[] = plan.members.map((m) => ({
    table: 'sentry_organizationmember', key: { id: m.id }, op: 'update',
    before: { has_global_access: true }, after: { has_global_access: false },
  }));
  for (const o of plan.organizations) {
    if (!o.provider?.willChange) continue;
    changes.push({
      table: 'sentry_authprovider', key: { id: o.provider.id }, op: 'update',
      before: { default_global_access: true }, after: { default_global_access: false },
    });
  }
  stop();
  changes.push(...await insertLinks(tx, conn, plan.members));
  stop();
  const audit = await insertAuditRows(tx, conn.adapter, auditRows, bulk);
  changes.push(...audit);
  const journal = newJournal(COMMAND, conn.url.masked, conn.engine, summary(plan));
  journal.changes = changes;
  stop();
  writeJournal(path, journal);
  return { plan, journal, audit: audit.length };
}

/** --keep-team-access: the links Sentry's member form creates (keepTeamLinks in the plan), journaled as inserts. */
async function insertLinks(tx: Transaction<SentryDb>, conn: Connection, members: PlannedMember[]): Promise<JournalChange[]> {
  const rows = members.flatMap((m) => m.newLinks.map((team) => ({ team_id: team, organizationmember_id: m.id, is_active: true })));
  const ids = await conn.adapter.insertReturningIds(tx, 'sentry_organizationmember_teams', rows);
  return rows.map((r, i) => ({
    table: 'sentry_organizationmember_teams', key: { id: ids[i] }, op: 'insert' as const, after: journalRow({ id: ids[i], ...r }),
  }));
}

/**
 * MEMBER_EDIT as Sentry 7.7's member edit form writes it after saving: target_object the
 * membership, target_user its user, data `get_audit_log_data()` of the saved member
 * ({email, user, teams, has_global_access}). Ids are `long` on MySQL (MySQLdb), `int` on PostgreSQL.
 */
function memberEditEntry(toPy: { user: (v: string) => PyValue; team: (v: string) => PyValue }, m: PlannedMember, actor: AuditActor): AuditEntryInput {
  return {
    organizationId: m.organizationId,
    event: AUDIT.MEMBER_EDIT,
    targetObject: m.id,
    targetUserId: m.userId,
    data: { email: m.email, user: toPy.user(m.userId), teams: m.activeTeamIds.map(toPy.team), has_global_access: false },
    actorLabel: actor.label,
    actorId: actor.id,
  };
}

/** Ids as Sentry's own driver hands them to Python: user ids are 32-bit; team ids follow the install's id width. */
async function pythonIdConverters(conn: Connection) {
  const teamId = (await conn.adapter.columns(conn.db)).find((c) => c.table === 'sentry_team' && c.name === 'id');
  const conv = (kind: 'int32' | 'int64') => (conn.adapter.pythonIntType(kind) === 'long' ? (v: string) => BigInt(v) : (v: string) => Number(v));
  return { user: conv('int32'), team: conv(teamId?.kind === 'int64' ? 'int64' : 'int32') };
}

function summary(plan: ResetPlan): string {
  const orgs = plan.organizations.filter((o) => o.change || o.provider?.willChange).map((o) => o.slug);
  return `has_global_access off for ${plan.totals.change} membership(s)` +
    (plan.totals.linksAdded ? ` (${plan.totals.linksAdded} team link(s) added to keep their access)` : '') + ', default_global_access off for ' +
    `${plan.totals.providersChange} auth provider(s), in ${orgs.length} organization(s): ${orgs.slice(0, 5).join(', ')}${orgs.length > 5 ? ', …' : ''}`;
}
