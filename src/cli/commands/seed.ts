import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { action, dbOption, jsonOption } from '../context.js';

/** A whole number from a flag; bad text is a usage error (exit 2). */
function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,16}$/.test(text.trim())) throw new UsageError(`${flag} must be a whole number, got "${text}"`);
  return Number(text.trim());
}

export function registerSeed(program: Command): void {
  const cmd = program
    .command('seed')
    .description('fill an empty Sentry 7.7 schema with realistic, deterministic demo data')
    .option('--events <n>', 'number of events (sentry_message rows, one node each) [default 1000]')
    .option('--seed <n>', 'random seed: the same seed gives the same data on either engine [default 1]');
  [dbOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<{ events?: string; seed?: string }>(async (opts, ctx) => {
      const events = wholeNumber('--events', opts.events, 1000);
      const seedValue = wholeNumber('--seed', opts.seed, 1);
      const s = ctx.settings({ required: ['db'] });
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
