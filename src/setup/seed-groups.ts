/**
 * Issues (sentry_groupedmessage) and the plan of their events. A plan is a few typed arrays in event-id
 * order (ids follow time, as Sentry's do): each event's group, second, variant and time_spent, plus the
 * raw bytes of its event id and node id. Everything downstream (rows, tag counts, group counters) is
 * computed from the plan, so `times_seen`, `first_seen`, `last_seen` and the tag tables agree with the
 * events exactly.
 */
import { createHash } from 'node:crypto';
import { EVENT_WINDOW, type Project, type Release, SEED_NOW, type World } from './seed-model.js';
import type { Rng } from './seed-random.js';
import { EXCEPTIONS, type ExceptionTemplate, LOG_MESSAGES, eventPlatform } from './seed-text.js';

/** At most this many distinct event bodies (user, browser, server, release…) per group. */
export const MAX_VARIANTS = 6;
const GROUP_BITS = 2 ** 20;

export interface Group {
  id: number;
  project: Project;
  platform: string;
  /** 'exception' events carry sentry.interfaces.Exception, 'message' ones sentry.interfaces.Message. */
  kind: 'exception' | 'message';
  exception: ExceptionTemplate | null;
  /** For 'message': the logging format string, with one `%s`. */
  format: string;
  logger: string;
  level: number;
  culprit: string;
  /** Web requests carry sentry.interfaces.Http (and so url/browser/os tags). */
  web: boolean;
  /** 0 unresolved, 1 resolved, 2 muted. */
  status: number;
  isPublic: boolean;
  firstRelease: Release | null;
  /** Releases its events report (`sentry:release`), from the first one on. */
  releases: Release[];
  hashes: string[];
  start: number;
  end: number;
  count: number;
  variants: number;
  // Filled from the plan:
  firstSeen: number;
  lastSeen: number;
  timeSpentTotal: number;
  timeSpentCount: number;
  lastVariant: number;
  /** Index in the plan of its latest event. */
  lastEvent: number;
}

export interface EventPlan {
  count: number;
  group: Uint32Array;
  time: Uint32Array;
  variant: Uint8Array;
  /** -1 for NULL. */
  timeSpent: Int32Array;
  /** 16 bytes per event: the event id (`message_id`, 32 hex). */
  eventIds: Buffer;
  /** 16 bytes per event: the node id (base64, 24 characters). */
  nodeIds: Buffer;
  /** Per group × variant: number of events, first and last second. */
  variantCount: Uint32Array;
  variantFirst: Uint32Array;
  variantLast: Uint32Array;
}

/** About 3·√N issues: a few with many events, a long tail with one or two. */
export function groupCount(events: number): number {
  if (events === 0) return 0;
  return Math.min(events, GROUP_BITS - 1, Math.max(8, Math.round(3 * Math.sqrt(events))));
}

const PY_FUNCS = ['handle', 'process', 'dispatch', 'run', 'execute', 'sync', 'render', 'validate', 'apply', 'fetch'];
const WEB_PLATFORMS = new Set(['django', 'javascript', 'php', 'ruby']);
export const FRAMEWORK = /^(django|celery|net|org\.apache)/;

export function planGroups(w: World, events: number, root: Rng): Group[] {
  const rng = root.fork('groups');
  const projects = w.projects.filter((p) => p.weight > 0);
  const weighted = projects.map((p) => [p, p.weight] as const);
  const n = groupCount(events);
  const groups: Group[] = [];
  for (let i = 0; i < n; i++) {
    const project = rng.weighted(weighted);
    const platform = eventPlatform(project.platform);
    const templates = EXCEPTIONS[platform] ?? EXCEPTIONS.python;
    const kind = (platform === 'python' || platform === 'java') && rng.chance(0.35) ? 'message' : 'exception';
    const log = rng.pick(LOG_MESSAGES);
    const exception = kind === 'exception' ? rng.pick(templates) : null;
    const func = rng.pick(PY_FUNCS);
    // The culprit is the innermost frame of the application's own code, as Sentry shows it.
    const own = exception?.frames.filter(([where]) => !FRAMEWORK.test(where)) ?? [];
    const inner = exception ? (own.length ? own : exception.frames)[(own.length ? own : exception.frames).length - 1] : null;
    const culprit = exception
      ? platform === 'javascript' ? `${inner![0]} in ${inner![1]}` : `${inner![0]} in ${inner![1] === '?' ? func : inner![1]}`
      : rng.chance(0.5) ? `${log[1]}.tasks in ${func}` : '';
    const status = rng.weighted([[0, 75], [1, 20], [2, 5]] as const);
    const start = SEED_NOW - Math.floor(EVENT_WINDOW * (0.02 + 0.98 * rng.float()));
    const end = status === 1 ? start + Math.floor((SEED_NOW - start) * (0.2 + 0.6 * rng.float())) : SEED_NOW - rng.int(6 * 3600);
    const eligible = project.releases.filter((r) => r.created <= start);
    const firstRelease = eligible.length && rng.chance(0.6) ? eligible[eligible.length - 1 - rng.int(Math.min(2, eligible.length))] : null;
    if (firstRelease) firstRelease.newGroups++;
    const identity = exception ? `${exception.type}|${culprit}|${i}` : `${log[0]}|${i}`;
    const hashes = [md5(identity)];
    if (exception && rng.chance(0.3)) hashes.push(md5(identity + '|app'));
    groups.push({
      id: i + 1, project, platform, kind, exception, format: log[0], logger: kind === 'message' ? log[1] : loggerFor(platform, rng),
      level: kind === 'message' ? log[2] : rng.chance(0.1) ? 50 : 40, culprit, web: WEB_PLATFORMS.has(project.platform) && kind === 'exception',
      status, isPublic: rng.chance(0.03), firstRelease,
      releases: firstRelease ? project.releases.filter((r) => r.created >= firstRelease.created && r.created <= Math.max(end, start)) : [],
      hashes, start, end: Math.max(start, end), count: 0, variants: 1,
      firstSeen: 0, lastSeen: 0, timeSpentTotal: 0, timeSpentCount: 0, lastVariant: 0, lastEvent: -1,
    });
  }
  apportion(groups, events, rng);
  return groups;
}

