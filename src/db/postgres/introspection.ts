import { sql } from 'kysely';
import type { ColumnInfo, EngineAdapter, ForeignKeyInfo, UniqueKeyInfo } from '../engine.js';
import { baseTables, columnKind, groupKeys } from '../kinds.js';

/** What the server says about itself and the database's tables, columns and keys. */
export const postgresIntrospection: Pick<EngineAdapter, 'serverVersion' | 'listTables' | 'tableBytes' | 'columns' | 'foreignKeys' | 'uniqueKeys'> = {
  async serverVersion(db) {
    const r = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db);
    return `PostgreSQL ${r.rows[0].v}`;
  },

  listTables: (db) => baseTables(db, sql`current_schema()`),

  async tableBytes(db) {
    // The heap and its TOAST (large text values live there), not the indexes.
    const r = await sql<{ t: string; b: unknown }>`
      SELECT c.relname AS t, pg_table_size(c.oid) AS b FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`.execute(db);
    return new Map(r.rows.map((x) => [x.t, Number(x.b ?? 0)]));
  },

  async columns(db) {
    const r = await sql<any>`
      SELECT table_name AS tbl, column_name AS col, data_type AS dt, udt_name AS udt,
             is_nullable AS nul, column_default AS def, character_maximum_length AS len,
             ordinal_position AS pos, datetime_precision AS dp
      FROM information_schema.columns WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`.execute(db);
    return r.rows.map((c): ColumnInfo => {
      const def: string | null = c.def;
      const serial = def !== null && def.startsWith('nextval(');
      // A timestamp holding fewer than 6 fraction digits says so, as MySQL's column_type does.
      const type = c.dt === 'character varying' ? `varchar(${c.len})`
        : String(c.dt).startsWith('timestamp') && c.dp !== null && Number(c.dp) !== 6 ? String(c.dt).replace('timestamp', `timestamp(${c.dp})`)
        : String(c.dt);
      return {
        table: c.tbl,
        name: c.col,
        type,
        kind: columnKind(c.dt, c.dt),
        nullable: c.nul === 'YES',
        defaultValue: serial ? null : def,
        autoIncrement: serial,
        unsigned: false,
        maxLength: c.len === null ? null : Number(c.len),
        position: Number(c.pos),
        charset: null,
      };
    });
  },

  async foreignKeys(db) {
    const r = await sql<any>`
      SELECT c.conname AS name, t.relname AS tbl, a.attname AS col, rt.relname AS rtbl, ra.attname AS rcol,
             c.condeferrable AS deferrable
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      JOIN pg_class rt ON rt.oid = c.confrelid
      JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, rattnum, ord) ON true
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.rattnum
      WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace
      ORDER BY t.relname, c.conname, k.ord`.execute(db);
    return groupKeys<ForeignKeyInfo>(r.rows, (row) => ({
      name: row.name, table: row.tbl, columns: [], refTable: row.rtbl, refColumns: [], deferrable: row.deferrable,
    }), (fk, row) => { fk.columns.push(row.col); fk.refColumns.push(row.rcol); });
  },

  async uniqueKeys(db) {
    // Unique indexes, whether made by a UNIQUE constraint or CREATE UNIQUE INDEX.
    const r = await sql<any>`
      SELECT i.relname AS name, t.relname AS tbl, a.attname AS col, x.indisprimary AS prim
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace AND x.indpred IS NULL
      ORDER BY t.relname, i.relname, k.ord`.execute(db);
    return groupKeys<UniqueKeyInfo>(r.rows, (row) => ({
      name: row.name, table: row.tbl, columns: [], primary: row.prim,
    }), (k, row) => k.columns.push(row.col));
  },
};
