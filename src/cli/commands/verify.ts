import type { Command } from 'commander';
import { INT, defaultText } from '../../config/integers.js';
import { EXIT } from '../../errors.js';
import { action, fromOption, jsonOption, toOption } from '../context.js';
import { excludeOptions, exclusionsFrom } from './transfer-shared.js';

interface VerifyFlags {
  org?: string[];
  project?: string[];
  since?: string;
  events?: boolean;
  maxDiffs?: string;
  segmentRows?: string;
  show?: string;
  rejects?: string;
  excludeTable?: string[];
  excludeColumn?: string[];
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description('compare every table and column present on either side (segment hashes inside each database); exit 0 equal, 3 with the differences listed, 4 when the only differences are the rejected rows of --rejects')
    .option('--org <slug>', 'only this organization (repeatable)', collect)
    .option('--project <org/slug>', 'only this project (repeatable)', collect)
    .option('--since <date>', 'event data newer than DATE')
    .option('--no-events', 'organizations, teams, projects, members and settings only')
    .option('--max-diffs <n>', `differences listed per table (all of them in --json, up to this many)${defaultText(INT.maxDiffs)}`)
    .option('--show <n>', `differences shown per table in human output${defaultText(INT.show)}`)
    .option('--segment-rows <n>', `rows per hashed segment${defaultText(INT.segmentRows)}`)
    .option('--rejects <file>', "the migration's rejects file: rows listed there are reported as rejected, not as missing");
  [fromOption, toOption, excludeOptions, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<VerifyFlags>(async (opts, ctx) => {
      const s = ctx.settings({ required: ['from', 'to'], integers: [INT.maxDiffs, INT.segmentRows, INT.show] });
      const [maxDiffs, segmentRows, show] = [s.ints['--max-diffs'], s.ints['--segment-rows'], s.ints['--show']];
      const exclusions = exclusionsFrom(opts, s);
      const [{ runVerify }, { renderVerify, verifyProgress }] = await Promise.all([import('../../transfer/verify-run.js'), import('../../ui/verify-render.js')]);
      const progress = verifyProgress(ctx.out);
      let report;
      try {
        report = await runVerify({
          source: s.from!, target: s.to!, scope: { orgs: opts.org, projects: opts.project, since: opts.since, noEvents: opts.events === false },
          maxDiffs, segmentRows, signal: ctx.signal, exclusions, rejectsFile: opts.rejects, onStart: progress.onStart, onTable: progress.onTable,
        });
      } finally {
        progress.stop();
      }
      ctx.out.result(report, () => renderVerify(report, { show }));
      return report.equal ? EXIT.ok : report.onlyRejected ? EXIT.rejected : EXIT.differences;
    }),
  );
}
