import type { Kysely } from 'kysely';
import { UsageErrors } from '../errors.js';
import { decodeGzippedDict, encodeGzippedDict } from '../codec/sentry-encodings.js';
import { PyStr, type PyValue, toPlain } from '../codec/py-value.js';
import type { BulkSession } from '../db/bulk.js';
import type { EngineAdapter } from '../db/engine.js';
import type { SentryDb } from '../db/sentry-db.js';
import { type JournalChange, journalRow } from '../journal/journal.js';
import { resolveUsers, userArgs } from './user-list.js';

/** AuditLogEntryEvent of Sentry 7.7 (docs/sentry7-schema.md §3.5; ORG_REMOVE/ORG_RESTORE are later). */
export const AUDIT = {
  MEMBER_INVITE: 1,
  MEMBER_ADD: 2,
  MEMBER_ACCEPT: 3,
  MEMBER_EDIT: 4,
  MEMBER_REMOVE: 5,
  MEMBER_JOIN_TEAM: 6,
  MEMBER_LEAVE_TEAM: 7,
  ORG_ADD: 10,
  ORG_EDIT: 11,
  TEAM_ADD: 20,
  TEAM_EDIT: 21,
  TEAM_REMOVE: 22,
  PROJECT_ADD: 30,
  PROJECT_EDIT: 31,
  PROJECT_REMOVE: 32,
} as const;

export interface AuditEntryInput {
  organizationId: string;
  event: number;
  /** Id of the affected row (not a foreign key). */
  targetObject: string | null;
  targetUserId: string | null;
  /** The model's get_audit_log_data(); keys are written as Python `str`, as in Sentry's source. */
  data: Record<string, PyValue>;
  /** Who did it; Sentry fills this from the actor, we name the tool and command (max 64 chars). */
  actorLabel: string;
  /** auth_user.id of the actor (`--actor`), or none: then `actorLabel` names the tool. */
  actorId?: string | null;
}

/** Who an admin command's audit entries name: a Sentry user (`--actor`), or the tool. */
export interface AuditActor {
  id: string | null;
  label: string;
}

/**
 * `--actor USER` (id, username or e-mail of one Sentry user): the audit entries name that user as Sentry's UI would,
 * actor_id the user and actor_label its username (AuditLogEntry.save, models/auditlogentry.py at 7.7.0). Without it,
 * no actor_id and `fallback` (the tool) as the label. A reference that matches no user, or several, is refused (exit 2).
 */
export async function resolveActor(db: Kysely<SentryDb>, ref: string | undefined, fallback: string): Promise<AuditActor> {
  if (ref === undefined || ref === '') return { id: null, label: fallback };
  const refs = userArgs([ref]).map((r) => ({ ...r, source: `--actor ${ref}` }));
  const { users, problems } = await resolveUsers(db, refs);
  if (problems.length || users.length !== 1) {
    throw new UsageErrors(problems.length ? problems : [`--actor ${ref} names no single user`], 'give the id, username or e-mail of one Sentry user (or set SENTRY_ADMIN_ACTOR)');
  }
  if (!users[0].isActive) throw new UsageErrors([`--actor ${ref}: ${users[0].username} (id ${users[0].id}) is not an active user, so could not have made this change in Sentry`]);
  return { id: users[0].id, label: users[0].username.slice(0, 64) };
}

export type AuditRow = ReturnType<typeof auditRow>;

function auditRow(e: AuditEntryInput, datetime: Date) {
  return {
    organization_id: e.organizationId,
    actor_id: e.actorId ?? null,
    actor_key_id: null,
    actor_label: e.actorLabel.slice(0, 64),
    target_object: e.targetObject,
    target_user_id: e.targetUserId,
    event: e.event,
    data: encodeGzippedDict(sentryDict(e.data)),
    datetime,
    ip_address: null,
  };
}

/**
 * Encode audit rows as Sentry's own edits would: `data` is a GzippedDictField, base64(zlib(cPickle protocol 0)) of
 * the dict (docs/sentry7-schema.md §7.1). About 10 µs a row, most of it zlib, so it yields to the event loop every 1000 rows: a caller can
 * run its UPDATEs meanwhile (100,000 rows encode in about a second).
 * `datetime` keeps the engine's precision, as Django 1.6 writes timezone.now() (EngineAdapter.storedNow).
 */
export async function encodeAuditRows(entries: AuditEntryInput[], adapter: Pick<EngineAdapter, 'storedNow'>, now = new Date()): Promise<AuditRow[]> {
  const datetime = adapter.storedNow(now);
  const rows: AuditRow[] = [];
  for (let i = 0; i < entries.length; i++) {
    rows.push(auditRow(entries[i], datetime));
    if (i % AUDIT_CHUNK === AUDIT_CHUNK - 1) await new Promise<void>((r) => setImmediate(r));
  }
  return rows;
}

/**
 * Insert encoded audit rows and return the journal changes (the rows as inserted) for `undo`: with `bulk` (a session
 * whose `db` the caller's transaction runs on) by COPY / LOAD DATA, else 1000 rows a statement.
 */
export async function insertAuditRows(db: Kysely<SentryDb>, adapter: EngineAdapter, rows: AuditRow[], bulk?: BulkSession): Promise<JournalChange[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]) as (keyof AuditRow)[];
  const ids = (bulk && await bulk.loadReturningIds('sentry_auditlogentry', columns, rows.map((r) => columns.map((c) => r[c]))))
    ?? await adapter.insertReturningIds(db, 'sentry_auditlogentry', rows);
  return rows.map((r, i) => ({
    table: 'sentry_auditlogentry',
    key: { id: ids[i] },
    op: 'insert' as const,
    after: journalRow({ id: ids[i], ...r }),
  }));
}

/** encodeAuditRows + insertAuditRows. */
export async function insertAuditEntries(db: Kysely<SentryDb>, adapter: EngineAdapter, entries: AuditEntryInput[], now = new Date()): Promise<JournalChange[]> {
  return insertAuditRows(db, adapter, await encodeAuditRows(entries, adapter, now));
}

const AUDIT_CHUNK = 1000;

/** A dict with Python `str` keys (Sentry's literals), values as given. */
export function sentryDict(data: Record<string, PyValue>): Map<PyValue, PyValue> {
  return new Map<PyValue, PyValue>(Object.entries(data).map(([k, v]) => [new PyStr(k), v]));
}

/** Decode an audit row's `data` to plain JSON-able values (for reports and tests). */
export function decodeAuditData(text: string | null): unknown {
  return toPlain(decodeGzippedDict(text));
}
