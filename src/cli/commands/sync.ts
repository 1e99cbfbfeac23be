import { type Command, Option } from 'commander';
import { INT, defaultText } from '../../config/integers.js';
import { action, fromOption, jsonOption, namespaceOption, redisOption, toOption } from '../context.js';
import { excludeOptions, exclusionsFrom, scopeOptions } from './transfer-shared.js';

interface SyncFlags {
  org?: string[];
  project?: string[];
  since?: string;
  events?: boolean;
  excludeTable?: string[];
  excludeColumn?: string[];
  final?: boolean;
  dryRun?: boolean;
  compareAll?: boolean;
  allowDeletes?: boolean;
  allowSharedRedis?: boolean;
  onReject?: string;
  rejects?: string;
}

const SYNC_INTEGERS = [INT.rounds, INT.untilChangedBelow, INT.quietSeconds, INT.syncBatchRows];

export function registerSync(program: Command): void {
  const cmd = program
    .command('sync')
    .description('bring a migrated target up to date with a live source: compare segment hashes, copy only the rows that differ; --final is the cutover (refuses while the source is written), ends with a full verify');
  [fromOption, toOption, redisOption, namespaceOption, scopeOptions, excludeOptions].forEach((o) => o(cmd));
  cmd
    .option('--rounds <n>', 'rounds to run (before the final one with --final) (default: 1; 20 with --until-changed-below; 0 with --final)')
    .option('--until-changed-below <rows>', 'stop once a round changes fewer rows than this')
    .option('--final', "the cutover: refuse while Sentry's buffer holds counters or the source takes writes, then a last round, sequences and a full verify")
    .option('--quiet-seconds <n>', `--final: how long the source must take no writes${defaultText(INT.quietSeconds)}`)
    .option('--sentry-redis <url...>', "Sentry's own Redis host(s): --final refuses while its buffer (b:p) holds counters [env SENTRY_ADMIN_SENTRY_REDIS]")
    .option('--compare-all', 'rounds before --final compare every column too, long ones (event and node data, messages, option values) included: slower, misses nothing')
    .option('--dry-run', 'compare only: print what a round would insert, update and delete; write nothing')
    .option('--allow-deletes', 'delete target rows the source lacks even though this namespace never migrated into the target')
    .option('--batch-rows <n>', `rows per target transaction${defaultText(INT.syncBatchRows)}`)
    .addOption(new Option('--on-reject <policy>', 'what to do with values the target cannot hold').choices(['file', 'null-zero-dates']).default('file'))
    .option('--rejects <file>', 'where rejected rows are written (default: ./sentry-admin-rejects-<namespace>.jsonl)')
    .option('--allow-shared-redis', "use a Redis database that also holds Sentry's keys (not recommended)");
  jsonOption(cmd);
  cmd.addHelpText('after', `
Examples:
  sentry-admin sync --from mysql://sentry@old/sentry --to postgres://sentry@new/sentry --until-changed-below 1000
  sentry-admin sync --from mysql://sentry@old/sentry --to postgres://sentry@new/sentry --dry-run
  sentry-admin sync --from mysql://sentry@old/sentry --to postgres://sentry@new/sentry --final --sentry-redis redis://old:6379/0`);
  cmd.action(
    action<SyncFlags>(async (f, ctx) => {
      const s = ctx.settings({ required: ['from', 'to'], integers: SYNC_INTEGERS });
      const [{ runSync, syncExitCode }, { renderSync, roundLine }] = await Promise.all([import('../../transfer/sync.js'), import('../../ui/sync-render.js')]);
      const report = await runSync({
        source: s.from!,
        target: s.to!,
        redis: s.redis,
        namespace: s.namespace,
        scope: { orgs: f.org, projects: f.project, since: f.since, noEvents: f.events === false },
        exclusions: exclusionsFrom(f, s),
        rounds: s.ints['--rounds'],
        untilChangedBelow: s.ints['--until-changed-below'],
        final: f.final,
        dryRun: f.dryRun,
        compareAll: f.compareAll,
        allowDeletes: f.allowDeletes,
        sentryRedis: s.sentryRedis,
        quietSeconds: s.ints['--quiet-seconds'],
        batchRows: s.ints['--batch-rows'],
        zeroDatesToNull: f.onReject === 'null-zero-dates',
        rejectsPath: f.rejects,
        allowSharedRedis: f.allowSharedRedis,
        signal: ctx.signal,
        onRound: (r) => ctx.out.log(roundLine(r, Boolean(f.dryRun))),
      });
      ctx.out.result(report, () => renderSync(report, s));
      return syncExitCode(report);
    }),
  );
}
