import type { RedisUrl } from '../config/redis-url.js';
import { openRedis } from '../redis/client.js';
import { tableStatus } from './import.js';
import { Staging } from './staging.js';

export interface RunStatus {
  namespace: string;
  exists: boolean;
  source?: string;
  target?: string;
  scope?: string;
  state?: string;
  created?: string;
  stagedBytes: number;
  exporterRunning: boolean;
  tables: { table: string; planned: number; exported: number; imported: number; rejected: number; exportDone: boolean; complete: boolean; chunksStaged: number }[];
}

/** What a run in the namespace has done so far, read from Redis only (safe while it runs). */
export async function runStatus(redisUrl: RedisUrl, ns: string): Promise<RunStatus> {
  const redis = await openRedis(redisUrl, { name: 'sentry-admin-status' });
  try {
    const st = new Staging(redis, ns);
    const id = await st.identity();
    const out: RunStatus = { namespace: ns, exists: Boolean(id), stagedBytes: 0, exporterRunning: false, tables: [] };
    if (!id) return out;
    Object.assign(out, { source: id.source, target: id.target, scope: id.scope, state: id.state, created: id.created });
    out.stagedBytes = await st.stagedBytes();
    out.exporterRunning = (await redis.exists(st.key('lock', 'exporter'))) === 1;
    const tables = await st.tables();
    const status = await tableStatus(st, tables.map((t) => t.table));
    for (const t of tables) {
      const p = await st.progress(t.table);
      const s = status.get(t.table)!;
      out.tables.push({
        table: t.table, planned: t.rows, exported: Number(p.exported_rows ?? 0), imported: Number(p.imported_rows ?? 0),
        rejected: Number(p.rejected ?? 0), exportDone: s.exportDone, complete: s.complete, chunksStaged: s.exportedChunks - s.importedChunks,
      });
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

export async function discardRun(redisUrl: RedisUrl, ns: string): Promise<number> {
  const redis = await openRedis(redisUrl, { name: 'sentry-admin-discard' });
  try {
    return await new Staging(redis, ns).discard();
  } finally {
    redis.disconnect();
  }
}
