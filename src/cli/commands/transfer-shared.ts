import { type Command, Option } from 'commander';
import type { Settings } from '../../config/settings.js';
import { INT, defaultText } from '../../config/integers.js';
import { EXIT } from '../../errors.js';
import { type Exclusions, parseExclusions } from '../../transfer/exclusions.js';
import type { MigrateOptions, MigrationReport } from '../../transfer/migrate.js';
import { type HintSettings, commandHint } from '../../ui/hints.js';
import { table } from '../../ui/output.js';
import { type RejectSummary, renderRejects } from '../../ui/rejects-summary.js';
import { renderVerify } from '../../ui/verify-render.js';
import type { CommandContext } from '../context.js';

export interface TransferFlags {
  org?: string[];
  project?: string[];
  since?: string;
  events?: boolean; // commander: --no-events sets events=false
  allowSharedRedis?: boolean;
  replaceDefaults?: boolean;
  jobs?: string;
  chunkRows?: string;
  maxStagedMb?: string;
  onReject?: string;
  rejects?: string;
  journalDir?: string;
  importerId?: string;
  verify?: boolean;
  json?: boolean;
  excludeTable?: string[];
  excludeColumn?: string[];
  dryRun?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function scopeOptions(c: Command): Command {
  return c
    .option('--org <slug>', 'only this organization and what it references (repeatable)', collect)
    .option('--project <org/slug>', 'only this project and what it references (repeatable)', collect)
    .option('--since <date>', 'event data (groups, events, tags) newer than DATE only')
    .option('--no-events', 'organizations, teams, projects, members and settings only: no groups, events or tags');
}

export function excludeOptions(c: Command): Command {
  return c
    .option('--exclude-table <table>', 'leave this table out, explicitly (repeatable) [env SENTRY_ADMIN_EXCLUDE]', collect)
    .option('--exclude-column <table.column>', 'leave this column out, explicitly (repeatable) [env SENTRY_ADMIN_EXCLUDE]', collect);
}

/** --exclude-* flags, or else SENTRY_ADMIN_EXCLUDE (flag > environment > .env). */
export function exclusionsFrom(f: { excludeTable?: string[]; excludeColumn?: string[] }, s: Settings): Exclusions {
  const flagged = Boolean(f.excludeTable?.length || f.excludeColumn?.length);
  return parseExclusions(f.excludeTable, f.excludeColumn, flagged ? undefined : s.exclude);
}

export function stagingOptions(c: Command): Command {
  return c
    .option('--allow-shared-redis', "stage even though the Redis database holds Sentry's own keys (not recommended)")
    .option('--chunk-rows <n>', `rows per staged chunk; chunks are also capped at 4 MiB${defaultText(INT.chunkRows)}`)
    .option('--max-staged-mb <n>', `cap on MiB staged in Redis at once; the exporter waits above it${defaultText(INT.maxStagedMb)}`);
}

export function importOptions(c: Command): Command {
  return c
    .option('--replace-defaults', "delete Sentry's default rows in the target (made by `sentry upgrade`) before loading; journaled")
    .option('--jobs <n>', `chunks loaded at once${defaultText(INT.jobs)}`)
    .addOption(new Option('--on-reject <policy>', 'what to do with values the target cannot hold').choices(['file', 'null-zero-dates']).default('file'))
    .option('--rejects <file>', 'where rejected rows are written (default: ./sentry-admin-rejects-<namespace>.jsonl)')
    .option('--journal-dir <dir>', 'where --replace-defaults writes its undo journal [env SENTRY_ADMIN_JOURNAL_DIR] (default: ./journals)')
    .option('--importer-id <id>', 'name of this importer among several (default: host name)');
}

/** The whole-number options of migrate, export and import (parsed with the settings, all problems at once). */
export const TRANSFER_INTEGERS = [INT.jobs, INT.chunkRows, INT.maxStagedMb];

/** Flags → library options. */
export function migrateOptions(mode: MigrateOptions['mode'], s: Settings, f: TransferFlags, ctx: CommandContext): MigrateOptions {
  const maxMb = s.ints['--max-staged-mb'];
  return {
    mode,
    source: s.from,
    target: s.to,
    redis: s.redis,
    namespace: s.namespace,
    scope: { orgs: f.org, projects: f.project, since: f.since, noEvents: f.events === false },
    exclusions: exclusionsFrom(f, s),
    allowSharedRedis: f.allowSharedRedis,
    replaceDefaults: f.replaceDefaults,
    jobs: s.ints['--jobs'],
    chunkRows: s.ints['--chunk-rows'],
    // A multiplication: a shift is 32-bit in JavaScript (4096 << 20 is 0, and the exporter waited forever).
    maxStagedBytes: maxMb === undefined ? undefined : maxMb * 1024 * 1024,
    zeroDatesToNull: f.onReject === 'null-zero-dates',
    rejectsPath: f.rejects,
    journalDir: s.journalDir,
    importerId: f.importerId,
    signal: ctx.signal,
    log: (l) => ctx.out.log(l),
    verify: f.verify !== false,
  };
}

/** The human report of migrate, export and import; `s` (the settings of the run) goes into the hints it prints. */
export function renderReport(r: MigrationReport, s: HintSettings = {}, rejects?: RejectSummary | null): string {
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

export function exitCodeFor(r: MigrationReport): number {
  if (r.interrupted || !r.complete) return EXIT.runtime;
  if (r.verify && !r.verify.equal && !r.verify.onlyRejected) return EXIT.differences;
  if (r.rejected) return EXIT.rejected;
  return EXIT.ok;
}
