/**
 * `sync`: catch a target up with a live source, round after round, then cut over (`--final`).
 *
 * A round reads the source from one consistent snapshot (never written, never locked), compares every
 * carried table by segment hashes (verify's machinery: only differing segments are cut down and listed) of
 * its columns but the long ones (sync-columns.ts: a row differing only there waits for `--final`, which
 * compares every column), and brings exactly the differing rows over, whole (sync-apply.ts): inserts and updates
 * parents' tables first, deletes children's tables first, in bounded batches of one transaction each.
 * Killed at any moment, a round leaves committed batches behind, each of them rows of one snapshot, and
 * the next run simply compares again: nothing is remembered between rounds but the report and the
 * rejected keys, so there is nothing to resume wrongly.
 *
 * `--final` is the cutover: it refuses (exit 2, nothing written) while Sentry's Redis buffer holds
 * pending counters or while the source takes writes (its write counters move during the round's
 * comparison, which lasts at least `quietSeconds`); then it applies the last round, moves the target's
 * sequences past its ids and ends with a verify of every table (the tables the last round found equal
 * and left untouched count with that comparison; every table it wrote to is compared again).
 */
import type { RedisUrl } from '../config/redis-url.js';
import type { BulkSession } from '../db/bulk.js';
import { type Connection, connect, openBulkSession, openSnapshotSession } from '../db/connect.js';
import { type SchemaInfo, introspect } from '../db/introspect.js';
import type { SnapshotSession } from '../db/snapshot.js';
import type { DbUrl } from '../db/url.js';
import { EXIT, LockedError, RuntimeFailure, UsageError } from '../errors.js';
import { openRedis } from '../redis/client.js';
import { commandHint } from '../ui/hints.js';
import { type Exclusions, NO_EXCLUSIONS, describeExclusions } from './exclusions.js';
import { refuseStagingRedis } from './migrate.js';
import { type PlannedTable, planMigration } from './plan.js';
import { RejectsFile } from './rejects.js';
import { targetColumn } from './row-codec.js';
import { type Scope, type ScopeOptions, resolveScope, selectsByReference } from './scope.js';
import { Staging } from './staging.js';
import { sleep } from '../util/sleep.js';
import { SyncApplier, type SyncTable, type TableChanges, noChanges } from './sync-apply.js';
import { type TableReport as VerifyTableReport, type VerifyReport, Verifier, mapLimit } from './verify.js';
import { pendingBufferKeys } from './sync-buffer.js';
import { withoutLongColumns } from './sync-columns.js';

export interface SyncOptions {
  source: DbUrl;
  target: DbUrl;
  redis: RedisUrl;
  namespace: string;
  scope: ScopeOptions;
  exclusions?: Exclusions;
  /** Rounds to run before stopping (before the final one with `final`). Default 1, or 20 with `untilChangedBelow`; 0 with `final` alone. */
  rounds?: number;
  /** Stop once a round changes fewer rows than this. */
  untilChangedBelow?: number;
  final?: boolean;
  /** Compare only; write nothing (on every column, as `final` does). */
  dryRun?: boolean;
  /** Rounds before the final one compare every column too, not only the short ones (sync-columns.ts). */
  compareAll?: boolean;
  /** Delete target rows the source does not have even though this namespace never migrated into the target. */
  allowDeletes?: boolean;
  /** Sentry's own Redis (its buffer `b:p`): `final` refuses while it holds pending counters. */
  sentryRedis?: RedisUrl[];
  /** How long the source must take no writes before `final` cuts over (default 5 s). */
  quietSeconds?: number;
  /** Keys per target transaction (default 2000). */
  batchRows?: number;
  /** Differences a pass lists per table before applying them (default 500,000); more are found by the next pass. */
  passRows?: number;
  zeroDatesToNull?: boolean;
  rejectsPath?: string;
  allowSharedRedis?: boolean;
  signal: AbortSignal;
  onRound?: (r: RoundReport) => void;
}

