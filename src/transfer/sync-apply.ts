/**
 * The writing half of a `sync` round: bring over exactly the rows a comparison named. Rows are read by
 * key from the round's source snapshot, converted as the migration converts them (row-codec.ts: a value
 * the target cannot hold rejects its row, into the rejects file), and written in bounded batches, each
 * batch one target transaction whose foreign keys are checked at each statement (so a row whose parent
 * was rejected is rejected itself, named, instead of failing the whole batch at COMMIT).
 *
 *  - missing rows (source only): bulk-loaded like a chunk (COPY / LOAD DATA LOCAL);
 *  - changed rows: UPDATE of every carried column, by primary key, one statement per batch (the rows loaded
 *    into a temporary table, EngineAdapter.updateByKey), one by one only when the target refuses some row;
 *  - extra rows (target only): DELETE by primary key, children's tables first (the caller's order).
 *    A row the target still references from a table the run does not carry is kept, and named.
 */
import { sql } from 'kysely';
import type { BulkSession, Row } from '../db/bulk.js';
import type { ColumnKind } from '../db/engine.js';
import type { EngineAdapter } from '../db/engine.js';
import { isTransient } from '../db/errors.js';
import type { SnapshotSession } from '../db/snapshot.js';
import { RuntimeFailure } from '../errors.js';
import { type ChunkTable, loadRejecting } from './chunk-writer.js';
import type { RejectedRow, RejectsFile } from './rejects.js';
import { type Canonical, type RejectPolicy, type TargetColumn, toTarget } from './row-codec.js';

export interface SyncTable extends ChunkTable {
  /** The carried columns (on both sides), in the order rows are read and written. */
  columns: string[];
  /** Their kinds on the source (how raw values become canonical). */
  kinds: ColumnKind[];
  /** column index -> table it references in the run (a row pointing at a rejected key is rejected). */
  refs: [number, string][];
}

export interface TableChanges {
  inserted: number;
  updated: number;
  deleted: number;
  rejected: number;
  /** Extra target rows that could not be deleted (still referenced in the target). */
  kept: number;
}

export const noChanges = (): TableChanges => ({ inserted: 0, updated: 0, deleted: 0, rejected: 0, kept: 0 });

export interface ApplierOptions {
  policy: RejectPolicy;
  rejects: RejectsFile;
  /** Keys rejected so far, per table (by the migration and by earlier rounds). */
  rejectedKeys: (table: string) => Promise<Set<string>>;
  /** Record newly rejected keys (the namespace keeps them for verify and the next rounds). */
  onRejected: (table: string, keys: string[]) => Promise<void>;
  batchRows: number;
  signal: AbortSignal;
  /** Notes of kept rows, for the report (first few per table). */
  onKept?: (table: string, key: string, reason: string) => void;
}

export class SyncApplier {
  constructor(
    private readonly source: SnapshotSession,
    private readonly target: BulkSession,
    private readonly adapter: Pick<EngineAdapter, 'checkForeignKeysNow' | 'updateByKey'>,
    private readonly o: ApplierOptions,
  ) {}

  /** Insert the missing rows and update the changed ones, in batches of `batchRows` keys. */
  async upsert(t: SyncTable, missing: string[], changed: string[], out: TableChanges): Promise<void> {
    const work = [...changed.map((k) => [k, true] as const), ...missing.map((k) => [k, false] as const)];
    for (let i = 0; i < work.length; i += this.o.batchRows) {
      this.check();
      const part = work.slice(i, i + this.o.batchRows);
      const rows = await this.read(t, part.map(([k]) => k));
      const { inserts, updates, rejected } = await this.convert(t, rows, new Set(part.filter(([, c]) => c).map(([k]) => k)));
      const refused: RejectedRow[] = [];
      await this.inTransaction(async () => {
        out.updated += await this.update(t, updates, refused);
        out.inserted += await loadRejecting(this.target, t, t.columns, inserts, refused);
      }, () => (refused.length = 0));
      await this.reject(t, [...rejected, ...refused], out);
    }
  }

  /** Delete the extra rows, in batches; a row still referenced in the target is kept and named. */
  async remove(t: SyncTable, keys: string[], out: TableChanges): Promise<void> {
    for (let i = 0; i < keys.length; i += this.o.batchRows) {
      this.check();
      const part = keys.slice(i, i + this.o.batchRows);
      let kept = 0;
      await this.inTransaction(async () => {
        await this.target.query('SAVEPOINT sync_delete');
        try {
          await this.target.db.deleteFrom(t.table).where(sql.ref(t.pk), 'in', part).execute();
          await this.target.query('RELEASE SAVEPOINT sync_delete');
          return;
        } catch {
          await this.target.query('ROLLBACK TO SAVEPOINT sync_delete');
        }
        // Some row is still referenced: delete one by one and keep (and name) the referenced ones.
        for (const k of part) {
          await this.target.query('SAVEPOINT sync_delete');
          try {
            await this.target.db.deleteFrom(t.table).where(sql.ref(t.pk), '=', k).execute();
            await this.target.query('RELEASE SAVEPOINT sync_delete');
          } catch (err) {
            await this.target.query('ROLLBACK TO SAVEPOINT sync_delete');
            kept++;
            this.o.onKept?.(t.table, k, `not deleted: ${(err as Error).message}`);
          }
        }
      }, () => (kept = 0));
      out.deleted += part.length - kept;
      out.kept += kept;
    }
  }

