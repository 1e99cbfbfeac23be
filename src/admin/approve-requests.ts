import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Connection } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';
import type { SentryDb } from '../db/sentry-db.js';
import type { PyValue } from '../codec/py-value.js';
import { LockedError } from '../errors.js';
import type { AuditEntryInput } from './audit-log.js';
import {
  type Link, OMT, type PendingRow, REQ, classify, emailOf, links, lockRequests, pairKey, pendingRequests, resolveScope,
} from './pending-requests.js';
import { type Journal, type JournalChange, journalDir, journalPath, journalRow, newJournal, writeJournal } from '../journal/journal.js';
import { withConnection } from './with-connection.js';

/**
 * Approve pending team join requests the way Sentry 7.7 does (organization_access_request_details.py,
 * PUT isApproved=true): for a member without global access, create or re-activate the
 * OrganizationMemberTeam link and write a MEMBER_JOIN_TEAM audit entry whose data is
 * OrganizationMemberTeam.get_audit_log_data(); for a member with global access nothing but the
 * request's deletion. The request is always deleted. Each batch is one short transaction that does
 * all three or nothing, so a run killed at any point and run again never duplicates a link or an
 * audit entry. Sentry's "approved" e-mail goes out only with `notify` (`--notify`, approval-mail.ts), after the run.
 */
export interface ApproveOptions {
  /** Organization slugs; with `teams`, the union is in scope. Empty: every organization. */
  orgs?: string[];
  /** `ORG/TEAM` slugs. */
  teams?: string[];
  dryRun?: boolean;
  /** Requests per transaction. */
  batchSize?: number;
  /** Written to sentry_auditlogentry.actor_label (Sentry writes the approving admin's username). */
  actorLabel?: string;
  /** `--actor`: the approving admin (id, username or e-mail): actor_id and actor_label as Sentry writes them. */
  actor?: string;
  /** When set, journal the writes there so `undo` can reverse the run. */
  journalDir?: string;
  /** `--notify`: send Sentry's approval e-mail through this SMTP URL, from `mailFrom` (approval-mail.ts). */
  notify?: { smtpUrl: string; from: string };
  signal?: AbortSignal;
  onProgress?: (result: ApproveResult) => void;
}

export type Outcome = 'created' | 'reactivated' | 'already-active' | 'global-access';

export interface HandledRequest {
  id: string;
  organization: string;
  team: string;
  memberId: string;
  email: string | null;
  outcome: Outcome;
  /** Where Sentry would send its approval e-mail (send_approved_email): the user's e-mail; null when it sends none. */
  notify: { to: string; teamName: string } | null;
}

export interface RejectedRequest {
  id: string;
  teamId: string;
  memberId: string;
  reason: string;
}

export interface ApproveResult {
  dryRun: boolean;
  /** Requests of members without global access: link written, audit entry, request deleted. */
  approved: number;
  created: number;
  reactivated: number;
  alreadyActive: number;
  /** Requests of members with global access: only deleted. */
  globalAccess: number;
  /** Left alone: the team or its organization is being deleted (Sentry's deletion removes them). */
  skipped: number;
  /** Left alone: the request does not make sense (listed; the command exits 4). */
  rejected: RejectedRequest[];
  /** Gone between planning and locking (approved or denied in Sentry meanwhile). */
  vanished: number;
  requests: HandledRequest[];
  journal: string | null;
  interrupted: boolean;
  /** With --notify: e-mails sent, failed, and approvals that get none (a pending invite has no user to write to). */
  mail?: import('./approval-mail.js').MailOutcome & { none: string[] };
}

export const DEFAULT_ACTOR_LABEL = 'sentry-admin';

/** One lock per command and database; MySQL's GET_LOCK names are server-wide and at most 64 characters. */
export function lockName(database: string, command = 'approve-requests'): string {
  const name = `sentry-admin:${command}:${database}`;
  return name.length <= 64 ? name : `sentry-admin:${command}:${createHash('sha1').update(database).digest('hex').slice(0, 64 - command.length - 14)}`;
}

/** The `approve-requests` command as one call: opens the database (two connections: the lock's and the work's), approves, closes it. */
export async function runApproveRequests(url: DbUrl, opts: ApproveOptions = {}): Promise<ApproveResult> {
  return withConnection(url, (conn) => approveRequests(conn, opts), { poolSize: 2 });
}

