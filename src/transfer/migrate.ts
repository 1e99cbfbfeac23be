import type { Redis } from 'ioredis';
import type { RedisUrl } from '../config/redis-url.js';
import { type Connection, connect, openSnapshotReader } from '../db/connect.js';
import { type SchemaInfo, introspect } from '../db/introspect.js';
import type { DbUrl } from '../db/url.js';
import { UsageError } from '../errors.js';
import { journalDir } from '../journal/journal.js';
import { openRedis } from '../redis/client.js';
import { refuseEvictingRedis } from '../redis/eviction.js';
import { detectSentryKeys } from '../redis/sentry-keys.js';
import type { Progress } from '../ui/progress.js';
import { type SnapshotRecord, exportTables } from './export.js';
import { type ImportStats, importChunks, importStarted, tableStatus } from './import.js';
import { type Exclusions, NO_EXCLUSIONS, describeExclusions } from './exclusions.js';
import { type MigrationPlan, type PlannedTable, planMigration } from './plan.js';
import { RejectsFile } from './rejects.js';
import { type Scope, type ScopeOptions, resolveScope } from './scope.js';
import { restageLost } from './restage.js';
import { sleep } from '../util/sleep.js';
import { type RunIdentity, Staging } from './staging.js';
import { type VerifyReport, Verifier } from './verify.js';
import { inspectTarget, refuseNonEmpty, replaceDefaults } from './target-check.js';

export interface MigrateOptions {
  mode: 'migrate' | 'export' | 'import';
  source?: DbUrl;
  target?: DbUrl;
  redis: RedisUrl;
  namespace: string;
  scope: ScopeOptions;
  /** Tables and columns left out on purpose (--exclude-table / --exclude-column). */
  exclusions?: Exclusions;
  allowSharedRedis?: boolean;
  replaceDefaults?: boolean;
  jobs?: number;
  chunkRows?: number;
  chunkBytes?: number;
  maxStagedBytes?: number;
  zeroDatesToNull?: boolean;
  rejectsPath?: string;
  journalDir?: string;
  importerId?: string;
  reclaimIdleMs?: number;
  signal: AbortSignal;
  progress?: Progress;
  log?: (line: string) => void;
  /** migrate only: compare source and target when the copy is complete (default true). */
  verify?: boolean;
}

export interface TableReport {
  table: string;
  read: number;
  written: number;
  rejected: number;
  bytes: number;
  chunks: number;
  exportSeconds: number;
  importSeconds: number;
}

export interface MigrationReport {
  mode: MigrateOptions['mode'];
  namespace: string;
  source: string | null;
  target: string | null;
  scope: string;
  resumed: boolean;
  complete: boolean;
  interrupted: boolean;
  snapshot: string | null;
  /** The snapshots the export read from, oldest first: one, unless it resumed on a source that may have changed. */
  snapshots: SnapshotRecord[];
  /** Tables read again on that resume, to be consistent with the newer snapshot. */
  reread: string[];
  seconds: number;
  tables: TableReport[];
  rejected: number;
  rejectsFile: string | null;
  notes: Record<string, number>;
  /** Chunks whose foreign keys were checked set-based (triggers off, one anti-join per key) or per row (src/db/bulk.ts). */
  foreignKeyChecks: ImportStats['foreignKeyChecks'];
  warnings: string[];
  /** Source tables not carried, with the reason, and whether they hold rows. */
  notCarried: MigrationPlan['notCarried'];
  /** Source columns the target lacks that hold no value in scope (nothing of them is lost). */
  emptyColumnsLeft: string[];
  replacedDefaults: { journal: string; rows: number } | null;
  /** PostgreSQL target: every id sequence moved past its table's largest id. */
  sequencesSynced: boolean;
  /** Tables the comparison finished while the load was still going on. */
  verifiedWhileLoading: number;
  /** The comparison `migrate` runs at its end (null when skipped or not complete). */
  verify: VerifyReport | null;
}

/**
 * export, import, or both at once (migrate), staged through the Redis namespace. Every refusal
 * happens before the first write. Running the same command again resumes from the checkpoints.
 */
export async function runMigration(o: MigrateOptions): Promise<MigrationReport> {
  const started = Date.now();
  const redis = await openRedis(o.redis, { name: `sentry-admin-${o.mode}` });
  const run = new MigrationRun(o, redis);
  try {
    await refuseStagingRedis(redis, o);
    const report = await run.open();
    const decided = await run.decide();
    await run.checkTarget(decided.plan);
    const loaded = await run.load(decided);
    await run.finish(decided.plan, loaded);
    report.seconds = (Date.now() - started) / 1000;
    return report;
  } finally {
    await run.close();
    redis.disconnect();
  }
}

/** What a run carries, decided before anything is written. */
interface Decision {
  plan: PlannedTable[];
  scope: Scope | null;
  identity: RunIdentity;
}

