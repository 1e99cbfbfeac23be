/** What the migrate benchmark prints: the figures table, row counts against the source, per-table times, the N-list summary. */
import { type RedisMemory, fmtInt, fmtMiB, fmtRate, fmtRatio, fmtSeconds, textTable } from '../lib.js';

export interface LoaderRun {
  name: string;
  seconds: number | null;
  /** Why the loader did not run (missing tool, --only), or why its figure is not comparable. */
  skipped?: string;
  failed?: string;
  peakRssKb: number | null;
  redis?: RedisMemory;
  counts?: Map<string, number>;
  perTable?: Map<string, number>;
  /** \copy only: the time net of starting one psql per table. */
  netSeconds?: number;
  notes: string[];
}

export interface CaseResult {
  events: number;
  tables: string[];
  source: Map<string, number>;
  sourceBytes: number;
  seedSeconds: number | null;
  migrate?: LoaderRun & { report?: MigrateReport };
  pgloader?: LoaderRun;
  copy?: LoaderRun;
}

export interface MigrateReport {
  seconds: number;
  tables: { table: string; read: number; written: number; rejected: number; bytes: number; chunks: number; exportSeconds: number; importSeconds: number }[];
}

export const totalRows = (r: CaseResult): number => [...r.source.values()].reduce((a, b) => a + b, 0);

function seconds(l: LoaderRun | undefined): number | null {
  return l && !l.skipped && !l.failed ? l.seconds : null;
}

export function figuresTable(r: CaseResult): string {
  const rows = totalRows(r);
  const copyS = seconds(r.copy);
  const copyNet = copyS === null ? null : r.copy!.netSeconds ?? null;
  const pglS = seconds(r.pgloader);
  const line = (label: string, l: LoaderRun | undefined) => {
    if (!l) return null;
    if (l.skipped || l.failed) return [label, (l.skipped ? `skipped: ${l.skipped}` : `FAILED: ${l.failed}`).slice(0, 70), '', '', '', '', '', '', ''];
    const s = l.seconds!;
    return [
      label, fmtSeconds(s), fmtRate(rows, s), fmtRatio(s, copyS), fmtRatio(s, copyNet), fmtRatio(s, pglS), l.peakRssKb === null ? '-' : fmtMiB(l.peakRssKb * 1024),
      l.redis ? `${fmtMiB(l.redis.peak)} (+${fmtMiB(l.redis.peak - l.redis.baseline)})` : '-',
      l.redis ? fmtMiB(l.redis.peakCounter) : '-',
    ];
  };
  const body = [line('sentry-admin migrate', r.migrate), line(r.pgloader?.name ?? 'pgloader', r.pgloader), line('psql \\copy (raw limit)', r.copy)].filter(Boolean) as string[][];
  return textTable(['loader', 'seconds', 'rows/s', 'vs \\copy', 'vs \\copy net', 'vs pgloader', 'peak RSS', 'Redis used_memory peak (+over baseline)', 'staged peak'], body);
}

/** Row counts after each load against the source; mismatches are marked, never asserted. */
export function countsTable(r: CaseResult): { text: string; verdicts: string[] } {
  const loaders = [['migrate', r.migrate], ['pgloader', r.pgloader], ['\\copy', r.copy]].filter(([, l]) => l && (l as LoaderRun).counts) as [string, LoaderRun][];
  const rows = r.tables.map((t) => {
    const src = r.source.get(t) ?? 0;
    return [t, fmtInt(src), ...loaders.map(([, l]) => {
      const n = l.counts!.get(t);
      return n === undefined || Number.isNaN(n) ? '?' : n === src ? fmtInt(n) : `${fmtInt(n)} ≠`;
    })];
  });
  const verdicts = loaders.map(([name, l]) => {
    const bad = r.tables.filter((t) => l.counts!.get(t) !== (r.source.get(t) ?? 0));
    const loaded = r.tables.reduce((a, t) => a + (l.counts!.get(t) || 0), 0);
    return bad.length
      ? `${name}: ${bad.length} of ${r.tables.length} tables differ from the source (${bad.slice(0, 6).join(', ')}${bad.length > 6 ? ', …' : ''}); ${fmtInt(loaded)} of ${fmtInt(totalRows(r))} rows`
      : `${name}: all ${r.tables.length} tables match the source (${fmtInt(loaded)} rows)`;
  });
  return { text: textTable(['table', 'source', ...loaders.map(([n]) => n)], rows), verdicts };
}

/**
 * Where the time goes, for the tables holding at least 1% of the rows: `\copy` per table
 * (one psql each) against migrate's own per-table figures (export: reading the table and staging
 * it; import: chunk seconds summed over the parallel importers).
 */
export function perTableTable(r: CaseResult): string {
  const rows = totalRows(r);
  const rep = new Map((r.migrate?.report?.tables ?? []).map((t) => [t.table, t]));
  const big = r.tables.filter((t) => (r.source.get(t) ?? 0) >= rows * 0.01);
  const small = r.tables.filter((t) => !big.includes(t));
  const sum = (ts: string[], f: (t: string) => number | undefined) => ts.reduce((a, t) => a + (f(t) ?? 0), 0);
  const line = (label: string, ts: string[]) => [
    label, fmtInt(sum(ts, (t) => r.source.get(t))),
    r.copy?.perTable ? fmtSeconds(sum(ts, (t) => r.copy!.perTable!.get(t))) : '-',
    rep.size ? fmtSeconds(sum(ts, (t) => rep.get(t)?.exportSeconds)) : '-',
    rep.size ? fmtSeconds(sum(ts, (t) => rep.get(t)?.importSeconds)) : '-',
    rep.size ? fmtMiB(sum(ts, (t) => rep.get(t)?.bytes)) : '-',
  ];
  const body = big.map((t) => line(t, [t]));
  if (small.length) body.push(line(`${small.length} smaller tables`, small));
  return textTable(['table', 'rows', '\\copy s', 'migrate export s', 'migrate import s (sum)', 'staged'], body);
}

/** One line per N, to show whether Redis memory and RSS stay flat as the data grows. */
export function summaryTable(results: CaseResult[]): string {
  return textTable(
    ['events', 'rows', 'migrate s', 'rows/s', 'vs \\copy', 'vs \\copy net', 'vs pgloader', 'peak RSS', 'Redis peak over baseline', 'staged peak'],
    results.map((r) => {
      const m = r.migrate;
      const s = seconds(m);
      return [
        fmtInt(r.events), fmtInt(totalRows(r)), s === null ? '-' : fmtSeconds(s), s === null ? '-' : fmtRate(totalRows(r), s),
        fmtRatio(s, seconds(r.copy)), fmtRatio(s, seconds(r.copy) === null ? null : r.copy!.netSeconds), fmtRatio(s, seconds(r.pgloader)), m?.peakRssKb ? fmtMiB(m.peakRssKb * 1024) : '-',
        m?.redis ? fmtMiB(m.redis.peak - m.redis.baseline) : '-', m?.redis ? fmtMiB(m.redis.peakCounter) : '-',
      ];
    }),
  );
}
