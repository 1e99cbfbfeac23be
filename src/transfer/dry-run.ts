/**
 * `migrate --dry-run` / `export --dry-run`: read the source and the target, write nothing, and say
 * what a run would do — per table the rows and bytes it carries; the tables and columns it leaves
 * and why; the values the target cannot hold, found by set-based scans in the source (value-scans.ts),
 * with counts and first keys, and the rows their rejection takes along (children); an estimate of
 * the time from a measured sample. The refusals are the run's own (plan, target check, Redis check),
 * so exit 2 means the run would refuse; exit 4 that it would reject rows; 0 that it would be clean.
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { type Connection, connect } from '../db/connect.js';
import { type SchemaInfo, introspect } from '../db/introspect.js';
import type { Engine } from '../db/url.js';
import { valueScans } from '../db/value-scans.js';
import { openRedis } from '../redis/client.js';
import { NO_EXCLUSIONS, describeExclusions } from './exclusions.js';
import { type MigrateOptions, refuseStagingRedis } from './migrate.js';
import { type MigrationPlan, type PlannedTable, planMigration } from './plan.js';
import { type Scope, resolveScope, scopeFilter, specIn } from './scope.js';
import { inspectTarget, refuseNonEmpty } from './target-check.js';

export interface DryRunTable {
  table: string;
  rows: number;
  /** Staged bytes, estimated from a sample of the table's rows in their chunk form. */
  bytes: number;
  /** Rows a run would reject: for their own values, and as children of rejected rows. */
  rejected: number;
  rejectedAsChildren: number;
}

export interface ValueRejects {
  table: string;
  reason: string;
  rows: number;
  firstKeys: string[];
}

export interface DryRunReport {
  dryRun: true;
  mode: MigrateOptions['mode'];
  source: string;
  target: string | null;
  scope: string;
  tables: DryRunTable[];
  notCarried: MigrationPlan['notCarried'];
  emptyColumnsLeft: string[];
  /** Values the target cannot hold, by table and reason (null: no target given, checked at import). */
  rejects: ValueRejects[] | null;
  rejected: number;
  replacesDefaults: string | null;
  estimate: { seconds: number; sampleRows: number; sampleSeconds: number };
  seconds: number;
}

type Filter = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

export async function dryRun(o: MigrateOptions): Promise<DryRunReport> {
  const started = performance.now();
  const source = await connect(o.source!, { poolSize: 2 });
  const target = o.target ? await connect(o.target, { poolSize: 2 }) : undefined;
  try {
    await refuseSharedStaging(o);
    const [ss, ts] = await Promise.all([introspect(source), target && introspect(target)]);
    const scope = await resolveScope(source.db, o.scope);
    const exclusions = o.exclusions ?? NO_EXCLUSIONS;
    const plan = await planMigration(source, ss, ts ?? null, scope, exclusions);
    let replacesDefaults: string | null = null;
    if (target && o.mode !== 'export') {
      const state = await inspectTarget(target, plan.tables.map((t) => t.table));
      if (state.nonEmpty.length) {
        if (!(state.defaults && o.replaceDefaults)) refuseNonEmpty(state, target.url.masked);
        replacesDefaults = state.defaults!.description;
      }
    }
    const sample = await sampleTables(source, plan.tables, scope);
    const rejects = ts && target ? await scanRejects(source, ss, target.engine, ts, plan.tables, scope, Boolean(o.zeroDatesToNull)) : null;
    const tables = plan.tables.map((t) => {
      const r = rejects?.perTable.get(t.table) ?? { own: 0, all: 0 };
      return { table: t.table, rows: t.rows, bytes: Math.round(t.rows * (sample.bytesPerRow.get(t.table) ?? 0)), rejected: r.all, rejectedAsChildren: r.all - r.own };
    });
    const totalRows = tables.reduce((n, t) => n + t.rows, 0);
    const rate = sample.rows / Math.max(sample.seconds, 1e-3);
    return {
      dryRun: true, mode: o.mode, source: source.url.masked, target: target?.url.masked ?? null,
      scope: [scope.description, describeExclusions(exclusions)].filter(Boolean).join(', '),
      tables, notCarried: plan.notCarried, emptyColumnsLeft: plan.emptyColumnsLeft,
      rejects: rejects ? rejects.values : null,
      rejected: tables.reduce((n, t) => n + t.rejected, 0),
      replacesDefaults,
      // Reading is measured; a migration loads while it reads, and its load runs at 1-2x the read
      // time in `npm run bench -- migrate`: the estimate says 2x, the safe side.
      estimate: { seconds: Math.round((2 * totalRows) / rate), sampleRows: sample.rows, sampleSeconds: round(sample.seconds) },
      seconds: round((performance.now() - started) / 1000),
    };
  } finally {
    await source.close();
    await target?.close();
  }
}

