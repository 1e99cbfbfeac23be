import type { Command } from 'commander';
import { INT, defaultText } from '../../config/integers.js';
import { EXIT } from '../../errors.js';
import { action, dbOption, jsonOption } from '../context.js';

interface Opts {
  apply?: boolean;
  replay?: string;
  batchSize?: string;
  pauseMs?: string;
  concurrency?: string;
  maxKeys?: string;
  orphanSweep?: boolean;
  insertMissingGroups?: boolean;
  perKey?: boolean;
  journalDir?: string;
  scanPages?: string;
  sample?: string;
}

export function registerDrainBuffer(program: Command): void {
  const cmd = program
    .command('drain-buffer')
    .description("apply Sentry 7's pending Redis counter buffer (b:p, b:k:*) to the database in small batches, as Sentry's own flush would; without --apply, report only")
    .option('--sentry-redis <url...>', "Sentry's own Redis host(s), in Sentry's host order 0..n-1 [env SENTRY_ADMIN_SENTRY_REDIS]")
    .option('--apply', 'take the keys out of Redis and write them to the database')
    .option('--replay <journal>', 'apply what a crashed drain took but did not commit, exactly once (with --apply; report without)')
    .option('--batch-size <n>', `keys per batch (one database transaction; Redis pipelines go in slices of 100 commands)${defaultText(INT.drainBatchSize)}`)
    .option('--pause-ms <ms>', `pause between batches, to leave Redis room${defaultText(INT.pauseMs)}`)
    .option('--concurrency <n>', `batches applied at once, each in its own database transaction${defaultText(INT.concurrency)}`)
    .option('--max-keys <n>', 'stop after this many keys')
    .option('--no-orphan-sweep', 'skip the SCAN for b:k:* hashes that b:p no longer lists')
    .option('--insert-missing-groups', "for a group that no longer exists, insert it as Sentry 7.7 would (a project-less row) (default: skip and report)")
    .option('--per-key', 'apply one key at a time (the slower reference path) instead of a few statements per table and batch')
    .option('--journal-dir <dir>', 'where the drain journal goes [env SENTRY_ADMIN_JOURNAL_DIR] (default: ./journals)')
    .option('--scan-pages <n>', `report: SCAN pages (1000 keys each) to sample per host${defaultText(INT.scanPages)}`)
    .option('--sample <n>', `report: buffer hashes to read and decode per host${defaultText(INT.sample)}`);
  [dbOption, jsonOption].forEach((o) => o(cmd));
  cmd.action(
    action<Opts>(async (opts, ctx) => {
      const s = ctx.settings({
        required: ['db', 'sentryRedis'], integers: [INT.drainBatchSize, INT.pauseMs, INT.concurrency, INT.maxKeys, INT.scanPages, INT.sample],
      });
      const [batchSize, pauseMs, concurrency, maxKeys] = [s.ints['--batch-size']!, s.ints['--pause-ms']!, s.ints['--concurrency']!, s.ints['--max-keys']];
      const [{ connect }, { openRedis }, { journalDir }, render] = await Promise.all([
        import('../../db/connect.js'), import('../../redis/client.js'), import('../../journal/journal.js'), import('../../ui/drain-render.js'),
      ]);
      const conn = await connect(s.db!, { poolSize: concurrency + 1 });
      const redis = [];
      try {
        for (const u of s.sentryRedis) redis.push(await openRedis(u, { name: 'sentry-admin-drain', flag: '--sentry-redis' }));
        if (opts.replay) {
          const { replayJournal } = await import('../../drain/replay.js');
          const r = await replayJournal(conn, redis, opts.replay, { apply: Boolean(opts.apply), insertMissingGroups: Boolean(opts.insertMissingGroups) });
          ctx.out.result(r, () => render.renderReplay(r));
          return r.uncertain.length || r.stats.rebuffered ? EXIT.rejected : EXIT.ok;
        }
        if (!opts.apply) {
          const { reportBuffer } = await import('../../drain/report.js');
          const r = await reportBuffer(redis, s.sentryRedis, { scanPages: s.ints['--scan-pages']!, sample: s.ints['--sample']! });
          ctx.out.result({ hosts: r }, () => render.renderReport(r));
          return r.some((h) => h.scan.wrongType.length) ? EXIT.rejected : EXIT.ok;
        }
        const { drainBuffer } = await import('../../drain/drain.js');
        const progress = render.progressReporter(ctx.out);
        try {
          const r = await drainBuffer(conn, redis, s.sentryRedis, {
            batchSize, pauseMs, concurrency, maxKeys, orphanSweep: opts.orphanSweep !== false, insertMissingGroups: Boolean(opts.insertMissingGroups),
            perKey: Boolean(opts.perKey), journalDir: journalDir(s.journalDir), signal: ctx.signal, onProgress: progress.update, log: (l) => ctx.out.log(l),
          });
          progress.stop();
          ctx.out.result(r, () => render.renderDrain(r));
          if (r.interrupted || r.lockLost) return EXIT.runtime;
          return r.stats.rebuffered || r.stats.uncertain || r.stats.takeFailed ? EXIT.rejected : EXIT.ok;
        } finally {
          progress.stop();
        }
      } finally {
        for (const r of redis) r.disconnect();
        await conn.close();
      }
    }),
  );
}