export async function approveRequests(conn: Connection, opts: ApproveOptions = {}): Promise<ApproveResult> {
  const db: Kysely<SentryDb> = conn.db;
  const batchSize = opts.batchSize ?? 500;
  const result: ApproveResult = {
    dryRun: Boolean(opts.dryRun), approved: 0, created: 0, reactivated: 0, alreadyActive: 0, globalAccess: 0,
    skipped: 0, rejected: [], vanished: 0, requests: [], journal: null, interrupted: false,
  };
  const scope = await resolveScope(db, opts.orgs ?? [], opts.teams ?? []);
  // a bad --actor is refused even when there is nothing to do; without --actor this costs nothing
  const actor = opts.actor ? await (await import('./audit-log.js')).resolveActor(db, opts.actor, DEFAULT_ACTOR_LABEL) : null;
  // The common cron case, nothing pending, costs one query and no lock.
  let page = await pendingRequests(db, scope, '0', batchSize);
  if (page.length === 0) return result;

  let release: (() => Promise<void>) | null = null;
  if (!opts.dryRun) {
    release = await conn.adapter.tryLock(db, lockName(conn.url.database));
    if (!release) throw new LockedError(`another approve-requests run is working on ${conn.url.masked}; exiting (the next run will retry)`);
    page = await pendingRequests(db, scope, '0', batchSize);
  }
  const journal = opts.journalDir && !opts.dryRun ? newJournal('approve-requests', conn.url.masked, conn.engine, 'approve pending team join requests') : null;
  const path = journal ? journalPath(journalDir(opts.journalDir), 'approve-requests') : null;
  // The pickle codec is loaded only when there is something to write: an idle cron run stays light.
  const [audit, { PyInt }] = await Promise.all([import('./audit-log.js'), import('../codec/py-value.js')]);
  const ctx: BatchContext = { conn, actorLabel: actor?.label ?? opts.actorLabel ?? DEFAULT_ACTOR_LABEL, actorId: actor?.id ?? null, pyId: await pythonIds(conn, PyInt), audit, journal, path };
  try {
    while (page.length > 0) {
      const work: PendingRow[] = [];
      for (const row of page) {
        const c = classify(row);
        if (c === 'skip') result.skipped++;
        else if (typeof c === 'object') result.rejected.push({ id: row.id, teamId: row.team_id, memberId: row.member_id, reason: c.reason });
        else work.push(row);
      }
      if (opts.dryRun) tally(result, await outcomes(db, work, false));
      else if (work.length) await applyBatch(ctx, work.map((r) => r.id), result);
      opts.onProgress?.(result);
      if (opts.signal?.aborted) {
        result.interrupted = true;
        break;
      }
      page = page.length < batchSize ? [] : await pendingRequests(db, scope, page[page.length - 1].id, batchSize);
    }
  } finally {
    await release?.();
  }
  if (opts.notify) {
    const approved = result.requests.filter((h) => h.outcome !== 'global-access');
    const none = approved.filter((h) => !h.notify).map((h) => h.id);
    const mails = approved.flatMap((h) => (h.notify ? [{ requestId: h.id, to: h.notify.to, teamName: h.notify.teamName }] : []));
    if (opts.dryRun) result.mail = { sent: [], failed: [], none };
    else result.mail = { ...(await (await import('./approval-mail.js')).sendApprovalMails(opts.notify.smtpUrl, opts.notify.from, mails)), none };
  }
  return result;
}


function outcomeOf(r: PendingRow, existing: Map<string, Link>): HandledRequest {
  const link = existing.get(pairKey(r.member_id, r.team_id));
  const outcome: Outcome = r.has_global_access ? 'global-access' : !link ? 'created' : link.is_active ? 'already-active' : 'reactivated';
  const notify = !r.has_global_access && r.user_id !== null && r.user_email ? { to: r.user_email, teamName: r.team_name ?? r.team_slug! } : null;
  return { id: r.id, organization: r.org_slug!, team: r.team_slug!, memberId: r.member_id, email: emailOf(r), outcome, notify };
}

async function outcomes(db: Kysely<SentryDb>, rows: PendingRow[], lock: boolean): Promise<HandledRequest[]> {
  const existing = await links(db, rows.filter((r) => !r.has_global_access), lock);
  return rows.map((r) => outcomeOf(r, existing));
}

