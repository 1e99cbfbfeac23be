/** MySQL/MariaDB's EngineAdapter (src/db/engine.ts), assembled from the files of this folder. */
import type { EngineAdapter } from '../engine.js';
import { pinnedLock } from '../kinds.js';
import { openBulkSession } from './bulk-load.js';
import { mysqlIntrospection } from './introspection.js';
import { mysqlNodeRefs } from './node-refs.js';
import { freeLock, takeLock } from './locks.js';
import { onServer, openPool } from './open.js';
import { quote } from './quote.js';
import { mysqlHash } from './row-hash.js';
import { insertReturningIds } from './sequences.js';
import { openSnapshotReader, openSnapshotSession } from './snapshot.js';
import { checkForeignKeysNow, showsWrites, updateByKey, writeFingerprint } from './sync.js';
import { mysqlCanonical, mysqlColumnLimits } from './values.js';

export const mysqlAdapter: EngineAdapter = {
  engine: 'mysql',
  server: 'MySQL',
  open: (url, { poolSize }) => openPool(url, poolSize),
  openSnapshotReader,
  openSnapshotSession,
  checkForeignKeysNow,
  updateByKey,
  writeFingerprint,
  showsWrites,
  // InnoDB counts a change and its UPDATE_TIME at commit.
  writeStatsDelayMs: 0,
  openBulkSession,
  ...mysqlIntrospection,
  tryLock: (db, name) => pinnedLock(db, name, takeLock, freeLock),

  async createDatabase(url) {
    await onServer(url, `CREATE DATABASE ${quote(url.database)} CHARACTER SET utf8 COLLATE utf8_general_ci`);
  },

  async dropDatabase(url) {
    await onServer(url, `DROP DATABASE IF EXISTS ${quote(url.database)}`);
  },

  insertReturningIds,
  async syncIdSequence() {
    // InnoDB raises AUTO_INCREMENT past any explicit id it is given.
  },
  idSequences: false,
  checkSequences: async () => [],
  // MySQL commits each DDL statement by itself.
  transactionalDdl: false,
  quoteIdent: quote,
  pythonIntType: () => 'long',
  storedNow: (now) => new Date(Math.floor(now.getTime() / 1000) * 1000),
  hash: mysqlHash,
  canonical: mysqlCanonical,
  columnLimits: mysqlColumnLimits,
  nodeRefs: mysqlNodeRefs,
};
