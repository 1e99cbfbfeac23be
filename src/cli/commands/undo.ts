import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { action, dbOption, jsonOption } from '../context.js';

export function registerUndo(program: Command): void {
  const cmd = program
    .command('undo')
    .argument('<journal>', 'journal file written by an applied admin command')
    .description('reverse an applied change from its journal file; previews unless --apply')
    .option('--apply', 'write the reversal (one transaction)');
  [dbOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<{ apply?: boolean }>(async (opts, ctx, [path]) => {
      const s = ctx.settings({ required: ['db'] });
      const [{ runUndo }, { renderUndo }] = await Promise.all([import('../../admin/undo.js'), import('../../ui/undo-render.js')]);
      const { journal, result: r } = await runUndo(s.db!, path, { apply: Boolean(opts.apply) });
      ctx.out.result(r, () => renderUndo(r, journal, path));
      return r.conflicts.length && r.applied ? EXIT.rejected : EXIT.ok;
    }),
  );
}
