/**
 * Per-issue tables: sentry_groupedmessage with counters that match its events, group hashes, tag keys
 * and values at project and group level (counts and first/last seen from the event plan), bookmarks,
 * seen markers, plugin metadata, rule status and user reports. Activity is in seed-activity.ts.
 */
import type { Row } from '../db/bulk.js';
import { type ActivityPlan } from './seed-activity.js';
import { type EventPlan, type Group, MAX_VARIANTS } from './seed-groups.js';
import { type Project, SEED_NOW, type User, at } from './seed-model.js';
import type { Rng } from './seed-random.js';
import { type TableRows, id, records } from './seed-tables.js';
import { FEEDBACK } from './seed-text.js';
import type { Variants } from './seed-variants.js';

interface Seen {
  count: number;
  first: number;
  last: number;
}

/** Group.message is the first line of the latest event's message, cut to 255 characters (Group.save()). */
export function groupRows(groups: Group[], variants: Variants, activity: ActivityPlan): TableRows {
  return records('sentry_groupedmessage', groups.map((g) => ({
    id: id(g.id), logger: g.logger, level: g.level, message: variants.message(g, g.lastVariant).split('\n')[0].slice(0, 255),
    view: g.culprit, status: g.status, times_seen: g.count, last_seen: at(g.lastSeen), first_seen: at(g.firstSeen), data: null,
    // ScoreClause.calculate(times_seen, last_seen)
    score: Math.trunc(Math.log(g.count) * 600 + g.lastSeen), project_id: id(g.project.id),
    time_spent_total: g.timeSpentTotal, time_spent_count: g.timeSpentCount,
    resolved_at: activity.resolved.has(g) ? at(activity.resolved.get(g)!) : null,
    active_at: at(activity.regressed.get(g) ?? g.firstSeen), is_public: g.isPublic, platform: g.platform,
    num_comments: activity.notes.get(g) ?? 0, first_release_id: id(g.firstRelease?.id),
  })));
}

export function groupHashRows(groups: Group[]): TableRows {
  return records('sentry_grouphash', groups.flatMap((g) => g.hashes.map((h) => ({ project_id: id(g.project.id), hash: h, group_id: id(g.id) })))
    .map((r, i) => ({ id: id(i + 1), ...r })));
}

/** sentry_filterkey, sentry_filtervalue, sentry_grouptagkey, sentry_messagefiltervalue, counted from the plan. */
export function tagTables(groups: Group[], plan: EventPlan, variants: Variants): TableRows[] {
  const groupKeys: Row[] = [];
  const groupValues: Row[] = [];
  const projects = new Map<Project, Map<string, Map<string, Seen>>>();
  groups.forEach((g, gi) => {
    const byKey = new Map<string, Map<string, Seen>>();
    let perProject = projects.get(g.project);
    if (!perProject) projects.set(g.project, (perProject = new Map()));
    for (let v = 0; v < g.variants; v++) {
      const cell = gi * MAX_VARIANTS + v;
      const count = plan.variantCount[cell];
      if (!count) continue;
      const seen = { count, first: plan.variantFirst[cell], last: plan.variantLast[cell] };
      for (const t of variants.tags(g, v)) {
        add(byKey, t.key, t.value, seen);
        add(perProject, t.key, t.value, seen);
      }
    }
    for (const [key, values] of byKey) {
      groupKeys.push([id(groupKeys.length + 1), id(g.project.id), id(g.id), key, values.size]);
      for (const [value, s] of values) {
        groupValues.push([id(groupValues.length + 1), id(g.id), s.count, key, value, id(g.project.id), at(s.last), at(s.first)]);
      }
    }
  });
  const keys: Row[] = [];
  const values: Row[] = [];
  for (const [p, byKey] of [...projects].sort((a, b) => a[0].id - b[0].id)) {
    for (const [key, vals] of byKey) {
      keys.push([id(keys.length + 1), id(p.id), key, vals.size, null, 0]);
      for (const [value, s] of vals) values.push([id(values.length + 1), key, value, id(p.id), s.count, at(s.last), at(s.first), null]);
    }
  }
  return [
    { table: 'sentry_filterkey', columns: ['id', 'project_id', 'key', 'values_seen', 'label', 'status'], rows: keys },
    { table: 'sentry_filtervalue', columns: ['id', 'key', 'value', 'project_id', 'times_seen', 'last_seen', 'first_seen', 'data'], rows: values },
    { table: 'sentry_grouptagkey', columns: ['id', 'project_id', 'group_id', 'key', 'values_seen'], rows: groupKeys },
    {
      table: 'sentry_messagefiltervalue', columns: ['id', 'group_id', 'times_seen', 'key', 'value', 'project_id', 'last_seen', 'first_seen'],
      rows: groupValues,
    },
  ];
}

