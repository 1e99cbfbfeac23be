import { type Connection, connect } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';

/**
 * Open a pool on the Sentry database, run `fn` with it and close it, whatever happens: how each admin command's
 * library entry (runApproveRequests, runResetGlobalAccess, runRepairOrphanedTeams, runUndo) owns its connection.
 */
export async function withConnection<T>(url: DbUrl, fn: (conn: Connection) => Promise<T>, opts: { poolSize?: number } = {}): Promise<T> {
  const conn = await connect(url, opts);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}
