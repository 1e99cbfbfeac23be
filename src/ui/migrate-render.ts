import type { MigrationReport } from '../transfer/migrate.js';
import { type HintSettings, commandHint } from './hints.js';
import { table } from './output.js';
import { type RejectSummary, renderRejects } from './rejects-summary.js';
import { renderVerify } from './verify-render.js';

/** The human report of migrate, export and import; `s` (the settings of the run) goes into the hints it prints. */
export function renderMigration(r: MigrationReport, s: HintSettings = {}, rejects?: RejectSummary | null): string {
  const mb = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} kB`);
  const secs = (n: number) => Number(n.toFixed(1));
  // Per table: rows and seconds of work across every run of the namespace, so a re-run adds up; the
  // total row is the sum of the column above it. Wall-clock time of this run is a line of its own.
  const rows = r.tables.map((t) => [t.table, t.read, t.written, t.rejected, mb(t.bytes), secs(t.exportSeconds + t.importSeconds)] as (string | number)[]);
  const sum = (k: 'read' | 'written' | 'rejected' | 'bytes' | 'exportSeconds' | 'importSeconds') => r.tables.reduce((a, t) => a + t[k], 0);
  rows.push(['total', sum('read'), sum('written'), sum('rejected'), mb(sum('bytes')), secs(sum('exportSeconds') + sum('importSeconds'))]);
  // The proof runs beside the load; what this run waited for it after the load is its finish.
  const verifySeconds = r.verify?.finishSeconds ?? 0;
  const lines = [
    `${r.mode} ${r.source ?? '(staged)'} -> ${r.target ?? `redis namespace ${r.namespace}`} (${r.scope})${r.resumed ? ', resumed' : ''}`,
  ];
  if (r.snapshot && r.snapshots.length > 1) {
    lines.push(`source read from ${r.snapshots.length} snapshots (the export resumed; the source may have changed in between)`);
    if (r.reread.length) {
      const names = r.reread.length <= 2 ? r.reread.join(', ') : `${r.reread.length} tables, listed in --json`;
      lines.push(`read again to match the newest snapshot: ${names}`, 'rows changed in place between the snapshots keep their older values');
    }
  } else if (r.snapshot) lines.push(`source read from one consistent snapshot: ${r.snapshot}`);
  if (r.replacedDefaults) lines.push(`replaced Sentry's default rows (${r.replacedDefaults.rows}); undo journal ${r.replacedDefaults.journal}`);
  lines.push('', table(['table', 'read', 'written', 'rejected', 'bytes', 'seconds'], rows), '');
  // Export and import overlap, so the seconds of work per table add up to more than the time it took.
  lines.push(`this run: ${r.mode} ${secs(r.seconds - verifySeconds)} s${r.verify ? `, verify ${secs(verifySeconds)} s after it (${r.verifiedWhileLoading} tables during it)` : ''}`);
  lines.push(`seconds per table: export + import work${r.resumed ? ', over every run of the namespace' : ''}`);
  const fk = Object.entries(r.foreignKeyChecks ?? {}).map(([how, n]) => `${how} in ${n} chunks`);
  if (fk.length) lines.push(`foreign keys checked ${fk.join(', ')}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const skipped = r.notCarried.filter((n) => n.holdsRows);
  if (skipped.length) {
    lines.push('not carried (these source tables hold rows):');
    for (const n of skipped) lines.push(`  ${n.table}: ${n.why}`);
  }
  if (r.emptyColumnsLeft.length) lines.push(`note: the target has no column ${r.emptyColumnsLeft.join(', ')}; the source holds no value in them`);
  if (r.notes['fraction-dropped']) lines.push(`note: ${r.notes['fraction-dropped']} datetimes had fractional seconds dropped (MySQL datetime holds whole seconds, as Sentry writes them there)`);
  if (r.notes['zero-date-null']) lines.push(`note: ${r.notes['zero-date-null']} MySQL zero dates stored as NULL (--on-reject null-zero-dates)`);
  if (r.rejected && rejects?.rows) lines.push(...renderRejects(rejects));
  else if (r.rejected) lines.push(`${r.rejected} rows rejected; see ${r.rejectsFile}`);
  if (r.interrupted) lines.push('interrupted: run the same command again to resume from the last checkpoint');
  else if (!r.complete && r.mode === 'import') lines.push('not complete: the export is still running or was interrupted; run import again');
  else if (r.complete) lines.push(r.mode === 'export' ? `staged; load it with: ${commandHint('import', s, ['--to', 'URL'])}` : 'complete');
  if (r.verify) lines.push('', renderVerify(r.verify));
  else if (r.complete && r.mode === 'migrate') lines.push(`not verified (--no-verify); compare with: ${commandHint('verify', s)}`);
  return lines.join('\n');
}
