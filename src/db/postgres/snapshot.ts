import QueryStream from 'pg-query-stream';
import type { SnapshotReader } from '../snapshot.js';
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
