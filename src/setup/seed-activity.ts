/**
 * sentry_activity (types of docs/sentry7-schema.md §3.7) and sentry_groupasignee: who resolved, muted, assigned and commented
 * on which issue, regressions, and one RELEASE entry per release. The same plan gives the group columns
 * that depend on it (resolved_at, active_at after a regression, num_comments).
 */
import { encodeGzippedDict } from '../codec/sentry-encodings.js';
import type { Group } from './seed-groups.js';
import { type Project, SEED_NOW, type User, type World, at } from './seed-model.js';
import type { Rng } from './seed-random.js';
import { type TableRows, id, pyDict, records } from './seed-tables.js';
import { NOTES } from './seed-text.js';

export const ACTIVITY = { SET_RESOLVED: 1, SET_MUTED: 3, SET_REGRESSION: 6, NOTE: 8, RELEASE: 10, ASSIGNED: 11 } as const;

export interface ActivityPlan {
  resolved: Map<Group, number>;
  regressed: Map<Group, number>;
  notes: Map<Group, number>;
  tables: TableRows[];
}

interface Entry {
  time: number;
  project: Project;
  group: Group | null;
  type: number;
  ident: string | null;
  user: User | null;
  data: Record<string, unknown> | null;
}

export function planActivity(w: World, groups: Group[], staff: Map<Project, User[]>, rng: Rng): ActivityPlan {
  const plan: ActivityPlan = { resolved: new Map(), regressed: new Map(), notes: new Map(), tables: [] };
  const entries: Entry[] = [];
  const assignees: Record<string, string | Date | null>[] = [];
  const add = (e: Entry) => entries.push(e);
  for (const r of w.releases) {
    add({ time: r.created, project: r.project, group: null, type: ACTIVITY.RELEASE, ident: r.version, user: null, data: { version: r.version } });
  }
  for (const g of groups) {
    const users = staff.get(g.project) ?? [];
    const who = () => (users.length ? rng.pick(users) : null);
    const project = g.project;
    if (g.status === 1) {
      const t = Math.min(SEED_NOW, g.lastSeen + 600 + rng.int(2 * 86400));
      plan.resolved.set(g, t);
      add({ time: t, project, group: g, type: ACTIVITY.SET_RESOLVED, ident: null, user: who(), data: null });
    } else if (g.status === 2) {
      add({ time: g.firstSeen + rng.int(Math.max(1, g.lastSeen - g.firstSeen)), project, group: g, type: ACTIVITY.SET_MUTED, ident: null, user: who(), data: null });
    } else if (g.count >= 5 && rng.chance(0.1)) {
      // Resolved once, then an event came back: a regression that made the issue active again.
      const t1 = g.firstSeen + Math.floor((g.lastSeen - g.firstSeen) * 0.3);
      const t2 = t1 + Math.max(1, Math.floor((g.lastSeen - t1) * 0.5));
      add({ time: t1, project, group: g, type: ACTIVITY.SET_RESOLVED, ident: null, user: who(), data: null });
      add({ time: t2, project, group: g, type: ACTIVITY.SET_REGRESSION, ident: null, user: null, data: null });
      plan.regressed.set(g, t2);
    }
    if (users.length && rng.chance(0.1)) {
      const n = 1 + rng.int(2);
      for (let k = 0; k < n; k++) {
        const t = g.firstSeen + rng.int(Math.max(1, SEED_NOW - g.firstSeen));
        add({ time: t, project, group: g, type: ACTIVITY.NOTE, ident: null, user: who(), data: { text: rng.pick(NOTES) } });
      }
      plan.notes.set(g, n);
    }
    if (users.length && rng.chance(0.15)) {
      const assignee = rng.pick(users);
      const t = g.firstSeen + rng.int(Math.max(1, SEED_NOW - g.firstSeen));
      add({ time: t, project, group: g, type: ACTIVITY.ASSIGNED, ident: null, user: who(), data: { assignee: assignee.id } });
      assignees.push({ project_id: id(project.id), group_id: id(g.id), user_id: id(assignee.id), date_added: at(t) });
    }
  }
  entries.sort((a, b) => a.time - b.time);
  plan.tables.push(records('sentry_activity', entries.map((e, i) => ({
    id: id(i + 1), project_id: id(e.project.id), group_id: id(e.group?.id), event_id: null, type: e.type, ident: e.ident,
    user_id: id(e.user?.id), datetime: at(e.time), data: e.data ? encodeGzippedDict(pyDict(e.data), { nullable: true }) : null,
  }))));
  plan.tables.push(records('sentry_groupasignee', assignees.map((r, i) => ({ id: id(i + 1), ...r }))));
  return plan;
}
