import { type Kysely, sql } from 'kysely';

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
