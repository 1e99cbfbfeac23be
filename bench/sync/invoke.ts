/**
 * The one place the sync benchmark calls `sentry-admin sync`: the built binary, as a user runs it,
 * timed from spawn to exit, its `--json` document parsed. Until the command exists the binary
 * refuses it; the run then says "not available" and the rest of the case goes on. `--sync-stub`
 * replaces the call by a stand-in that changes nothing (to work on the case itself): the final
 * verify then shows the differences the source changes left.
 */
import { fmtSeconds, runProcess } from '../lib.js';
import { BIN, ROOT } from '../migrate/databases.js';

/** `sentry-admin sync --json` (docs/cli.md): one document. */
export interface SyncReport {
  rounds: { round: number; seconds: number; compareSeconds: number; applySeconds: number; segmentsCompared?: number; changed: number; tables: Record<string, { inserted: number; updated: number; deleted: number }> }[];
  final: boolean;
  verify?: { equal?: boolean; differentTables?: number; seconds?: number } | null;
  exit: number;
}

export interface SyncRun {
  label: string;
  seconds: number | null;
  exit: number | null;
  report: SyncReport | null;
  /** Why there are no figures (the command is missing, stubbed, or failed). */
  unavailable?: string;
  stderrTail: string;
}

export interface SyncCall {
  from: string;
  to: string;
  redis: string;
  namespace: string;
  /** `--rounds 1`, `--final`, …; `--json` is added. */
  args: string[];
  stub: boolean;
}

/** The environment of a timed child: the caller's SENTRY_ADMIN_* settings must not leak into it. */
export const CLEAN_ENV = { SENTRY_ADMIN_FROM: undefined, SENTRY_ADMIN_TO: undefined, SENTRY_ADMIN_REDIS: undefined, SENTRY_ADMIN_NAMESPACE: undefined };

export async function runSync(label: string, c: SyncCall): Promise<SyncRun> {
  if (c.stub) return { label, seconds: null, exit: null, report: null, unavailable: 'stubbed (--sync-stub): nothing was synced', stderrTail: '' };
  const r = await runProcess(process.execPath, [BIN, 'sync', '--from', c.from, '--to', c.to, '--redis', c.redis, '--namespace', c.namespace, '--json', ...c.args], {
    cwd: ROOT, env: CLEAN_ENV,
  });
  const stderrTail = r.stderr.trim().split('\n').filter((l) => !l.startsWith('{')).slice(-3).join(' / ');
  let report: SyncReport | null = null;
  try {
    const doc = JSON.parse(r.stdout);
    if (Array.isArray(doc?.rounds)) report = doc as SyncReport;
  } catch {
    /* no document: failed early, or no such command */
  }
  if (!report && /unknown command '?sync/i.test(r.stderr + r.stdout)) {
    return { label, seconds: null, exit: r.code, report: null, unavailable: `this build has no \`sync\` command (exit ${r.code})`, stderrTail };
  }
  return { label, seconds: r.seconds, exit: r.code, report, unavailable: report ? undefined : `exit ${r.code} without a report: ${stderrTail}`, stderrTail };
}

export function describeRun(s: SyncRun): string {
  if (s.unavailable) return `${s.label}: ${s.unavailable}`;
  const rounds = s.report?.rounds ?? [];
  const changed = rounds.reduce((a, r) => a + r.changed, 0);
  const parts = rounds.map((r) => `compare ${fmtSeconds(r.compareSeconds)} s + apply ${fmtSeconds(r.applySeconds)} s`).join('; ');
  return `${s.label}: exit ${s.exit}, ${rounds.length} round(s) (${parts}), ${changed} rows changed, ${fmtSeconds(s.seconds!)} s` +
    (s.report?.verify ? `, its verify: ${s.report.verify.equal ? 'equal' : `${s.report.verify.differentTables ?? '?'} tables differ`}` : '');
}
