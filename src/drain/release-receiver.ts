/**
 * Sentry's `post_save` receiver `ensure_release_exists` (receivers/releases.py at 7.7.0), for the TagValue rows a
 * drain creates. `create_or_update` (db/models/query.py) creates a missing row with `objects.create()`, which sends
 * post_save(created=True) inside the same atomic block; the UPDATE path sends none. For a `sentry:release` value
 * whose data holds no `release_id`, the receiver runs
 *     with transaction.atomic(): Release.objects.create(project=…, version=tagvalue.value, date_added=tagvalue.first_seen)
 * and on IntegrityError (the release exists: unique (project, version); or no project) does nothing; otherwise
 * `tagvalue.update(data={'release_id': release.id})`. We do the same, in the caller's transaction, the Release
 * INSERT in a savepoint.
 *
 * One departure, reported: a value longer than Release.version's 64 characters. PostgreSQL (and a strict MySQL)
 * refuse it with a data error, not an IntegrityError, so Sentry's flush of that key fails whole and its increment is
 * lost; we apply the increment and create no release.
 */
import { type Kysely, sql } from 'kysely';
import { zlibCompress } from '../codec/zlib-small.js';
import { pickle } from '../codec/pickle-write.js';
import { PyStr, type PyValue, dictGet, pyFalsy } from '../codec/py-value.js';
import { type RowId, bufferRows } from '../db/buffer-sql.js';
import type { SentryDb } from '../db/sentry-db.js';
import type { BufferEntry } from './decode-entry.js';
import type { EngineSql } from './score-sql.js';

export type ReleaseOutcome = 'created' | 'exists' | 'too-long';

const VERSION_MAX = 64; // Release.version = models.CharField(max_length=64)

/** Is this entry's inserted row one the receiver acts on (a TagValue of key sentry:release without a release_id)? */
export function wantsRelease(e: BufferEntry): boolean {
  if (e.model.name !== 'TagValue') return false;
  const f = Object.fromEntries(e.filters);
  if (f.key !== 'sentry:release') return false;
  const data = e.extras.data;
  if (!data || data.empty || !data.dict) return true; // `instance.data and …`: None or {} go on
  const id = dictGet(data.value, 'release_id');
  return id === undefined || pyFalsy(id);
}

/**
 * Run the receiver for TagValue rows just inserted by these entries (the row is found by its filters, which the
 * unique (project_id, key, value) makes one row). `firstSeen` is the first_seen the insert wrote.
 */
export async function ensureRelease(trx: Kysely<SentryDb>, e: BufferEntry, firstSeen: string, es: EngineSql): Promise<ReleaseOutcome> {
  const f = Object.fromEntries(e.filters);
  const version = f.value ?? '';
  if ([...version].length > VERSION_MAX) return 'too-long';
  const { dialect } = es;
  const row = {
    project_id: f.project_id, version, ref: null, url: null, date_added: firstSeen, date_started: null, date_released: null,
    data: '{}', new_groups: 0,
  };
  await sql`SAVEPOINT sa_drain_release`.execute(trx);
  let id: RowId;
  try {
    id = await dialect.insertRelease(trx, row);
    await dialect.releaseSavepoint(trx, 'sa_drain_release');
  } catch (err) {
    if (!dialect.isIntegrityError(err)) throw err;
    await sql`ROLLBACK TO SAVEPOINT sa_drain_release`.execute(trx);
    await dialect.releaseSavepoint(trx, 'sa_drain_release');
    return 'exists';
  }
  // the new id as Sentry's driver hands it back (a long or an int), pickled as Sentry's would be
  const data = zlibCompress(pickle(new Map<PyValue, PyValue>([[new PyStr('release_id'), dialect.pythonId(id)]]), 0)).toString('base64');
  let q = bufferRows(trx).updateTable('sentry_filtervalue').set({ data });
  for (const [col, v] of e.filters) q = v === null ? q.where(col, 'is', null) : q.where(col, '=', v);
  await q.execute();
  return 'created';
}