export interface RoundReport {
  round: number;
  final: boolean;
  /** Every column compared (the final round, a dry run, --compare-all); otherwise all but the long ones (sync-columns.ts). */
  allColumns: boolean;
  seconds: number;
  compareSeconds: number;
  applySeconds: number;
  segmentsCompared: number;
  differingSegments: number;
  /** Rows inserted + updated + deleted. */
  changed: number;
  rejected: number;
  kept: number;
  /**
   * Tables still different when the round ended, and why: differences no key names (a column holding data on
   * one side only, a table without a single-column key), or more than a pass lists while the last pass could
   * change none of them. Nothing the round could not bring over goes unnamed (exit 3).
   */
  unfinished: { table: string; why: string }[];
  /** Per table with any difference: what was (or, in a dry run, would be) done. */
  tables: Record<string, TableChanges>;
}

export interface SyncReport {
  namespace: string;
  source: string;
  target: string;
  scope: string;
  dryRun: boolean;
  final: boolean;
  rounds: RoundReport[];
  /** What the cutover checked before it wrote: Sentry's buffer and the source's write counters. */
  quiet: { buffer: string; seconds: number } | null;
  sequencesSynced: boolean;
  rejected: number;
  /** Rows rejected before this run (by the migration or an earlier sync): not retried, still not in the target. */
  rejectedEarlier: number;
  rejectsFile: string | null;
  /** Extra target rows that could not be deleted (first few), with why. */
  kept: { table: string; key: string; reason: string }[];
  verify: VerifyReport | null;
  seconds: number;
}

const MAX_DIFFS_PER_PASS = 500_000;

export async function runSync(o: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  const redis = await openRedis(o.redis, { name: 'sentry-admin-sync' });
  let source: Connection | undefined;
  let target: Connection | undefined;
  try {
    await refuseStagingRedis(redis, o);
    const staging = new Staging(redis, o.namespace);
    // A sync killed a moment ago leaves its lease until it expires: wait that long, then exit 75 if it is alive.
    const lease = await staging.lock('sync', { what: 'a sync', signal: o.signal });
    try {
      source = await connect(o.source, { poolSize: 2 });
      target = await connect(o.target, { poolSize: 2 });
      const run = await decide(o, staging, source, target);
      const report: SyncReport = {
        namespace: o.namespace, source: source.url.masked, target: target.url.masked, scope: run.scopeText, dryRun: Boolean(o.dryRun),
        final: Boolean(o.final), rounds: [], quiet: null, sequencesSynced: false, rejected: 0, rejectedEarlier: [...run.rejected.values()].reduce((n, k) => n + k.size, 0), rejectsFile: null, kept: [], verify: null, seconds: 0,
      };
      const signal = AbortSignal.any([o.signal, lease.lost]);
      const rounds = o.dryRun ? 1 : o.rounds ?? (o.untilChangedBelow !== undefined ? 20 : o.final ? 0 : 1);
      for (let n = 1; n <= rounds && !signal.aborted; n++) {
        const r = await syncRound(run, report, n, false, signal);
        if (o.dryRun || (o.untilChangedBelow !== undefined && r.changed < o.untilChangedBelow)) break;
      }
      if (o.final && !o.dryRun && !signal.aborted) await cutOver(run, report, signal);
      lease.throwIfLost();
      report.rejectsFile = report.rejected + report.rejectedEarlier ? run.rejects.path : null;
      report.seconds = round(performance.now() - started);
      return report;
    } finally {
      await lease.release();
    }
  } finally {
    await source?.close();
    await target?.close();
    redis.disconnect();
  }
}

interface Run {
  o: SyncOptions;
  staging: Staging;
  source: Connection;
  target: Connection;
  scope: Scope;
  scopeText: string;
  exclusions: Exclusions;
  /** What a round that is neither final nor a dry run compares: the exclusions plus the long columns (sync-columns.ts). */
  cheapExclusions: Exclusions;
  tables: SyncTable[];
  /** This namespace migrated into (or synced) this target before. */
  known: boolean;
  rejects: RejectsFile;
  rejected: Map<string, Set<string>>;
}

