/**
 * Rows of the organization-level tables, from the seed's World: users, organizations, teams, projects,
 * keys, options, members and their team links, access requests, SSO, API keys, releases, rules, saved
 * searches, user options and the audit log.
 */
import { encodeGzippedDict, encodePickledObject } from '../codec/sentry-encodings.js';
import { PyStr } from '../codec/py-value.js';
import { type Member, SEED_NOW, type World, at } from './seed-model.js';
import type { Rng } from './seed-random.js';
import { type TableRows, id, pyDict, pyValue, records } from './seed-tables.js';
import { auditLogRows } from './seed-audit.js';

export function orgTables(w: World, rng: Rng): TableRows[] {
  const projects = w.projects;
  return [
    records('auth_user', w.users.map((u) => ({
      id: id(u.id), password: u.password, last_login: at(u.lastLogin), username: u.username, first_name: u.first,
      last_name: u.last, email: u.email, is_staff: u.superuser, is_active: u.active, is_superuser: u.superuser,
      date_joined: at(u.joined), is_managed: u.managed,
    }))),
    records('sentry_organization', w.orgs.map((o) => ({
      id: id(o.id), name: o.name, owner_id: id(o.owner.id), status: o.status, date_added: at(o.created), slug: o.slug, flags: o.flags,
    }))),
    records('sentry_team', w.teams.map((t) => ({
      id: id(t.id), slug: t.slug, name: t.name, date_added: at(t.created), status: 0, organization_id: id(t.org.id),
    }))),
    records('sentry_project', projects.map((p) => ({
      id: id(p.id), name: p.name, public: p.public, date_added: at(p.created), status: 0, slug: p.slug,
      team_id: id(p.team.id), platform: p.platform, organization_id: id(p.org.id),
    }))),
    records('sentry_projectkey', projects.flatMap((p) => p.keys.map((k) => ({
      id: id(k.id), project_id: id(p.id), public_key: k.publicKey, secret_key: k.secretKey, date_added: at(k.created),
      roles: k.roles, label: k.label, status: k.status,
    })))),
    projectOptions(w, rng.fork('options')),
    records('sentry_organizationmember', w.members.map((m) => ({
      id: id(m.id), organization_id: id(m.org.id), user_id: id(m.user?.id), type: m.type, date_added: at(m.created),
      email: m.email, has_global_access: m.global, flags: m.flags, counter: m.counter,
    }))),
    records('sentry_organizationmember_teams', w.members.flatMap((m) => m.teams.map((l) => ({
      id: id(l.id), organizationmember_id: id(m.id), team_id: id(l.team.id), is_active: l.active,
    })))),
    records('sentry_organizationaccessrequest', w.members.flatMap((m) => m.requests.map((t) => ({ team_id: id(t.id), member_id: id(m.id) })))
      .map((r, i) => ({ id: id(i + 1), ...r }))),
    records('sentry_authprovider', w.orgs.filter((o) => o.sso).map((o) => ({
      id: id(o.sso!.id), organization_id: id(o.id), provider: o.sso!.provider, config: JSON.stringify(o.sso!.config),
      date_added: at(o.sso!.created), sync_time: null, last_sync: null, default_role: 50,
      default_global_access: o.sso!.defaultGlobalAccess, flags: o.sso!.flags,
    }))),
    records('sentry_authprovider_default_teams', w.orgs.flatMap((o) => o.sso?.defaultTeams.map((t) => ({ authprovider_id: id(o.sso!.id), team_id: id(t.id) })) ?? [])
      .map((r, i) => ({ id: id(i + 1), ...r }))),
    records('sentry_authidentity', w.orgs.flatMap((o) => o.sso?.identities.map((x) => ({
      id: id(x.id), user_id: id(x.user.id), auth_provider_id: id(o.sso!.id), ident: x.ident, data: JSON.stringify(x.data),
      date_added: at(x.created), last_verified: at(SEED_NOW - (x.id % 9) * 3600), last_synced: at(SEED_NOW - (x.id % 9) * 3600),
    })) ?? [])),
    records('sentry_apikey', w.orgs.flatMap((o) => o.apiKeys.map((k) => ({
      id: id(k.id), organization_id: id(o.id), label: k.label, key: k.key, scopes: k.scopes, status: k.status,
      date_added: at(k.created), allowed_origins: k.allowedOrigins,
    })))),
    records('sentry_rule', projects.flatMap((p) => p.rules.map((r) => ({
      id: id(r.id), project_id: id(p.id), label: r.label,
      // The default rules are created from literals in receivers/rules.py (str); a form-made rule holds unicode values.
      data: encodeGzippedDict(pyDict(r.data, { strValues: r.id === p.rules[0].id || r.id === p.rules[1].id })),
      date_added: at(r.created),
    })))),
    savedSearches(w),
    userOptions(w),
    auditLogRows(w, rng.fork('audit')),
  ];
}

