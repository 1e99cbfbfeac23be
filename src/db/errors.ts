/**
 * The database errors the code tells apart, by name, and what they mean for a caller. A mysql2 error carries the
 * server's error number in `errno`; a pg error carries the SQLSTATE in `code`. Nothing outside src/db compares
 * raw error numbers or SQLSTATEs.
 */
import { RuntimeFailure } from '../errors.js';
import { type DbUrl, maskSecrets } from './url.js';

/** MySQL/MariaDB server error numbers. */
export const MYSQL_ERRNO = {
  /** ER_DUP_ENTRY: a unique or primary key already holds the value. */
  DUP_ENTRY: 1062,
  /** ER_LOCK_WAIT_TIMEOUT: innodb_lock_wait_timeout ran out waiting for a row lock. */
  LOCK_WAIT_TIMEOUT: 1205,
  /** ER_LOCK_DEADLOCK: InnoDB chose this transaction as a deadlock's victim and rolled it back. */
  LOCK_DEADLOCK: 1213,
} as const;

/** PostgreSQL SQLSTATEs (Appendix A, "PostgreSQL Error Codes"). */
export const PG_SQLSTATE = {
  /** serialization_failure */
  SERIALIZATION_FAILURE: '40001',
  /** deadlock_detected */
  DEADLOCK_DETECTED: '40P01',
  /** lock_not_available: a lock_timeout (or NOWAIT) ran out, PostgreSQL's counterpart of ER_LOCK_WAIT_TIMEOUT. */
  LOCK_NOT_AVAILABLE: '55P03',
} as const;

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

const TRANSIENT_ERRNO: ReadonlySet<number> = new Set([MYSQL_ERRNO.LOCK_DEADLOCK, MYSQL_ERRNO.LOCK_WAIT_TIMEOUT]);
const TRANSIENT_SQLSTATE: ReadonlySet<string> = new Set([
  PG_SQLSTATE.DEADLOCK_DETECTED, PG_SQLSTATE.SERIALIZATION_FAILURE, PG_SQLSTATE.LOCK_NOT_AVAILABLE,
]);

/**
 * A deadlock, a serialization failure or a lock wait that timed out: the statement lost to a concurrent
 * transaction, and the caller may run its whole transaction again a little later. Both callers (a chunk's load,
 * transfer/import.ts; a drain unit, drain/apply-units.ts) roll their whole transaction back on any error before
 * they retry, so a retry never runs on top of half a transaction, even where MySQL's lock wait timeout rolled back
 * only the statement (innodb_rollback_on_timeout=OFF). PostgreSQL's lock_not_available is retried as MySQL's lock
 * wait timeout is: it comes only from a lock_timeout the DBA configured (neither caller uses NOWAIT), and it means
 * the same thing (the drain used to leave it out and stop the unit on it, an asymmetry no test relied on).
 */
export function isTransient(err: unknown): boolean {
  const e = err as DriverError | undefined;
  return (e?.errno !== undefined && TRANSIENT_ERRNO.has(e.errno)) || (e?.code !== undefined && TRANSIENT_SQLSTATE.has(e.code));
}

/** MySQL refused a row because its primary key already holds the value (ER_DUP_ENTRY on key 'PRIMARY'). */
export function isDuplicatePrimaryKey(err: unknown): boolean {
  const e = err as DriverError | undefined;
  return e?.errno === MYSQL_ERRNO.DUP_ENTRY && /PRIMARY/.test(e.message ?? '');
}

/**
 * A connection that could not be opened, as the user sees it: the host (password masked), why, and what to check.
 */
export function connectionFailure(url: DbUrl, err: unknown): RuntimeFailure {
  const e = err as DriverError;
  const why = maskSecrets(e?.message || e?.code || String(err));
  let hint = `check that the ${url.engine === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} server at ${url.host}:${url.port} is running and reachable`;
  if (/ER_BAD_DB_ERROR|does not exist|Unknown database/i.test(why)) hint = `create the database "${url.database}" first, or fix the name in the URL`;
  else if (/access denied|authentication|password/i.test(why)) hint = 'check the user name and password in the URL';
  return new RuntimeFailure(`cannot connect to ${url.masked}: ${why}`, hint);
}
