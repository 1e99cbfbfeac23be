import { type Kysely, sql } from 'kysely';

/** MySQL/MariaDB checks foreign keys at each statement already (EngineAdapter.checkForeignKeysNow). */
export async function checkForeignKeysNow(): Promise<void> {}

/**
 * The writes these tables have taken (EngineAdapter.writeFingerprint): InnoDB's per-table `MODIFIED_COUNTER`
 * (rows changed since its statistics were last computed) and the tables' `UPDATE_TIME` (the last commit that
 * changed them).
 */
export async function writeFingerprint(db: Kysely<any>, tables: string[]): Promise<string> {
  if (!tables.length) return '';
  const [{ d }] = (await sql<{ d: string }>`SELECT DATABASE() AS d`.execute(db)).rows;
  const modified = await sql<{ n: string | null }>`
    SELECT SUM(MODIFIED_COUNTER) AS n FROM information_schema.INNODB_SYS_TABLESTATS
    WHERE NAME IN (${sql.join(tables.map((t) => `${innodbName(d)}/${innodbName(t)}`))})`.execute(db).catch(() => ({ rows: [{ n: null }] }));
  const updated = await sql<{ t: unknown }>`
    SELECT MAX(UPDATE_TIME) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${sql.join(tables)})`.execute(db);
  return `${modified.rows[0]?.n ?? '-'}|${String(updated.rows[0]?.t ?? '-')}`;
}

/** InnoDB's file-name encoding of a database or table name (`-` is `@002d`, …); plain names stay as they are. */
function innodbName(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, (c) => `@${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
