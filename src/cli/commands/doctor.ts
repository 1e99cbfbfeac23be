import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { action, dbOption, fromOption, jsonOption, redisOption, toOption } from '../context.js';

export function registerDoctor(program: Command): void {
  const cmd = program
    .command('doctor')
    .description('connect to each database and Redis given, and report engine, version, Sentry schema version, id width and Sentry keys in Redis');
  [dbOption, fromOption, toOption, redisOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<Record<string, unknown>>(async (_opts, ctx) => {
      const s = ctx.settings();
      const { doctor, renderDoctor } = await import('../../setup/doctor.js');
      const databases = (['db', 'from', 'to'] as const).filter((k) => s[k]).map((k) => [k, s[k]!] as [string, typeof s.db & {}]);
      const report = await doctor({ databases, redis: [['redis', s.redis]] });
      ctx.out.result(report, () => renderDoctor(report));
      // The report stays on stdout; stderr says what failed, for whoever reads only that (cron mail).
      for (const x of [...report.databases, ...report.redis]) if (!x.ok) ctx.out.error(`doctor: ${x.role} failed: ${x.error ?? x.url}`);
      return report.ok ? EXIT.ok : EXIT.runtime;
    }),
  );
}
