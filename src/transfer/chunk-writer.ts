import { createHash } from 'node:crypto';
import type { BulkSession, Row } from '../db/bulk.js';
import type { RejectedRow } from './rejects.js';
import { type TargetColumn, intRange } from './row-codec.js';
import type { ChunkDescriptor } from './staging.js';
import { sleep } from './staging.js';

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
): Promise<number> {
  const pkAt = columns.indexOf(plan.pk);
  const q = quoter(session);
  const t = q(plan.table);
  const pk = q(plan.pk);
  await session.begin();
  try {
    if (plan.intPk && d.first !== null && d.last !== null) {
      let lo = BigInt(d.first);
      let hi = BigInt(d.last);
      const range = plan.targetCols.get(plan.pk) && intRange(plan.targetCols.get(plan.pk)!);
      if (range) [lo, hi] = [lo > range[0] ? lo : range[0], hi < range[1] ? hi : range[1]];
      if (lo <= hi) await session.query(`DELETE FROM ${t} WHERE ${pk} BETWEEN ${ph(session, 1)} AND ${ph(session, 2)}`, [String(lo), String(hi)]);
    } else if (keys.length) {
      const ours = new Set(keys);
      for (let i = 0; i < keys.length; i += 1000) {
        const part = keys.slice(i, i + 1000);
        const found = await session.query(`SELECT ${pk} AS k FROM ${t} WHERE ${pk} IN (${part.map((_, k) => ph(session, k + 1)).join(', ')})`, part);
        const exact = found.map((r: { k: unknown }) => String(r.k)).filter((k: string) => ours.has(k));
        if (exact.length) await session.query(`DELETE FROM ${t} WHERE ${pk} IN (${exact.map((_: string, k: number) => ph(session, k + 1)).join(', ')})`, exact);
      }
    }
    const n = await loadRows(session, plan, columns, rows, pkAt, rejected, q);
    await beforeCommit();
    await session.commit();
    return n;
  } catch (err) {
    await session.rollback().catch(() => undefined);
    throw err;
  }
}

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
  const take = session.engine === 'postgres' ? 'SELECT pg_try_advisory_lock(hashtext($1)) AS ok' : 'SELECT GET_LOCK(?, 0) AS ok';
  const free = session.engine === 'postgres' ? 'SELECT pg_advisory_unlock(hashtext($1))' : 'SELECT RELEASE_LOCK(?)';
  for (;;) {
    const [r] = await session.query(take, [name]);
    if (r.ok === true || Number(r.ok) === 1) return async () => void (await session.query(free, [name]).catch(() => undefined));
    if (signal.aborted) return null;
    await sleep(200, signal);
  }
}

/** Deadlocks and lock timeouts: the whole chunk transaction was rolled back, so it can simply run again. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.errno === 1213 || e?.errno === 1205 || e?.code === '40P01' || e?.code === '40001' || e?.code === '55P03';
}

function ph(s: BulkSession, n: number): string {
  return s.engine === 'postgres' ? `$${n}` : '?';
}

function quoter(s: BulkSession): (id: string) => string {
  return s.engine === 'mysql' ? (id) => '`' + id.replace(/`/g, '``') + '`' : (id) => '"' + id.replace(/"/g, '""') + '"';
}

/** Bulk-load rows inside the caller's transaction, rejecting (into `rejected`) just the rows the database refuses. */
export function loadRejecting(session: BulkSession, plan: ChunkTable, columns: string[], rows: Row[], rejected: RejectedRow[]): Promise<number> {
  return loadRows(session, plan, columns, rows, columns.indexOf(plan.pk), rejected, quoter(session));
}

/**
 * Bulk-load rows; when the database refuses some (a CHECK, a foreign key, a value we did not
 * foresee), find them and reject just those: PostgreSQL bisects with savepoints, MySQL (whose
 * LOAD DATA LOCAL downgrades errors to warnings) redoes the chunk as strict single-row INSERTs.
 */
async function loadRows(session: BulkSession, plan: ChunkTable, columns: string[], rows: Row[], pkAt: number, rejected: RejectedRow[], q: (s: string) => string): Promise<number> {
  if (!rows.length) return 0;
  const reject = (r: Row, reason: string) =>
    rejected.push({ table: plan.table, key: String(r[pkAt]), reason, row: Object.fromEntries(columns.map((c, i) => [c, r[i]])) });
  if (session.engine === 'postgres') {
    const attempt = async (part: Row[]): Promise<number> => {
      await session.query('SAVEPOINT chunk_part');
      try {
        const r = await session.load(plan.table, columns, part);
        await session.query('RELEASE SAVEPOINT chunk_part');
        return r.rows;
      } catch (err) {
        await session.query('ROLLBACK TO SAVEPOINT chunk_part');
        if (part.length === 1) {
          reject(part[0], `refused by PostgreSQL: ${(err as Error).message}`);
          return 0;
        }
        const mid = part.length >> 1;
        return (await attempt(part.slice(0, mid))) + (await attempt(part.slice(mid)));
      }
    };
    return attempt(rows);
  }
  await session.query('SAVEPOINT chunk_load');
  // A foreign key LOAD DATA cannot satisfy is an error, not a warning: redo the rows one by one too.
  const r = await session.load(plan.table, columns, rows).catch(() => null);
  if (r && !r.warnings.length && r.rows === rows.length) return r.rows;
  await session.query('ROLLBACK TO SAVEPOINT chunk_load');
  const text = `INSERT INTO ${q(plan.table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  let n = 0;
  for (const row of rows) {
    try {
      await session.query(text, row as unknown[]);
      n++;
    } catch (err) {
      const e = err as { errno?: number; message: string };
      // ER_DUP_ENTRY on the key of a table whose source keys are unique: two ids equal under the target's collation.
      const collides = e.errno === 1062 && !plan.intPk && /PRIMARY/.test(e.message);
      reject(row, collides
        ? `${plan.pk} "${String(row[pkAt])}" collides with another ${plan.pk} under the MySQL column's collation (case and trailing spaces are ignored there); refused by MySQL: ${e.message}`
        : `refused by MySQL: ${e.message}`);
    }
  }
  return n;
}
