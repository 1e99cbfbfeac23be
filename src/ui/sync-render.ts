import type { RoundReport, SyncReport } from '../transfer/sync.js';
import { renderVerify } from './verify-render.js';
import { type HintSettings, commandHint } from './hints.js';
import { table } from './output.js';

/** One line per round, as it ends (stderr): what it compared and what it changed. */
export function roundLine(r: RoundReport, dryRun = false): string {
  const c = Object.values(r.tables);
  const sum = (k: 'inserted' | 'updated' | 'deleted') => c.reduce((n, t) => n + t[k], 0);
  const verbs = dryRun ? ['to insert', 'to update', 'to delete'] : ['inserted', 'updated', 'deleted'];
  const what = `${sum('inserted')} ${verbs[0]}, ${sum('updated')} ${verbs[1]}, ${sum('deleted')} ${verbs[2]}`;
  const extra = [r.rejected && `${r.rejected} rejected`, r.kept && `${r.kept} kept`].filter(Boolean).join(', ');
  const left = r.unfinished.length ? `; still different: ${r.unfinished.map((u) => u.table).join(', ')}` : '';
  return `${r.final ? 'final round' : `round ${r.round}`}: ${r.segmentsCompared} segments compared (${r.differingSegments} differing) in ${r.compareSeconds} s; ${what}${extra ? `, ${extra}` : ''}${dryRun ? '' : ` in ${r.applySeconds} s`}${left}`;
}

export function renderSync(r: SyncReport, s: HintSettings = {}): string {
  const lines: string[] = [`sync ${r.source} -> ${r.target} (${r.scope})${r.dryRun ? ': dry run, nothing written' : ''}`];
  const totals = new Map<string, [number, number, number, number]>();
  for (const round of r.rounds) {
    for (const [t, c] of Object.entries(round.tables)) {
      const x = totals.get(t) ?? [0, 0, 0, 0];
      totals.set(t, [x[0] + c.inserted, x[1] + c.updated, x[2] + c.deleted, x[3] + c.rejected]);
    }
  }
  if (totals.size) {
    const head = r.dryRun ? ['table', 'to insert', 'to update', 'to delete', 'rejected'] : ['table', 'inserted', 'updated', 'deleted', 'rejected'];
    lines.push('', table(head, [...totals].map(([t, x]) => [t, ...x])), '');
  } else if (!r.rounds.length) lines.push('no round ran');
  else if (r.rounds.at(-1)!.allColumns) lines.push('no differences: the target already holds the source');
  else lines.push('no differences in the columns a round compares (all but the long ones, such as event and node data: --final compares those too)');
  const changed = r.rounds.reduce((n, x) => n + x.changed, 0);
  lines.push(`${r.rounds.length} round${r.rounds.length === 1 ? '' : 's'}, ${changed} rows changed, ${r.seconds} s`);
  for (const k of r.kept) lines.push(`kept ${k.table} ${k.key}: ${k.reason}`);
  for (const u of r.rounds.at(-1)?.unfinished ?? []) lines.push(`still different: ${u.table}: ${u.why}`);
  if (r.rejected) lines.push(`${r.rejected} rows rejected (values the target cannot hold); see ${r.rejectsFile}`);
  if (r.rejectedEarlier) lines.push(`${r.rejectedEarlier} rows rejected earlier (by the migration or an earlier sync) are not retried and are still not in the target; see ${r.rejectsFile}`);
  if (r.quiet) lines.push(`cutover: Sentry's buffer ${r.quiet.buffer}; the source took no writes for ${r.quiet.seconds} s or more`);
  if (r.sequencesSynced) lines.push('sequences moved past every table\'s largest id');
  if (r.verify) lines.push('', renderVerify(r.verify));
  else if (!r.dryRun) lines.push(`to cut over once Sentry is stopped: ${commandHint('sync', s, ['--final'])}`);
  return lines.join('\n');
}