function tally(result: ApproveResult, handled: HandledRequest[]): void {
  for (const h of handled) {
    result.requests.push(h);
    if (h.outcome === 'global-access') result.globalAccess++;
    else {
      result.approved++;
      if (h.outcome === 'created') result.created++;
      else if (h.outcome === 'reactivated') result.reactivated++;
      else result.alreadyActive++;
    }
  }
}

interface BatchContext {
  conn: Connection;
  actorLabel: string;
  actorId: string | null;
  /** An id as Sentry's driver would have handed it to Django, hence as Sentry pickles it. */
  pyId: (id: string) => PyValue;
  audit: typeof import('./audit-log.js');
  journal: Journal | null;
  path: string | null;
}

/** `member_id` in the audit data is OrganizationMemberTeam.organizationmember_id as read back by Sentry's driver. */
async function pythonIds(conn: Connection, PyInt: typeof import('../codec/py-value.js').PyInt): Promise<(id: string) => PyValue> {
  const col = (await conn.adapter.columns(conn.db)).find((c) => c.table === OMT && c.name === 'organizationmember_id');
  if (conn.adapter.pythonIntType(col?.kind === 'int64' ? 'int64' : 'int32') === 'long') return (id) => BigInt(id);
  return (id) => (Number.isSafeInteger(Number(id)) ? Number(id) : new PyInt(BigInt(id)));
}

/**
 * One transaction: lock the requests (a concurrent approval or denial in Sentry waits, or has
 * already won), re-read them, write the links, the audit entries and the deletions.
 */
async function applyBatch(ctx: BatchContext, ids: string[], result: ApproveResult): Promise<void> {
  const { conn, actorLabel, journal, path } = ctx;
  const db: Kysely<SentryDb> = conn.db;
  const done = await db.transaction().execute(async (tx) => {
    const work = (await lockRequests(tx, ids)).filter((r) => {
      const c = classify(r);
      return c === 'approve' || c === 'global'; // anything else changed since planning: leave it for the next run
    });
    const approve = work.filter((r) => !r.has_global_access);
    const existing = await links(tx, approve, true);
    const handled = work.map((r) => outcomeOf(r, existing));
    const changes: JournalChange[] = [];

    const inactive = [...existing.values()].filter((l) => !l.is_active);
    if (inactive.length) {
      // the links' ids were read from sentry_organizationmember_teams.id, a 32-bit serial: exact as numbers
      await tx.updateTable(OMT).set({ is_active: true }).where('id', 'in', inactive.map((l) => Number(l.id))).execute();
      for (const l of inactive) changes.push({ table: OMT, key: { id: l.id }, op: 'update', before: { is_active: false }, after: { is_active: true } });
    }
    const missing = approve.filter((r) => !existing.has(pairKey(r.member_id, r.team_id)));
    if (missing.length) {
      await tx.insertInto(OMT).values(missing.map((r) => ({ organizationmember_id: r.member_id, team_id: r.team_id, is_active: true }))).execute();
      for (const [k, l] of await links(tx, missing, false)) {
        existing.set(k, l);
        changes.push({ table: OMT, key: { id: l.id }, op: 'insert', after: journalRow({ ...l }) });
      }
    }
    const entries: AuditEntryInput[] = approve.map((r) => {
      const link = existing.get(pairKey(r.member_id, r.team_id))!;
      return {
        organizationId: r.team_org!, event: ctx.audit.AUDIT.MEMBER_JOIN_TEAM, targetObject: link.id, targetUserId: r.user_id, actorLabel, actorId: ctx.actorId,
        data: { team_slug: r.team_slug!, member_id: ctx.pyId(r.member_id), email: emailOf(r), is_active: true },
      };
    });
    if (entries.length) changes.push(...(await ctx.audit.insertAuditEntries(tx, conn.adapter, entries)));
    if (work.length) {
      await tx.deleteFrom(REQ).where('id', 'in', work.map((r) => r.id)).execute();
      for (const r of work) changes.push({ table: REQ, key: { id: r.id }, op: 'delete', before: { id: r.id, team_id: r.team_id, member_id: r.member_id } });
    }
    if (journal && path && changes.length) writeJournal(path, { ...journal, status: 'pending', changes: [...journal.changes, ...changes] });
    return { handled, changes, vanished: ids.length - work.length };
  });
  tally(result, done.handled);
  result.vanished += done.vanished;
  if (journal && path && done.changes.length) {
    journal.changes.push(...done.changes);
    journal.status = 'applied';
    writeJournal(path, journal);
    result.journal = path;
  }
}
