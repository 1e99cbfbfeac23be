/**
 * `Buffer.process` + `create_or_update` of Sentry 7.7.0 (buffer/base.py, db/models/query.py), one key at a time,
 * inside the caller's transaction:
 *   1. UPDATE <table> SET col = col + n …, extras … WHERE filters; a non-zero row count ends it ("updated");
 *   2. otherwise INSERT filters + (field default + n) + extras + other defaults, in a savepoint;
 *   3. on an integrity error roll back to the savepoint and run the same UPDATE again (Sentry's except branch).
 * When a TagValue / GroupTagValue row was created, Sentry's buffer_incr_complete receivers (receivers/core.py)
 * buffer a `values_seen + 1` for TagKey / GroupTagKey; we apply that create_or_update here, in the same
 * transaction, instead of writing it back into Redis.
 *
 * Deliberate departures, both reported: a Group miss is skipped (Sentry would insert a project-less "zombie"
 * group) unless `insertMissingGroups`; a Release miss is skipped (Sentry's insert fails on project_id NOT NULL and
 * the increment is dropped, which is what skipping does too).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { zlibCompress } from '../codec/zlib-small.js';
import { type Assignments, type BufferRows, type BufferSql, type BufferTable, bufferRows, num } from '../db/buffer-sql.js';
import type { SentryDb } from '../db/sentry-db.js';
import { type BufferModel, MODEL_BY_NAME, columnOf } from './buffer-models.js';
import { type BufferEntry, type UtcTime, nowUtc } from './decode-entry.js';
import { sentrySetOrder } from './py27-dict.js';
import { type ReleaseOutcome, ensureRelease, wantsRelease } from './release-receiver.js';
import type { EngineSql } from './score-sql.js';

export type Outcome = 'updated' | 'inserted' | 'dropped' | 'missing-group' | 'missing-release';

export interface ApplyResult {
  outcome: Outcome;
  /** A `sentry:release` TagValue was created: what Sentry's ensure_release_exists receiver did (release-receiver.ts). */
  release?: ReleaseOutcome;
  /** The TagKey / GroupTagKey `values_seen + 1` Sentry's receiver would buffer because the tag value row was created. */
  followUp?: FollowUp | 'skipped';
}

export interface FollowUp {
  model: BufferModel;
  filters: [string, string | null][];
}

export interface ApplyContext {
  engineSql: EngineSql;
  insertMissingGroups: boolean;
  now?: Date;
  /** Apply one key at a time (the reference path) instead of set-based (apply-set.ts). */
  perKey?: boolean;
}

type Value = string | number | boolean | null | RawBuilder<number>;

/** What one entry's UPDATE assigns (shared by the per-key and the set-based path), in Sentry's SET order. */
export function assignmentsOf(e: BufferEntry, ctx: ApplyContext): Assignments {
  const x = e.extras;
  const values: Assignments['values'] = [];
  if (x.message !== undefined) values.push(['message', x.message]);
  if (x.level !== undefined) values.push(['level', x.level]);
  if (x.culprit !== undefined) values.push([columnOf(e.model, 'culprit'), x.culprit]);
  if (x.data !== undefined) values.push(['data', gzippedDict(x.data)]);
  const a: Assignments = {
    counters: e.counters, values, score: x.score !== undefined,
    lastSeen: x.last_seen === undefined ? undefined : timeOf(x.last_seen, ctx), order: [],
  };
  const assigned = new Set([...a.counters.map(([c]) => c), ...values.map(([c]) => c), ...(a.score ? ['score'] : []), ...(a.lastSeen !== undefined ? ['last_seen'] : [])]);
  // an entry made here (a follow-up) has no hash: its fields are those Sentry's incr would write
  const fields = e.fieldNames ?? ['m', 'f', ...e.counters.map(([c]) => `i+${c}`), ...Object.keys(x).map((k) => `e+${k}`)];
  a.order = sentrySetOrder(fields).map((f) => columnOf(e.model, f)).filter((c) => assigned.delete(c));
  a.order.push(...assigned); // none: every assigned column comes from a field
  return a;
}

