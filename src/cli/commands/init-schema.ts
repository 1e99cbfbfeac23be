import type { Command } from 'commander';
import { CliError, RuntimeFailure } from '../../errors.js';
import { commandHint } from '../../ui/hints.js';
import { action, dbOption, jsonOption } from '../context.js';

export function registerInitSchema(program: Command): void {
  const cmd = program
    .command('init-schema')
    .description('create the Sentry 7.7 schema (tables, keys, indexes, South history up to 0190) in an empty database')
    .option('--big-ints', 'create 64-bit ids, as an install with SENTRY_USE_BIG_INTS = True has')
    .option('--create-database', 'create the database first when it does not exist');
  [dbOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<{ bigInts?: boolean; createDatabase?: boolean }>(async (opts, ctx) => {
      const s = ctx.settings({ required: ['db'] });
      const [{ initSchema }, { renderInitSchema }] = await Promise.all([import('../../setup/init-schema.js'), import('../../ui/setup-render.js')]);
      const r = await initSchema(s.db!, { bigInts: Boolean(opts.bigInts), createDatabase: opts.createDatabase }).catch((err: unknown) => {
        // The database itself is missing: this command can create it.
        if (err instanceof CliError && !opts.createDatabase && /does not exist|Unknown database/i.test(err.message)) {
          throw new RuntimeFailure(err.message, `let init-schema create it: ${commandHint('init-schema', s, ['--create-database'])}`);
        }
        throw err;
      });
      ctx.out.result(r, renderInitSchema(r));
    }),
  );
}
