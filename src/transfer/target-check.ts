import { sql, type Kysely } from 'kysely';
import type { Connection } from '../db/connect.js';
import { UsageError } from '../errors.js';
import { type Journal, journalPath, journalRow, markJournalApplied, newJournal, writeJournal } from '../journal/journal.js';

/**
 * A target made by Sentry's own `sentry upgrade` is not empty: it holds Sentry's default user,
 * organization `sentry`, team `sentry`, its project(s) with keys and options, the owner's
 * membership, and system options (docs/sentry7-schema.md §5.2). We recognise exactly those
 * and offer to replace them (--replace-defaults); any other data in a table we would fill is a
 * refusal (exit 2, nothing written).
 */
export interface TargetState {
  nonEmpty: { table: string; rows: number }[];
  /** Set when every row found is one of Sentry's defaults. */
  defaults: DefaultRows | null;
}

export interface DefaultRows {
  orgIds: string[];
  teamIds: string[];
  projectIds: string[];
  userIds: string[];
  description: string;
}

/** Delete order for defaults: children first. */
const DEFAULT_TABLES = [
  'sentry_projectoptions', 'sentry_projectkey', 'sentry_organizationmember_teams', 'sentry_organizationmember',
  'sentry_project', 'sentry_team', 'sentry_organization', 'sentry_useroption', 'auth_user', 'sentry_option',
];

export async function inspectTarget(target: Connection, tables: string[]): Promise<TargetState> {
  const nonEmpty: { table: string; rows: number }[] = [];
  for (const t of tables) {
    const r = await target.db.selectFrom(t).select(sql<string>`COUNT(*)`.as('n')).executeTakeFirst();
    const n = Number(r?.n ?? 0);
    if (n > 0) nonEmpty.push({ table: t, rows: n });
  }
  if (!nonEmpty.length) return { nonEmpty, defaults: null };
  return { nonEmpty, defaults: await recogniseDefaults(target.db, nonEmpty.map((x) => x.table)) };
}

async function recogniseDefaults(db: Kysely<any>, tables: string[]): Promise<DefaultRows | null> {
  if (tables.some((t) => !DEFAULT_TABLES.includes(t))) return null;
  const orgs = await db.selectFrom('sentry_organization').select(['id', 'slug', 'owner_id']).execute();
  if (orgs.length > 1 || orgs.some((o) => o.slug !== 'sentry')) return null;
  const orgIds = orgs.map((o) => String(o.id));
  const teams = await db.selectFrom('sentry_team').select(['id', 'slug', 'organization_id']).execute();
  if (teams.length > 1 || teams.some((t) => t.slug !== 'sentry' || !orgIds.includes(String(t.organization_id)))) return null;
  const projects = await db.selectFrom('sentry_project').select(['id', 'organization_id']).execute();
  if (projects.length > 2 || projects.some((p) => !orgIds.includes(String(p.organization_id)))) return null;
  const projectIds = projects.map((p) => String(p.id));
  const foreign = async (table: string, col: string, ids: string[]) => {
    let q = db.selectFrom(table).select(sql<string>`COUNT(*)`.as('n'));
    if (ids.length) q = q.where(col, 'not in', ids);
    return Number((await q.executeTakeFirst())?.n ?? 0) > 0;
  };
  if (await foreign('sentry_projectkey', 'project_id', projectIds)) return null;
  if (await foreign('sentry_projectoptions', 'project_id', projectIds)) return null;
  if (await foreign('sentry_organizationmember', 'organization_id', orgIds)) return null;
  const users = await db.selectFrom('auth_user').select(['id', 'is_superuser', 'username']).execute();
  if (users.length > 2) return null;
  const userIds = users.map((u) => String(u.id));
  const slugs = orgs.length ? `organization "sentry", team "sentry", ${projects.length} project(s)` : 'system options';
  return {
    orgIds, teamIds: teams.map((t) => String(t.id)), projectIds, userIds,
    description: `Sentry's default rows (${slugs}, ${users.length} user(s): ${users.map((u) => u.username).join(', ') || 'none'})`,
  };
}

/** Refuse a non-empty target, naming what is there and the flag that replaces Sentry's defaults. */
export function refuseNonEmpty(state: TargetState, url: string): never {
  const list = state.nonEmpty.map((x) => `${x.table} (${x.rows})`).join(', ');
  if (state.defaults) {
    throw new UsageError(
      `the target ${url} holds ${state.defaults.description}, created by \`sentry upgrade\`; nothing was written`,
      'pass --replace-defaults to delete them (journaled, reversible with `sentry-admin undo`) and load the source in their place',
    );
  }
  throw new UsageError(`the target ${url} already holds data in tables this run would fill: ${list}; nothing was written`, 'migrate into an empty Sentry schema (or one holding only Sentry\'s defaults)');
}

/** Delete Sentry's default rows in one transaction, journaled so `undo` can put them back. */
export async function replaceDefaults(target: Connection, defaults: DefaultRows, journalDirectory: string): Promise<{ journal: string; rows: number }> {
  const journal: Journal = newJournal('replace-defaults', target.url.masked, target.engine, defaults.description);
  const path = journalPath(journalDirectory, 'replace-defaults');
  let rows = 0;
  await target.db.transaction().execute(async (tx) => {
    // Children first, each with the rows as they were, so undo can re-insert them (newest change undone first).
    for (const table of DEFAULT_TABLES) {
      const all = await tx.selectFrom(table).selectAll().execute();
      for (const row of all) journal.changes.push({ table, key: { id: String(row.id) }, op: 'delete', before: journalRow(row) });
      if (all.length) await tx.deleteFrom(table).execute();
      rows += all.length;
    }
    writeJournal(path, journal);
  });
  markJournalApplied(path, journal);
  return { journal: path, rows };
}