/**
 * 0 when the target is (or, without --final, was brought to) the source; 3 when a table is left different (named
 * in the rounds' `unfinished`, or by the closing verify); 4 when the only rows missing are rejected ones, of this
 * run or earlier (the rejects file names them). A dry run exits 0.
 */
export function syncExitCode(r: SyncReport): number {
  if (r.verify) return r.verify.equal ? EXIT.ok : r.verify.onlyRejected ? EXIT.rejected : EXIT.differences;
  if (r.dryRun) return EXIT.ok;
  if (r.rounds.at(-1)?.unfinished.length) return EXIT.differences;
  return r.rejected + r.rejectedEarlier ? EXIT.rejected : EXIT.ok;
}

/** Everything decided before the first write: what is carried, and whether this namespace may write to this target. */
async function decide(o: SyncOptions, staging: Staging, source: Connection, target: Connection): Promise<Run> {
  let busy = (await staging.alive()).filter((a) => a.role !== 'sync');
  // A migration killed a moment ago holds its leases until they expire (15 s).
  for (let waited = 0; busy.length && waited < 17_000 && !o.signal.aborted; waited += 500) {
    await sleep(500, o.signal);
    busy = (await staging.alive()).filter((a) => a.role !== 'sync');
  }
  if (busy.length) throw new LockedError(`a migration is running in namespace "${o.namespace}" (${busy.map((b) => b.role).join(', ')}); sync waits for it to end`);
  const [ss, ts] = await Promise.all([introspect(source), introspect(target)]);
  const exclusions = o.exclusions ?? NO_EXCLUSIONS;
  const scope = await resolveScope(source.db, o.scope);
  const plan = await planMigration(source, ss, ts, scope, exclusions, { count: false });
  const scopeText = [scope.description, describeExclusions(exclusions)].filter(Boolean).join(', ');
  const identity = { source: source.url.masked, target: target.url.masked, scope: scopeText };
  const existing = await staging.identity();
  if (existing) staging.checkIdentity(existing, identity);
  // The target is ours to delete from once a migration (or a sync) of this namespace has checked or written it.
  const known = (await staging.redis.hget(staging.key('meta'), 'target_checked')) === target.url.masked;
  if (!o.dryRun) {
    await staging.claim(identity);
    if (!existing) await staging.setState('syncing');
  }
  const rejected = new Map<string, Set<string>>();
  for (const t of plan.tables) rejected.set(t.table, await staging.rejectedKeys(t.table));
  return {
    o, staging, source, target, scope, scopeText, exclusions, known, rejected,
    cheapExclusions: withoutLongColumns(exclusions, ss, plan.tables),
    tables: plan.tables.map((t) => syncTable(t, ts, target.adapter, plan.tables)),
    rejects: new RejectsFile(o.rejectsPath ?? `sentry-admin-rejects-${o.namespace}.jsonl`),
  };
}

function syncTable(t: PlannedTable, ts: SchemaInfo, adapter: Connection['adapter'], all: PlannedTable[]): SyncTable {
  const inRun = new Set(all.map((x) => x.table));
  const cols = ts.columns.get(t.table)!;
  const targetCols = new Map(cols.map((c) => [c.name, targetColumn(c, adapter)]));
  const columns = t.columns.filter((c) => targetCols.has(c));
  const kinds = columns.map((c) => t.kinds[t.columns.indexOf(c)]);
  const refs = ts.foreignKeys
    .filter((fk) => fk.table === t.table && fk.columns.length === 1 && inRun.has(fk.refTable) && columns.includes(fk.columns[0]))
    .map((fk) => [columns.indexOf(fk.columns[0]), fk.refTable] as [number, string]);
  return { table: t.table, pk: t.pk, intPk: t.intPk, targetCols, columns, kinds, refs };
}

