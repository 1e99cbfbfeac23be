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

type Value = string | number | boolean | null | RawBuilder<unknown>;

/**
 * What one entry's UPDATE assigns, as plain values (shared by the per-key and the set-based path), and in which
 * order. Sentry's SET order is CPython 2.7's dict order of the update's keyword arguments (py27-dict.ts): on MySQL
 * assignments run left to right on updated values, so it decides whether `score` reads the new `times_seen` and the
 * new `last_seen` (a Group hash with `level` but not both `message` and `culprit`, and no `time_spent`, assigns
 * `last_seen` first). Both paths assign in exactly this order. See docs/sentry7-buffer.md §2.6.
 */
export interface Assignments {
  counters: [col: string, n: bigint][];
  /** message, level, view (culprit), data. */
  values: [col: string, v: string | number | null][];
  score: boolean;
  lastSeen?: string;
  /** Every assigned column (counters, values, `score`, `last_seen`) in Sentry's SET order. */
  order: string[];
}

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

const timeOf = (t: UtcTime, ctx: ApplyContext) => (ctx.engineSql.engine === 'postgres' ? t.pg : t.mysql);

/** The row `create_or_update` inserts when the UPDATE matched nothing; null when we do not insert (Group, Release). */
export function insertRowOf(e: BufferEntry, ctx: ApplyContext): Record<string, string | number | boolean | null> | null {
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

export async function applyEntry(trx: Kysely<any>, e: BufferEntry, ctx: ApplyContext): Promise<ApplyResult> {
  const a = assignmentsOf(e, ctx);
  const set = a.order.map((col): [string, Value] => {
    const inc = a.counters.find(([c]) => c === col);
    if (inc) return [col, sql`${sql.ref(col)} + ${num(inc[1])}`];
    if (col === 'score') return [col, ctx.engineSql.score];
    if (col === 'last_seen') return [col, a.lastSeen!];
    return [col, a.values.find(([c]) => c === col)![1]];
  });
  let inserted: ReturnType<typeof insertRowOf> = null;
  const r = await createOrUpdate(trx, e.model, e.filters, set, () => (inserted = insertRowOf(e, ctx)), ctx.engineSql.engine === 'mysql');
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
export async function applyFollowUps(trx: Kysely<any>, ups: FollowUp[], ctx: ApplyContext): Promise<{ outcome: Outcome; n: number }[]> {
  const out: { outcome: Outcome; n: number }[] = [];
  for (const { entry, n } of followUpEntries(ups)) {
    const r = await applyEntry(trx, entry, ctx);
    out.push({ outcome: r.outcome.startsWith('missing') ? 'dropped' : r.outcome, n });
  }
  return out;
}

export async function createOrUpdate(
  trx: Kysely<any>, model: BufferModel, filters: [string, string | null][], set: [string, Value][],
  insertRow: () => Record<string, Value> | null, mysql: boolean,
): Promise<'updated' | 'inserted' | 'dropped' | 'missing'> {
  const update = async () => {
    if (!set.length) return 0; // Django: update() with no values does no query and reports 0 rows
    let q = trx.updateTable(model.table).set(Object.fromEntries(set));
    for (const [col, v] of filters) q = v === null ? q.where(col, 'is', null) : q.where(col, '=', v);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  };
  if ((await update()) > 0) return 'updated';
  const row = insertRow();
  if (!row) return 'missing';
  await sql`SAVEPOINT sa_drain_insert`.execute(trx);
  try {
    await trx.insertInto(model.table).values(row).execute();
    // MySQL replaces a savepoint of the same name, so only PostgreSQL (where they nest) needs the RELEASE
    if (!mysql) await sql`RELEASE SAVEPOINT sa_drain_insert`.execute(trx);
    return 'inserted';
  } catch (err) {
    if (!isIntegrityError(err, mysql)) throw err;
    await sql`ROLLBACK TO SAVEPOINT sa_drain_insert`.execute(trx);
    return (await update()) > 0 ? 'updated' : 'dropped';
  }
}

// MySQLdb maps these server errors to IntegrityError (the codes Django 1.6 would have caught).
const MYSQL_INTEGRITY = new Set([1022, 1048, 1052, 1062, 1169, 1216, 1217, 1451, 1452, 1557, 1586, 1761, 1762, 1859]);

export function isIntegrityError(err: unknown, mysql: boolean): boolean {
  const e = err as { code?: string; errno?: number };
  return mysql ? MYSQL_INTEGRITY.has(Number(e?.errno)) : typeof e?.code === 'string' && e.code.startsWith('23');
}

export function num(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
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
