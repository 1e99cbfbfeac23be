import { type Command, Option } from 'commander';
import type { Settings } from '../../config/settings.js';
import { INT, defaultText } from '../../config/integers.js';
import { EXIT } from '../../errors.js';
import { type Exclusions, parseExclusions } from '../../transfer/exclusions.js';
import type { MigrateOptions, MigrationReport } from '../../transfer/migrate.js';
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

export function exitCodeFor(r: MigrationReport): number {
  if (r.interrupted || !r.complete) return EXIT.runtime;
  if (r.verify && !r.verify.equal && !r.verify.onlyRejected) return EXIT.differences;
  if (r.rejected) return EXIT.rejected;
  return EXIT.ok;
}