/** The load's leftovers that the finish needs: the rejects file and migrate's verifier. */
interface Loaded {
  rejects: RejectsFile;
  verifier: Verifier | null;
}

/** One export, import or migrate, in its phases: open, decide (no writes), check the target, load, finish. */
class MigrationRun {
  readonly staging: Staging;
  private readonly log: (line: string) => void;
  private readonly exclusions: Exclusions;
  private source?: Connection;
  private target?: Connection;
  private sourceSchema?: SchemaInfo;
  private targetSchema?: SchemaInfo;
  private existing: Awaited<ReturnType<Staging['identity']>> = null;
  private report!: MigrationReport;

  constructor(
    private readonly o: MigrateOptions,
    private readonly redis: Redis,
  ) {
    this.staging = new Staging(redis, o.namespace);
    this.log = o.log ?? (() => undefined);
    this.exclusions = o.exclusions ?? NO_EXCLUSIONS;
  }

  /** Connect to the databases the mode needs, read their schemas and the namespace's run, if any. */
  async open(): Promise<MigrationReport> {
    const { o } = this;
    this.source = o.source ? await connect(o.source, { poolSize: 2 }) : undefined;
    this.target = o.target ? await connect(o.target, { poolSize: 2 }) : undefined;
    [this.sourceSchema, this.targetSchema] = await Promise.all([this.source && introspect(this.source), this.target && introspect(this.target)]);
    this.existing = await this.staging.identity();
    this.report = emptyReport(o, this.source, this.target);
    return this.report;
  }

  async close(): Promise<void> {
    await this.source?.close();
    await this.target?.close();
  }

  /** What is carried (an import: what the namespace staged), and the run's identity; refuses before any write. */
  async decide(): Promise<Decision> {
    const { o, staging, report, existing, source } = this;
    let plan: PlannedTable[];
    let scopeText: string;
    const scope = source ? await resolveScope(source.db, o.scope) : null;
    if (o.mode === 'import') {
      if (!existing) throw new UsageError(`namespace "${o.namespace}" holds no staged run`, 'run `sentry-admin export` first, or check --namespace / --redis');
      plan = await staging.tables();
      scopeText = existing.scope;
      checkImportColumns(plan, this.targetSchema!);
    } else {
      const p = await planMigration(source!, this.sourceSchema!, this.targetSchema ?? null, scope!, this.exclusions);
      plan = p.tables;
      report.warnings.push(...p.warnings);
      report.notCarried = p.notCarried;
      report.emptyColumnsLeft = p.emptyColumnsLeft;
      // The exclusions are part of what the run is: a rerun with other ones is another run.
      scopeText = [scope!.description, describeExclusions(this.exclusions)].filter(Boolean).join(', ');
    }
    report.scope = scopeText;
    const identity = { source: source?.url.masked ?? existing?.source ?? '', target: this.target?.url.masked ?? '', scope: scopeText };
    if (existing) {
      staging.checkIdentity(existing, identity); // a namespace bound to another run: refuse before writing
      report.resumed = o.mode !== 'import' || (await importStarted(staging, plan.map((t) => t.table)));
    }
    return { plan, scope, identity };
  }

  /**
   * Checked once per run, under a lock: a resumed run, or a second importer joining, finds this run's own rows in
   * the target and must not take them for someone else's data.
   */
  async checkTarget(plan: PlannedTable[]): Promise<void> {
    const { o, staging, redis, target, report } = this;
    if (!target) return;
    const releaseCheck = await staging.lock('target-check', { what: 'a target check', waitMs: 120_000 });
    try {
      if ((await redis.hget(staging.key('meta'), 'target_checked')) !== target.url.masked) {
        const state = await inspectTarget(target, plan.map((t) => t.table));
        if (state.nonEmpty.length) {
          if (!(state.defaults && o.replaceDefaults)) refuseNonEmpty(state, target.url.masked);
          report.replacedDefaults = await replaceDefaults(target, state.defaults, journalDir(o.journalDir));
          this.log(`deleted ${report.replacedDefaults.rows} default rows (journal ${report.replacedDefaults.journal})`);
        }
        await redis.hset(staging.key('meta'), 'target_checked', target.url.masked);
      }
    } finally {
      await releaseCheck.release();
    }
  }

