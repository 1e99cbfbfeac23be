import { sql } from 'kysely';
import type { ColumnInfo, EngineAdapter, ForeignKeyInfo, UniqueKeyInfo } from '../engine.js';
import { baseTables, columnKind, groupKeys } from '../kinds.js';

/** What the server says about itself and the database's tables, columns and keys. */
export const mysqlIntrospection: Pick<EngineAdapter, 'serverVersion' | 'listTables' | 'tableBytes' | 'columns' | 'foreignKeys' | 'uniqueKeys'> = {
  async serverVersion(db) {
    const r = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(db);
    const v = r.rows[0].v;
    return /mariadb/i.test(v) ? `MariaDB ${v}` : `MySQL ${v}`;
  },

  listTables: (db) => baseTables(db, sql`DATABASE()`),

  async tableBytes(db) {
    const r = await sql<{ t: string; b: unknown }>`
      SELECT table_name AS t, data_length AS b FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`.execute(db);
    return new Map(r.rows.map((x) => [x.t, Number(x.b ?? 0)]));
  },

  async columns(db) {
    const r = await sql<any>`
      SELECT table_name AS tbl, column_name AS col, data_type AS dt, column_type AS ct,
             is_nullable AS nul, column_default AS def, extra, character_maximum_length AS len,
             ordinal_position AS pos, character_set_name AS cs
      FROM information_schema.columns WHERE table_schema = DATABASE()
      ORDER BY table_name, ordinal_position`.execute(db);
    return r.rows.map(
      (c): ColumnInfo => ({
        table: c.tbl,
        name: c.col,
        type: String(c.ct).toLowerCase(),
        kind: columnKind(c.dt, c.ct),
        nullable: c.nul === 'YES',
        // MariaDB reports "NULL" (the text) for nullable columns without a default.
        defaultValue: c.def === null || c.def === 'NULL' ? null : String(c.def),
        autoIncrement: String(c.extra).includes('auto_increment'),
        unsigned: String(c.ct).includes('unsigned'),
        maxLength: c.len === null ? null : Number(c.len),
        position: Number(c.pos),
        charset: c.cs ?? null,
      }),
    );
  },

  async foreignKeys(db) {
    const r = await sql<any>`
      SELECT k.constraint_name AS name, k.table_name AS tbl, k.column_name AS col,
             k.referenced_table_name AS rtbl, k.referenced_column_name AS rcol
      FROM information_schema.key_column_usage k
      WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
      ORDER BY k.table_name, k.constraint_name, k.ordinal_position`.execute(db);
    return groupKeys<ForeignKeyInfo>(r.rows, (row) => ({
      name: row.name, table: row.tbl, columns: [], refTable: row.rtbl, refColumns: [], deferrable: false,
    }), (fk, row) => { fk.columns.push(row.col); fk.refColumns.push(row.rcol); });
  },

  async uniqueKeys(db) {
    const r = await sql<any>`
      SELECT index_name AS name, table_name AS tbl, column_name AS col
      FROM information_schema.statistics
      WHERE table_schema = DATABASE() AND non_unique = 0
      ORDER BY table_name, index_name, seq_in_index`.execute(db);
    return groupKeys<UniqueKeyInfo>(r.rows, (row) => ({
      name: row.name, table: row.tbl, columns: [], primary: row.name === 'PRIMARY',
    }), (k, row) => k.columns.push(row.col));
  },
};
