import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { RuntimeFailure } from '../../errors.js';
import { type BulkSession, type Row, type RowText, encodeBatches, encodeRow } from '../bulk.js';
import type { DbUrl } from '../url.js';
import { ForeignKeyCheck } from './fk-check.js';
import { freeLock, takeLock } from './locks.js';
import { kyselyOn, openSession } from './open.js';
import { quote } from './quote.js';

/** PostgreSQL's bulk session (src/db/bulk.ts): COPY FROM STDIN fed by a stream. */
export async function openBulkSession(url: DbUrl): Promise<BulkSession> {
  const client = await openSession(url, []);
  const q = (t: string) => client.query(t).then(() => undefined);
  const db = kyselyOn(client);
  const fk = new ForeignKeyCheck(db, q);
  const session: BulkSession = {
    engine: 'postgres',
    server: 'PostgreSQL',
    async query(text, params) {
      return (await client.query(text, params as unknown[])).rows;
    },
    async load(table, columns, rows) {
      const cols = columns.map(quote).join(', ');
      const stream = client.query(copyFrom(`COPY ${quote(table)} (${cols}) FROM STDIN`));
      let count = 0;
      await pipeline(Readable.from(encodeBatches(rows, encodePgRow, (n) => (count += n))), stream);
      return { rows: count, warnings: [] };
    },
    async loadRefusing(table, columns, rows, refused) {
      if (!rows.length) return 0;
      // A COPY stops at its first bad row: bisect under savepoints until each refused row stands alone.
      const attempt = async (part: Row[]): Promise<number> => {
        await q('SAVEPOINT chunk_part');
        try {
          const r = await session.load(table, columns, part);
          await q('RELEASE SAVEPOINT chunk_part');
          return r.rows;
        } catch (err) {
          await q('ROLLBACK TO SAVEPOINT chunk_part');
          if (part.length === 1) {
            refused(part[0], err as Error);
            return 0;
          }
          const mid = part.length >> 1;
          return (await attempt(part.slice(0, mid))) + (await attempt(part.slice(mid)));
        }
      };
      return attempt(rows);
    },
    startChunk: (table) => fk.start(table),
    removeOrphans: (table, pk, span) => fk.removeOrphans(table, pk, span),
    async loadReturningIds(table, columns, rows) {
      // The ids come from the table's own sequence first, then go in with the rows: no reliance on row order.
      const seq = (await client.query('SELECT pg_get_serial_sequence($1, $2) AS s', [quote(table), 'id'])).rows[0]?.s;
      if (!seq) return null;
      const ids: string[] = (await client.query('SELECT nextval($1::regclass)::text AS id FROM generate_series(1, $2)', [seq, rows.length]))
        .rows.map((r: { id: string }) => r.id);
      const r = await session.load(table, ['id', ...columns], rows.map((row, i) => [ids[i], ...row]));
      if (r.rows !== rows.length) throw new RuntimeFailure(`loaded ${r.rows} of ${rows.length} rows into ${table}`);
      return ids;
    },
    tryLock: (name) => takeLock(db, name),
    unlock: (name) => freeLock(db, name),
    begin: () => q('BEGIN'),
    commit: () => q('COMMIT'),
    rollback: () => q('ROLLBACK'),
    close: () => client.end(),
    db,
  };
  return session;
}

/** COPY text format: \N for NULL, backslash escapes for \ TAB LF CR. */
export const encodePgRow = (row: Row): string => encodeRow(row, PG_TEXT);

const COPY_SPECIAL = /[\\\t\n\r]/;
function escapeCopy(s: string): string {
  if (!COPY_SPECIAL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const PG_TEXT: RowText = { text: escapeCopy, true: 't', false: 'f', datetime: (d) => d.toISOString() };
