/**
 * A temporary table of keys on one pinned session: a set of keys loaded in bulk from the client, then
 * used in SQL as `key IN (<select>)`, so that a query joins against it instead of sending the keys
 * with every statement. Its one column `k` has the type (and on MySQL the collation) of the column
 * it stands for; it is read only through `IN`, as a set. Temporary tables belong to their session:
 * every call must use the same connection (`db.connection().execute(...)`), and `drop` before it
 * goes back to the pool (it also undoes what `ready` set on the session).
 */
import type { Kysely, RawBuilder } from 'kysely';
import { mysqlTempKeys } from './mysql/temp-keys.js';
import { postgresTempKeys } from './postgres/temp-keys.js';
import type { Engine } from './url.js';

export interface TempKeys {
  /** `SELECT k FROM <the table>`, for `column IN (...)`. */
  readonly select: RawBuilder<unknown>;
  /** Makes it empty: a table of that name left on the session is dropped first. */
  create(db: Kysely<any>): Promise<void>;
  /** Adds keys in one statement (a key given again may be stored again: `IN` reads a set). */
  add(db: Kysely<any>, keys: string[]): Promise<void>;
  /** After the last `add`, before the table is read. */
  ready(db: Kysely<any>): Promise<void>;
  drop(db: Kysely<any>): Promise<void>;
}

/** What the keys stand for: their column's type and collation are the table's. */
export interface KeysOf {
  table: string;
  column: string;
}

export function tempKeys(engine: Engine, name: string, like: KeysOf): TempKeys {
  return engine === 'mysql' ? mysqlTempKeys(name, like) : postgresTempKeys(name, like);
}
