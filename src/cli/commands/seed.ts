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
      const { seed, validateSeedOptions } = await import('../../setup/seed.js');
      validateSeedOptions(events, seedValue);
      const r = await seed(s.db!, {
        events, seed: seedValue, signal: ctx.signal,
        onTable: (table, rows, seconds) => {
          if (!ctx.out.json && rows >= 10000) ctx.out.log(`  ${table}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s`);
        },
        onProgress: (sent) => {
          if (!ctx.out.json) ctx.out.log(`  loading ${sent.map((s) => `${s.table} ${Math.floor((100 * s.rows) / s.expected)}%`).join(', ')}`);
        },
      });
      ctx.out.result(r, () => {
        const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
        return [
          `seeded ${r.database} (seed ${r.seed}): ${r.events.toLocaleString('en-US')} events, ${rows.toLocaleString('en-US')} rows in ` +
            `${Object.keys(r.tables).length} tables, ${r.seconds.toFixed(1)} s`,
          `organizations: ${r.organizations.join(', ')}`,
          `users sign in with their email (the superuser: admin) and the password ${r.password}`,
        ].join('\n');
      });
    }),
  );
}
