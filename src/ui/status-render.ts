/** Human output of `status` and `discard`. */
import type { RunStatus } from '../transfer/status.js';
import { type HintSettings, commandHint } from './hints.js';
import { table } from './output.js';
import { roundLine } from './sync-render.js';

export function renderStatus(r: RunStatus, s: HintSettings & { redis: { masked: string } }): string {
  if (!r.exists) return `no run in namespace "${r.namespace}" on ${s.redis.masked}`;
  const rows = r.tables.map((t) => [t.table, t.planned, t.exported, t.imported, t.rejected, t.complete ? 'done' : t.exportDone ? 'loading' : t.exported ? 'exporting' : 'waiting'] as (string | number)[]);
  return [
    `run ${r.namespace}: ${r.source} -> ${r.target || '(no importer yet)'} (${r.scope}), started ${r.created}`,
    `state ${r.state}; ${describeAlive(r)}; ${(r.stagedBytes / (1 << 20)).toFixed(1)} MB staged`,
    ...nextStep(r),
    '',
    table(['table', 'planned', 'exported', 'imported', 'rejected', 'state'], rows),
    '',
    ...(r.syncRounds.length ? ['sync rounds (the last ones):', ...r.syncRounds.map((x) => `  ${x.at} ${roundLine(x)}`), ''] : []),
    r.tables.every((t) => t.complete)
      ? `done; free the staged keys with: ${commandHint('discard', s)}`
      : `${r.exporterRunning ? 'importers load it with' : 'continue with'}: ${commandHint(r.exporterRunning ? 'import' : r.target ? 'migrate' : 'export', s, r.exporterRunning ? ['--to', 'URL'] : r.target ? ['--from', 'URL', '--to', 'URL'] : ['--from', 'URL'])}`,
  ].join('\n');
}

export function renderDiscard(namespace: string, keysDeleted: number, st: RunStatus): string {
  const live = st.alive.length ? `; ${st.alive.length} live process(es) will stop at their next step` : '';
  return `deleted ${keysDeleted} keys of namespace "${namespace}"${live}`;
}

export function describeAlive(r: RunStatus): string {
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