/** Releases are written after the groups are planned: `new_groups` counts the groups each one introduced. */
export function releaseRows(w: World): TableRows {
  return records('sentry_release', w.releases.map((r) => ({
    id: id(r.id), project_id: id(r.project.id), version: r.version, date_added: at(r.created),
    date_released: r.released === null ? null : at(r.released), ref: r.ref, url: r.url,
    date_started: r.released === null ? null : at(r.released - 420), data: '{}', new_groups: r.newGroups,
  })));
}

function projectOptions(w: World, rng: Rng): TableRows {
  const list: Record<string, string | null>[] = [];
  for (const p of w.projects) {
    const browser = p.platform === 'javascript';
    const opts: [string, unknown][] = [
      ['sentry:origins', browser ? [`https://app.${p.org.domain}`, `https://www.${p.org.domain}`] : ['*']],
    ];
    if (rng.chance(0.7)) opts.push(['sentry:scrub_data', rng.chance(0.85)]);
    if (rng.chance(0.4)) opts.push(['sentry:sensitive_fields', ['card_number', 'iban']]);
    if (rng.chance(0.3)) opts.push(['sentry:scrub_ip_address', true]);
    if (rng.chance(0.4)) opts.push(['sentry:resolve_age', rng.pick([24, 72, 168, 720])]);
    if (rng.chance(0.5)) opts.push(['mail:subject_prefix', `[${p.org.name}] `]);
    if (rng.chance(0.3)) opts.push(['sentry:token', new PyStr(rng.hex(16))]);
    for (const [key, value] of opts) list.push({ project_id: id(p.id), key, value: encodePickledObject(pyValue(value)) });
  }
  return records('sentry_projectoptions', list.map((r, i) => ({ id: id(i + 1), ...r })));
}

const SEARCHES: [string, string][] = [
  ['Unresolved Issues', 'is:unresolved'],
  ['Assigned to Me', 'is:unresolved assigned:me'],
  ['Erreurs de paiement', 'is:unresolved logger:app.payments'],
  ['本番環境', 'is:unresolved environment:production'],
];

function savedSearches(w: World): TableRows {
  const list: Record<string, string | Date>[] = [];
  w.projects.forEach((p, i) => {
    for (let k = 0; k < i % SEARCHES.length; k++) {
      list.push({ project_id: id(p.id)!, name: SEARCHES[k][0], query: SEARCHES[k][1], date_added: at(p.created + (k + 1) * 86400) });
    }
  });
  return records('sentry_savedsearch', list.map((r, i) => ({ id: id(i + 1), ...r })));
}

function userOptions(w: World): TableRows {
  const list: Record<string, string | null>[] = [];
  const add = (userId: number, projectId: number | null, key: string, value: unknown) =>
    list.push({ user_id: id(userId), project_id: id(projectId), key, value: encodePickledObject(pyValue(value)) });
  for (const u of w.users) {
    if (u.email.endsWith('.fr')) add(u.id, null, 'timezone', 'Europe/Paris');
    if (u.email.endsWith('.jp')) (add(u.id, null, 'timezone', 'Asia/Tokyo'), add(u.id, null, 'language', 'ja'));
    if (u.id % 5 === 0) add(u.id, null, 'clock_24_hours', true);
  }
  for (const o of w.orgs) {
    const m: Member | undefined = o.members.find((x) => x.type === 50 && x.user);
    if (m && o.projects[0]) add(m.user!.id, o.projects[0].id, 'mail:alert', 0);
  }
  return records('sentry_useroption', list.map((r, i) => ({ id: id(i + 1), ...r })));
}
