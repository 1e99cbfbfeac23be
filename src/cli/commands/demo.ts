import type { Command } from 'commander';
import { parseRedisUrl } from '../../config/redis-url.js';
import { parseDbUrl } from '../../db/url.js';
import { INT, parseInteger } from '../../config/integers.js';
import { action, jsonOption } from '../context.js';
import { exitCodeFor } from './transfer-shared.js';

export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description('seed a demo Sentry 7.7 on MySQL, migrate it to PostgreSQL and verify (owns the sentry_admin_demo databases)')
    .option('--mysql <url>', 'MySQL/MariaDB server', 'mysql://root@127.0.0.1:3306/sentry_admin_demo')
    .option('--postgres <url>', 'PostgreSQL server', 'postgres://postgres@127.0.0.1:5432/sentry_admin_demo')
    .option('--redis <url>', 'staging Redis (not Sentry\'s)', 'redis://127.0.0.1:6379/9')
    .option('--events <n>', 'events to seed (default: 20000)');
  jsonOption(cmd);
  cmd.action(
    action<{ mysql: string; postgres: string; redis: string; events?: string; json?: boolean }>(async (o, ctx) => {
      const events = parseInteger(o.events, { ...INT.events, default: 20_000 })!;
      const [{ demo }, { progressFor }, { renderDemo }] = await Promise.all([import('../../setup/demo.js'), import('../../ui/progress.js'), import('../../ui/setup-render.js')]);
      const progress = progressFor(ctx.out, 'migrate');
      const r = await demo({
        mysql: parseDbUrl(o.mysql, '--mysql'), postgres: parseDbUrl(o.postgres, '--postgres'), redis: parseRedisUrl(o.redis, '--redis'),
        events, signal: ctx.signal, progress, log: (l) => ctx.out.log(l),
      }).finally(() => progress.stop());
      ctx.out.result(r, () => renderDemo(r));
      return exitCodeFor(r.migration);
    }),
  );
}
