import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { renderMigration } from '../../ui/migrate-render.js';
import { summariseRejects } from '../../ui/rejects-summary.js';
import { action, fromOption, jsonOption, namespaceOption, redisOption, toOption } from '../context.js';
import { TRANSFER_INTEGERS, type TransferFlags, excludeOptions, exitCodeFor, importOptions, migrateOptions, scopeOptions, stagingOptions } from './transfer-shared.js';

export function registerTransfer(program: Command): void {
  const migrate = program
    .command('migrate')
    .description('copy Sentry data from --from to --to (MySQL <-> PostgreSQL or same engine), staged through Redis; rerun to resume');
  [fromOption, toOption, redisOption, namespaceOption, scopeOptions, excludeOptions, stagingOptions, importOptions, jsonOption].forEach((o) => o(migrate));
  migrate.option('--no-verify', 'do not compare source and target at the end');
  migrate.option('--dry-run', 'write nothing: print what would be carried and not, the values that would be rejected, and an estimate of the time');
  migrate.action(run('migrate', ['from', 'to']));

  const exp = program.command('export').description('stage the source data in the Redis namespace and stop');
  [fromOption, redisOption, namespaceOption, scopeOptions, excludeOptions, stagingOptions, jsonOption].forEach((o) => o(exp));
  exp.option('--dry-run', 'write nothing: print what would be staged and not, and an estimate of the time (give --to to check values against the target)');
  [toOption].forEach((o) => o(exp));
  exp.action(run('export', ['from']));

  const imp = program.command('import').description('load what is staged in the namespace into --to; several importers may run at once');
  [toOption, redisOption, namespaceOption, importOptions, jsonOption].forEach((o) => o(imp));
  imp.option('--allow-shared-redis', "read staging from a Redis database that also holds Sentry's keys");
  imp.action(run('import', ['to']));
}

function run(mode: 'migrate' | 'export' | 'import', required: ('from' | 'to')[]) {
  return action<TransferFlags>(async (flags, ctx) => {
    const s = ctx.settings({ required, integers: TRANSFER_INTEGERS });
    const [{ runMigration }, { progressFor }] = await Promise.all([import('../../transfer/migrate.js'), import('../../ui/progress.js')]);
    const opts = migrateOptions(mode, s, flags, ctx);
    if (flags.dryRun && mode !== 'import') {
      const { dryRun, renderDryRun } = await import('../../transfer/dry-run.js');
      const report = await dryRun(opts);
      ctx.out.result(report, () => renderDryRun(report));
      return report.rejected ? EXIT.rejected : EXIT.ok;
    }
    const progress = (opts.progress = progressFor(ctx.out, mode));
    // Stopped here too: a failure must not leave the block on the screen under the error message.
    const report = await runMigration(opts).finally(() => progress.stop());
    // The rejects file says why, row by row; the screen gets them summed by table and reason.
    const rejects = report.rejected ? await summariseRejects(opts.rejectsPath ?? `sentry-admin-rejects-${s.namespace}.jsonl`) : null;
    ctx.out.result(rejects ? { ...report, rejectSummary: rejects } : report, () => renderMigration(report, s, rejects));
    return exitCodeFor(report);
  });
}
