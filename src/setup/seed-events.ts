/**
 * The three per-event tables, as generators over the event plan: sentry_message (the Event),
 * nodestore_node (its body) and sentry_eventmapping. Nothing per event is kept beyond the plan's typed
 * arrays; bodies are shared per (group, variant) and node references are encoded without zlib calls.
 */
import type { Row } from '../db/bulk.js';
import type { EventPlan, Group } from './seed-groups.js';
import { NodeRefEncoder } from './node-ref.js';
import type { TableRows } from './seed-tables.js';
import type { Variants } from './seed-variants.js';

/** `inKeyOrder`: nodestore_node's rows go in the order of their ids (a table clustered by primary key, keyOrder). */
export function eventTables(groups: Group[], plan: EventPlan, variants: Variants, inKeyOrder: boolean): TableRows[] {
  return [
    {
      table: 'sentry_message', columns: ['id', 'message', 'datetime', 'data', 'group_id', 'message_id', 'project_id', 'time_spent', 'platform', 'num_comments'],
      rows: messages(groups, plan, variants), expected: plan.count,
    },
    { table: 'nodestore_node', columns: ['id', 'data', 'timestamp'], rows: nodes(groups, plan, variants, inKeyOrder), expected: plan.count },
    { table: 'sentry_eventmapping', columns: ['id', 'project_id', 'group_id', 'event_id', 'date_added'], rows: mappings(groups, plan), expected: plan.count },
  ];
}

function* messages(groups: Group[], plan: EventPlan, variants: Variants): Generator<Row> {
  const refs = new NodeRefEncoder();
  const ids = groupIds(groups);
  for (let i = 0; i < plan.count; i++) {
    const gi = plan.group[i];
    const g = groups[gi];
    const spent = plan.timeSpent[i];
    yield [
      String(i + 1), variants.message(g, plan.variant[i]), sqlTime(plan.time[i]),
      refs.encode(plan.nodeIds.toString('base64', i * 16, i * 16 + 16)), ids[gi][0],
      plan.eventIds.toString('hex', i * 16, i * 16 + 16), ids[gi][1], spent < 0 ? null : spent, g.platform, 0,
    ];
  }
}

function* nodes(groups: Group[], plan: EventPlan, variants: Variants, inKeyOrder: boolean): Generator<Row> {
  const order = inKeyOrder ? keyOrder(plan) : null;
  for (let k = 0; k < plan.count; k++) {
    const i = order ? order[k] : k;
    const g = groups[plan.group[i]];
    yield [plan.nodeIds.toString('base64', i * 16, i * 16 + 16), variants.body(g, plan.variant[i]), sqlTime(plan.time[i])];
  }
}

function* mappings(groups: Group[], plan: EventPlan): Generator<Row> {
  const ids = groupIds(groups);
  for (let i = 0; i < plan.count; i++) {
    const [group, project] = ids[plan.group[i]];
    yield [String(i + 1), project, group, plan.eventIds.toString('hex', i * 16, i * 16 + 16), sqlTime(plan.time[i])];
  }
}

/** [group id, project id] as the loader's strings, made once per group. */
function groupIds(groups: Group[]): [string, string][] {
  return groups.map((g) => [String(g.id), String(g.project.id)]);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAYS = new Map<number, string>();

/**
 * `YYYY-MM-DD HH:MM:SS` (UTC) for epoch seconds, without a Date per row. Both loaders take it as is:
 * MySQL datetime, and PostgreSQL timestamptz in the bulk session's UTC time zone.
 */
export function sqlTime(t: number): string {
  const day = Math.floor(t / 86400);
  let prefix = DAYS.get(day);
  if (prefix === undefined) DAYS.set(day, (prefix = new Date(day * 86400_000).toISOString().slice(0, 10) + ' '));
  const s = t - day * 86400;
  return prefix + TWO_DIGITS[Math.floor(s / 3600)] + ':' + TWO_DIGITS[Math.floor(s / 60) % 60] + ':' + TWO_DIGITS[s % 60];
}

/**
 * Events in (nearly) the order of their node ids as MySQL's utf8_general_ci sorts them, so InnoDB fills
 * nodestore_node's clustered index front to back instead of splitting random pages: 4-10× faster on a
 * small buffer pool. Sorted on a numeric prefix of the id (case-insensitive base64 ranks), which is
 * exact enough for page locality.
 */
export function keyOrder(plan: EventPlan): Uint32Array {
  const n = plan.count;
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const chars = Math.max(1, Math.min(8, Math.floor((53 - indexBits) / Math.log2(38))));
  const scale = 2 ** indexBits;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = plan.nodeIds.toString('base64', i * 16, i * 16 + 6);
    let prefix = 0;
    for (let c = 0; c < chars; c++) prefix = prefix * 38 + RANK[id.charCodeAt(c)];
    keys[i] = prefix * scale + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = keys[k] % scale;
  return order;
}

/** Collation rank of each base64 character under utf8_general_ci: + / 0-9 A-Z (a-z = A-Z). */
const RANK = new Uint8Array(128);
'+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').forEach((c, r) => {
  RANK[c.charCodeAt(0)] = r;
  RANK[c.toLowerCase().charCodeAt(0)] = r;
});
