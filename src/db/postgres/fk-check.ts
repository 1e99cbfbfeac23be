/**
 * Foreign keys of a loaded chunk checked set-based (BulkSession.startChunk / removeOrphans, src/db/bulk.ts).
 *
 * Sentry's PostgreSQL foreign keys are DEFERRABLE INITIALLY DEFERRED: each loaded row queues one trigger per key,
 * run at COMMIT, each probing the parent and taking a FOR KEY SHARE lock on its row. When the role may set
 * `session_replication_role` (a superuser, or GRANT SET ON PARAMETER), a chunk is loaded with those triggers off
 * (`SET LOCAL session_replication_role = replica`, after the chunk's pre-load DELETE, whose own triggers stay
 * on) and, before COMMIT, every foreign key of the table — read from the target's own catalogue, a plugin's
 * included — is checked over the chunk's rows by one anti-join, which deletes the rows whose parent is missing
 * and returns them: they are rejected, never committed. Without the privilege the triggers stay on and the same
 * anti-joins run (the rejects are the same; the triggers then check the rows that remain once more at COMMIT).
 *
 * A table keeps its triggers whenever replica mode would silence (or wake) a trigger other than a foreign key's own
 * (a user trigger, a deferrable unique constraint's recheck) or a rule: only foreign keys are checked here.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ChunkSpan, ForeignKeyChecks, MissingParent } from '../bulk.js';
import { quote } from './quote.js';

interface TableKey {
  name: string;
  schema: string;
  refTable: string;
  columns: string[];
  refColumns: string[];
  /** MATCH FULL: a key with some but not all columns NULL is refused too. */
  full: boolean;
}

interface TableChecks {
  keys: TableKey[];
  /** Replica mode would silence a trigger that is not a foreign key's: keep the per-row path for this table. */
  otherTriggers: boolean;
}

/** Per bulk session: whether the role may use replica mode (found at the first chunk), and every table's keys (read once). */
export class ForeignKeyCheck {
  private allowed: boolean | undefined;
  private tables: Promise<Map<string, TableChecks>> | null = null;

  constructor(private readonly db: Kysely<any>, private readonly query: (text: string) => Promise<unknown>) {}

  /** In the open transaction, before a chunk of `table` is loaded: its foreign key triggers off when allowed. */
  async start(table: string): Promise<ForeignKeyChecks> {
    const checks = await this.checksOf(table);
    if (checks.otherTriggers || this.allowed === false) return 'per-row';
    if (this.allowed) {
      await this.query('SET LOCAL session_replication_role = replica');
      return 'set-based';
    }
    // The first time, find out under a savepoint: a role without the privilege is refused, and keeps the triggers.
    await this.query('SAVEPOINT replica_probe');
    try {
      await this.query('SET LOCAL session_replication_role = replica');
      this.allowed = true;
      await this.query('RELEASE SAVEPOINT replica_probe');
      return 'set-based';
    } catch {
      this.allowed = false;
      await this.query('ROLLBACK TO SAVEPOINT replica_probe');
      return 'per-row';
    }
  }

  /**
   * Delete the rows of `table` within `span` whose parent is missing through one of its foreign keys, and return
   * them. Rounds repeat while a round found some and the table references itself (a removed row may be a parent).
   */
  async removeOrphans(table: string, pk: string, span: ChunkSpan): Promise<MissingParent[]> {
    const { keys } = await this.checksOf(table);
    if ('keys' in span && !span.keys.length) return [];
    const out: MissingParent[] = [];
    const selfRef = keys.some((k) => k.refTable === table);
    for (let found = true; found; ) {
      found = false;
      for (const k of keys) {
        const gone = await sql<{ k: string; v: string }>`
          DELETE FROM ${sql.table(table)} AS c WHERE ${within(pk, span)} AND ${orphan(k)}
          RETURNING c.${sql.ref(pk)}::text AS k, concat_ws(', ', ${sql.join(k.columns.map((col) => sql`c.${sql.ref(col)}::text`))}) AS v`.execute(this.db);
        for (const r of gone.rows) out.push({ key: r.k, reason: missingParent(table, k, r.v) });
        found ||= gone.rows.length > 0;
      }
      found &&= selfRef;
    }
    return out;
  }

