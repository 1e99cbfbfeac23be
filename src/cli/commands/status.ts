import type { Command } from 'commander';
import { EXIT, LockedError } from '../../errors.js';
import { commandHint } from '../../ui/hints.js';
import { table } from '../../ui/output.js';
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
          `run ${r.namespace}: ${r.source} -> ${r.target || '(no importer yet)'} (${r.scope}), state ${r.state}, started ${r.created}`,
          `exporter ${r.exporterRunning ? 'running' : 'not running'}; ${(r.stagedBytes / (1 << 20)).toFixed(1)} MB staged`,
          '',
          table(['table', 'planned', 'exported', 'imported', 'rejected', 'state'], rows),
          '',
          r.tables.every((t) => t.complete)
            ? `done; free the staged keys with: ${commandHint('discard', s)}`
            : `${r.exporterRunning ? 'importers load it with' : 'continue with'}: ${commandHint(r.exporterRunning ? 'import' : r.target ? 'migrate' : 'export', s, r.exporterRunning ? ['--to', 'URL'] : r.target ? ['--from', 'URL', '--to', 'URL'] : ['--from', 'URL'])}`,
        ].join('\n');
      });
      return EXIT.ok;
    }),
  );

  const discard = program.command('discard').description('delete every key of the run in the namespace (the databases are not touched)');
  [redisOption, namespaceOption, jsonOption].forEach((o) => o(discard));
  discard.action(
    action(async (_f, ctx) => {
      const s = ctx.settings();
      const { runStatus, discardRun } = await import('../../transfer/status.js');
      const st = await runStatus(s.redis, s.namespace);
      if (st.exporterRunning) throw new LockedError(`an export is running in namespace "${s.namespace}"; stop it first`);
      const n = await discardRun(s.redis, s.namespace);
      ctx.out.result({ namespace: s.namespace, keysDeleted: n }, `deleted ${n} keys of namespace "${s.namespace}"`);
    }),
  );
}
