import { type Kysely, sql } from 'kysely';
import type { BulkSession, Row } from '../bulk.js';

/** MySQL/MariaDB checks foreign keys at each statement already (EngineAdapter.checkForeignKeysNow). */
export async function checkForeignKeysNow(): Promise<void> {}

/**
 * The writes these tables have taken (EngineAdapter.writeFingerprint), per table: InnoDB's `MODIFIED_COUNTER`
 * (rows changed since its statistics were last computed) and `UPDATE_TIME` (the second of the last commit that
 * changed the table). JSON: { table: [counter, updateTime] }.
 */
export async function writeFingerprint(db: Kysely<any>, tables: string[]): Promise<string> {
  if (!tables.length) return '{}';
  const [{ d }] = (await sql<{ d: string }>`SELECT DATABASE() AS d`.execute(db)).rows;
  const byName = new Map(tables.map((t) => [`${innodbName(d)}/${innodbName(t)}`, t]));
  const modified = await sql<{ name: string; n: string | number }>`
    SELECT NAME AS name, MODIFIED_COUNTER AS n FROM information_schema.INNODB_SYS_TABLESTATS
    WHERE NAME IN (${sql.join([...byName.keys()])})`.execute(db).catch(() => ({ rows: [] as { name: string; n: string | number }[] }));
  const updated = await sql<{ t: string; u: unknown }>`
    SELECT TABLE_NAME AS t, UPDATE_TIME AS u FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${sql.join(tables)})`.execute(db);
  const out: Record<string, [number, string]> = {};
  for (const t of tables) out[t] = [-1, ''];
  for (const r of modified.rows) if (byName.has(r.name)) out[byName.get(r.name)!][0] = Number(r.n);
  for (const r of updated.rows) if (out[r.t]) out[r.t][1] = r.u === null ? '' : String(r.u instanceof Date ? r.u.toISOString() : r.u);
  return JSON.stringify(out);
}

/**
 * Whether a table took a write between two fingerprints: its UPDATE_TIME moved, or its MODIFIED_COUNTER grew.
 * The counter alone may also fall to 0 without any write: InnoDB recomputes a table's persistent statistics in
 * the background once about 10% of its rows changed, and that resets it.
 */
export function showsWrites(before: string, after: string): boolean {
  const a = JSON.parse(before) as Record<string, [number, string]>;
  const b = JSON.parse(after) as Record<string, [number, string]>;
  return Object.keys(b).some((t) => !a[t] || a[t][1] !== b[t][1] || b[t][0] > a[t][0]);
}

/** InnoDB's file-name encoding of a database or table name (`-` is `@002d`, …); plain names stay as they are. */
function innodbName(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, (c) => `@${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * UPDATE these rows of `table` by `key`, every one of `columns`, in one statement (EngineAdapter.updateByKey):
 * the rows are bulk-loaded into a temporary table of the same column types, then `UPDATE … JOIN`. Throws when
 * the load warned or a row is refused (the caller redoes the rows one by one); the temporary table is the
 * session's own and is dropped before and after.
 */
export async function updateByKey(session: BulkSession, table: string, key: string, columns: string[], rows: Row[]): Promise<void> {
  const q = session.db;
  const temp = sql.table(UPDATE_TEMP);
  await sql`DROP TEMPORARY TABLE IF EXISTS ${temp}`.execute(q);
  try {
    await sql`CREATE TEMPORARY TABLE ${temp} (PRIMARY KEY (${sql.ref(key)})) SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)} LIMIT 0`.execute(q);
    const r = await session.load(UPDATE_TEMP, columns, rows);
    if (r.warnings.length || r.rows !== rows.length) throw new Error(`loading the updated rows of ${table}: ${r.warnings[0] ?? `${r.rows} of ${rows.length} rows`}`);
    const set = columns.filter((c) => c !== key).map((c) => sql`t.${sql.ref(c)} = u.${sql.ref(c)}`);
    await sql`UPDATE ${sql.table(table)} AS t JOIN ${temp} AS u ON t.${sql.ref(key)} = u.${sql.ref(key)} SET ${sql.join(set)}`.execute(q);
  } finally {
    await sql`DROP TEMPORARY TABLE IF EXISTS ${temp}`.execute(q);
  }
}

const UPDATE_TEMP = 'sentry_admin_sync_update';