function loggerFor(platform: string, rng: Rng): string {
  if (platform === 'javascript') return 'javascript';
  if (platform === 'python') return rng.pick(['django.request', 'celery.worker.job', 'root', '']);
  return '';
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Share `events` among groups: one each, the rest by a Zipf-like weight (largest remainder, exact total). */
function apportion(groups: Group[], events: number, rng: Rng): void {
  if (!groups.length) return;
  const ranks = rng.shuffle(groups.map((_, i) => i));
  const weights = ranks.map((r) => 1 / Math.pow(r + 1, 1.1));
  const total = weights.reduce((a, b) => a + b, 0);
  const rest = events - groups.length;
  let given = 0;
  const fractions: [number, number][] = [];
  groups.forEach((g, i) => {
    const exact = (rest * weights[i]) / total;
    g.count = 1 + Math.floor(exact);
    given += g.count - 1;
    fractions.push([exact - Math.floor(exact), i]);
  });
  fractions.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < rest - given; k++) groups[fractions[k][1]].count++;
  for (const g of groups) {
    g.variants = Math.min(MAX_VARIANTS, g.count);
    if (g.count === 1) g.end = g.start;
  }
}

/** Place every event in time, sort by time, and draw its per-event values in id order. */
export function planEvents(groups: Group[], events: number, root: Rng): EventPlan {
  const rng = root.fork('events');
  const base = SEED_NOW - EVENT_WINDOW - 1;
  const keys = new Float64Array(events);
  let k = 0;
  groups.forEach((g, gi) => {
    const span = g.end - g.start;
    for (let e = 0; e < g.count; e++) {
      const t = e === 0 ? g.start : e === 1 ? g.end : g.start + Math.floor(rng.float() * (span + 1));
      keys[k++] = (t - base) * GROUP_BITS + gi;
    }
  });
  keys.sort();
  const G = groups.length;
  const plan: EventPlan = {
    count: events, group: new Uint32Array(events), time: new Uint32Array(events), variant: new Uint8Array(events),
    timeSpent: new Int32Array(events), eventIds: Buffer.alloc(events * 16), nodeIds: Buffer.alloc(events * 16),
    variantCount: new Uint32Array(G * MAX_VARIANTS), variantFirst: new Uint32Array(G * MAX_VARIANTS).fill(0xffffffff),
    variantLast: new Uint32Array(G * MAX_VARIANTS),
  };
  for (let i = 0; i < events; i++) {
    const key = keys[i];
    const gi = key % GROUP_BITS;
    const t = base + (key - gi) / GROUP_BITS;
    const g = groups[gi];
    const f = rng.float();
    const v = Math.floor(g.variants * f * f);
    const spent = g.web && g.platform === 'python' && rng.chance(0.4) ? 15 + rng.int(2500) : -1;
    plan.group[i] = gi;
    plan.time[i] = t;
    plan.variant[i] = v;
    plan.timeSpent[i] = spent;
    uuid4(rng, plan.eventIds, i * 16); // uuid4().hex, as raven clients make event ids
    uuid4(rng, plan.nodeIds, i * 16); // b64encode(uuid4().bytes), as NodeStorage.generate_id()
    const cell = gi * MAX_VARIANTS + v;
    plan.variantCount[cell]++;
    if (t < plan.variantFirst[cell]) plan.variantFirst[cell] = t;
    plan.variantLast[cell] = t;
    if (spent >= 0) (g.timeSpentTotal += spent, g.timeSpentCount++);
    g.lastVariant = v;
    g.lastEvent = i;
    g.lastSeen = t;
    if (!g.firstSeen) g.firstSeen = t;
  }
  return plan;
}

function uuid4(rng: Rng, out: Buffer, at: number): void {
  rng.fill(out, at, 16);
  out[at + 6] = (out[at + 6] & 0x0f) | 0x40;
  out[at + 8] = (out[at + 8] & 0x3f) | 0x80;
}