interface Found {
  missing: string[];
  changed: string[];
  extra: string[];
  truncated: boolean;
  /** Set when the table differs in ways no key names (verify's status): no round can bring them over. */
  unkeyed: string | null;
}

/** One round: compare (from one snapshot), then apply. `beforeApply` may refuse (the cutover's quiet check). */
async function syncRound(run: Run, report: SyncReport, n: number, final: boolean, signal: AbortSignal, beforeApply?: () => Promise<void>): Promise<RoundReport> {
  const t0 = performance.now();
  const r: RoundReport = { round: n, final, allColumns: final || Boolean(run.o.dryRun || run.o.compareAll), seconds: 0, compareSeconds: 0, applySeconds: 0, segmentsCompared: 0, differingSegments: 0, changed: 0, rejected: 0, kept: 0, unfinished: [], tables: {} };
  // Read only, unless a scope narrows the rows: a scoped nodestore_node comparison keeps each side's in-scope
  // node ids in a temporary table (verify-nodes.ts), which a read-only transaction may not create. Either way
  // nothing of the source's own tables is written or locked.
  const snap = await openSnapshotSession(run.source.url, { readOnly: !selectsByReference(run.scope) });
  let bulk: BulkSession | undefined;
  try {
    let tables = run.tables;
    const verified = new Map<string, VerifyTableReport>();
    let found = new Map<string, Found>();
    for (let pass = 1; tables.length; pass++) {
      const c0 = performance.now();
      found = await compare(run, snap, tables, r, verified, final, signal);
      r.compareSeconds += (performance.now() - c0) / 1000;
      if (pass === 1) await beforeApply?.();
      const extra = [...found.values()].reduce((x, f) => x + f.extra.length, 0);
      if (!run.known && extra && !run.o.allowDeletes && !run.o.dryRun) {
        throw new UsageError(
          `the target holds ${extra} rows the source does not have (${[...found].filter(([, f]) => f.extra.length).map(([t, f]) => `${t}: ${f.extra.length}`).slice(0, 6).join(', ')}), and namespace "${run.o.namespace}" never migrated into it; nothing was written`,
          'check --to; `sentry-admin sync --dry-run` with the same flags lists what would change; pass --allow-deletes to make the target equal to the source',
        );
      }
      if (!run.known && !run.o.dryRun) {
        await run.staging.redis.hset(run.staging.key('meta'), 'target_checked', run.target.url.masked);
        run.known = true;
      }
      const a0 = performance.now();
      if (run.o.dryRun) {
        for (const [t, f] of found) r.tables[t] = { ...noChanges(), inserted: f.missing.length, updated: f.changed.length, deleted: f.extra.length };
        break;
      }
      bulk ??= await openBulkSession(run.target.url);
      const done = changedRows(r);
      await apply(run, snap, bulk, found, r, report, signal);
      r.applySeconds += (performance.now() - a0) / 1000;
      // A table with more differences than one pass lists is compared again (now against what was written),
      // as long as the pass changed something (a pass of nothing but rejected rows would find them again).
      tables = changedRows(r) > done ? run.tables.filter((t) => found.get(t.table)?.truncated) : [];
    }
    for (const [table, f] of found) {
      if (f.unkeyed) r.unfinished.push({ table, why: f.unkeyed });
      else if (f.truncated) r.unfinished.push({ table, why: run.o.dryRun ? 'more differences than one pass lists: the counts are a lower bound' : 'more differences than one pass lists, and the last pass could bring none of them over' });
    }
    r.changed = changedRows(r);
    r.rejected = Object.values(r.tables).reduce((x, c) => x + c.rejected, 0);
    r.kept = Object.values(r.tables).reduce((x, c) => x + c.kept, 0);
    if (!run.o.dryRun) {
      for (const t of run.tables) if (t.intPk) await run.target.adapter.syncIdSequence(run.target.db, t.table, t.pk);
      report.sequencesSynced = run.target.adapter.idSequences;
    }
    r.compareSeconds = round(r.compareSeconds * 1000);
    r.applySeconds = round(r.applySeconds * 1000);
    r.seconds = round(performance.now() - t0);
    report.rounds.push(r);
    report.rejected += r.rejected;
    if (!run.o.dryRun) await recordRound(run.staging, r);
    run.o.onRound?.(r);
    if (final) await finalVerify(run, report, verified, signal);
    return r;
  } finally {
    await bulk?.close().catch(() => undefined);
    await snap.close();
  }
}

