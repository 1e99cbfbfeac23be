/**
 * The one place that picks an engine's SQL for the drain and the setup commands: each has a shared interface in
 * src/db/<name>.ts and one same-named file per engine in src/db/mysql/ and src/db/postgres/ (kysely's dialect layout).
 * None of them loads a driver, so they are imported together.
 */
import type { BufferSql } from './buffer-sql.js';
import { mysqlBufferSql } from './mysql/buffer-sql.js';
import { mysqlSetupSql } from './mysql/setup-sql.js';
import { postgresBufferSql } from './postgres/buffer-sql.js';
import { postgresSetupSql } from './postgres/setup-sql.js';
import type { SetupSql } from './setup-sql.js';
import type { Engine } from './url.js';

const BY_ENGINE: Record<Engine, { buffer: BufferSql; setup: SetupSql }> = {
  mysql: { buffer: mysqlBufferSql, setup: mysqlSetupSql },
  postgres: { buffer: postgresBufferSql, setup: postgresSetupSql },
};

/** The drain's SQL for this engine (src/db/buffer-sql.ts). */
export function bufferSql(engine: Engine): BufferSql {
  return BY_ENGINE[engine].buffer;
}

/** init-schema's and seed's SQL for this engine (src/db/setup-sql.ts). */
export function setupSql(engine: Engine): SetupSql {
  return BY_ENGINE[engine].setup;
}
