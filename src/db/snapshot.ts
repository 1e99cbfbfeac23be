import type { Canonical, ColumnKind } from './engine.js';
import type { Engine } from './url.js';

/**
 * One connection that reads a whole export from a single consistent snapshot:
 * MySQL `START TRANSACTION WITH CONSISTENT SNAPSHOT` (REPEATABLE READ, read only; src/db/mysql/snapshot.ts),
 * PostgreSQL `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` (src/db/postgres/snapshot.ts). Opened with
 * `openSnapshotReader` (src/db/connect.ts). Rows stream with backpressure as arrays of raw values: strings for
 * bigints, datetimes and text; numbers for small ints (MySQL); everything text on PostgreSQL. `canonical` brings
 * one to the shared form.
 */
export interface SnapshotReader {
  readonly engine: Engine;
  /** What the report says about consistency. */
  readonly snapshot: string;
  /**
   * Where the source stood when the snapshot was taken, comparable between two snapshots: equal
   * positions mean nothing was committed in between. PostgreSQL: the snapshot (`xmin:xmax:xip`);
   * MariaDB: the binlog GTID position when binary logging is on. Null when the server cannot say.
   */
  readonly position: string | null;
  stream(text: string, params: readonly unknown[]): AsyncIterable<unknown[]>;
  /** A streamed raw value in the canonical form (the engine adapter's `canonical`). */
  canonical(kind: ColumnKind, v: unknown): Canonical;
  close(): Promise<void>;
}
