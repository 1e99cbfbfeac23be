import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { connectionFailure } from '../errors.js';
import { type SnapshotReader, type SnapshotSession, Turns } from '../snapshot.js';
import type { DbUrl } from '../url.js';
import { openSession } from './open.js';
import { postgresCanonical } from './values.js';

const RAW_TYPES = { getTypeParser: () => (v: string) => v };

/** PostgreSQL's snapshot reader (src/db/snapshot.ts): every value as the server's text. */
export async function openSnapshotReader(url: DbUrl): Promise<SnapshotReader> {
  const client = await openSession(url, ['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY']);
  // txid_current_snapshot() exists on every supported version (pg_current_snapshot from 13 on).
  const position = String((await client.query('SELECT txid_current_snapshot()::text AS s')).rows[0].s);
  return {
    engine: 'postgres',
    position,
    snapshot: 'PostgreSQL REPEATABLE READ read-only transaction',
    stream(text, params) {
      return client.query(new QueryStream(text, params as unknown[], { rowMode: 'array', batchSize: 2000, types: RAW_TYPES } as any)) as unknown as AsyncIterable<unknown[]>;
    },
    canonical: postgresCanonical,
    async close() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Connections of a snapshot session that read its snapshot at once (the first exports it to the others). */
const SESSION_READERS = 2;

/**
 * A snapshot session (src/db/snapshot.ts) on two connections: the first exports its snapshot
 * (`pg_export_snapshot`, 9.2+) and the second reads exactly it (`SET TRANSACTION SNAPSHOT`).
 */
export async function openSnapshotSession(url: DbUrl, o: { readOnly: boolean }): Promise<SnapshotSession> {
  const begin = `BEGIN ISOLATION LEVEL REPEATABLE READ${o.readOnly ? ' READ ONLY' : ''}`;
  const clients: pg.Client[] = [];
  let position: string;
  try {
    const first = await openSession(url, [begin]);
    clients.push(first);
    position = String((await first.query('SELECT txid_current_snapshot()::text AS s')).rows[0].s);
    const snapshot = String((await first.query('SELECT pg_export_snapshot() AS s')).rows[0].s);
    for (let i = 1; i < SESSION_READERS; i++) {
      clients.push(await openSession(url, [begin, `SET TRANSACTION SNAPSHOT ${pg.escapeLiteral(snapshot)}`]));
    }
  } catch (err) {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    throw connectionFailure(url, err);
  }
  const turns = new Turns(clients);
  for (const c of clients) Object.assign(c, { release: () => turns.give(c) });
  const pool = { connect: () => turns.take(), end: async () => undefined };
  return {
    engine: 'postgres',
    db: new Kysely<any>({ dialect: new PostgresDialect({ pool: pool as any }) }),
    position,
    snapshot: `PostgreSQL REPEATABLE READ${o.readOnly ? ' read-only' : ''} transaction (one snapshot, ${SESSION_READERS} connections)`,
    stream(text, params) {
      return turns.held((c) => c.query(new QueryStream(text, params as unknown[], { rowMode: 'array', batchSize: 2000, types: RAW_TYPES } as any)) as unknown as AsyncIterable<unknown[]>);
    },
    canonical: postgresCanonical,
    async close() {
      await Promise.all(clients.map(async (c) => {
        await c.query('COMMIT').catch(() => undefined);
        await c.end().catch(() => undefined);
      }));
    },
  };
}
