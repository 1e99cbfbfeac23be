import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { UsageError } from '../errors.js';
import { CATALOG, type TableSpec, catalogSpec } from './catalog.js';

/** Scope as the user gives it (docs/cli.md). */
export interface ScopeOptions {
  orgs?: string[];
  projects?: string[];
  since?: string;
  noEvents?: boolean;
}

/** Scope resolved against the source: ids, never slugs, so it means the same on every read. */
export interface Scope {
  orgIds: string[] | null;
  teamIds: string[] | null;
  projectIds: string[] | null;
  since: Date | null;
  noEvents: boolean;
  /** Stable text for the namespace identity and reports. */
  description: string;
  /**
   * The tables of this run (Sentry's catalogue and the tables found by introspection), set by
   * `planTables`; references and user look-ups are resolved against them. Unset: the catalogue.
   */
  specs?: Map<string, TableSpec>;
  /**
   * The groups in scope, read once from one database (`resolveGroupIds`): filters on them then use
   * the list instead of a sub-select, which MariaDB drives from the groups for every query of a
   * segmented scan. Only for the database it was read from; unset: the sub-select.
   */
  groupIds?: string[];
}

/** The spec of a table of the run (a discovered table's, or the catalogue's). */
export function specIn(scope: Scope, table: string): TableSpec | undefined {
  return scope.specs ? scope.specs.get(table) : catalogSpec(table);
}

function runSpecs(scope: Scope): TableSpec[] {
  return scope.specs ? [...scope.specs.values()] : CATALOG;
}

export const FULL_SCOPE: Scope = { orgIds: null, teamIds: null, projectIds: null, since: null, noEvents: false, description: 'everything' };

