import { Kysely, MysqlDialect, sql } from 'kysely';
import { createPool, createConnection, type TypeCastField, type TypeCastNext } from 'mysql2';
import type { ColumnInfo, EngineAdapter, ForeignKeyInfo, UniqueKeyInfo } from './engine.js';
import { columnKind, groupKeys, pinnedLock } from './kinds.js';
import type { DbUrl } from './url.js';

/** tinyint(1) is Django's BooleanField on MySQL: read it as a boolean. */
export function mysqlTypeCast(field: TypeCastField, next: TypeCastNext): unknown {
  if (field.type === 'TINY' && field.length === 1) {
    const v = field.string();
    return v === null ? null : v !== '0';
  }
  return next();
}

/** Connection options shared by every MySQL connection we open (pool or raw stream). */
export function mysqlOptions(url: DbUrl) {
  return {
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    socketPath: url.params.socket,
    // Sentry's MySQL columns are utf8 (3-byte); we speak utf8mb4 so a 4-byte character reaches the
    // server intact and is refused there, rather than mangled here.
    charset: 'UTF8MB4_GENERAL_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    timezone: 'Z' as const,
    dateStrings: false as const,
    typeCast: mysqlTypeCast,
    connectTimeout: 10_000,
  };
}

const INIT_SESSION = "SET SESSION time_zone = '+00:00'";

export const mysqlAdapter: EngineAdapter = {
  engine: 'mysql',

  open(url, { poolSize }) {
    const pool = createPool({ ...mysqlOptions(url), connectionLimit: poolSize, waitForConnections: true });
    pool.on('connection', (c) => c.query(INIT_SESSION));
    const db = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
    return { db, close: () => db.destroy() };
  },

  async serverVersion(db) {
    const r = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(db);
    const v = r.rows[0].v;
    return /mariadb/i.test(v) ? `MariaDB ${v}` : `MySQL ${v}`;
  },

  async listTables(db) {
    const r = await sql<{ t: string }>`
      SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
    return r.rows.map((x) => x.t);
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

  tryLock(db, name) {
    return pinnedLock(
      db,
      async (conn) => Number((await sql<{ ok: number | null }>`SELECT GET_LOCK(${name}, 0) AS ok`.execute(conn)).rows[0].ok) === 1,
      (conn) => sql`SELECT RELEASE_LOCK(${name})`.execute(conn),
    );
  },

  async createDatabase(url) {
    await adminQuery(url, `CREATE DATABASE ${quote(url.database)} CHARACTER SET utf8 COLLATE utf8_general_ci`);
  },

  async dropDatabase(url) {
    await adminQuery(url, `DROP DATABASE IF EXISTS ${quote(url.database)}`);
  },

  async insertReturningIds(db, table, rows) {
    if (rows.length === 0) return [];
    const mode = autoIncrement((await sql.raw<AutoIncrementRow>(AUTO_INCREMENT_SQL).execute(db)).rows[0]);
    const batch = mode.consecutive ? 1000 : 1;
    const out: string[] = [];
    for (let i = 0; i < rows.length; i += batch) {
      const part = rows.slice(i, i + batch);
      const r = await db.insertInto(table).values(part).executeTakeFirstOrThrow();
      out.push(...mode.ids(r.insertId!, part.length));
    }
    return out;
  },

  async syncIdSequence() {
    // InnoDB raises AUTO_INCREMENT past any explicit id it is given.
  },

  quoteIdent: quote,
  pythonIntType: () => 'long',
};

export const AUTO_INCREMENT_SQL = 'SELECT @@innodb_autoinc_lock_mode AS m, @@auto_increment_increment AS step';
export interface AutoIncrementRow {
  m: number | string;
  step: number | string;
}

/**
 * What the server's auto-increment settings let us know about the ids one statement gets: under the "traditional"
 * (0) and "consecutive" (1) lock modes a multi-row INSERT or a LOAD DATA gets consecutive ids (step
 * auto_increment_increment) from the first one the server reports; the "interleaved" mode (2) promises nothing.
 */
export function autoIncrement(row: AutoIncrementRow): { consecutive: boolean; ids: (first: bigint | string | number, count: number) => string[] } {
  const step = BigInt(row.step);
  return {
    consecutive: Number(row.m) <= 1,
    ids: (first, count) => Array.from({ length: count }, (_, k) => (BigInt(first) + BigInt(k) * step).toString()),
  };
}

function quote(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

async function adminQuery(url: DbUrl, text: string): Promise<void> {
  const { database: _omit, ...opts } = mysqlOptions(url);
  const c = createConnection(opts);
  try {
    await c.promise().query(text);
  } finally {
    c.destroy();
  }
}