  /** Export and/or import side by side, with migrate's verifier comparing each table once complete; the first failure stops all. */
  async load({ plan, scope, identity }: Decision): Promise<Loaded> {
    const { o, staging, report } = this;
    await staging.claim(identity);
    if (o.mode !== 'import' && !this.existing) await staging.setTables(plan);
    for (const t of plan) o.progress?.add(t.table, t.rows);
    if (this.existing) for (const t of plan) o.progress?.resumeFrom?.(t.table, await staging.progress(t.table));
    const inner = new AbortController();
    const stop = () => inner.abort();
    o.signal.addEventListener('abort', stop, { once: true });
    const rejects = new RejectsFile(o.rejectsPath ?? `sentry-admin-rejects-${o.namespace}.jsonl`);
    const tasks: Promise<unknown>[] = [];
    // migrate's proof runs beside the load: each table is compared as soon as it is complete.
    const verifier = o.mode === 'migrate' && o.verify !== false
      ? await Verifier.open(this.source!, this.target!, scope!, { signal: inner.signal, exclusions: this.exclusions, rejectsFile: rejects.path })
      : null;
    let loading = true;
    // A table counts as final only once the exporter has made the staged data consistent with its
    // snapshot: a resume may reopen a table that an earlier run completed.
    let consistent = () => undefined as void;
    const exportConsistent = o.mode === 'migrate' ? new Promise<void>((resolve) => (consistent = resolve)) : Promise.resolve();
    if (o.mode !== 'import') tasks.push(this.runExport(plan, scope!, inner, consistent).finally(() => consistent()));
    if (o.mode !== 'export') {
      tasks.push(this.runImport(rejects, inner, () => {
        loading = false;
        consistent(); // nothing left to wait for, whatever became of the export
      }));
    }
    if (verifier?.comparesEarly) {
      tasks.push(exportConsistent.then(() => verifyWhileLoading(verifier, staging, plan, () => loading, inner.signal)).then((n) => (report.verifiedWhileLoading = n)));
    }
    const results = await Promise.allSettled(tasks);
    o.signal.removeEventListener('abort', stop);
    o.progress?.stop();
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) throw failed.reason;
    return { rejects, verifier };
  }

  /** The exporter: under its lease, from one snapshot, first rebuilding chunks whose payload was lost. */
  private async runExport(plan: PlannedTable[], scope: Scope, inner: AbortController, consistent: () => void): Promise<void> {
    const { o, staging, report } = this;
    const source = this.source!;
    const lease = await staging.lock('exporter', { what: 'an export' });
    const reader = await openSnapshotReader(source.url);
    try {
      await restageLost(source.db, reader, staging, scope, plan);
      const r = await exportTables(source.db, reader, staging, scope, plan, {
        chunkRows: o.chunkRows ?? 5000,
        chunkBytes: o.chunkBytes ?? 4 << 20,
        maxStagedBytes: o.maxStagedBytes ?? 256 << 20,
        signal: AbortSignal.any([inner.signal, lease.lost]),
        onChunk: o.mode === 'export' ? (t, n) => o.progress?.tick(t, n) : undefined,
        onConsistent: consistent,
        onTableDone: o.mode === 'export' ? (t) => o.progress?.finish?.(t) : undefined,
      });
      report.snapshot = r.snapshot;
      report.snapshots = r.snapshots;
      report.reread = r.reread;
      lease.throwIfLost();
      if (r.interrupted) report.interrupted = true;
    } catch (err) {
      inner.abort();
      throw err;
    } finally {
      await reader.close();
      await lease.release();
    }
  }

  /** The importer's workers; `done` when they have stopped, whatever became of them. */
  private async runImport(rejects: RejectsFile, inner: AbortController, done: () => void): Promise<void> {
    const { o, staging, report } = this;
    try {
      const s = await importChunks(this.target!.url, this.targetSchema!, staging, {
        jobs: o.jobs ?? 3,
        importerId: o.importerId,
        policy: { zeroDatesToNull: Boolean(o.zeroDatesToNull) },
        rejects,
        signal: inner.signal,
        reclaimIdleMs: o.reclaimIdleMs ?? 60_000,
        onChunk: (t, n, bytes) => o.progress?.tick(t, n, bytes),
      });
      Object.assign(report.notes, s.notes);
      report.foreignKeyChecks = s.foreignKeyChecks;
      if (s.exportMissing) report.warnings.push('the export is not complete and no exporter is running: run `sentry-admin export` (or migrate) again with the same flags, then import');
      if (s.interrupted) report.interrupted = true;
    } catch (err) {
      inner.abort();
      throw err;
    } finally {
      done();
    }
  }

  /** Complete or not; a complete run's id sequences moved and its state set; per-table counts; migrate's verify. */
  async finish(plan: PlannedTable[], { rejects, verifier }: Loaded): Promise<void> {
    const { o, staging, report, target } = this;
    const status = await tableStatus(staging, plan.map((t) => t.table));
    report.complete = o.mode === 'export' ? [...status.values()].every((s) => s.exportDone) : [...status.values()].every((s) => s.complete);
    if (report.complete && target) {
      for (const t of plan) {
        if (t.intPk) await target.adapter.syncIdSequence(target.db, t.table, t.pk);
      }
      report.sequencesSynced = target.adapter.idSequences;
      await staging.setState(o.mode === 'export' ? 'exported' : 'done');
    }
    for (const t of plan) report.tables.push(await tableReport(staging, t.table));
    report.rejected = report.tables.reduce((a, t) => a + t.rejected, 0);
    // Every importer of the run writes its own file (this one: rejects.path); the keys are in Redis too.
    report.rejectsFile = report.rejected ? rejects.path : null;
    if (report.complete && verifier && !o.signal.aborted) {
      this.log('verifying: comparing the tables not compared during the load, and the sequences');
      for (const t of report.tables) if (t.rejected) void verifier.table(t.table, await staging.rejectedKeys(t.table));
      report.verify = await staging.during('verifier', () => verifier.finish());
    }
  }
}

