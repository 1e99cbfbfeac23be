import { pbkdf2Sync } from 'node:crypto';
import {
  type ApiKey, type AuthProvider, type EndUser, type Member, ORG_SPECS, type Organization, type Project, type Release,
  type Rule, SEED_NOW, type Team, type User, type World, scopeMask,
} from './seed-model.js';
import type { Rng } from './seed-random.js';
import { PEOPLE } from './seed-text.js';

const DAY = 86400;
/** Every seeded user can sign in with this password (the hashes are real Django PBKDF2 hashes of it). */
export const SEED_PASSWORD = 'sentry-demo';
const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Django 1.6 PBKDF2PasswordHasher: `pbkdf2_sha256$12000$<salt>$<base64 hash>`. */
export function djangoPassword(rng: Rng, password: string): string {
  const salt = rng.chars(12, SALT_CHARS);
  const hash = pbkdf2Sync(password, salt, 12000, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$12000$${salt}$${hash}`;
}

/** Build users, organizations, teams, projects, members, SSO, keys, releases and rules. */
export function buildWorld(root: Rng): World {
  const rng = root.fork('world');
  const users = buildUsers(rng.fork('users'));
  const w: World = { users, orgs: [], teams: [], projects: [], members: [], releases: [], rules: [] };
  const ids = { team: 0, project: 0, member: 0, link: 0, key: 0, apiKey: 0, auth: 0, identity: 0, release: 0, rule: 0 };
  let person = 1; // users[0] is the admin superuser
  ORG_SPECS.forEach((spec, i) => {
    const r = rng.fork(`org:${spec.slug}`);
    const home = users.slice(person, person + spec.people);
    person += spec.people;
    const created = SEED_NOW - (400 - i * 45) * DAY + r.int(DAY);
    const org: Organization = {
      id: i + 1, name: spec.name, slug: spec.slug, domain: spec.domain, flags: spec.flags ?? 0, status: spec.status ?? 0,
      owner: home[0], created, teams: [], projects: [], members: [], sso: null, apiKeys: [],
    };
    w.orgs.push(org);
    for (const [name, slug, projects] of spec.teams) {
      const team: Team = { id: ++ids.team, org, name, slug, created: created + r.int(5 * DAY) };
      org.teams.push(team);
      w.teams.push(team);
      for (const [pname, pslug, platform, weight] of projects) {
        const p: Project = {
          id: ++ids.project, org, team, name: pname, slug: pslug, platform, weight, public: r.chance(0.1),
          created: team.created + r.int(20 * DAY), keys: [], releases: [], rules: [], endUsers: [],
        };
        org.projects.push(p);
        w.projects.push(p);
        addProjectDetails(r.fork(`project:${pslug}`), p, ids, w);
      }
    }
    // Members: the owner, then the rest of the home people, then guests from other organizations.
    const guests = i === 0 ? [users[0]] : i === 1 ? [users[1], users[5]] : i === 2 ? [users[4]] : [];
    const people = [...home, ...guests];
    people.forEach((u, k) => {
      const type = k === 0 ? 0 : k <= 2 ? 25 : u.superuser ? 0 : 50;
      const global = type === 0 || (type === 25 ? r.chance(0.8) : r.chance(0.55));
      addMember(org, { user: u, email: null, type, global, created: org.created + k * DAY + r.int(DAY) }, ids, w);
    });
    if (i <= 1) {
      const email = i === 0 ? `new.hire@${spec.domain}` : `contractor@${spec.domain}`;
      addMember(org, { user: null, email, type: 50, global: false, created: SEED_NOW - 3 * DAY - r.int(DAY) }, ids, w);
    }
    linkTeams(r.fork('teams'), org, ids);
    if (spec.sso) org.sso = addSso(r.fork('sso'), org, spec.sso, ids);
    org.apiKeys = addApiKeys(r.fork('apikeys'), org, i, ids);
  });
  return w;
}

function buildUsers(rng: Rng): User[] {
  const users: User[] = [];
  const add = (username: string, email: string, first: string, last: string, extra: Partial<User> = {}) => {
    const joined = SEED_NOW - 420 * DAY + users.length * 7 * DAY + rng.int(DAY);
    users.push({
      id: users.length + 1, username, email, first, last, superuser: false, active: true, managed: false, joined,
      lastLogin: SEED_NOW - rng.int(20 * DAY), password: djangoPassword(rng, SEED_PASSWORD), ...extra,
    });
  };
  add('admin', 'admin@sentry.example', '', '', { superuser: true });
  let n = 0;
  for (const spec of ORG_SPECS) {
    for (let k = 0; k < spec.people; k++, n++) {
      const [first, last, local] = PEOPLE[n];
      const email = `${local}@${spec.domain}`;
      add(email, email, first, last);
    }
  }
  // A few particular users: a second superuser, one who left, two created by SSO.
  users.find((u) => u.first === 'Grace')!.superuser = true;
  users.find((u) => u.first === 'Ivan')!.active = false;
  for (const u of users.filter((x) => x.email.endsWith('@initech.example')).slice(-2)) {
    u.managed = true;
    u.password = '!' + rng.chars(40, SALT_CHARS);
  }
  return users;
}

function addMember(
  org: Organization, m: Pick<Member, 'user' | 'email' | 'type' | 'global' | 'created'>, ids: { member: number }, w: World,
): Member {
  const member: Member = { ...m, id: ++ids.member, org, flags: 0, counter: org.members.length + 1, teams: [], requests: [] };
  org.members.push(member);
  w.members.push(member);
  return member;
}

/**
 * Team links (sentry_organizationmember_teams) and access requests, following 7.7's rules: members
 * without global access see only teams with an active link; a global member who left a team has an
 * inactive link; a request exists only for a team the member has no link to, in an organization
 * without allow_joinleave.
 */
function linkTeams(rng: Rng, org: Organization, ids: { link: number }): void {
  for (const m of org.members) {
    if (!m.user) continue;
    const teams = rng.shuffle([...org.teams]);
    if (m.global) {
      if (teams.length > 1 && rng.chance(0.2)) m.teams.push({ id: ++ids.link, team: teams[0], active: false });
      continue;
    }
    const n = Math.min(teams.length, 1 + rng.int(2));
    for (let k = 0; k < n; k++) m.teams.push({ id: ++ids.link, team: teams[k], active: !(k > 0 && rng.chance(0.3)) });
    const rest = teams.slice(n);
    if (rest.length && !(org.flags & 1) && rng.chance(0.6)) m.requests.push(rest[0]);
  }
}

function addSso(
  rng: Rng, org: Organization, spec: { defaultGlobalAccess: boolean; flags: number; defaultTeams: string[] },
  ids: { auth: number; identity: number },
): AuthProvider {
  const created = org.created + 30 * DAY + rng.int(DAY);
  const sso: AuthProvider = {
    id: ++ids.auth, provider: 'google', config: { domain: org.domain, version: '1' },
    defaultGlobalAccess: spec.defaultGlobalAccess, flags: spec.flags, created,
    defaultTeams: org.teams.filter((t) => spec.defaultTeams.includes(t.slug)), identities: [],
  };
  for (const m of org.members) {
    if (!m.user || !m.user.email.endsWith('@' + org.domain) || rng.chance(0.15)) continue;
    m.flags |= 1; // sso:linked
    const linked = Math.max(created, m.created) + rng.int(10 * DAY);
    sso.identities.push({
      id: ++ids.identity, user: m.user, ident: String(100000000000000000000n + BigInt(rng.u32()) * 1000000000n + BigInt(rng.u32())),
      created: linked,
      data: {
        access_token: 'ya29.' + rng.chars(40, '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-'),
        token_type: 'Bearer', expires: SEED_NOW + 3600 - rng.int(7 * DAY),
        refresh_token: '1/' + rng.chars(43, '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-'),
        data: { email: m.user.email, email_verified: true, hd: org.domain },
      },
    });
  }
  return sso;
}

function addApiKeys(rng: Rng, org: Organization, index: number, ids: { apiKey: number }): ApiKey[] {
  const keys: ApiKey[] = [];
  const n = index === 0 ? 2 : index % 2;
  for (let k = 0; k < n; k++) {
    keys.push({
      id: ++ids.apiKey, label: k === 0 ? 'Default' : 'CI deploys', key: rng.hex(16),
      scopes: k === 0 ? scopeMask(['project:read', 'event:read', 'org:read', 'team:read', 'member:read'])
        : scopeMask(['project:read', 'project:write', 'event:read', 'event:write', 'org:read']),
      status: index === 2 ? 1 : 0, created: org.created + (40 + k * 30) * DAY, allowedOrigins: k === 1 ? `https://ci.${org.domain}` : null,
    });
  }
  return keys;
}

