import type { RowDiff, TableReport, VerifyReport } from '../transfer/verify.js';
import { type Output, table as textTable } from './output.js';
import { type Progress, progressFor } from './progress.js';

/**
 * Progress of `verify`: the run's progress display (src/ui/progress.ts), started when the comparison starts (after
 * both connections and the scope), with a line per compared table, its outcome and, when they differ, the row
 * counts of both sides.
 */
export function verifyProgress(out: Output): { onStart: () => void; onTable: (t: TableReport) => void; stop: () => void } {
  let progress: Progress | undefined;
  return {
    onStart: () => void (progress ??= progressFor(out, 'verify')),
    onTable: (t) => progress?.finish?.(t.table,
      `${t.status}${t.sourceRows === t.targetRows ? '' : ` (${t.sourceRows ?? '-'} / ${t.targetRows ?? '-'} rows)`}, ${t.seconds} s`, Number(t.sourceRows ?? 0)),
    stop: () => progress?.stop(),
  };
}

/** Human output of a verify report: a table per table, the first `show` differences of each. */
export function renderVerify(r: VerifyReport, opts: { show?: number } = {}): string {
  const show = opts.show ?? 10;
  const lines: string[] = [
    `verify ${r.source.database} (${r.source.engine}) -> ${r.target.database} (${r.target.engine})`,
    `scope: ${r.scope}`,
    ...datetimeLines(r.datetimePrecision),
    '',
  ];
  const num = (n: number | null) => (n === null ? '-' : n);
  lines.push(
    textTable(
      ['table', 'source rows', 'target rows', 'status'],
      r.tables.map((t) => [t.table, num(t.sourceRows), num(t.targetRows), t.status + (t.truncated ? ' (more not listed)' : '')]) as any,
    ),
  );
  for (const t of r.tables) {
    const notes = [
      t.note,
      t.columnsOnlyInSource.length && t.sourceRows !== null && t.targetRows !== null ? `columns only in the source: ${t.columnsOnlyInSource.join(', ')}` : '',
      t.columnsOnlyInTarget.length && t.sourceRows !== null && t.targetRows !== null ? `columns only in the target: ${t.columnsOnlyInTarget.join(', ')}` : '',
    ].filter(Boolean);
    if (t.equal && notes.length === 0) continue;
    lines.push('', `${t.table}:`);
    for (const n of notes) lines.push(`  note: ${n}`);
    for (const d of t.differences.slice(0, show)) lines.push(`  ${describe(d)}`);
    const more = t.differences.length - show;
    if (more > 0 || t.truncated) lines.push(`  … ${more > 0 ? `${more} more listed in --json` : ''}${more > 0 && t.truncated ? '; ' : ''}${t.truncated ? 'more not listed (raise --max-diffs)' : ''}`);
  }
  const notCompared = r.notCompared.filter((n) => n.sourceRows || n.targetRows);
  if (notCompared.length) {
    lines.push('', 'not compared (they hold rows):');
    for (const n of notCompared) lines.push(`  ${n.table}: ${n.why}`);
  }
  if (r.excluded) lines.push('', `left out on purpose: ${r.excluded}`);
  const stale = r.sequences.filter((s) => !s.ok);
  if (stale.length) {
    lines.push('', 'stale PostgreSQL sequences (the next insert would reuse an id):');
    for (const s of stale) {
      lines.push(`  ${s.table}.${s.column}: next value ${s.nextValue}, largest id ${s.maxId}; fix: SELECT setval('${s.sequence}', ${s.maxId});`);
    }
  }
  lines.push('', summary(r));
  return lines.join('\n');
}

function summary(r: VerifyReport): string {
  if (r.equal) {
    const rows = r.tables.reduce((n, t) => n + (t.sourceRows ?? 0), 0);
    return `EQUAL: ${r.tables.length} tables, ${rows} rows in ${r.seconds}s`;
  }
  if (r.onlyRejected) {
    return `REJECTED ONLY: the target lacks ${r.rejected} rows the migration rejected (listed in ${r.rejectsFile ?? 'its rejects file'}); nothing else differs (${r.seconds}s)`;
  }
  const parts: string[] = [];
  if (r.rejected) parts.push(`${r.rejected} rejected row(s) (listed in ${r.rejectsFile ?? 'the rejects file'})`);
  if (r.differentTables) parts.push(`${r.differentTables} table(s) differ`);
  if (r.staleSequences) parts.push(`${r.staleSequences} stale sequence(s)`);
  return `DIFFERENT: ${parts.join(', ')} (${r.seconds}s)`;
}

function describe(d: RowDiff): string {
  const key = Object.entries(d.key).map(([k, v]) => `${k}=${v}`).join(' ');
  if (d.kind === 'missing') return `missing in target: ${key}`;
  if (d.kind === 'extra') return `extra in target:   ${key}`;
  if (!d.columns?.length) return `changed:           ${key}: the row changed while verify read it (run verify again)`;
  const cols = (d.columns ?? []).map((c) => {
    const v = d.values?.[c];
    return v ? `${c} (${show(v[0])} -> ${show(v[1])})` : c;
  });
  return `changed:           ${key}: ${cols.join(', ')}`;
}

const show = (v: string | null) => (v === null ? 'NULL' : JSON.stringify(v));


/** Datetime columns by how they were compared; the truncated ones by name. */
function datetimeLines(d: Record<string, string>): string[] {
  const by = new Map<string, string[]>();
  for (const [column, how] of Object.entries(d)) by.set(how, [...(by.get(how) ?? []), column]);
  const exact = [...by].filter(([how]) => !how.includes('truncated'));
  const lines = exact.length ? [`datetimes compared exactly: ${exact.map(([how, cols]) => `${cols.length} column(s) at ${how}`).join(', ')}`] : [];
  for (const [how, cols] of by) {
    if (how.includes('truncated')) lines.push(`datetimes compared at ${how.replace(' (source truncated)', '')}, the source's fraction cut (the target cannot hold it): ${cols.join(', ')}`);
  }
  return lines;
}