/** The run's own Redis refusals (shared with Sentry, evicting), on a connection of its own. */
async function refuseSharedStaging(o: MigrateOptions): Promise<void> {
  const redis = await openRedis(o.redis, { name: 'sentry-admin-dry-run' });
  try {
    await refuseStagingRedis(redis, o);
  } finally {
    redis.disconnect();
  }
}

const SAMPLE_ROWS = 2000;

/** Read up to SAMPLE_ROWS rows of each table as the exporter does (chunk form) and time it. */
async function sampleTables(source: Connection, tables: PlannedTable[], scope: Scope) {
  const bytesPerRow = new Map<string, number>();
  let rows = 0;
  let seconds = 0;
  for (const t of tables) {
    if (!t.rows) continue;
    const filter = scopeFilter(source.db, specIn(scope, t.table)!, scope);
    let q = source.db.selectFrom(t.table).select(t.columns.map((c) => sql.ref(c).as(c)));
    if (filter) q = q.where(filter);
    const t0 = performance.now();
    const got = await q.orderBy(sql.ref(t.pk)).limit(SAMPLE_ROWS).execute();
    const text = JSON.stringify(got.map((r) => t.columns.map((c, i) => source.adapter.canonical(t.kinds[i], (r as any)[c]))));
    seconds += (performance.now() - t0) / 1000;
    rows += got.length;
    if (got.length) bytesPerRow.set(t.table, Buffer.byteLength(text) / got.length);
  }
  return { bytesPerRow, rows, seconds };
}

/**
 * For each table, in load order: its own rejected rows (any scan matches), then the rows that
 * reference a rejected row of a parent through one of the TARGET's foreign keys (what the importer
 * rejects as children), as one subquery per parent. Counts are exact for the data as it is now.
 */
async function scanRejects(
  source: Connection, ss: SchemaInfo, targetEngine: Engine, ts: SchemaInfo, tables: PlannedTable[], scope: Scope, zeroDatesToNull: boolean,
) {
  const db = source.db;
  const values: ValueRejects[] = [];
  const perTable = new Map<string, { own: number; all: number }>();
  const rejectedOf = new Map<string, Filter>();
  const inRun = new Set(tables.map((t) => t.table));
  for (const t of tables) {
    const srcCols = new Map(ss.columns.get(t.table)!.map((c) => [c.name, c]));
    const tgtCols = new Map((ts.columns.get(t.table) ?? []).map((c) => [c.name, c]));
    const filter: Filter = scopeFilter(db, specIn(scope, t.table)!, scope) ?? (() => sql<SqlBool>`1 = 1`);
    const own: Filter[] = [];
    for (const name of t.columns) {
      const tc = tgtCols.get(name);
      if (!tc) continue;
      for (const scan of valueScans(source.engine, srcCols.get(name)!, { ...tc, engine: targetEngine }, { zeroDatesToNull })) {
        const where: Filter = () => scan.where;
        const hit = await matching(db, t, [filter, where]);
        if (hit.rows) values.push({ table: t.table, reason: scan.reason, ...hit });
        if (hit.rows) own.push(where);
      }
    }
    const children: Filter[] = [];
    for (const fk of ts.foreignKeys) {
      if (fk.table !== t.table || fk.columns.length !== 1 || !inRun.has(fk.refTable)) continue;
      const parentRejected = rejectedOf.get(fk.refTable);
      if (!parentRejected) continue;
      const parent = tables.find((x) => x.table === fk.refTable)!;
      const pf = scopeFilter(db, specIn(scope, parent.table)!, scope);
      let sub = db.selectFrom(parent.table).select(sql.ref(parent.pk).as('k')).where(parentRejected);
      if (pf) sub = sub.where(pf);
      children.push((eb) => eb(eb.ref(fk.columns[0]), 'in', sub));
    }
    const ownRows = own.length ? (await matching(db, t, [filter, (eb) => eb.or(own.map((f) => f(eb)))])).rows : 0;
    const any = [...own, ...children];
    const allRows = any.length ? (children.length ? (await matching(db, t, [filter, (eb) => eb.or(any.map((f) => f(eb)))])).rows : ownRows) : 0;
    if (allRows) rejectedOf.set(t.table, (eb) => eb.or(any.map((f) => f(eb))));
    perTable.set(t.table, { own: ownRows, all: allRows });
  }
  return { values, perTable };
}

