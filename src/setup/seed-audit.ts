/**
 * The audit log a 7.7 install would have written while its organizations were set up: organization,
 * team and project creation, invites, members added and edited, team joins and leaves, SSO, API keys.
 * `data` is each model's get_audit_log_data() as a GzippedDict; `actor_label` is the actor's username
 * (or the API key), as AuditLogEntry.save() fills it.
 */
import { encodeGzippedDict } from '../codec/sentry-encodings.js';
import { AUDIT } from '../admin/audit-log.js';
import { type Member, type Organization, type User, type World, at } from './seed-model.js';
import type { Rng } from './seed-random.js';
import { type TableRows, id, pyDict, records } from './seed-tables.js';

const EVENTS = { ...AUDIT, PROJECTKEY_ADD: 50, SSO_ENABLE: 60, APIKEY_ADD: 70 } as const;

interface Entry {
  org: Organization;
  time: number;
  event: number;
  actor: User | null;
  actorKey?: { id: number; key: string };
  target: number | null;
  targetUser: User | null;
  data: Record<string, unknown>;
}

export function auditLogRows(w: World, rng: Rng): TableRows {
  const entries: Entry[] = [];
  for (const org of w.orgs) entries.push(...orgEntries(org, rng));
  entries.sort((a, b) => a.time - b.time || a.org.id - b.org.id);
  return records('sentry_auditlogentry', entries.map((e, i) => ({
    id: id(i + 1), organization_id: id(e.org.id), actor_id: id(e.actor?.id), target_object: e.target,
    target_user_id: id(e.targetUser?.id), event: e.event, data: encodeGzippedDict(pyDict(e.data)), datetime: at(e.time),
    ip_address: ip(rng), actor_label: e.actor ? e.actor.username.slice(0, 64) : e.actorKey!.key, actor_key_id: id(e.actorKey?.id),
  })));
}

function ip(rng: Rng): string {
  if (rng.chance(0.15)) return `2001:db8:${(1 + rng.int(0xfffe)).toString(16)}::${(1 + rng.int(0xfffe)).toString(16)}`;
  return `10.${rng.int(4)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** OrganizationMember.get_teams() at the time of the entry: what `teams` in its audit data lists. */
function memberTeams(m: Member): number[] {
  if (m.global) return m.org.teams.filter((t) => !m.teams.some((l) => l.team === t && !l.active)).map((t) => t.id);
  return m.teams.filter((l) => l.active).map((l) => l.team.id);
}

function memberData(m: Member): Record<string, unknown> {
  return { email: m.email, user: m.user?.id ?? null, teams: memberTeams(m), has_global_access: m.global };
}

function orgEntries(org: Organization, rng: Rng): Entry[] {
  const owner = org.owner;
  const out: Entry[] = [];
  const add = (e: Omit<Entry, 'org'>) => out.push({ org, ...e });
  add({ time: org.created, event: EVENTS.ORG_ADD, actor: owner, target: org.id, targetUser: null,
    data: { slug: org.slug, name: org.name, status: 0, flags: org.flags } });
  for (const t of org.teams) {
    add({ time: t.created, event: EVENTS.TEAM_ADD, actor: owner, target: t.id, targetUser: null, data: { slug: t.slug, name: t.name, status: 0 } });
  }
  for (const p of org.projects) {
    add({ time: p.created, event: EVENTS.PROJECT_ADD, actor: owner, target: p.id, targetUser: null,
      data: { slug: p.slug, name: p.name, status: 0, public: p.public, platform: p.platform } });
    for (const k of p.keys.slice(1)) {
      add({ time: k.created, event: EVENTS.PROJECTKEY_ADD, actor: owner, target: k.id, targetUser: null,
        data: { label: k.label, public_key: k.publicKey, secret_key: k.secretKey, roles: k.roles, status: k.status } });
    }
  }
  for (const m of org.members) {
    if (m.user === owner) continue;
    if (!m.user) {
      add({ time: m.created, event: EVENTS.MEMBER_INVITE, actor: owner, target: m.id, targetUser: null, data: memberData(m) });
      continue;
    }
    add({ time: m.created, event: EVENTS.MEMBER_ADD, actor: owner, target: m.id, targetUser: m.user, data: memberData(m) });
    if (m.type === 25) {
      add({ time: m.created + 3600 + rng.int(86400), event: EVENTS.MEMBER_EDIT, actor: owner, target: m.id, targetUser: m.user, data: memberData(m) });
    }
    m.teams.forEach((l, k) => {
      const time = m.created + (k + 1) * 7200 + rng.int(3 * 86400);
      const data = { team_slug: l.team.slug, member_id: m.id, email: m.user!.email, is_active: l.active };
      add({ time, event: l.active ? EVENTS.MEMBER_JOIN_TEAM : EVENTS.MEMBER_LEAVE_TEAM, actor: m.user, target: l.id, targetUser: m.user, data });
    });
  }
  if (org.sso) {
    add({ time: org.sso.created, event: EVENTS.SSO_ENABLE, actor: owner, target: org.sso.id, targetUser: null,
      data: { provider: org.sso.provider, config: org.sso.config, default_Role: 50 } });
  }
  for (const k of org.apiKeys) {
    add({ time: k.created, event: EVENTS.APIKEY_ADD, actor: owner, target: k.id, targetUser: null,
      data: { label: k.label, key: k.key, scopes: k.scopes, status: k.status } });
  }
  // A change made with an API key: no actor, the key as actor_label.
  const key = org.apiKeys.find((k) => k.label === 'CI deploys');
  const p = org.projects[0];
  if (key && p) {
    add({ time: key.created + 86400, event: EVENTS.PROJECT_EDIT, actor: null, actorKey: key, target: p.id, targetUser: null,
      data: { slug: p.slug, name: p.name, status: 0, public: p.public, platform: p.platform } });
  }
  return out;
}
