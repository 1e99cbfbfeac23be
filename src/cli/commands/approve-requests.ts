import type { Command } from 'commander';
import { INT, defaultText } from '../../config/integers.js';
import { EXIT, UsageError } from '../../errors.js';
import type { ApproveResult } from '../../admin/approve-requests.js';
import { action, actorOption, dbOption, jsonOption } from '../context.js';

interface Opts {
  org?: string[];
  team?: string[];
  dryRun?: boolean;
  batchSize?: string;
  actorLabel?: string;
  journalDir?: string;
  notify?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerApproveRequests(program: Command): void {
  const cmd = program
    .command('approve-requests')
    .description('approve pending team join requests the way Sentry 7.7 does; quiet when there is nothing to do, meant for cron')
    .option('--org <slug>', 'only requests for teams of this organization (repeatable)', collect)
    .option('--team <org/slug>', 'only requests for this team (repeatable; with --org, either matches)', collect)
    .option('--dry-run', 'show what would be approved; write nothing')
    .option('--batch-size <n>', `requests per transaction${defaultText(INT.approveBatchSize)}`)
    .option('--actor-label <label>', 'actor_label of the audit entries (Sentry writes the approving admin) (default: sentry-admin)')
    .option('--journal-dir <dir>', 'record the writes in a journal there, so `undo` can reverse the run (default: none, no journal)')
    .option('--notify', "send Sentry's approval e-mail to each approved member, through SENTRY_ADMIN_SMTP_URL (smtp://user:pass@host:port), " +
      'from SENTRY_ADMIN_SMTP_FROM (default: root@localhost, as Sentry\'s SERVER_EMAIL)');
  [dbOption, actorOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<Opts>(async (opts, ctx) => {
      const s = ctx.settings({ required: ['db'], integers: [INT.approveBatchSize] });
      const batchSize = s.ints['--batch-size']!;
      if (opts.actorLabel !== undefined && (opts.actorLabel.length === 0 || opts.actorLabel.length > 64)) {
        throw new UsageError('--actor-label must be 1 to 64 characters (sentry_auditlogentry.actor_label is varchar(64))');
      }
      if (opts.notify && !s.smtpUrl) throw new UsageError('--notify needs an SMTP server: set SENTRY_ADMIN_SMTP_URL=smtp://user:pass@host:port');
      if (s.actor && opts.actorLabel !== undefined) throw new UsageError('give --actor (a Sentry user) or --actor-label (a label), not both');
      const [{ connect }, { approveRequests }] = await Promise.all([import('../../db/connect.js'), import('../../admin/approve-requests.js')]);
      const conn = await connect(s.db!, { poolSize: 2 });
      let lastLog = Date.now();
      try {
        const r = await approveRequests(conn, {
          orgs: opts.org ?? [], teams: opts.team ?? [], dryRun: Boolean(opts.dryRun), batchSize, actorLabel: opts.actorLabel, actor: s.actor,
          notify: opts.notify ? { smtpUrl: s.smtpUrl!, from: s.smtpFrom } : undefined,
          journalDir: opts.journalDir, signal: ctx.signal,
          onProgress: (p) => {
            if (!ctx.out.interactive || Date.now() - lastLog < 3000) return;
            lastLog = Date.now();
            ctx.out.log(`… ${p.approved + p.globalAccess} request(s) handled so far`);
          },
        });
        ctx.out.result(r, () => render(r));
        if (r.interrupted) {
          ctx.out.error('stopped before the end; what was done is committed, the next run approves the rest');
          return EXIT.runtime;
        }
        return r.rejected.length || r.mail?.failed.length ? EXIT.rejected : EXIT.ok;
      } finally {
        await conn.close();
      }
    }),
  );
}

/** Nothing when there was nothing to do (quiet under cron); one summary line otherwise. */
export function render(r: ApproveResult): string {
  const lines: string[] = [];
  if (r.dryRun) for (const h of r.requests) lines.push(`would ${h.outcome === 'global-access' ? 'delete' : 'approve'} request ${h.id}: ${h.email ?? `member ${h.memberId}`} -> ${h.organization}/${h.team} (${h.outcome})`);
  const parts: string[] = [];
  const verb = r.dryRun ? 'would approve' : 'approved';
  if (r.approved) {
    const how = [[r.created, 'link(s) created'], [r.reactivated, 're-activated'], [r.alreadyActive, 'already active']] as const;
    parts.push(`${verb} ${r.approved} team join request(s) (${how.filter(([n]) => n).map(([n, w]) => `${n} ${w}`).join(', ')})`);
  }
  if (r.globalAccess) parts.push(`${r.dryRun ? 'would delete' : 'deleted'} ${r.globalAccess} request(s) of members with global access`);
  if (r.rejected.length) parts.push(`left ${r.rejected.length} inconsistent request(s) untouched (listed below; fix or delete those rows by hand)`);
  if (parts.length) lines.push(parts.join('; ') + (r.journal ? `; journal ${r.journal}` : ''));
  for (const x of r.rejected) lines.push(`  request ${x.id} (team ${x.teamId}, member ${x.memberId}): ${x.reason}`);
  if (r.mail) {
    const m = r.mail;
    const planned = r.requests.filter((h) => h.notify).length;
    if (r.dryRun) { if (planned) lines.push(`would e-mail ${planned} member(s) Sentry's approval notice`); }
    else if (m.sent.length || m.failed.length) lines.push(`e-mailed ${m.sent.length} member(s) Sentry's approval notice` + (m.failed.length ? `; ${m.failed.length} e-mail(s) failed (the approvals stand):` : ''));
    for (const f of m.failed) lines.push(`  request ${f.requestId} to ${f.to}: ${f.error}`);
    if (m.none.length) lines.push(`no e-mail for ${m.none.length} approved request(s) of pending invites (no user to write to): ${m.none.join(', ')}`);
  }
  return lines.join('\n');
}