async function matching(db: Kysely<any>, t: PlannedTable, filters: Filter[]): Promise<{ rows: number; firstKeys: string[] }> {
  const where = (eb: ExpressionBuilder<any, any>) => eb.and(filters.map((f) => f(eb)));
  const n = await db.selectFrom(t.table).select(sql<string>`COUNT(*)`.as('n')).where(where).executeTakeFirstOrThrow();
  const rows = Number(n.n);
  if (!rows) return { rows, firstKeys: [] };
  const keys = await db.selectFrom(t.table).select(sql.ref(t.pk).as('k')).where(where).orderBy(sql.ref(t.pk)).limit(5).execute();
  return { rows, firstKeys: keys.map((k: any) => String(k.k)) };
}

export function renderDryRun(r: DryRunReport): string {
  const lines = [`${r.mode} --dry-run ${r.source} -> ${r.target ?? '(no target given)'} (${r.scope}); nothing was written`, ''];
  const mb = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} kB`);
  const w = Math.max(5, ...r.tables.map((t) => t.table.length));
  lines.push(`${'table'.padEnd(w)}  ${'rows'.padStart(10)}  ${'bytes'.padStart(9)}  ${'rejected'.padStart(8)}`);
  for (const t of r.tables) lines.push(`${t.table.padEnd(w)}  ${String(t.rows).padStart(10)}  ${mb(t.bytes).padStart(9)}  ${String(t.rejected).padStart(8)}`);
  const total = r.tables.reduce((n, t) => n + t.rows, 0);
  lines.push(`${'total'.padEnd(w)}  ${String(total).padStart(10)}  ${mb(r.tables.reduce((n, t) => n + t.bytes, 0)).padStart(9)}  ${String(r.rejected).padStart(8)}`);
  const skipped = r.notCarried.filter((n) => n.holdsRows);
  if (skipped.length) {
    lines.push('', 'not carried (these source tables hold rows):');
    for (const n of skipped) lines.push(`  ${n.table}: ${n.why}`);
  }
  if (r.emptyColumnsLeft.length) lines.push(`not carried, holding no value: ${r.emptyColumnsLeft.join(', ')}`);
  if (r.replacesDefaults) lines.push(`would replace ${r.replacesDefaults} (--replace-defaults)`);
  if (r.rejects === null) lines.push('values are checked against the target when it is known (import); give --to to check them now');
  else if (r.rejects.length) {
    lines.push('values the target cannot hold (the run rejects these rows to its rejects file):');
    for (const v of r.rejects) lines.push(`  ${v.table}: ${v.rows} rows, ${v.reason} (first keys ${v.firstKeys.join(', ')})`);
    const children = r.tables.filter((t) => t.rejectedAsChildren);
    if (children.length) lines.push(`  and rows that reference them: ${children.map((t) => `${t.table} ${t.rejectedAsChildren}`).join(', ')}`);
  }
  lines.push('', `estimated duration: about ${r.estimate.seconds} s (read rate measured on ${r.estimate.sampleRows} rows in ${r.estimate.sampleSeconds} s; loading counted at the same cost again)`);
  lines.push(r.rejected ? `a run would reject ${r.rejected} rows (exit 4)` : 'a run would carry every row (exit 0)');
  return lines.join('\n');
}

const round = (x: number) => Math.round(x * 1000) / 1000;
