import type { Command } from 'commander';
import { action, actorOption, dbOption, jsonOption } from '../context.js';

interface Opts {
  users?: string;
  user?: string[];
  org?: string;
  providerDefault?: boolean;
  includeOwners?: boolean;
  keepTeamAccess?: boolean;
  apply?: boolean;
  journalDir?: string;
}

export function registerResetGlobalAccess(program: Command): void {
  const cmd = program
    .command('reset-global-access')
    .description('set has_global_access = false on the listed users\' memberships (and, with --provider-default, ' +
      'default_global_access = false on their organizations\' SSO provider); previews unless --apply')
    .option('--users <file.csv>', 'CSV with a header naming user_id, username and/or email; one user per row')
    .option('--user <id_or_email>', 'a user id, username or email address (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--org <slug>', 'only memberships in this organization')
    .option('--provider-default', 'also set default_global_access = false on the SSO auth provider of each organization in scope ' +
      '(the --org one, else every organization a listed user is a member of)')
    .option('--include-owners', 'also reset owners (type 0); they keep global access otherwise')
    .option('--keep-team-access', 'first link each member to every team of the organization they can see now, as Sentry\'s member form does ' +
      'when global access is unticked (journaled and undone with the rest); without it they keep only their active team links')
    .option('--apply', 'write the change (one transaction, journaled for `undo`)')
    .option('--journal-dir <dir>', 'where to write the undo journal [env SENTRY_ADMIN_JOURNAL_DIR] (default: ./journals)');
  [dbOption, actorOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<Opts>(async (opts, ctx) => {
      const s = ctx.settings({ required: ['db'] });
      const [{ runResetGlobalAccess }, { renderReset }] = await Promise.all([
        import('../../admin/reset-global-access.js'), import('../../ui/reset-global-access-render.js'),
      ]);
      const options = {
        csv: opts.users, user: opts.user, org: opts.org,
        providerDefault: Boolean(opts.providerDefault), includeOwners: Boolean(opts.includeOwners), keepTeamAccess: Boolean(opts.keepTeamAccess), actor: s.actor,
      };
      const r = await runResetGlobalAccess(s.db!, options, { apply: Boolean(opts.apply), journalDir: s.journalDir, signal: ctx.signal });
      ctx.out.result(r, () => renderReset(r, Boolean(opts.apply), s));
    }),
  );
}