const PET_ADJECTIVES = ['Amused', 'Brave', 'Calm', 'Daring', 'Eager', 'Fancy', 'Gentle', 'Happy', 'Jolly', 'Keen'];
const PET_NOUNS = ['Gnat', 'Otter', 'Heron', 'Lynx', 'Falcon', 'Badger', 'Koala', 'Marten', 'Newt', 'Puffin'];

function addProjectDetails(rng: Rng, p: Project, ids: { key: number; release: number; rule: number }, w: World): void {
  const nKeys = rng.chance(0.3) ? 2 : 1;
  for (let k = 0; k < nKeys; k++) {
    p.keys.push({
      id: ++ids.key, publicKey: rng.hex(16), secretKey: rng.hex(16), roles: k === 0 ? 1 : 3, status: k === 1 && rng.chance(0.5) ? 1 : 0,
      label: k === 0 ? 'Default' : `${rng.pick(PET_ADJECTIVES)} ${rng.pick(PET_NOUNS)}`, created: p.created + k * 60 * DAY,
    });
  }
  // Releases: most projects deploy, a few never set up release tracking.
  if (p.weight > 0 && rng.chance(0.75)) {
    const n = 2 + rng.int(5);
    const semver = rng.chance(0.5);
    const major = 1 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const created = SEED_NOW - Math.round(((n - k) / n) * 45 * DAY) + rng.int(DAY);
      const sha = rng.hex(20);
      const release: Release = {
        id: ++ids.release, project: p, version: semver ? `${major}.${k}.${rng.int(3)}` : sha.slice(0, 12),
        ref: semver ? sha : null, url: semver ? `https://git.${p.org.domain}/${p.slug}/releases/${major}.${k}` : null,
        created, released: rng.chance(0.8) ? created + 600 + rng.int(3600) : null, newGroups: 0,
      };
      p.releases.push(release);
      w.releases.push(release);
    }
  }
  const rule = (label: string, data: Record<string, unknown>, created: number): Rule => ({ id: ++ids.rule, label, data, created });
  const action = [{ id: 'sentry.rules.actions.notify_event.NotifyEventAction' }];
  p.rules.push(rule('Send a notification for new events', {
    conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }], actions: action,
  }, p.created));
  p.rules.push(rule('Send a notification for regressions', {
    conditions: [{ id: 'sentry.rules.conditions.regression_event.RegressionEventCondition' }], actions: action,
  }, p.created));
  if (rng.chance(0.3)) {
    p.rules.push(rule('Alert on bursts', {
      action_match: 'all', actions: action,
      conditions: [{ id: 'sentry.rules.conditions.event_frequency.EventFrequencyCondition', value: '100', interval: '1h' }],
    }, p.created + 20 * DAY));
  }
  w.rules.push(...p.rules);
  const nUsers = 20 + rng.int(200);
  const endUsers: EndUser[] = [];
  for (let k = 0; k < nUsers; k++) {
    const id = String(1000 + rng.int(90000));
    endUsers.push({
      id, username: rng.chance(0.7) ? `customer${id}` : null, email: rng.chance(0.8) ? `customer${id}@mail.example` : null,
      ip: `${rng.pick([81, 92, 178, 203])}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
    });
  }
  p.endUsers = endUsers;
}