function add(map: Map<string, Map<string, Seen>>, key: string, value: string, s: Seen): void {
  let values = map.get(key);
  if (!values) map.set(key, (values = new Map()));
  const cur = values.get(value);
  if (!cur) values.set(value, { ...s });
  else {
    cur.count += s.count;
    if (s.first < cur.first) cur.first = s.first;
    if (s.last > cur.last) cur.last = s.last;
  }
}

/** Bookmarks, seen markers, plugin issue links and rule status, by the organization's own members. */
export function peopleTables(groups: Group[], staff: Map<Project, User[]>, activity: ActivityPlan, rng: Rng): TableRows[] {
  const bookmarks: Record<string, string | null>[] = [];
  const seen: Record<string, string | Date | null>[] = [];
  const meta: Record<string, string | null>[] = [];
  const rules: Record<string, string | number | Date | null>[] = [];
  for (const g of groups) {
    const users = staff.get(g.project) ?? [];
    if (users.length && rng.chance(0.1)) {
      for (const u of rng.sample(users, 1 + rng.int(2))) bookmarks.push({ project_id: id(g.project.id), group_id: id(g.id), user_id: id(u.id) });
    }
    if (users.length && rng.chance(0.4)) {
      for (const u of rng.sample(users, 1 + rng.int(3))) {
        const t = g.firstSeen + Math.floor(rng.float() * (SEED_NOW - g.firstSeen));
        seen.push({ project_id: id(g.project.id), group_id: id(g.id), user_id: id(u.id), last_seen: at(t) });
      }
    }
    if (rng.chance(0.04)) meta.push({ group_id: id(g.id), key: 'jira:tid', value: `${g.project.org.slug.slice(0, 4).toUpperCase()}-${100 + g.id}` });
    for (const r of g.project.rules) {
      const firstSeenRule = r.id === g.project.rules[0].id;
      const regressionRule = r.id === g.project.rules[1].id;
      const lastActive = firstSeenRule ? g.firstSeen : regressionRule ? activity.regressed.get(g) ?? null : null;
      rules.push({
        project_id: id(g.project.id), rule_id: id(r.id), group_id: id(g.id), status: 0, date_added: at(g.firstSeen),
        last_active: lastActive === null ? null : at(lastActive),
      });
    }
  }
  const dense = <T extends object>(list: T[]) => list.map((r, i) => ({ id: id(i + 1), ...r }));
  return [
    records('sentry_groupbookmark', dense(bookmarks)),
    records('sentry_groupseen', dense(seen)),
    records('sentry_groupmeta', dense(meta)),
    records('sentry_grouprulestatus', dense(rules)),
  ];
}

/** Feedback left on an event's error page (sentry_userreport), for a few web issues. */
export function userReports(groups: Group[], plan: EventPlan, rng: Rng): TableRows {
  const list: Record<string, string | Date | null>[] = [];
  for (const g of groups) {
    if (!g.web || !rng.chance(0.06) || g.lastEvent < 0) continue;
    const user = rng.pick(g.project.endUsers);
    const i = g.lastEvent;
    list.push({
      project_id: id(g.project.id), group_id: id(g.id), event_id: plan.eventIds.toString('hex', i * 16, i * 16 + 16),
      name: user.username ?? 'Anonyme', email: user.email ?? `visitor${user.id}@mail.example`, comments: rng.pick(FEEDBACK),
      date_added: at(Math.min(SEED_NOW, plan.time[i] + 60 + rng.int(600))),
    });
  }
  return records('sentry_userreport', list.map((r, i) => ({ id: id(i + 1), ...r })));
}
