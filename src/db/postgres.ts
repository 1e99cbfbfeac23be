import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { ColumnInfo, EngineAdapter, ForeignKeyInfo, UniqueKeyInfo } from './engine.js';
import { columnKind, groupKeys, pinnedLock } from './kinds.js';
import type { DbUrl } from './url.js';

// int8 and numeric already arrive as strings (pg's default). Keep it that way, explicitly.
pg.types.setTypeParser(20, (v) => v);
pg.types.setTypeParser(1700, (v) => v);

/** Client options shared by every PostgreSQL connection we open (pool, COPY, cursor). */
export function postgresOptions(url: DbUrl): pg.ClientConfig {
  return {
    host: url.params.host ?? url.host,
    port: url.port,
    user: url.user,
    password: url.password || undefined,
    database: url.database,
    ssl: url.params.ssl === 'true' || url.params.sslmode === 'require' ? { rejectUnauthorized: false } : undefined,
    options: '-c TimeZone=UTC -c client_encoding=UTF8',
    connectionTimeoutMillis: 10_000,
    application_name: 'sentry-admin',
  };
}

export const postgresAdapter: EngineAdapter = {
  engine: 'postgres',

  open(url, { poolSize }) {
    const pool = new pg.Pool({ ...postgresOptions(url), max: poolSize });
    // A client that loses its server must not crash the process; the next query reports it.
    // pool 'error' covers idle clients only: a checked-out one (a lock's pinned connection, idle
    // between queries) emits on itself, and pg-pool removes its own listener while it is out.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    return { db, close: () => db.destroy() };
  },

  async serverVersion(db) {
    const r = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db);
    return `PostgreSQL ${r.rows[0].v}`;
  },

  async listTables(db) {
    const r = await sql<{ t: string }>`
      SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
    return r.rows.map((x) => x.t);
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

  tryLock(db, name) {
    return pinnedLock(
      db,
      async (conn) => (await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(hashtext(${name})) AS ok`.execute(conn)).rows[0].ok,
      (conn) => sql`SELECT pg_advisory_unlock(hashtext(${name}))`.execute(conn),
    );
  },

  async createDatabase(url) {
    await adminQuery(url, `CREATE DATABASE ${quote(url.database)} ENCODING 'UTF8' TEMPLATE template0`);
  },

  async dropDatabase(url) {
    await adminQuery(url, `DROP DATABASE IF EXISTS ${quote(url.database)} WITH (FORCE)`);
  },

  async insertReturningIds(db, table, rows) {
    if (rows.length === 0) return [];
    const out: string[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const r = await db.insertInto(table).values(rows.slice(i, i + 1000)).returning('id').execute();
      for (const x of r) out.push(String(x.id));
    }
    return out;
  },

  async syncIdSequence(db, table, column) {
    const seq = await sql<{ s: string | null }>`SELECT pg_get_serial_sequence(${table}, ${column}) AS s`.execute(db);
    const name = seq.rows[0]?.s;
    if (!name) return;
    // Only forward: the larger of the highest id and the sequence's own last value (null before first use).
    await sql`
      SELECT setval(${name}::regclass, GREATEST(m.top, COALESCE(pg_sequence_last_value(${name}::regclass), 0)), true)
      FROM (SELECT MAX(${sql.ref(column)}) AS top FROM ${sql.table(table)}) m
      WHERE m.top IS NOT NULL`.execute(db);
  },

  quoteIdent: quote,
  pythonIntType: (kind) => (kind === 'int64' ? 'long' : 'int'),
};

function quote(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

async function adminQuery(url: DbUrl, text: string): Promise<void> {
  const c = new pg.Client({ ...postgresOptions(url), database: 'postgres' });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
