import type { Command } from 'commander';
import { EXIT, LockedError } from '../../errors.js';
import type { RunStatus } from '../../transfer/status.js';
import { commandHint } from '../../ui/hints.js';
import { table } from '../../ui/output.js';
import { roundLine } from '../../ui/sync-render.js';
import { action, jsonOption, namespaceOption, redisOption } from '../context.js';

export function registerStatus(program: Command): void {
  const status = program.command('status').description('per-table progress of the migration run in the namespace');
  [redisOption, namespaceOption, jsonOption].forEach((o) => o(status));
  status.action(
    action(async (_f, ctx) => {
      const s = ctx.settings();
      const { runStatus } = await import('../../transfer/status.js');
      const r = await runStatus(s.redis, s.namespace);
      ctx.out.result(r, () => {
        if (!r.exists) return `no run in namespace "${r.namespace}" on ${s.redis.masked}`;
        const rows = r.tables.map((t) => [t.table, t.planned, t.exported, t.imported, t.rejected, t.complete ? 'done' : t.exportDone ? 'loading' : t.exported ? 'exporting' : 'waiting'] as (string | number)[]);
        return [
          `run ${r.namespace}: ${r.source} -> ${r.target || '(no importer yet)'} (${r.scope}), started ${r.created}`,
          `state ${r.state}; ${describeAlive(r)}; ${(r.stagedBytes / (1 << 20)).toFixed(1)} MB staged`,
          ...nextStep(r),
          '',
          table(['table', 'planned', 'exported', 'imported', 'rejected', 'state'], rows),
          '',
          ...(r.syncRounds.length ? ['sync rounds (last ones):', ...r.syncRounds.map((x) => `  ${x.at} ${roundLine(x)}`), ''] : []),
          r.tables.every((t) => t.complete)
            ? `done; free the staged keys with: ${commandHint('discard', s)}`
            : `${r.exporterRunning ? 'importers load it with' : 'continue with'}: ${commandHint(r.exporterRunning ? 'import' : r.target ? 'migrate' : 'export', s, r.exporterRunning ? ['--to', 'URL'] : r.target ? ['--from', 'URL', '--to', 'URL'] : ['--from', 'URL'])}`,
        ].join('\n');
      });
      return EXIT.ok;
    }),
  );

  const discard = program
    .command('discard')
    .description('delete every key of the run in the namespace (the databases are not touched); refuses a run that is alive unless --force')
    .option('--force', 'discard even while an exporter or importer of the run is alive (they stop with an error)');
  [redisOption, namespaceOption, jsonOption].forEach((o) => o(discard));
  discard.action(
    action<{ force?: boolean }>(async (f, ctx) => {
      const s = ctx.settings();
      const { runStatus, discardRun } = await import('../../transfer/status.js');
      const st = await runStatus(s.redis, s.namespace);
      if (st.alive.length && !f.force) {
        throw new LockedError(
          `the run in namespace "${s.namespace}" is alive (${describeAlive(st)}); nothing was deleted. ` +
            'Stop it first (Ctrl-C, or wait for it to end), or pass --force to discard it anyway (the running processes then stop with an error)',
        );
      }
      const n = await discardRun(s.redis, s.namespace);
      const live = st.alive.length ? `; ${st.alive.length} live process(es) will stop at their next step` : '';
      ctx.out.result({ namespace: s.namespace, keysDeleted: n, alive: st.alive }, `deleted ${n} keys of namespace "${s.namespace}"${live}`);
    }),
  );
}

function describeAlive(r: RunStatus): string {
  if (!r.alive.length) return 'nothing running';
  return 'alive: ' + r.alive.map((a) => `${a.role.replace(/^importer:.*/, 'importer')} ${a.role.startsWith('importer:') ? a.role.slice('importer:'.length) : a.holder}`).join(', ');
}

function nextStep(r: RunStatus): string[] {
  const ns = `--namespace ${r.namespace}`;
  if (r.state === 'interrupted') {
    return r.tables.every((t) => t.exportDone)
      ? [`nothing is running and the import is unfinished: run \`sentry-admin import --to URL ${ns}\` (or the same migrate command) again to resume`]
      : [`nothing is running and the export is unfinished: run the same \`sentry-admin export\` or \`migrate\` command (${ns}) again to resume`];
  }
  if (r.state === 'exported') return [`staged; load it with \`sentry-admin import --to URL ${ns}\``];
  return [];
}
