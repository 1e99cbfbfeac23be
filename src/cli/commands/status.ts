import type { Command } from 'commander';
import { EXIT, LockedError } from '../../errors.js';
import { describeAlive, renderDiscard, renderStatus } from '../../ui/status-render.js';
import { action, jsonOption, namespaceOption, redisOption } from '../context.js';

export function registerStatus(program: Command): void {
  const status = program.command('status').description('per-table progress of the migration run in the namespace');
  [redisOption, namespaceOption, jsonOption].forEach((o) => o(status));
  status.action(
    action(async (_f, ctx) => {
      const s = ctx.settings();
      const { runStatus } = await import('../../transfer/status.js');
      const r = await runStatus(s.redis, s.namespace);
      ctx.out.result(r, () => renderStatus(r, s));
      return EXIT.ok;
    }),
  );

  const discard = program
    .command('discard')
    .description('delete every key of the run in the namespace (the databases are not touched); refuses a run that is alive unless --force')
    .option('--force', 'discard even while an exporter or importer of the run is alive (they stop with an error)');
  [redisOption, namespaceOption, jsonOption].forEach((o) => o(discard));
  discard.action(
    action<{ force?: boolean }>(async (f, ctx) => {
      const s = ctx.settings();
      const { runStatus, discardRun } = await import('../../transfer/status.js');
      const st = await runStatus(s.redis, s.namespace);
      if (st.alive.length && !f.force) {
        throw new LockedError(
          `the run in namespace "${s.namespace}" is alive (${describeAlive(st)}); nothing was deleted. ` +
            'Stop it first (Ctrl-C, or wait for it to end), or pass --force to discard it anyway (the running processes then stop with an error)',
        );
      }
      const n = await discardRun(s.redis, s.namespace);
      ctx.out.result({ namespace: s.namespace, keysDeleted: n, alive: st.alive }, renderDiscard(s.namespace, n, st));
    }),
  );
}
