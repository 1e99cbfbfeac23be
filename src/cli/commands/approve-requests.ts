import type { Command } from 'commander';
import { INT, defaultText } from '../../config/integers.js';
import { EXIT, UsageError } from '../../errors.js';
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
      const [{ runApproveRequests }, { approveProgress, renderApprove }] = await Promise.all([
        import('../../admin/approve-requests.js'), import('../../ui/approve-requests-render.js'),
      ]);
      const r = await runApproveRequests(s.db!, {
        orgs: opts.org ?? [], teams: opts.team ?? [], dryRun: Boolean(opts.dryRun), batchSize, actorLabel: opts.actorLabel, actor: s.actor,
        notify: opts.notify ? { smtpUrl: s.smtpUrl!, from: s.smtpFrom } : undefined,
        journalDir: opts.journalDir, signal: ctx.signal, onProgress: approveProgress(ctx.out),
      });
      ctx.out.result(r, () => renderApprove(r));
      if (r.interrupted) {
        ctx.out.error('stopped before the end; what was done is committed, the next run approves the rest');
        return EXIT.runtime;
      }
      return r.rejected.length || r.mail?.failed.length ? EXIT.rejected : EXIT.ok;
    }),
  );
}