  private check(): void {
    if (this.o.signal.aborted) throw new RuntimeFailure('sync interrupted', 'run the same command again: it compares again and carries on');
  }

  /** One target transaction with foreign keys checked at each statement; `reset` forgets a rolled-back attempt. */
  private async inTransaction(body: () => Promise<void>, reset: () => void): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.target.begin();
      try {
        await this.adapter.checkForeignKeysNow(this.target);
        await body();
        await this.target.commit();
        return;
      } catch (err) {
        await this.target.rollback().catch(() => undefined);
        reset();
        if (attempt >= 3 || !isTransient(err)) throw err;
      }
    }
  }

  /** The source rows with these keys, as canonical values in `t.columns` order. */
  private async read(t: SyncTable, keys: string[]): Promise<Map<string, Canonical[]>> {
    const q = this.source.db
      .selectFrom(t.table)
      .select(t.columns.map((c) => sql.ref(c).as(c)))
      .where(sql.ref(t.pk), 'in', keys)
      .compile();
    const pkAt = t.columns.indexOf(t.pk);
    const out = new Map<string, Canonical[]>();
    for await (const raw of this.source.stream(q.sql, q.parameters)) {
      const row = raw.map((v, i) => this.source.canonical(t.kinds[i], v));
      out.set(String(row[pkAt]), row);
    }
    return out;
  }

  private async convert(t: SyncTable, rows: Map<string, Canonical[]>, changed: Set<string>) {
    const refSets: [number, Set<string>, string][] = [];
    for (const [i, table] of t.refs) {
      const set = await this.o.rejectedKeys(table);
      if (set.size) refSets.push([i, set, `${t.columns[i]} -> ${table}`]);
    }
    const cols = t.columns.map((c) => t.targetCols.get(c)!) as TargetColumn[];
    const inserts: Row[] = [];
    const updates: Row[] = [];
    const rejected: RejectedRow[] = [];
    for (const [key, src] of rows) {
      let reason: string | undefined;
      for (const [i, set, what] of refSets) if (src[i] !== null && set.has(String(src[i]))) reason = `references a rejected row (${what} ${src[i]})`;
      const row: Row = new Array(cols.length);
      for (let k = 0; k < cols.length && !reason; k++) {
        const c = toTarget(cols[k], src[k], this.o.policy);
        if (c.reject) reason = c.reject;
        row[k] = c.value;
      }
      if (reason) rejected.push({ table: t.table, key, reason, row: Object.fromEntries(t.columns.map((c, i) => [c, src[i]])) });
      else (changed.has(key) ? updates : inserts).push(row);
    }
    return { inserts, updates, rejected };
  }

  /**
   * UPDATE the rows by key, all in one statement (EngineAdapter.updateByKey); when that fails, redo them one
   * by one and reject just the refused ones.
   */
  private async update(t: SyncTable, rows: Row[], refused: RejectedRow[]): Promise<number> {
    if (!rows.length) return 0;
    const pkAt = t.columns.indexOf(t.pk);
    const one = (r: Row) =>
      this.target.db
        .updateTable(t.table)
        .set(Object.fromEntries(t.columns.map((c, i) => [c, r[i]]).filter(([c]) => c !== t.pk)))
        .where(sql.ref(t.pk), '=', r[pkAt])
        .execute();
    await this.target.query('SAVEPOINT sync_update');
    try {
      await this.adapter.updateByKey(this.target, t.table, t.pk, t.columns, rows);
      await this.target.query('RELEASE SAVEPOINT sync_update');
      return rows.length;
    } catch {
      await this.target.query('ROLLBACK TO SAVEPOINT sync_update');
    }
    let n = 0;
    for (const r of rows) {
      await this.target.query('SAVEPOINT sync_update');
      try {
        await one(r);
        await this.target.query('RELEASE SAVEPOINT sync_update');
        n++;
      } catch (err) {
        await this.target.query('ROLLBACK TO SAVEPOINT sync_update');
        refused.push({ table: t.table, key: String(r[pkAt]), reason: `update refused by the target: ${(err as Error).message}`, row: Object.fromEntries(t.columns.map((c, i) => [c, r[i] as unknown])) });
      }
    }
    return n;
  }

  private async reject(t: SyncTable, rows: RejectedRow[], out: TableChanges): Promise<void> {
    if (!rows.length) return;
    this.o.rejects.write(rows);
    await this.o.onRejected(t.table, rows.map((r) => r.key));
    out.rejected += rows.length;
  }
}
