import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { BulkSession, ChunkSpan, ForeignKeyChecks, Row } from '../db/bulk.js';
import { isDuplicatePrimaryKey } from '../db/errors.js';
import { RuntimeFailure } from '../errors.js';
import { sleep } from '../util/sleep.js';
import type { RejectedRow } from './rejects.js';
import { type TargetColumn, intRange } from './row-codec.js';
import type { ChunkDescriptor } from './staging.js';

/** What the writer needs to know of a table. */
export interface ChunkTable {
  table: string;
  pk: string;
  intPk: boolean;
  targetCols: Map<string, TargetColumn>;
}

/**
 * One chunk, one transaction: delete what an earlier, interrupted load of this same chunk committed, load the
 * chunk, commit. `beforeCommit` may throw (the lease was lost): the transaction is rolled back.
 *
 * What the pre-load delete may delete, and why that is only this chunk's own rows:
 *  - integer keys: chunks are disjoint pk ranges, so `pk BETWEEN first AND last` holds only this chunk's rows.
 *    The range is clamped to what the target column can hold: an id beyond it cannot be in the table (its
 *    row is rejected by the row-level checks), and an out-of-range bound would make the DELETE itself fail
 *    (PostgreSQL: "value out of range for type integer") and stop the run on every rerun.
 *  - text keys (nodestore_node): `pk IN (keys)` compares under the target column's collation, and MySQL's
 *    utf8_general_ci treats 'pad' and 'pad ' (PAD SPACE), or 'Pad' and 'pad', as one key. A row that matches
 *    one of our keys only under the collation belongs to another chunk: it is never deleted. We first read
 *    the matching rows and delete only those byte-equal to one of our keys (the table holds at most one row
 *    per collation class, so `IN (exact keys)` removes exactly those). Our colliding row then fails the load
 *    with a duplicate key and is rejected, named, like any other value the target cannot hold.
 *
 * Foreign keys: after the delete, the session says how they are checked (BulkSession.startChunk: per row by the
 * database, or set-based with its per-row checks off); either way, before COMMIT, the rows of the chunk whose parent
 * is missing are taken out of the table (BulkSession.removeOrphans, over the same span the delete used) and
 * rejected with the constraint's name and the parent's: a row is never committed without its parent.
 */
export async function writeChunk(
  session: BulkSession,
  plan: ChunkTable,
  d: ChunkDescriptor,
  columns: string[],
  rows: Row[],
  keys: string[],
  rejected: RejectedRow[],
  beforeCommit: () => Promise<void>,
): Promise<{ loaded: number; foreignKeys: ForeignKeyChecks }> {
  const pkAt = columns.indexOf(plan.pk);
  const t = sql.id(plan.table);
  const pk = sql.id(plan.pk);
  let span: ChunkSpan = { keys };
  await session.begin();
  try {
    if (plan.intPk && d.first !== null && d.last !== null) {
      let lo = BigInt(d.first);
      let hi = BigInt(d.last);
      const range = plan.targetCols.get(plan.pk) && intRange(plan.targetCols.get(plan.pk)!);
      if (range) [lo, hi] = [lo > range[0] ? lo : range[0], hi < range[1] ? hi : range[1]];
      // A chunk wholly beyond the column's range holds no row the table can: an empty span.
      span = lo <= hi ? { first: String(lo), last: String(hi) } : { keys: [] };
      if ('first' in span) await sql`DELETE FROM ${t} WHERE ${pk} BETWEEN ${span.first} AND ${span.last}`.execute(session.db);
    } else if (keys.length) {
      const ours = new Set(keys);
      for (let i = 0; i < keys.length; i += 1000) {
        const part = keys.slice(i, i + 1000);
        const found = await sql<{ k: unknown }>`SELECT ${pk} AS k FROM ${t} WHERE ${pk} IN (${sql.join(part)})`.execute(session.db);
        const exact = found.rows.map((r) => String(r.k)).filter((k) => ours.has(k));
        if (exact.length) await sql`DELETE FROM ${t} WHERE ${pk} IN (${sql.join(exact)})`.execute(session.db);
      }
    }
    const foreignKeys = await session.startChunk(plan.table);
    const n = await loadRows(session, plan, columns, rows, pkAt, rejected);
    const orphans = await rejectOrphans(session, plan, span, columns, rows, pkAt, rejected);
    await beforeCommit();
    await session.commit();
    return { loaded: n - orphans, foreignKeys };
  } catch (err) {
    await session.rollback().catch(() => undefined);
    throw err;
  }
}

