import type { Command } from 'commander';
import type { RepairOptions } from '../../admin/repair-orphaned-teams.js';
import { EXIT } from '../../errors.js';
import { action, actorOption, dbOption, jsonOption } from '../context.js';

type Flags = RepairOptions & { json?: boolean };

export function registerRepairOrphanedTeams(program: Command): void {
  const cmd = program
    .command('repair-orphaned-teams')
    .description('find teams (and their projects and members) whose organization is gone or being deleted, and give them a home; previews unless --apply')
    .option('--into-org <slug>', 'move the teams and their projects and members into this existing organization')
    .option('--new-org <slug>', 'slug of the re-created organization (only when exactly one is missing)')
    .option('--name <name>', 'name of the organization re-created with --new-org (default: the slug)')
    .option('--owner <user>', 'owner of re-created organizations: user id, username or e-mail (default: the first active superuser)')
    .option('--restore', 'make organizations pending deletion (or being deleted) visible again')
    .option('--sentry-redis <url...>', "Sentry's Redis broker, read for queued organization deletions before re-creating or restoring [env SENTRY_ADMIN_SENTRY_REDIS]")
    .option('--apply', 'write the repair (one transaction, with an undo journal)')
    .option('--journal-dir <dir>', 'where the undo journal goes [env SENTRY_ADMIN_JOURNAL_DIR] (default: ./journals)');
  [dbOption, actorOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<Flags>(async (opts, ctx) => {
      const s = ctx.settings({ required: ['db'] });
      const [repair, { renderRepair, renderReport }] = await Promise.all([
        import('../../admin/repair-orphaned-teams.js'), import('../../ui/repair-orphans-render.js'),
      ]);
      const options = {
        intoOrg: opts.intoOrg, newOrg: opts.newOrg, name: opts.name, owner: opts.owner,
        restore: Boolean(opts.restore), apply: Boolean(opts.apply), journalDir: s.journalDir, actor: s.actor, sentryRedis: s.sentryRedis,
      };
      try {
        const r = await repair.runRepairOrphanedTeams(s.db!, options);
        const { ops: _ops, ...plan } = r.plan;
        ctx.out.result({ applied: r.applied, journal: r.journal, writes: r.writes, ...plan }, () => renderRepair(r));
        return EXIT.ok;
      } catch (err) {
        // A plan refused (no owner, unknown target…): still show what was found, then exit 2.
        if (err instanceof repair.RepairRefused) ctx.out.result({ applied: false, report: err.report, error: err.message }, () => renderReport(err.report).join('\n'));
        throw err;
      }
    }),
  );
}
