import { type Command, Option } from 'commander';
import type { Settings } from '../../config/settings.js';
import { EXIT, UsageError } from '../../errors.js';
import { type Exclusions, parseExclusions } from '../../transfer/exclusions.js';
import type { MigrateOptions, MigrationReport } from '../../transfer/migrate.js';
import { table } from '../../ui/output.js';
import { renderVerify } from '../../transfer/verify-render.js';
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
    .option('--chunk-rows <n>', 'rows per staged chunk (default 5000; chunks are also capped at 4 MiB)')
    .option('--max-staged-mb <n>', 'cap on bytes staged in Redis at once; the exporter waits above it (default 256)');
}

export function importOptions(c: Command): Command {
  return c
    .option('--replace-defaults', "delete Sentry's default rows in the target (made by `sentry upgrade`) before loading; journaled")
    .option('--jobs <n>', 'chunks loaded at once (default 3)')
    .addOption(new Option('--on-reject <policy>', 'what to do with values the target cannot hold').choices(['file', 'null-zero-dates']).default('file'))
    .option('--rejects <file>', 'where rejected rows are written (default ./sentry-admin-rejects-<namespace>.jsonl)')
    .option('--journal-dir <dir>', 'where --replace-defaults writes its undo journal (default ./journals)')
    .option('--importer-id <id>', 'name of this importer among several (default: host name)');
}

function positiveInt(v: string | undefined, flag: string, problems: string[]): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) problems.push(`${flag} "${v}" must be a positive whole number`);
  return n;
}

/** Flags → library options; every bad number reported together. */
export function migrateOptions(mode: MigrateOptions['mode'], s: Settings, f: TransferFlags, ctx: CommandContext): MigrateOptions {
  const problems: string[] = [];
  const jobs = positiveInt(f.jobs, '--jobs', problems);
  const chunkRows = positiveInt(f.chunkRows, '--chunk-rows', problems);
  const maxMb = positiveInt(f.maxStagedMb, '--max-staged-mb', problems);
  if (problems.length) throw new UsageError(problems.join('\n  '));
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
    jobs,
    chunkRows,
    maxStagedBytes: maxMb ? maxMb * 1024 * 1024 : undefined,
    zeroDatesToNull: f.onReject === 'null-zero-dates',
    rejectsPath: f.rejects,
    journalDir: f.journalDir,
    importerId: f.importerId,
    signal: ctx.signal,
    log: (l) => ctx.out.log(l),
    verify: f.verify !== false,
  };
}

export function renderReport(r: MigrationReport): string {
  const mb = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} kB`);
  const rows = r.tables.map((t) => [t.table, t.read, t.written, t.rejected, mb(t.bytes), Number((t.exportSeconds + t.importSeconds).toFixed(1))] as (string | number)[]);
  const sum = (k: 'read' | 'written' | 'rejected' | 'bytes') => r.tables.reduce((a, t) => a + t[k], 0);
  rows.push(['total', sum('read'), sum('written'), sum('rejected'), mb(sum('bytes')), Number(r.seconds.toFixed(1))]);
  const lines = [
    `${r.mode} ${r.source ?? '(staged)'} -> ${r.target ?? `redis namespace ${r.namespace}`} (${r.scope})${r.resumed ? ', resumed' : ''}`,
  ];
  if (r.snapshot && r.snapshots.length > 1) {
    lines.push(`source read from ${r.snapshots.length} snapshots (${r.snapshot}), taken ${r.snapshots.map((x) => x.at).join(', ')}: the export resumed after the source may have changed`);
    if (r.reread.length) lines.push(`  read again to match the newest snapshot: ${r.reread.join(', ')}; rows changed in place in between keep their older values until a verify or catch-up`);
  } else if (r.snapshot) lines.push(`source read from one consistent snapshot: ${r.snapshot}`);
  if (r.replacedDefaults) lines.push(`replaced Sentry's default rows (${r.replacedDefaults.rows}); undo journal ${r.replacedDefaults.journal}`);
  lines.push('', table(['table', 'read', 'written', 'rejected', 'bytes', 'seconds'], rows), '');
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const skipped = r.notCarried.filter((n) => n.holdsRows);
  if (skipped.length) {
    lines.push('not carried (these source tables hold rows):');
    for (const n of skipped) lines.push(`  ${n.table}: ${n.why}`);
  }
  if (r.emptyColumnsLeft.length) lines.push(`note: the target has no column ${r.emptyColumnsLeft.join(', ')}; the source holds no value in them`);
  if (r.notes['fraction-dropped']) lines.push(`note: ${r.notes['fraction-dropped']} datetimes had fractional seconds dropped (MySQL datetime holds whole seconds, as Sentry writes them there)`);
  if (r.notes['zero-date-null']) lines.push(`note: ${r.notes['zero-date-null']} MySQL zero dates stored as NULL (--on-reject null-zero-dates)`);
  if (r.rejected) lines.push(`${r.rejected} rows rejected; see ${r.rejectsFile}`);
  if (r.interrupted) lines.push('interrupted: run the same command again to resume from the last checkpoint');
  else if (!r.complete && r.mode === 'import') lines.push('not complete: the export is still running or was interrupted; run import again');
  else if (r.complete) lines.push(r.mode === 'export' ? `staged; load it with \`sentry-admin import --namespace ${r.namespace} --to URL\`` : 'complete');
  if (r.verify) lines.push('', renderVerify(r.verify));
  else if (r.complete && r.mode === 'migrate') lines.push('not verified (--no-verify); run `sentry-admin verify` with the same flags');
  return lines.join('\n');
}

export function exitCodeFor(r: MigrationReport): number {
  if (r.interrupted || !r.complete) return EXIT.runtime;
  if (r.verify && !r.verify.equal && !r.verify.onlyRejected) return EXIT.differences;
  if (r.rejected) return EXIT.rejected;
  return EXIT.ok;
}
