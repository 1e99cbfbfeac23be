import type { Compilable, Kysely, UpdateResult } from 'kysely';
import type { SentryDb } from '../db/sentry-db.js';
import { AUDIT, type AuditActor } from './audit-log.js';
import { chunks } from './user-list.js';

/**
 * The statements of reset-global-access: the UPDATEs apply() runs, and the same statements as the preview shows them.
 */

/** Ids per UPDATE (and per read of the plan). */
export const CHUNK = 10_000;

/** What the statements depend on (a ResetPlan): the memberships and providers that change, the links added, the actor. */
export interface SqlInput {
  members: { id: string }[];
  organizations: { provider: { id: string; willChange: boolean } | null }[];
  totals: { linksAdded: number };
  actor: AuditActor;
}

/** One UPDATE of apply(): run with executeTakeFirst, shown compiled in the preview. */
export interface PlannedUpdate {
  table: string;
  rows: number;
  query: Compilable & { executeTakeFirst(): Promise<UpdateResult> };
}

/** The UPDATEs apply() runs: set-based, over id lists of at most CHUNK ids each. */
export function updates(db: Kysely<SentryDb>, plan: SqlInput): PlannedUpdate[] {
  const providerIds = plan.organizations.flatMap((o) => (o.provider?.willChange ? [o.provider.id] : []));
  const out: PlannedUpdate[] = chunks(plan.members.map((m) => m.id), CHUNK).map((part) => ({
    table: 'sentry_organizationmember',
    rows: part.length,
    query: db.updateTable('sentry_organizationmember').set({ has_global_access: false })
      .where('id', 'in', part).where('has_global_access', '=', true),
  }));
  if (providerIds.length) {
    out.push({
      table: 'sentry_authprovider',
      rows: providerIds.length,
      query: db.updateTable('sentry_authprovider').set({ default_global_access: false })
        .where('id', 'in', providerIds).where('default_global_access', '=', true),
    });
  }
  return out;
}

export interface ShownSql {
  sql: string;
  params: string;
  rows: number;
}

/** The statements as the preview shows them: long id lists folded, parameters listed apart. */
export function shownSql(db: Kysely<SentryDb>, plan: SqlInput): ShownSql[] {
  const fold = (xs: readonly unknown[]) =>
    (xs.length > 8 ? [...xs.slice(0, 3).map(show), `… ${xs.length - 5} more …`, ...xs.slice(-2).map(show)] : xs.map(show)).join(', ');
  const all = updates(db, plan);
  const shown: ShownSql[] = [];
  all.forEach(({ query, rows }, i) => {
    const memberChunks = all.filter((u) => u.table === 'sentry_organizationmember').length;
    if (i > 0 && all[i - 1].table === all[i].table) return; // same statement, next id chunk
    const c = query.compile();
    const sql = c.sql.replace(/\(((?:\?|\$\d+)(?:, (?:\?|\$\d+)){8,})\)/g, (_m, list: string) => {
      const items = list.split(', ');
      return `(${items[0]}, ${items[1]}, … ${items.length} in all …, ${items[items.length - 1]})`;
    });
    const more = all[i].table === 'sentry_organizationmember' && memberChunks > 1
      ? `; ${memberChunks} such statements of up to ${CHUNK} ids, ${plan.members.length} rows in all` : '';
    shown.push({ sql, params: fold(c.parameters) + more, rows: all.filter((u) => u.table === all[i].table).reduce((n, u) => n + u.rows, 0) });
  });
  if (plan.totals.linksAdded) {
    shown.push({
      sql: 'insert into sentry_organizationmember_teams (team_id, organizationmember_id, is_active) values …',
      params: 'one row per member and team the member sees now but has no link to, multi-row, is_active true (--keep-team-access)',
      rows: plan.totals.linksAdded,
    });
  }
  if (plan.members.length) {
    shown.push({
      sql: 'insert into sentry_auditlogentry (organization_id, actor_id, actor_key_id, actor_label, target_object, target_user_id, event, data, datetime, ip_address) values …',
      params: `one row per membership, multi-row: event ${AUDIT.MEMBER_EDIT} (member.edit), actor_id ${plan.actor.id ?? 'NULL'}, actor_label ${JSON.stringify(plan.actor.label)}, data get_audit_log_data()`,
      rows: plan.members.length,
    });
  }
  return shown;
}

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));