export function parseSince(text: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--since "${text}" is not a date`, 'use an ISO date such as 2015-07-01 or 2015-07-01T12:00:00Z');
  return d;
}

/** Look up slugs in the source; every unknown one is reported together (exit 2). */
export async function resolveScope(db: Kysely<any>, o: ScopeOptions): Promise<Scope> {
  const since = o.since ? parseSince(o.since) : null;
  const noEvents = Boolean(o.noEvents);
  const orgs = o.orgs ?? [];
  const projects = o.projects ?? [];
  const parts: string[] = [];
  if (since) parts.push(`since ${since.toISOString()}`);
  if (noEvents) parts.push('no events');
  if (!orgs.length && !projects.length) {
    return { ...FULL_SCOPE, since, noEvents, description: ['everything', ...parts].join(', ') };
  }
  const problems: string[] = [];
  const orgIds = new Set<string>();
  const projectIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const slug of orgs) {
    const row = await db.selectFrom('sentry_organization').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!row) problems.push(`--org ${slug}: no organization with that slug in the source`);
    else orgIds.add(String(row.id));
  }
  if (orgIds.size) {
    const ids = [...orgIds];
    for (const r of await db.selectFrom('sentry_project').select('id').where('organization_id', 'in', ids).execute()) projectIds.add(String(r.id));
    for (const r of await db.selectFrom('sentry_team').select('id').where('organization_id', 'in', ids).execute()) teamIds.add(String(r.id));
  }
  for (const ref of projects) {
    const m = /^([^/]+)\/([^/]+)$/.exec(ref);
    if (!m) {
      problems.push(`--project ${ref}: expected ORG/PROJECT, e.g. acme/backend`);
      continue;
    }
    const row = await db
      .selectFrom('sentry_project as p')
      .innerJoin('sentry_organization as o', 'o.id', 'p.organization_id')
      .select(['p.id', 'p.team_id', 'p.organization_id'])
      .where('o.slug', '=', m[1])
      .where('p.slug', '=', m[2])
      .executeTakeFirst();
    if (!row) problems.push(`--project ${ref}: no such project in the source`);
    else {
      projectIds.add(String(row.id));
      teamIds.add(String(row.team_id));
      orgIds.add(String(row.organization_id));
    }
  }
  if (problems.length) throw new UsageError(problems.join('\n  '), 'check the slugs with your Sentry admin page or the source database');
  const desc = [...orgs.map((s) => `org ${s}`), ...projects.map((p) => `project ${p}`), ...parts].join(', ');
  return { orgIds: [...orgIds], teamIds: [...teamIds], projectIds: [...projectIds], since, noEvents, description: desc };
}

type Filter = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

const TRUE: Filter = () => sql<SqlBool>`1 = 1`;

/** Ids as SQL literals-by-parameter; an empty list matches nothing. */
function inList(eb: ExpressionBuilder<any, any>, column: string, ids: string[]): Expression<SqlBool> {
  return ids.length ? eb(eb.ref(column), 'in', ids) : sql<SqlBool>`1 = 0`;
}

/** Groups in scope, as a sub-select (project scope and --since). */
function inGroups(db: Kysely<any>, eb: ExpressionBuilder<any, any>, column: string, s: Scope): Expression<SqlBool> {
  if (!s.groupIds) return eb(eb.ref(column), 'in', groupSubquery(db, s));
  if (!s.groupIds.length) return sql<SqlBool>`1 = 0`;
  // Numeric literals, not parameters: a parameter takes the column's type, and a 64-bit group id does
  // not fit a 32-bit column (sentry_messageindex.object_id) that merely cannot match it. The ids were
  // read from the database as integers (checked here), never typed by a user.
  if (!s.groupIds.every((id) => /^-?\d+$/.test(id))) throw new Error('group ids must be integers');
  return sql<SqlBool>`${sql.ref(column)} IN (${sql.raw(s.groupIds.join(', '))})`;
}

/**
 * The ids of the groups in scope in this database, when there are at most `limit` of them (a list
 * that size is cheaper to send with every query than the sub-select is to run); null otherwise, or
 * when the scope does not narrow groups.
 */
export async function resolveGroupIds(db: Kysely<any>, scope: Scope, limit = 20_000): Promise<string[] | null> {
  if (scope.projectIds === null && !scope.since) return null;
  const rows = await groupSubquery(db, { ...scope, groupIds: undefined }).limit(limit + 1).execute();
  return rows.length > limit ? null : rows.map((r) => String(r.id));
}

function groupSubquery(db: Kysely<any>, scope: Scope) {
  let q = db.selectFrom('sentry_groupedmessage').select('id');
  if (scope.projectIds) q = q.where((eb) => inList(eb, 'project_id', scope.projectIds!));
  if (scope.since) q = q.where('last_seen', '>=', scope.since);
  return q;
}

/**
 * The WHERE condition that picks a table's rows for a scope. `nodes` tables return null: their
 * rows are found from the events the export carries (node ids live inside pickles).
 */
export function scopeFilter(db: Kysely<any>, t: TableSpec, scope: Scope): Filter | null {
  const s = scope;
  const since = s.since && t.since && t.eventData ? s.since : null;
  const withSince = (f: Filter): Filter => (since ? (eb) => eb.and([f(eb), eb(eb.ref(t.since!), '>=', since)]) : f);
  const unscoped = s.orgIds === null;
  switch (t.scope.by) {
    case 'all':
      return TRUE;
    case 'nodes':
      return unscoped && !s.since ? TRUE : null;
    case 'org-id':
      return unscoped ? TRUE : (eb) => inList(eb, 'id', s.orgIds!);
    case 'team-id':
      return unscoped ? TRUE : (eb) => inList(eb, 'id', s.teamIds!);
    case 'project-id':
      return unscoped ? TRUE : (eb) => inList(eb, 'id', s.projectIds!);
    case 'org':
      return unscoped ? TRUE : (eb) => inList(eb, t.scope.by === 'org' ? t.scope.column : '', s.orgIds!);
    case 'team': {
      const col = t.scope.column;
      return unscoped ? TRUE : (eb) => inList(eb, col, s.teamIds!);
    }
    case 'member': {
      const col = t.scope.column;
      return unscoped ? TRUE : (eb) => eb(eb.ref(col), 'in', db.selectFrom('sentry_organizationmember').select('id').where((e) => inList(e, 'organization_id', s.orgIds!)));
    }
    case 'provider': {
      const col = t.scope.column;
      return unscoped ? TRUE : (eb) => eb(eb.ref(col), 'in', db.selectFrom('sentry_authprovider').select('id').where((e) => inList(e, 'organization_id', s.orgIds!)));
    }
    case 'project': {
      const col = t.scope.column;
      if (t.table === 'sentry_useroption') {
        // Global options (project_id NULL) of the users carried, plus options of carried projects.
        return unscoped ? TRUE : (eb) => eb.or([inList(eb, col, s.projectIds!), eb.and([eb(eb.ref(col), 'is', null), eb(eb.ref('user_id'), 'in', userSubquery(db, s))])]);
      }
      if (t.table === 'sentry_groupedmessage' || t.table === 'sentry_userreport') {
        const base: Filter = unscoped ? TRUE : (eb) => inList(eb, col, s.projectIds!);
        if (t.table === 'sentry_userreport' && s.since) {
          return (eb) => eb.and([base(eb), eb.or([eb(eb.ref('group_id'), 'is', null), inGroups(db, eb, 'group_id', s)])]);
        }
        return withSince(base);
      }
      return withSince(unscoped ? TRUE : (eb) => inList(eb, col, s.projectIds!));
    }
    case 'group': {
      const col = t.scope.column;
      const groups: Filter = unscoped && !s.since ? TRUE : (eb) => inGroups(db, eb, col, s);
      if (t.table === 'sentry_activity') {
        // Activity may have no group (project-level) and may point at an event.
        const projectOk: Filter = unscoped ? TRUE : (eb) => inList(eb, 'project_id', s.projectIds!);
        const eventOk: Filter = !s.since
          ? TRUE
          : (eb) => eb.or([eb(eb.ref('event_id'), 'is', null), eb(eb.ref('event_id'), 'in', eventSubquery(db, s))]);
        return (eb) => eb.and([projectOk(eb), eb.or([eb(eb.ref(col), 'is', null), groups(eb)]), eventOk(eb)]);
      }
      if (unscoped && !s.since) return TRUE;
      return withSince(groups);
    }
    case 'users':
      return unscoped ? TRUE : (eb) => eb(eb.ref('id'), 'in', userSubquery(db, s));
    case 'user': {
      const col = t.scope.column;
      return unscoped ? TRUE : (eb) => eb(eb.ref(col), 'in', userSubquery(db, s));
    }
    case 'referenced': {
      // Every file a carried release file points at; unscoped, all of them (--since is for event data).
      if (unscoped) return TRUE;
      const from = t.scope.from.filter((f) => specIn(s, f.table));
      if (!from.length) return () => sql<SqlBool>`1 = 0`;
      return (eb) => eb.or(from.map((f) => {
        const inner = scopeFilter(db, specIn(s, f.table)!, s) ?? TRUE;
        return eb(eb.ref('id'), 'in', db.selectFrom(f.table).select(sql.ref(f.column).as('rid')).where(inner).where(sql.ref(f.column), 'is not', null));
      }));
    }
    case 'refs':
      return withSince(refsFilter(db, t, s));
  }
}

/**
 * A row comes along when every row it references comes along (or the reference is NULL): a child of
 * a carried row. References to users and to referenced-by tables (files) are not filters: those
 * rows follow the rows that point at them. TRUE when nothing narrows it.
 */
function refsFilter(db: Kysely<any>, t: TableSpec, s: Scope): Filter {
  const parts: Filter[] = [];
  for (const r of t.refs ?? []) {
    const parent = specIn(s, r.table);
    if (!parent || parent.table === t.table || !narrows(parent)) continue;
    const pf = scopeFilter(db, parent, s);
    if (pf === null || pf === TRUE) continue;
    parts.push((eb) => eb.or([
      eb(eb.ref(r.column), 'is', null),
      eb(eb.ref(r.column), 'in', db.selectFrom(r.table).select(sql.ref(r.refColumn).as('rid')).where(pf)),
    ]));
  }
  return parts.length ? (eb) => eb.and(parts.map((p) => p(eb))) : TRUE;
}

/**
 * Whether the scope selects rows by what other tables hold (an organization's projects, the groups with
 * events since a date): then which rows of one table are in scope depends on the others.
 */
export function selectsByReference(scope: Scope): boolean {
  return scope.orgIds !== null || Boolean(scope.since);
}

/** Whether a table's rule can narrow the rows that reference it (users and files follow instead). */
export function narrows(t: TableSpec): boolean {
  return !['users', 'user', 'referenced', 'all'].includes(t.scope.by);
}

function eventSubquery(db: Kysely<any>, s: Scope) {
  const t = catalogSpec('sentry_message')!;
  return db.selectFrom('sentry_message').select('id').where(scopeFilter(db, t, s)!);
}

/** Every user a scoped export must carry: the union of user references of the scoped tables. */
function userSubquery(db: Kysely<any>, s: Scope) {
  // Only the run's tables: a source that lacks one of Sentry's tables must not break the look-up.
  const refs = runSpecs(s).filter((t) => t.userRefs && !(s.noEvents && t.eventData) && !t.fullOnly && t.table !== 'sentry_useroption' && t.scope.by !== 'user');
  let q: any = null;
  for (const t of refs) {
    const f = scopeFilter(db, t, s)!;
    for (const col of t.userRefs!) {
      const part = db.selectFrom(t.table).select(sql.ref(col).as('uid')).where(f).where(sql.ref(col), 'is not', null);
      q = q ? q.union(part) : part;
    }
  }
  if (!q) return db.selectFrom('auth_user').select('id as uid').where(sql<SqlBool>`1 = 0`);
  return db.selectFrom(q.as('u')).select('u.uid');
}
