/**
 * What the sync case prints: the timed steps with the two ratios the issue aims at (a round against
 * the full migrate, `--final` against a verify), and the rows changed per table and kind, by the
 * simulated Sentry and as each sync round reports them.
 */
import type { Changes } from '../../test/helpers/source-changes.js';
import { fmtInt, fmtRatio, fmtSeconds, textTable } from '../lib.js';
import type { SyncRun } from './invoke.js';

export interface Step {
  label: string;
  seconds: number | null;
  exit: number | null;
  note?: string;
}

export interface SyncCaseResult {
  events: number;
  direction: string;
  migrate: Step;
  verify: Step;
  changes: { label: string; seconds: number; changes: Changes }[];
  round: SyncRun;
  final: SyncRun;
  after: Step & { equal: boolean | null; differentTables: number | null };
}

/** Aims of issue 17. */
export const AIM_ROUND = 0.15;
export const AIM_FINAL = 1.2;

export function figuresTable(r: SyncCaseResult): string {
  const sec = (s: number | null) => (s === null ? '-' : fmtSeconds(s));
  const line = (s: { label: string; seconds: number | null; exit: number | null }, note = '') => [
    s.label, sec(s.seconds), fmtRatio(s.seconds, r.migrate.seconds), fmtRatio(s.seconds, r.verify.seconds), s.exit === null ? '-' : String(s.exit), note,
  ];
  const simulated = r.changes.reduce((a, c) => a + c.seconds, 0);
  const rows = [
    line(r.migrate, r.migrate.note),
    line(r.verify, r.verify.note),
    ['simulated Sentry writes (not timed against)', sec(simulated), '', '', '', r.changes.map((c) => `${c.label} ${fmtSeconds(c.seconds)} s`).join(', ')],
    line(r.round, r.round.unavailable ?? ''),
    line(r.final, r.final.unavailable ?? ''),
    line(r.after, r.after.equal === null ? '' : r.after.equal ? 'target equal to the source' : `${r.after.differentTables ?? '?'} tables differ`),
  ];
  return textTable(['step', 'seconds', 'vs migrate', 'vs verify', 'exit', 'note'], rows);
}

export function aimsLines(r: SyncCaseResult): string[] {
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || !(b > 0) ? null : a / b);
  const round = r.round.unavailable ? null : ratio(r.round.seconds, r.migrate.seconds);
  const final = r.final.unavailable ? null : ratio(r.final.seconds, r.verify.seconds);
  const verdict = (x: number | null, aim: number) => (x === null ? 'no figure' : x <= aim ? 'met' : 'NOT met');
  return [
    `one sync round / migrate: ${round === null ? '-' : round.toFixed(3)} (aim <= ${AIM_ROUND}: ${verdict(round, AIM_ROUND)})`,
    `sync --final (quiet source) / verify: ${final === null ? '-' : final.toFixed(2)} (aim <= ${AIM_FINAL}: ${verdict(final, AIM_FINAL)})`,
    `target equal at the end: ${r.after.equal === null ? 'unknown' : r.after.equal ? 'yes' : 'NO'}`,
  ];
}

/** Per table: rows the simulated Sentry inserted / updated / deleted, and what each sync run reports it changed. */
export function changesTable(r: SyncCaseResult): string {
  const made: Changes = {};
  for (const c of r.changes) {
    for (const [t, v] of Object.entries(c.changes)) {
      const m = (made[t] ??= { inserted: 0, updated: 0, deleted: 0 });
      m.inserted += v.inserted;
      m.updated += v.updated;
      m.deleted += v.deleted;
    }
  }
  const synced = (s: SyncRun, t: string) => {
    if (!s.report) return '-';
    const sum = { inserted: 0, updated: 0, deleted: 0 };
    for (const round of s.report.rounds) for (const k of ['inserted', 'updated', 'deleted'] as const) sum[k] += round.tables?.[t]?.[k] ?? 0;
    return `${fmtInt(sum.inserted)} / ${fmtInt(sum.updated)} / ${fmtInt(sum.deleted)}`;
  };
  const tables = [...new Set([...Object.keys(made), ...[r.round, r.final].flatMap((s) => s.report?.rounds.flatMap((x) => Object.keys(x.tables ?? {})) ?? [])])].sort();
  const rows = tables
    .filter((t) => made[t] ? made[t].inserted + made[t].updated + made[t].deleted > 0 : true)
    .map((t) => {
      const m = made[t] ?? { inserted: 0, updated: 0, deleted: 0 };
      return [t, fmtInt(m.inserted), fmtInt(m.updated), fmtInt(m.deleted), synced(r.round, t), synced(r.final, t)];
    });
  const total = (k: 'inserted' | 'updated' | 'deleted') => fmtInt(Object.values(made).reduce((a, m) => a + m[k], 0));
  rows.push(['total', total('inserted'), total('updated'), total('deleted'), '', '']);
  return textTable(['table', 'inserted', 'updated', 'deleted', 'sync round ins/upd/del', 'sync --final ins/upd/del'], rows);
}
