import { sql } from 'kysely';
import type { Connection } from './connect.js';
import type { ColumnInfo, ForeignKeyInfo, UniqueKeyInfo } from './engine.js';

/** What a Sentry database looks like, read from the server rather than assumed. */
export interface SchemaInfo {
  tables: string[];
  columns: Map<string, ColumnInfo[]>;
  primaryKeys: Map<string, string[]>;
  uniqueKeys: UniqueKeyInfo[];
  foreignKeys: ForeignKeyInfo[];
}

export async function introspect(conn: Connection): Promise<SchemaInfo> {
  const { db, adapter } = conn;
  const [tables, cols, uniques, fks] = await Promise.all([
    adapter.listTables(db),
    adapter.columns(db),
    adapter.uniqueKeys(db),
    adapter.foreignKeys(db),
  ]);
  const tableSet = new Set(tables);
  const columns = new Map<string, ColumnInfo[]>();
  for (const c of cols) {
    if (!tableSet.has(c.table)) continue; // views
    let list = columns.get(c.table);
    if (!list) columns.set(c.table, (list = []));
    list.push(c);
  }
  const primaryKeys = new Map<string, string[]>();
  for (const k of uniques) if (k.primary) primaryKeys.set(k.table, k.columns);
  return { tables, columns, primaryKeys, uniqueKeys: uniques.filter((k) => !k.primary), foreignKeys: fks };
}

/**
 * Sentry's id width (docs/sentry7-schema.md §1.1): 64 when the install ran with
 * SENTRY_USE_BIG_INTS, 32 otherwise. Read from the primary keys of the big-auto-field tables;
 * `mixed` when an install was half upgraded by hand.
 */
export type IdWidth = 32 | 64 | 'mixed' | null;

const BIG_AUTO_TABLES = ['sentry_organization', 'sentry_project', 'sentry_team', 'sentry_groupedmessage', 'sentry_message'];

export function idWidth(schema: SchemaInfo): IdWidth {
  const widths = new Set<number>();
  for (const t of BIG_AUTO_TABLES) {
    const id = schema.columns.get(t)?.find((c) => c.name === 'id');
    if (id) widths.add(id.kind === 'int64' ? 64 : 32);
  }
  if (widths.size === 0) return null;
  if (widths.size > 1) return 'mixed';
  return [...widths][0] as 32 | 64;
}

/** The last South migration of the `sentry` app (e.g. `0190_auto__add_field_release_new_groups`), or null. */
export async function sentryMigration(conn: Connection, schema?: SchemaInfo): Promise<string | null> {
  const tables = schema?.tables ?? (await conn.adapter.listTables(conn.db));
  if (!tables.includes('south_migrationhistory')) return null;
  const r = await sql<{ m: string | null }>`
    SELECT MAX(migration) AS m FROM south_migrationhistory WHERE app_name = 'sentry'`.execute(conn.db);
  return r.rows[0]?.m ?? null;
}

/** Tables whose name says they are Sentry's (or its Django/South companions). */
export function isSentryTable(name: string): boolean {
  return /^(sentry_|nodestore_|south_|auth_|django_|social_auth_|djkombu_)/.test(name);
}