/** Take the chunk's rows whose parent is missing back out of the table, rejected by name; returns how many. */
async function rejectOrphans(session: BulkSession, plan: ChunkTable, span: ChunkSpan, columns: string[], rows: Row[], pkAt: number, rejected: RejectedRow[]): Promise<number> {
  const orphans = await session.removeOrphans(plan.table, plan.pk, span);
  if (!orphans.length) return 0;
  const byKey = new Map(rows.map((row) => [String(row[pkAt]), row]));
  for (const o of orphans) {
    const row = byKey.get(o.key);
    if (!row) throw new RuntimeFailure(`${plan.table}: a row with ${plan.pk} ${o.key} lacks its parent but is not one of the chunk's rows`);
    rejected.push({ table: plan.table, key: o.key, reason: `refused by ${session.server}: ${o.reason}`, row: asRecord(columns, row) });
  }
  return orphans.length;
}

const asRecord = (columns: string[], row: Row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]));

/**
 * A database lock per chunk, held from before its transaction until after its ack (session-level: GET_LOCK on
 * MySQL, pg_advisory_lock on PostgreSQL). Two loaders of one chunk — an importer whose lease expired while it
 * was stalled, and the one that reclaimed its chunk — take turns; the second then finds the chunk acked (its
 * stream entry gone) and loads nothing. A loader that dies releases the lock with its connection, and its
 * transaction is rolled back or committed-but-unacked: either way the next one replays the chunk exactly.
 */
export async function lockChunk(session: BulkSession, runId: string, d: ChunkDescriptor, signal: AbortSignal): Promise<(() => Promise<void>) | null> {
  // MySQL lock names are server-wide and at most 64 characters: a digest of run, table and chunk.
  const name = 'sa-chunk-' + createHash('sha1').update(`${runId}:${d.table}:${d.seq}`).digest('hex').slice(0, 40);
  for (;;) {
    if (await session.tryLock(name)) return () => session.unlock(name).catch(() => undefined);
    if (signal.aborted) return null;
    await sleep(200, signal);
  }
}

/** Bulk-load rows inside the caller's transaction, rejecting (into `rejected`) just the rows the database refuses. */
export function loadRejecting(session: BulkSession, plan: ChunkTable, columns: string[], rows: Row[], rejected: RejectedRow[]): Promise<number> {
  return loadRows(session, plan, columns, rows, columns.indexOf(plan.pk), rejected);
}

/**
 * Bulk-load rows; when the database refuses some (a CHECK, a foreign key, a value we did not
 * foresee), find them and reject just those (BulkSession.loadRefusing), each with the server's reason.
 */
function loadRows(session: BulkSession, plan: ChunkTable, columns: string[], rows: Row[], pkAt: number, rejected: RejectedRow[]): Promise<number> {
  return session.loadRefusing(plan.table, columns, rows, (row, err) => {
    const key = String(row[pkAt]);
    // A duplicate primary key on a table whose source keys are unique: two keys equal under the target's collation.
    const reason = !plan.intPk && isDuplicatePrimaryKey(err)
      ? `${plan.pk} "${key}" collides with another ${plan.pk} under the MySQL column's collation (case and trailing spaces are ignored there); refused by ${session.server}: ${err.message}`
      : `refused by ${session.server}: ${err.message}`;
    rejected.push({ table: plan.table, key, reason, row: asRecord(columns, row) });
  });
}
