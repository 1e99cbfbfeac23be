/** PostgreSQL's EngineAdapter (src/db/engine.ts), assembled from the files of this folder. */
import type { EngineAdapter } from '../engine.js';
import { pinnedLock } from '../kinds.js';
import { openBulkSession } from './bulk-load.js';
import { postgresIntrospection } from './introspection.js';
import { freeLock, takeLock } from './locks.js';
import { onServer, openPool } from './open.js';
import { quote } from './quote.js';
import { postgresHash } from './row-hash.js';
import { checkSequences, insertReturningIds, syncIdSequence } from './sequences.js';
import { openSnapshotReader, openSnapshotSession } from './snapshot.js';
import { checkForeignKeysNow, showsWrites, updateByKey, writeFingerprint } from './sync.js';
import { postgresCanonical, postgresColumnLimits } from './values.js';

export const postgresAdapter: EngineAdapter = {
  engine: 'postgres',
  server: 'PostgreSQL',
  open: (url, { poolSize }) => openPool(url, poolSize),
  openSnapshotReader,
  openSnapshotSession,
  checkForeignKeysNow,
  updateByKey,
  writeFingerprint,
  showsWrites,
  // pgstat: a backend flushes its counts at most once a second while busy, and within PGSTAT_IDLE_INTERVAL (10 s) once idle.
  writeStatsDelayMs: 11_000,
  openBulkSession,
  ...postgresIntrospection,
  tryLock: (db, name) => pinnedLock(db, name, takeLock, freeLock),

  async createDatabase(url) {
    await onServer(url, `CREATE DATABASE ${quote(url.database)} ENCODING 'UTF8' TEMPLATE template0`);
  },

  async dropDatabase(url) {
    await onServer(url, `DROP DATABASE IF EXISTS ${quote(url.database)} WITH (FORCE)`);
  },

  insertReturningIds,
  syncIdSequence,
  idSequences: true,
  checkSequences,
  transactionalDdl: true,
  quoteIdent: quote,
  pythonIntType: (kind) => (kind === 'int64' ? 'long' : 'int'),
  storedNow: (now) => new Date(now.getTime()),
  hash: postgresHash,
  canonical: postgresCanonical,
  columnLimits: postgresColumnLimits,
  // PostgreSQL has no zlib in SQL: node ids are read by the client.
  nodeRefs: null,
};