/** The staging Redis must be a database of its own that never evicts staged keys (exit 2 otherwise); dry runs check it too. */
export async function refuseStagingRedis(redis: Redis, o: Pick<MigrateOptions, 'redis' | 'allowSharedRedis'>): Promise<void> {
  await refuseSharedRedis(redis, o);
  await refuseEvictingRedis(redis, o.redis);
}

async function refuseSharedRedis(redis: Redis, o: Pick<MigrateOptions, 'redis' | 'allowSharedRedis'>): Promise<void> {
  if (o.allowSharedRedis) return;
  const found = await detectSentryKeys(redis);
  if (found.sentryKeysFound) {
    throw new UsageError(
      `the staging Redis ${o.redis.masked} also holds Sentry's own keys (${found.examples.slice(0, 4).join(', ')}); nothing was written`,
      'stage in another Redis database (e.g. --redis redis://host:6379/9) so a migration cannot stall production, or pass --allow-shared-redis',
    );
  }
}

/**
 * Hand the verifier each table as it becomes complete (every chunk loaded: its rows and its rejected
 * keys are final), one at a time, while the import goes on. A failure surfaces in `finish()`.
 */
async function verifyWhileLoading(v: Verifier, staging: Staging, plan: PlannedTable[], loading: () => boolean, signal: AbortSignal): Promise<number> {
  const done = new Set<string>();
  let finished = 0;
  while (loading() && !signal.aborted) {
    const status = await tableStatus(staging, plan.map((t) => t.table));
    for (const t of plan) {
      if (done.has(t.table) || !status.get(t.table)?.complete || !loading()) continue;
      done.add(t.table);
      await v.table(t.table, await staging.rejectedKeys(t.table))?.catch(() => undefined);
      if (loading()) finished++;
    }
    await sleep(250, signal);
  }
  return finished;
}

function checkImportColumns(plan: PlannedTable[], target: SchemaInfo): void {
  const problems: string[] = [];
  for (const t of plan) {
    const cols = target.columns.get(t.table);
    if (!cols) {
      if (t.rows > 0) problems.push(`the target has no table ${t.table}`);
      continue;
    }
    const staged = new Set(t.columns);
    // An export made without the target stages every source column: one the target lacks would be dropped.
    const names = new Set(cols.map((c) => c.name));
    for (const c of t.columns) if (!names.has(c)) problems.push(`the target has no column ${t.table}.${c}, which the export staged`);
    for (const c of cols) if (!staged.has(c.name) && !c.nullable && c.defaultValue === null && !c.autoIncrement) problems.push(`${t.table}.${c.name} is NOT NULL on the target and was not exported`);
  }
  if (problems.length) {
    throw new UsageError(
      `cannot import; nothing was written:\n  - ${problems.join('\n  - ')}`,
      'bring the target schema to the source\'s, or export again with --exclude-column TABLE.COLUMN (in a new namespace, or after `discard`)',
    );
  }
}

async function tableReport(staging: Staging, table: string): Promise<TableReport> {
  const p = await staging.progress(table);
  const n = (k: string) => Number(p[k] ?? 0);
  return {
    table, read: n('exported_rows'), written: n('imported_rows'), rejected: n('rejected'), bytes: n('exported_bytes'),
    chunks: n('exported_chunks'), exportSeconds: n('export_seconds'), importSeconds: n('import_seconds'),
  };
}

function emptyReport(o: MigrateOptions, source?: Connection, target?: Connection): MigrationReport {
  return {
    mode: o.mode, namespace: o.namespace, source: source?.url.masked ?? null, target: target?.url.masked ?? null, scope: '',
    resumed: false, complete: false, interrupted: false, snapshot: null, snapshots: [], reread: [], seconds: 0, tables: [], rejected: 0, rejectsFile: null,
    notes: {}, foreignKeyChecks: {}, warnings: [], notCarried: [], emptyColumnsLeft: [], replacedDefaults: null, sequencesSynced: false, verify: null, verifiedWhileLoading: 0,
  };
}
