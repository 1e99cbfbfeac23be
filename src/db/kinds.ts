import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ColumnKind } from './engine.js';

/** Map an engine-native column type to the family both engines share. */
export function columnKind(dataType: string, columnType: string): ColumnKind {
  const t = dataType.toLowerCase();
  const ct = columnType.toLowerCase();
  if (t === 'tinyint' && /^tinyint\(1\)/.test(ct)) return 'bool';
  if (t === 'boolean' || t === 'bool') return 'bool';
  if (t === 'bigint' || t === 'int8') return 'int64';
  if (t === 'int' || t === 'integer' || t === 'int4' || t === 'mediumint') return ct.includes('unsigned') ? 'int64' : 'int32';
  if (t === 'smallint' || t === 'int2' || t === 'tinyint') return 'int16';
  if (t === 'double' || t === 'float' || t === 'real' || t === 'double precision') return 'float';
  if (t === 'decimal' || t === 'numeric') return 'decimal';
  if (t === 'varchar' || t === 'character varying' || t === 'char' || t === 'character') return 'varchar';
  if (t.endsWith('text')) return 'text';
  if (t === 'datetime' || t.startsWith('timestamp')) return 'datetime';
  if (t === 'date') return 'date';
  if (t === 'inet') return 'inet';
  if (t === 'bytea' || t.endsWith('blob') || t === 'binary' || t === 'varbinary') return 'bytes';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}

/** The base tables (no views) of the schema `schema` names (MySQL `DATABASE()`, PostgreSQL `current_schema()`), by name. */
export async function baseTables(db: Kysely<any>, schema: RawBuilder<unknown>): Promise<string[]> {
  const r = await sql<{ t: string }>`
    SELECT table_name AS t FROM information_schema.tables
    WHERE table_schema = ${schema} AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  return r.rows.map((x) => x.t);
}

/** Fold one-row-per-column key listings into one object per key. */
export function groupKeys<T extends { name: string; table: string }>(
  rows: any[],
  make: (row: any) => T,
  add: (key: T, row: any) => void,
): T[] {
  const out: T[] = [];
  let cur: T | undefined;
  for (const row of rows) {
    if (!cur || cur.name !== row.name || cur.table !== row.tbl) out.push((cur = make(row)));
    add(cur, row);
  }
  return out;
}

/**
 * Hold the session-level lock `name` on one pinned connection of a pool: `take` (the engine's locks.ts) runs on it
 * and says whether the lock was granted; the returned function runs `give` on the same connection and hands it
 * back. The lock dies with the connection, so a killed holder never leaves it behind.
 */
export async function pinnedLock(
  db: Kysely<any>,
  name: string,
  take: (conn: Kysely<any>, name: string) => Promise<boolean>,
  give: (conn: Kysely<any>, name: string) => Promise<unknown>,
): Promise<(() => Promise<void>) | null> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let got!: (v: boolean) => void;
  const acquired = new Promise<boolean>((resolve) => (got = resolve));
  const done = db.connection().execute(async (conn) => {
    if (!(await take(conn, name))) return got(false);
    got(true);
    await held;
    await give(conn, name);
  });
  done.catch(() => got(false));
  if (!(await acquired)) {
    await done.catch(() => undefined);
    return null;
  }
  return async () => {
    release();
    await done;
  };
}
