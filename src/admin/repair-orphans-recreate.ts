import type { Kysely } from 'kysely';
import type { SentryDb } from '../db/sentry-db.js';
import { UsageError } from '../errors.js';
import { AUDIT, decodeAuditData } from './audit-log.js';
import type { OrgGroup } from './orphaned-teams.js';
import { type OpList, freeSlug } from './repair-orphans-ops.js';

/**
 * Default repair: re-create each missing organization with its original id, so every team,
 * project, member, key and audit row still pointing at it comes back at once, as Sentry 7.7
 * creates one (web/frontend/create_organization.py + receivers/core.py
 * `create_org_member_for_owner`): status visible, flags 0, an owner, the owner's membership with
 * type OWNER (0) and global access, and an ORG_ADD audit entry with `get_audit_log_data()`.
 *
 * One deliberate departure, shown in the preview: when the owner already has a membership in the re-created
 * organization that is not an owner's with global access, we RAISE it to owner with global access. Sentry's
 * create_org_member_for_owner would not: its `member_set.get_or_create(user=owner, type=OWNER, has_global_access=True)`
 * finds no such row, tries to insert a second membership for the same user and fails on the unique (organization,
 * user). The change is recorded the way Sentry records a role change made in its member form: a MEMBER_EDIT entry
 * (web/forms/edit_organization_member.py EditOrganizationMemberForm.save) with the member's get_audit_log_data().
 */

export const OWNER_TYPE = 0;
/** constants.py RESERVED_ORGANIZATION_SLUGS (7.7). */
export const RESERVED_ORG_SLUGS = new Set([
  'admin', 'manage', 'login', 'account', 'register', 'api', 'accept', 'organizations', 'teams', 'projects', 'help',
  'docs', 'logout', '404', '500', '_static',
]);
const SLUG = /^[a-z0-9_-]{1,50}$/;

export interface Owner {
  id: string;
  username: string;
}

export interface RecreatedOrg {
  organizationId: string;
  slug: string;
  name: string;
  /** Where the slug came from: --new-org, the organization's own audit log, or `recovered-<id>`. */
  slugFrom: 'flag' | 'audit-log' | 'derived';
  owner: Owner;
  /** `create`: a new owner membership; `promote`: the owner's membership there becomes OWNER; `keep`: already owner. */
  ownerMembership: 'create' | 'promote' | 'keep';
  /** With `promote`: the membership raised, as it was. */
  promoted?: { memberId: string; type: number; hasGlobalAccess: boolean };
}

export interface RecreateOptions {
  newOrg?: string;
  name?: string;
  owner?: string;
  actorLabel: string;
}

/** Check a slug given on the command line; Sentry's SlugField, lower case as its slugify makes it. */
export function checkOrgSlug(slug: string, flag: string): void {
  if (!SLUG.test(slug)) throw new UsageError(`${flag} "${slug}" is not a slug: use 1-50 lower-case letters, digits, "-" or "_"`);
  if (RESERVED_ORG_SLUGS.has(slug)) throw new UsageError(`${flag} "${slug}" is reserved by Sentry for its own URLs; choose another`);
}

export async function planRecreate(db: Kysely<SentryDb>, groups: OrgGroup[], opts: RecreateOptions, ops: OpList): Promise<RecreatedOrg[]> {
  // A named owner is checked even when nothing is missing: bad input is refused, not ignored.
  const owner = groups.length || opts.owner !== undefined ? await resolveOwner(db, opts.owner) : null;
  if (groups.length === 0 || !owner) return [];
  if (opts.newOrg && groups.length > 1) {
    throw new UsageError(
      `--new-org names one organization, but ${groups.length} are missing (ids ${groups.map((g) => g.organizationId).join(', ')})`,
      'leave --new-org out to re-create each under its old slug (from its audit log) or recovered-<id>, or use --into-org SLUG',
    );
  }
  const taken = new Set((await db.selectFrom('sentry_organization').select('slug').execute()).map((r) => String(r.slug).toLowerCase()));
  if (opts.newOrg && taken.has(opts.newOrg)) {
    throw new UsageError(`an organization with slug "${opts.newOrg}" already exists`, `to move the teams into it, use --into-org ${opts.newOrg}`);
  }
  const recovered = await recoveredNames(db, groups.map((g) => g.organizationId));
  const out: RecreatedOrg[] = [];
  const now = new Date();
  for (const g of groups) {
    const id = g.organizationId;
    const old = recovered.get(id);
    let slug: string;
    let slugFrom: RecreatedOrg['slugFrom'];
    if (opts.newOrg) [slug, slugFrom] = [freeSlug(opts.newOrg, taken), 'flag'];
    else if (old && SLUG.test(old.slug) && !RESERVED_ORG_SLUGS.has(old.slug) && !taken.has(old.slug)) [slug, slugFrom] = [freeSlug(old.slug, taken), 'audit-log'];
    else [slug, slugFrom] = [freeSlug(`recovered-${id}`, taken), 'derived'];
    const name = (opts.newOrg ? opts.name ?? slug : slugFrom === 'audit-log' && old!.name ? old!.name : slug).slice(0, 64);

    ops.insert('sentry_organization', { id, name, slug, status: 0, date_added: now, flags: 0, owner_id: owner.id });
    ops.syncSequence('sentry_organization');
    const { ownerMembership, promoted } = await planOwnerMembership(db, id, owner, now, opts.actorLabel, ops);
    ops.audit({
      organizationId: id, event: AUDIT.ORG_ADD, targetObject: id, targetUserId: null, actorLabel: opts.actorLabel,
      data: { slug, name, status: 0, flags: 0 },
    });
    out.push({ organizationId: id, slug, name, slugFrom, owner, ownerMembership, ...(promoted ? { promoted } : {}) });
  }
  return out;
}

