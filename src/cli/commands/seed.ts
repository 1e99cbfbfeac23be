import type { Command } from 'commander';
import { INT, defaultText } from '../../config/integers.js';
import { action, dbOption, jsonOption } from '../context.js';

export function registerSeed(program: Command): void {
  const cmd = program
    .command('seed')
    .description('fill an empty Sentry 7.7 schema with realistic, deterministic demo data')
    .option('--events <n>', `number of events (sentry_message rows, one node each)${defaultText(INT.events)}`)
    .option('--seed <n>', `random seed: the same seed gives the same data on either engine${defaultText(INT.seed)}`);
  [dbOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<{ events?: string; seed?: string }>(async (opts, ctx) => {
      // Every problem of the command line at once: a bad URL and a bad number are both reported.
      const s = ctx.settings({ required: ['db'], integers: [INT.events, INT.seed] });
      const [events, seedValue] = [s.ints['--events']!, s.ints['--seed']!];
      const [{ seed, validateSeedOptions }, { renderSeed, seedProgress }] = await Promise.all([import('../../setup/seed.js'), import('../../ui/setup-render.js')]);
      validateSeedOptions(events, seedValue);
      const r = await seed(s.db!, {
        events, seed: seedValue, signal: ctx.signal,
        ...seedProgress(ctx.out),
      });
      ctx.out.result(r, () => renderSeed(r));
    }),
  );
}
