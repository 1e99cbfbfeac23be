/**
 * The seed's picture of a Sentry 7.7 install: users, organizations with their teams, projects and
 * members, SSO, API keys, releases and rules. Plain objects with explicit ids (dense from 1), built
 * from one Rng; seed-org-rows.ts turns them into table rows. Events and issues come in seed-groups.ts.
 */
import { type Platform } from './seed-text.js';

/** The seed's "now": every date lies before it, so the same --seed always gives the same rows. */
export const SEED_NOW = Date.UTC(2015, 8, 1, 12, 0, 0) / 1000;
/** Events fall in the 30 days before SEED_NOW (Sentry's default retention). */
export const EVENT_WINDOW = 30 * 86400;

/** A datetime column value: whole seconds, so MySQL `datetime` and PostgreSQL agree. */
export function at(seconds: number): Date {
  return new Date(Math.floor(seconds) * 1000);
}

export interface User {
  id: number;
  username: string;
  email: string;
  first: string;
  last: string;
  superuser: boolean;
  active: boolean;
  managed: boolean;
  joined: number;
  lastLogin: number;
  /** Django password hash, or `!…` (unusable) for users that only sign in through SSO. */
  password: string;
}

export interface Organization {
  id: number;
  name: string;
  slug: string;
  /** BitField: 1 = allow_joinleave. */
  flags: number;
  /** 0 visible, 1 pending deletion. */
  status: number;
  owner: User;
  created: number;
  domain: string;
  teams: Team[];
  projects: Project[];
  members: Member[];
  sso: AuthProvider | null;
  apiKeys: ApiKey[];
}

export interface Team {
  id: number;
  org: Organization;
  name: string;
  slug: string;
  created: number;
}

export interface Project {
  id: number;
  org: Organization;
  team: Team;
  name: string;
  slug: string;
  platform: Platform;
  public: boolean;
  created: number;
  /** Share of the events. */
  weight: number;
  keys: ProjectKey[];
  releases: Release[];
  rules: Rule[];
  /** End users that events report (`sentry.interfaces.User`). */
  endUsers: EndUser[];
}

export interface Member {
  id: number;
  org: Organization;
  /** null for a pending invite. */
  user: User | null;
  email: string | null;
  /** 0 owner, 25 admin, 50 member. */
  type: number;
  global: boolean;
  /** BitField: 1 = sso:linked. */
  flags: number;
  counter: number;
  created: number;
  teams: TeamLink[];
  requests: Team[];
}

export interface TeamLink {
  id: number;
  team: Team;
  active: boolean;
}

export interface AuthProvider {
  id: number;
  provider: string;
  config: Record<string, unknown>;
  defaultGlobalAccess: boolean;
  /** BitField: 1 = allow_unlinked. */
  flags: number;
  created: number;
  defaultTeams: Team[];
  identities: { id: number; user: User; ident: string; created: number; data: Record<string, unknown> }[];
}

export interface ApiKey {
  id: number;
  label: string;
  key: string;
  scopes: number;
  status: number;
  created: number;
  allowedOrigins: string | null;
}

export interface ProjectKey {
  id: number;
  publicKey: string;
  secretKey: string;
  label: string;
  roles: number;
  status: number;
  created: number;
}

export interface Release {
  id: number;
  project: Project;
  version: string;
  ref: string | null;
  url: string | null;
  created: number;
  released: number | null;
  /** Filled while planning groups: groups whose first release this is. */
  newGroups: number;
}

export interface Rule {
  id: number;
  label: string;
  created: number;
  data: Record<string, unknown>;
}

export interface EndUser {
  id: string;
  username: string | null;
  email: string | null;
  ip: string;
}

export interface World {
  users: User[];
  orgs: Organization[];
  teams: Team[];
  projects: Project[];
  members: Member[];
  releases: Release[];
  rules: Rule[];
}

/** ApiKey.scopes bits of 7.7 (no project:releases yet). */
export const API_SCOPES = [
  'project:read', 'project:write', 'project:delete', 'team:read', 'team:write', 'team:delete',
  'event:read', 'event:write', 'event:delete', 'org:read', 'org:write', 'org:delete',
  'member:read', 'member:write', 'member:delete',
] as const;

export function scopeMask(names: readonly (typeof API_SCOPES)[number][]): number {
  return names.reduce((m, n) => m | (1 << API_SCOPES.indexOf(n)), 0);
}

/** The organizations the seed creates: [name, slug, domain, flags, status, teams [name, slug, projects]]. */
export interface OrgSpec {
  name: string;
  slug: string;
  domain: string;
  flags?: number;
  status?: number;
  sso?: { defaultGlobalAccess: boolean; flags: number; defaultTeams: string[] };
  /** How many of PEOPLE have this as their home organization. */
  people: number;
  teams: [string, string, [string, string, Platform, number][]][];
}

export const ORG_SPECS: OrgSpec[] = [
  {
    name: 'Acme', slug: 'acme', domain: 'acme.example', people: 14,
    sso: { defaultGlobalAccess: true, flags: 0, defaultTeams: ['backend'] },
    teams: [
      ['Backend', 'backend', [['API', 'api', 'django', 30], ['Billing Worker', 'billing-worker', 'python', 8]]],
      ['Frontend', 'frontend', [['Web App', 'web-app', 'javascript', 25]]],
      ['Mobile', 'mobile', [['Android', 'android', 'java', 6]]],
      ['Data Platform', 'data-platform', [['ETL', 'etl', 'python', 4], ['Warehouse', 'warehouse', 'python', 0]]],
    ],
  },
  {
    name: 'Globex Corporation', slug: 'globex', domain: 'globex.example', people: 7, flags: 1,
    teams: [
      ['Core', 'core', [['Storefront', 'storefront', 'ruby', 10], ['Search', 'search', 'node.js', 5]]],
      ['Web', 'web', [['Website', 'website', 'php', 6]]],
    ],
  },
  {
    name: 'Initech', slug: 'initech', domain: 'initech.example', people: 6,
    sso: { defaultGlobalAccess: false, flags: 1, defaultTeams: ['infrastructure'] },
    teams: [
      ['TPS Reports', 'tps-reports', [['TPS', 'tps', 'java', 4]]],
      ['Infrastructure', 'infrastructure', [['Monitoring', 'monitoring', 'python', 3]]],
    ],
  },
  {
    name: 'Société Générale des Démos', slug: 'societe-generale-des-demos', domain: 'demos.example.fr', people: 3,
    teams: [['Équipe Paiements', 'equipe-paiements', [['Paiements', 'paiements', 'django', 3]]]],
  },
  {
    name: '株式会社さくらデータ', slug: 'sakura-data', domain: 'sakura.example.jp', people: 3,
    teams: [['開発チーム', 'kaihatsu', [['ウェブ', 'web', 'javascript', 3], ['API', 'api', 'python', 2]]]],
  },
  {
    name: 'Old Startup', slug: 'old-startup', domain: 'oldstartup.example', people: 3, status: 1,
    teams: [['Everyone', 'everyone', [['Prototype', 'prototype', 'node.js', 1]]]],
  },
];