/**
 * `--owner` by id, username or e-mail (an e-mail must name one user); else the first active
 * superuser by id, as Sentry's own default organization is owned by the first superuser
 * (receivers/core.py `create_default_project`). Refused (exit 2) when there is neither.
 */
export async function resolveOwner(db: Kysely<SentryDb>, wanted?: string): Promise<Owner> {
  const pick = (r: { id: unknown; username: string }) => ({ id: String(r.id), username: r.username });
  const cols = ['id', 'username', 'email', 'is_active', 'is_superuser'] as const;
  if (wanted === undefined) {
    const su = await db.selectFrom('auth_user').select(cols).where('is_superuser', '=', true).where('is_active', '=', true).orderBy('id').limit(1).executeTakeFirst();
    if (!su) throw new UsageError('no --owner given and there is no active superuser to own the re-created organization', 'pass --owner USER (id, username or e-mail)');
    return pick(su);
  }
  const byName = await db.selectFrom('auth_user').select(cols).where('username', '=', wanted).executeTakeFirst();
  const byId = /^\d{1,18}$/.test(wanted) ? await db.selectFrom('auth_user').select(cols).where('id', '=', Number(wanted)).executeTakeFirst() : undefined;
  const byEmail = byName || byId ? [] : await db.selectFrom('auth_user').select(cols)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', wanted.toLowerCase())).limit(2).execute();
  if (byEmail.length > 1) throw new UsageError(`--owner "${wanted}": several users have this e-mail`, 'give the username or the user id instead');
  const user = byName ?? byId ?? byEmail[0];
  if (!user) throw new UsageError(`--owner "${wanted}": no user with this id, username or e-mail`);
  if (!user.is_active) throw new UsageError(`--owner "${wanted}": user ${user.username} is not active`, 'choose an active user');
  return pick(user);
}

async function planOwnerMembership(db: Kysely<SentryDb>, orgId: string, owner: Owner, now: Date, actorLabel: string, ops: OpList) {
  const members = await db.selectFrom('sentry_organizationmember')
    .select(['id', 'user_id', 'type', 'has_global_access', 'email'])
    .where('organization_id', '=', orgId).execute();
  const mine = members.find((m) => String(m.user_id) === owner.id);
  if (!mine) {
    // OrganizationMember.save() then _set_counter(): the number of members including this one.
    ops.insert('sentry_organizationmember', {
      organization_id: orgId, user_id: owner.id, type: OWNER_TYPE, date_added: now, email: null,
      has_global_access: true, flags: 0, counter: members.length + 1,
    });
    return { ownerMembership: 'create' as const };
  }
  if (Number(mine.type) === OWNER_TYPE && mine.has_global_access) return { ownerMembership: 'keep' as const };
  ops.update('sentry_organizationmember', String(mine.id), { type: OWNER_TYPE, has_global_access: true }, { type: Number(mine.type), has_global_access: Boolean(mine.has_global_access) });
  // OrganizationMember.get_teams() with global access: the org's teams minus the ones left (inactive link).
  const teams = await db.selectFrom('sentry_team as t').select('t.id').where('t.organization_id', '=', orgId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('sentry_organizationmember_teams as l').select('l.id')
      .whereRef('l.team_id', '=', 't.id').where('l.organizationmember_id', '=', mine.id).where('l.is_active', '=', false))))
    .orderBy('t.id').execute();
  // A raised role is on record as Sentry's member form records one (MEMBER_EDIT, see the file comment).
  ops.audit({
    organizationId: orgId, event: AUDIT.MEMBER_EDIT, targetObject: String(mine.id), targetUserId: owner.id, actorLabel,
    data: { email: mine.email ?? null, user: Number(owner.id), teams: teams.map((t) => Number(t.id)), has_global_access: true },
  });
  return {
    ownerMembership: 'promote' as const,
    promoted: { memberId: String(mine.id), type: Number(mine.type), hasGlobalAccess: Boolean(mine.has_global_access) },
  };
}

/**
 * The last slug and name an organization had, from its own ORG_ADD / ORG_EDIT audit entries
 * (data = Organization.get_audit_log_data(): slug, name, status, flags), when they survived it.
 */
async function recoveredNames(db: Kysely<SentryDb>, ids: string[]): Promise<Map<string, { slug: string; name: string | null }>> {
  const rows = await db.selectFrom('sentry_auditlogentry')
    .select(['organization_id', 'data'])
    .where('organization_id', 'in', ids)
    .where('event', 'in', [AUDIT.ORG_ADD, AUDIT.ORG_EDIT])
    .orderBy('datetime').orderBy('id')
    .execute();
  const out = new Map<string, { slug: string; name: string | null }>();
  for (const r of rows) {
    const data = safeDecode(r.data);
    const slug = text(data?.slug);
    if (slug) out.set(String(r.organization_id), { slug: slug.toLowerCase(), name: text(data?.name) });
  }
  return out;
}

function safeDecode(value: unknown): Record<string, unknown> | null {
  try {
    const d = decodeAuditData(String(value)) as unknown;
    if (d instanceof Map) return Object.fromEntries([...d].map(([k, v]) => [String(k), v]));
    return d && typeof d === 'object' ? (d as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s ? s : null;
}