/**
 * Compare the tables; each table's differing keys. Equal tables' reports are kept in `verified`. A round
 * reads the source through its snapshot; the cutover's round through the pool (several queries at once),
 * since the source takes no writes then (checked after the comparison, which is refused otherwise).
 */
async function compare(run: Run, snap: SnapshotSession, tables: SyncTable[], r: RoundReport, verified: Map<string, VerifyTableReport>, final: boolean, signal: AbortSignal): Promise<Map<string, Found>> {
  const v = await Verifier.open(final ? run.source : snapshotConnection(run.source, snap), run.target, run.scope, {
    maxDiffs: run.o.passRows ?? MAX_DIFFS_PER_PASS, exclusions: r.allColumns ? run.exclusions : run.cheapExclusions, rejected: run.rejected, signal,
  });
  const found = new Map<string, Found>();
  // Two tables at a time, as verify does: the target (and a pooled source) work on both.
  await mapLimit(tables, 2, async (t) => {
    const rep = await v.table(t.table);
    if (!rep) return;
    r.segmentsCompared += rep.segments;
    r.differingSegments += rep.differingSegments;
    if (rep.equal || rep.status === 'rejected rows') {
      verified.set(t.table, rep);
      return;
    }
    const keyless = rep.differences.length === 0 || rep.columnsWithDataOnlyIn.length > 0;
    const f: Found = { missing: [], changed: [], extra: [], truncated: rep.truncated, unkeyed: keyless ? rep.note ?? rep.status : null };
    for (const d of rep.differences) f[d.kind === 'missing' ? 'missing' : d.kind === 'changed' ? 'changed' : 'extra'].push(d.key[t.pk]);
    found.set(t.table, f);
  });
  return found;
}

/** Inserts and updates parents' tables first, then deletes children's tables first: foreign keys hold at every commit. */
async function apply(run: Run, snap: SnapshotSession, bulk: BulkSession, found: Map<string, Found>, r: RoundReport, report: SyncReport, signal: AbortSignal): Promise<void> {
  const applier = new SyncApplier(snap, bulk, run.target.adapter, {
    policy: { zeroDatesToNull: Boolean(run.o.zeroDatesToNull) },
    rejects: run.rejects,
    rejectedKeys: async (table) => run.rejected.get(table) ?? new Set(),
    onRejected: async (table, keys) => {
      const set = run.rejected.get(table) ?? new Set<string>();
      for (const k of keys) set.add(k);
      run.rejected.set(table, set);
      await run.staging.addRejected(table, keys);
    },
    batchRows: run.o.batchRows ?? 2000,
    signal,
    onKept: (table, key, reason) => void (report.kept.length < 20 && report.kept.push({ table, key, reason })),
  });
  const changes = (t: string) => (r.tables[t] ??= noChanges());
  for (const t of run.tables) {
    const f = found.get(t.table);
    if (f && (f.missing.length || f.changed.length)) await applier.upsert(t, f.missing, f.changed, changes(t.table));
  }
  for (const t of [...run.tables].reverse()) {
    const f = found.get(t.table);
    if (f?.extra.length) await applier.remove(t, f.extra, changes(t.table));
  }
}

