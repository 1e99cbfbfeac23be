import type { Kysely } from 'kysely';
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

/**
 * A snapshot reader whose connections also speak kysely: every query — grouped hashes, listings, raw rows —
 * sees the same snapshot. `sync` compares and copies a round from one (src/transfer/sync.ts), so a child row
 * it sees always comes with the parent it references, and it never writes or locks the source. Opened with
 * `openSnapshotSession` (src/db/connect.ts). Each connection serves one query at a time (a raw `stream`
 * holds one until read to its end); callers may issue queries concurrently, they run in turn.
 */
export interface SnapshotSession extends SnapshotReader {
  readonly db: Kysely<any>;
}

/** Connections that share one snapshot, each handed to one query at a time; `take` waits for a free one. */
export class Turns<C> {
  private readonly free: C[];
  private readonly waiting: ((c: C) => void)[] = [];
  constructor(readonly all: C[]) {
    this.free = [...all];
  }
  take(): Promise<C> {
    const c = this.free.pop();
    return c !== undefined ? Promise.resolve(c) : new Promise((resolve) => this.waiting.push(resolve));
  }
  give(c: C): void {
    const next = this.waiting.shift();
    if (next) next(c);
    else this.free.push(c);
  }
  /** A raw row stream that holds a connection from its first row to its end. */
  async *held(open: (c: C) => AsyncIterable<unknown[]>): AsyncGenerator<unknown[]> {
    const c = await this.take();
    try {
      yield* open(c);
    } finally {
      this.give(c);
    }
  }
}