const timeOf = (t: UtcTime, ctx: ApplyContext) => ctx.engineSql.dialect.time(t);

/** A buffered table's row, its columns named at run time. */
export type InsertRow = BufferRows[BufferTable];

/** The row `create_or_update` inserts when the UPDATE matched nothing; null when we do not insert (Group, Release). */
export function insertRowOf(e: BufferEntry, ctx: ApplyContext): InsertRow | null {
  const now = nowUtc(ctx.now);
  const x = e.extras;
  const n = (col: string) => e.counters.find(([c]) => c === col)?.[1] ?? 0n;
  const base = Object.fromEntries(e.filters);
  const counters = Object.fromEntries(Object.entries(e.model.counters).map(([c, d]) => [c, num(BigInt(d) + n(c))]));
  const lastSeen = timeOf(x.last_seen ?? now, ctx);
  switch (e.model.name) {
    case 'TagValue':
      return { ...base, ...counters, last_seen: lastSeen, first_seen: timeOf(now, ctx), data: x.data ? gzippedDict(x.data) : null };
    case 'GroupTagValue':
      return { ...base, ...counters, last_seen: lastSeen, first_seen: timeOf(now, ctx) };
    case 'TagKey':
      return { ...base, ...counters, label: null, status: 0 };
    case 'GroupTagKey':
      return { ...base, ...counters };
    case 'Group':
      if (!ctx.insertMissingGroups) return null;
      // Group() defaults + Group.save(): first_seen = now (its default), active_at = first_seen, message cut.
      return {
        ...base, ...counters, logger: '', level: x.level ?? 40, message: groupMessage(x.message ?? ''),
        view: x.culprit ?? null, num_comments: 0, platform: null, status: 0, last_seen: lastSeen,
        first_seen: timeOf(now, ctx), active_at: timeOf(now, ctx), first_release_id: null, resolved_at: null,
        score: x.score ? x.score.insertScore ?? 0 : 0, is_public: false, data: null, project_id: null,
      };
    case 'Release':
      return null;
  }
}

export async function applyEntry(trx: Kysely<SentryDb>, e: BufferEntry, ctx: ApplyContext): Promise<ApplyResult> {
  const a = assignmentsOf(e, ctx);
  const set = a.order.map((col): [string, Value] => {
    const inc = a.counters.find(([c]) => c === col);
    if (inc) return [col, sql<number>`${sql.ref(col)} + ${num(inc[1])}`];
    if (col === 'score') return [col, ctx.engineSql.score];
    if (col === 'last_seen') return [col, a.lastSeen!];
    return [col, a.values.find(([c]) => c === col)![1]];
  });
  let inserted: ReturnType<typeof insertRowOf> = null;
  const r = await createOrUpdate(trx, e.model, e.filters, set, () => (inserted = insertRowOf(e, ctx)), ctx.engineSql.dialect);
  const res = resultOf(e, r);
  if (r === 'inserted' && inserted && wantsRelease(e)) res.release = await ensureRelease(trx, e, String((inserted as { first_seen: string }).first_seen), ctx.engineSql);
  return res;
}

/** The ApplyResult of one entry's create_or_update outcome (a created tag value brings its receiver's follow-up). */
export function resultOf(e: BufferEntry, r: 'updated' | 'inserted' | 'dropped' | 'missing'): ApplyResult {
  if (r === 'missing') return { outcome: e.model.name === 'Group' ? 'missing-group' : 'missing-release' };
  const res: ApplyResult = { outcome: r };
  if (r === 'inserted' && (e.model.name === 'TagValue' || e.model.name === 'GroupTagValue')) res.followUp = followUpOf(e);
  return res;
}