/** The cutover: refuse while anything still writes to the source, else a last round and a verify of every table. */
async function cutOver(run: Run, report: SyncReport, signal: AbortSignal): Promise<void> {
  const buffer = await pendingBufferKeys(run.o.sentryRedis ?? []);
  if (buffer.pending > 0) {
    throw new UsageError(
      `Sentry's Redis buffer still holds ${buffer.pending} pending counter keys (${buffer.where}): the source is still being written; nothing was written`,
      `stop Sentry's web and worker processes, then apply the counters: \`${commandHint('drain-buffer', { db: run.source.url }, ['--sentry-redis', buffer.where, '--apply'])}\`; then run sync --final again`,
    );
  }
  const quietSeconds = run.o.quietSeconds ?? 5;
  const names = run.tables.map((t) => t.table);
  const before = await run.source.adapter.writeFingerprint(run.source.db, names);
  const since = performance.now();
  const quietCheck = async () => {
    const wait = quietSeconds * 1000 - (performance.now() - since);
    if (wait > 0) await sleep(wait, signal);
    if (run.source.adapter.showsWrites(before, await run.source.adapter.writeFingerprint(run.source.db, names))) {
      throw new UsageError(
        `the source took writes during the last ${Math.round((performance.now() - since) / 1000)} s: Sentry (or something else) is still writing to it; nothing was written in this last round`,
        'stop every Sentry process that writes to the source (web, workers, cron), then run sync --final again; without --final, sync keeps catching up',
      );
    }
  };
  report.quiet = { buffer: buffer.checked ? `empty (${buffer.where})` : 'not checked (no --sentry-redis)', seconds: quietSeconds };
  await syncRound(run, report, report.rounds.length + 1, true, signal, quietCheck);
  // A write the counters had not shown yet (a PostgreSQL backend that wrote once and went idle reports its
  // counts within about 10 s) would make the proof above stale: look once more, late enough to see it.
  const late = run.source.adapter.writeStatsDelayMs - (performance.now() - since);
  if (late > 0) await sleep(late, signal);
  if (run.source.adapter.showsWrites(before, await run.source.adapter.writeFingerprint(run.source.db, names))) {
    throw new RuntimeFailure(
      'the source took writes during the cutover: the target holds the source as it was when the last round began, which may lack them',
      'stop every process that writes to the source, then run sync --final again (it brings over what changed)',
    );
  }
}

/**
 * The closing proof: every table compared on every column. Tables the last round found equal (or
 * different only by rows already rejected) and did not write to keep that comparison, which read the
 * same quiet source; every other table is compared again now.
 */
async function finalVerify(run: Run, report: SyncReport, verified: Map<string, VerifyTableReport>, signal: AbortSignal): Promise<void> {
  const v = await Verifier.open(run.source, run.target, run.scope, {
    exclusions: run.exclusions, rejected: run.rejected, rejectsFile: run.rejects.path, signal, known: verified,
  });
  report.verify = await v.finish();
}

/** The round's snapshot as a Connection (verify's machinery reads the source through it). */
function snapshotConnection(source: Connection, snap: SnapshotSession): Connection {
  return { db: snap.db, engine: source.engine, adapter: source.adapter, url: source.url, close: async () => undefined };
}

/** Each round's report in the namespace, for `status` (the last 100). */
async function recordRound(staging: Staging, r: RoundReport): Promise<void> {
  await staging.redis
    .multi()
    .rpush(staging.key('sync', 'rounds'), JSON.stringify({ ...r, at: new Date().toISOString() }))
    .ltrim(staging.key('sync', 'rounds'), -100, -1)
    .exec();
}

/** The rounds `status` shows: the last `n` recorded. */
export async function recordedRounds(staging: Staging, n = 5): Promise<(RoundReport & { at: string })[]> {
  // Rounds recorded by 0.2.0 before `unfinished` existed read as having none; before `allColumns`, every round compared every column.
  return (await staging.redis.lrange(staging.key('sync', 'rounds'), -n, -1)).map((s) => ({ unfinished: [], allColumns: true, ...JSON.parse(s) }));
}

const changedRows = (r: RoundReport) => Object.values(r.tables).reduce((x, c) => x + c.inserted + c.updated + c.deleted, 0);

const round = (ms: number) => Math.round(ms) / 1000;
