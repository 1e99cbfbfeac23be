import type { Kysely } from 'kysely';
import { decodeGzippedDict, encodeGzippedDict } from '../codec/sentry-encodings.js';
import { PyStr, type PyValue, toPlain } from '../codec/py-value.js';
import type { EngineAdapter } from '../db/engine.js';
import { type JournalChange, journalRow } from './journal.js';

/** AuditLogEntryEvent of Sentry 7.7 (../shared/sentry7-schema.md §3.5; ORG_REMOVE/ORG_RESTORE are later). */
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
}

/**
 * Insert audit rows as Sentry's own edits would, in one multi-row statement per 1000 rows, and
 * return the journal changes (the rows as inserted) so `undo` can remove them again.
 * `data` is a GzippedDictField: base64(zlib(cPickle protocol 0)) of the dict (§7.1).
 */
export async function insertAuditEntries(db: Kysely<any>, adapter: EngineAdapter, entries: AuditEntryInput[], now = new Date()): Promise<JournalChange[]> {
  const datetime = new Date(Math.floor(now.getTime() / 1000) * 1000); // MySQL datetime keeps whole seconds
  const rows = entries.map((e) => ({
    organization_id: e.organizationId,
    actor_id: null,
    actor_key_id: null,
    actor_label: e.actorLabel.slice(0, 64),
    target_object: e.targetObject,
    target_user_id: e.targetUserId,
    event: e.event,
    data: encodeGzippedDict(sentryDict(e.data)),
    datetime,
    ip_address: null,
  }));
  const ids = await adapter.insertReturningIds(db, 'sentry_auditlogentry', rows);
  return rows.map((r, i) => ({
    table: 'sentry_auditlogentry',
    key: { id: ids[i] },
    op: 'insert' as const,
    after: journalRow({ id: ids[i], ...r }),
  }));
}

/** A dict with Python `str` keys (Sentry's literals), values as given. */
export function sentryDict(data: Record<string, PyValue>): Map<PyValue, PyValue> {
  return new Map<PyValue, PyValue>(Object.entries(data).map(([k, v]) => [new PyStr(k), v]));
}

/** Decode an audit row's `data` to plain JSON-able values (for reports and tests). */
export function decodeAuditData(text: string | null): unknown {
  return toPlain(decodeGzippedDict(text));
}