/** receivers/core.py record_project_tag_count / record_group_tag_count (falsy ids: the receiver fails, nothing). */
function followUpOf(e: BufferEntry): FollowUp | 'skipped' {
  const f = Object.fromEntries(e.filters);
  if (!f.project_id || f.project_id === '0') return 'skipped';
  if (e.model.name === 'TagValue') return { model: MODEL_BY_NAME.TagKey, filters: [['project_id', f.project_id], ['key', f.key]] };
  if (!f.group_id || f.group_id === '0') return 'skipped';
  return { model: MODEL_BY_NAME.GroupTagKey, filters: [['project_id', f.project_id], ['group_id', f.group_id], ['key', f.key]] };
}

/**
 * A unit's follow-ups, merged per row (`values_seen + n`, as Sentry's buffer would merge n increments of one TagKey
 * hash) and in one global order (by `key`), so concurrent units lock hot rows in the same order. Each becomes the
 * entry Sentry's receiver would have buffered: `i+values_seen` = n, no extras.
 */
export function followUpEntries(ups: FollowUp[]): { entry: BufferEntry; n: number }[] {
  const merged = new Map<string, { up: FollowUp; n: number }>();
  for (const up of ups) {
    const id = JSON.stringify([up.model.table, up.filters]);
    const m = merged.get(id);
    if (m) m.n++;
    else merged.set(id, { up, n: 1 });
  }
  return [...merged.keys()].sort().map((key) => {
    const { up, n } = merged.get(key)!;
    return { entry: { key, model: up.model, filters: up.filters, counters: [['values_seen', BigInt(n)]], extras: {} }, n };
  });
}

/** Apply a unit's follow-ups after its own keys, one by one. */
export async function applyFollowUps(trx: Kysely<SentryDb>, ups: FollowUp[], ctx: ApplyContext): Promise<{ outcome: Outcome; n: number }[]> {
  const out: { outcome: Outcome; n: number }[] = [];
  for (const { entry, n } of followUpEntries(ups)) {
    const r = await applyEntry(trx, entry, ctx);
    out.push({ outcome: r.outcome.startsWith('missing') ? 'dropped' : r.outcome, n });
  }
  return out;
}

export async function createOrUpdate(
  trx: Kysely<SentryDb>, model: BufferModel, filters: [string, string | null][], set: [string, Value][],
  insertRow: () => Record<string, Value> | null, dialect: BufferSql,
): Promise<'updated' | 'inserted' | 'dropped' | 'missing'> {
  const rows = bufferRows(trx);
  const update = async () => {
    if (!set.length) return 0; // Django: update() with no values does no query and reports 0 rows
    let q = rows.updateTable(model.table).set(Object.fromEntries(set));
    for (const [col, v] of filters) q = v === null ? q.where(col, 'is', null) : q.where(col, '=', v);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  };
  if ((await update()) > 0) return 'updated';
  const row = insertRow();
  if (!row) return 'missing';
  await sql`SAVEPOINT sa_drain_insert`.execute(trx);
  try {
    await rows.insertInto(model.table).values(row).execute();
    await dialect.releaseSavepoint(trx, 'sa_drain_insert');
    return 'inserted';
  } catch (err) {
    if (!dialect.isIntegrityError(err)) throw err;
    await sql`ROLLBACK TO SAVEPOINT sa_drain_insert`.execute(trx);
    return (await update()) > 0 ? 'updated' : 'dropped';
  }
}

/**
 * GzippedDictField.get_prep_value on a nullable column: NULL when falsy, else base64(zlib(cPickle.dumps(value))).
 * The `e+data` bytes already ARE `cPickle.dumps(value)` at protocol 0, so they are compressed as they are.
 */
function gzippedDict(d: NonNullable<BufferEntry['extras']['data']>): string | null {
  if (d.empty) return null;
  return zlibCompress(d.raw).toString('base64');
}

/** Group.save(): `message.splitlines()[0][:255]` (unicode line boundaries, code points). */
export function groupMessage(m: string): string {
  if (!m) return m;
  const first = m.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/u)[0];
  return [...first].slice(0, 255).join('');
}
