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
      const [{ connect }, { readJournal }, { undo }] = await Promise.all([
        import('../../db/connect.js'), import('../../journal/journal.js'), import('../../admin/undo.js'),
      ]);
      const journal = readJournal(path);
      const conn = await connect(s.db!);
      try {
        const r = await undo(conn, path, journal, { apply: Boolean(opts.apply) });
        ctx.out.result(r, () => {
          const verb = r.applied ? 'reverted' : 'would revert';
          const lines = [`${verb} ${r.reverted} change(s) of ${journal.command} (${journal.summary})` +
            (r.alreadyReverted ? `; ${r.alreadyReverted} already not in the database` : '')];
          for (const [t, n] of Object.entries(r.byTable)) lines.push(`  ${t}: ${n}`);
          for (const c of r.conflicts) lines.push(`refused ${c.table} ${JSON.stringify(c.key)}: ${c.reason}`);
          if (!r.applied) lines.push('preview only: add --apply to write');
          else if (r.conflicts.length) lines.push(`the journal keeps the ${r.conflicts.length} refused change(s): resolve them, then run undo ${path} again to reverse just those`);
          return lines.join('\n');
        });
        return r.conflicts.length && r.applied ? EXIT.rejected : EXIT.ok;
      } finally {
        await conn.close();
      }
    }),
  );
}
