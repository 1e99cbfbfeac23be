import type { Kysely } from 'kysely';
import { decodeGzippedDict, encodeGzippedDict } from '../codec/sentry-encodings.js';
import { PyStr, type PyValue, toPlain } from '../codec/py-value.js';
import type { BulkSession } from '../db/bulk.js';
import type { EngineAdapter } from '../db/engine.js';
import { type JournalChange, journalRow } from './journal.js';

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
}

export type AuditRow = ReturnType<typeof auditRow>;

function auditRow(e: AuditEntryInput, datetime: Date) {
  return {
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
  };
}

/**
 * Encode audit rows as Sentry's own edits would: `data` is a GzippedDictField, base64(zlib(cPickle protocol 0)) of
 * the dict (docs/sentry7-schema.md §7.1). About 10 µs a row, most of it zlib, so it yields to the event loop every 1000 rows: a caller can
 * run its UPDATEs meanwhile (100,000 rows encode in about a second).
 */
export async function encodeAuditRows(entries: AuditEntryInput[], now = new Date()): Promise<AuditRow[]> {
  const datetime = new Date(Math.floor(now.getTime() / 1000) * 1000); // MySQL datetime keeps whole seconds
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
export async function insertAuditRows(db: Kysely<any>, adapter: EngineAdapter, rows: AuditRow[], bulk?: BulkSession): Promise<JournalChange[]> {
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
export async function insertAuditEntries(db: Kysely<any>, adapter: EngineAdapter, entries: AuditEntryInput[], now = new Date()): Promise<JournalChange[]> {
  return insertAuditRows(db, adapter, await encodeAuditRows(entries, now));
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