  private async checksOf(table: string): Promise<TableChecks> {
    this.tables ??= readChecks(this.db);
    return (await this.tables).get(table) ?? { keys: [], otherTriggers: false };
  }
}

/** The chunk's own rows: its key range (integer keys) or its key list. */
function within(pk: string, span: ChunkSpan): RawBuilder<unknown> {
  const c = sql`c.${sql.ref(pk)}`;
  return 'keys' in span ? sql`${c} = ANY(${span.keys})` : sql`${c} BETWEEN ${span.first} AND ${span.last}`;
}

/**
 * The row has no parent: what PostgreSQL's RI_FKey_check tests (ri_triggers.c). MATCH SIMPLE: a key with any
 * column NULL is not checked; MATCH FULL: all NULL is not checked, some NULL is refused.
 */
function orphan(k: TableKey): RawBuilder<unknown> {
  const cols = k.columns.map((col) => sql`c.${sql.ref(col)}`);
  const missing = sql`NOT EXISTS (SELECT 1 FROM ${sql.id(k.schema, k.refTable)} AS p WHERE ${sql.join(
    k.columns.map((col, i) => sql`p.${sql.ref(k.refColumns[i])} = c.${sql.ref(col)}`), sql` AND `)})`;
  const allSet = sql.join(cols.map((c) => sql`${c} IS NOT NULL`), sql` AND `);
  if (!k.full) return sql`(${allSet} AND ${missing})`;
  const noneSet = sql.join(cols.map((c) => sql`${c} IS NULL`), sql` AND `);
  return sql`(NOT (${noneSet}) AND (NOT (${allSet}) OR ${missing}))`;
}

/** PostgreSQL's own words for the refusal, with its detail: the constraint and the parent are named. */
function missingParent(table: string, k: TableKey, value: string): string {
  return `insert or update on table ${quote(table)} violates foreign key constraint ${quote(k.name)} ` +
    `(Key (${k.columns.join(', ')})=(${value}) is not present in table ${quote(k.refTable)})`;
}

/** The foreign keys and the triggers or rules of every table of the current schema, in two catalogue reads. */
async function readChecks(db: Kysely<any>): Promise<Map<string, TableChecks>> {
  const keys = await sql<{ tbl: string; name: string; schema: string; rtbl: string; cols: string[]; rcols: string[]; full: boolean }>`
    SELECT t.relname AS tbl, c.conname AS name, n.nspname AS schema, rt.relname AS rtbl, c.confmatchtype = 'f' AS full,
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS rcols
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_class rt ON rt.oid = c.confrelid JOIN pg_namespace n ON n.oid = rt.relnamespace
    WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace ORDER BY t.relname, c.conname`.execute(db);
  // Triggers and rules replica mode turns off ('O': fire on origin) or on ('R': fire on replica), a foreign key's excepted.
  const other = await sql<{ tbl: string }>`
    SELECT x.relname AS tbl FROM pg_class x WHERE x.relnamespace = current_schema()::regnamespace AND (
      EXISTS (SELECT 1 FROM pg_trigger t LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint
              WHERE t.tgrelid = x.oid AND t.tgenabled IN ('O', 'R') AND c.contype IS DISTINCT FROM 'f')
      OR EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = x.oid AND r.ev_enabled IN ('O', 'R')))`.execute(db);
  const out = new Map<string, TableChecks>();
  const of = (t: string) => out.get(t) ?? out.set(t, { keys: [], otherTriggers: false }).get(t)!;
  for (const r of keys.rows) of(r.tbl).keys.push({ name: r.name, schema: r.schema, refTable: r.rtbl, columns: r.cols, refColumns: r.rcols, full: r.full });
  for (const r of other.rows) of(r.tbl).otherTriggers = true;
  return out;
}
