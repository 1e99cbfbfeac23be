import type { RedisUrl } from '../config/redis-url.js';
import { openRedis } from '../redis/client.js';
import { tableStatus } from './import.js';
import { Staging } from './staging.js';
import { type RoundReport, recordedRounds } from './sync.js';

/**
 * exporting / importing / verifying: someone holds that lease now (several may: a migrate exports and imports).
 * exported: the export finished and nobody imports yet. done: every table complete, nobody running.
 * interrupted: unfinished and nobody running (Ctrl-C, a crash): the same command again resumes.
 */
export type RunState = 'exporting' | 'importing' | 'verifying' | 'syncing' | 'exported' | 'done' | 'interrupted';

export interface RunStatus {
  namespace: string;
  exists: boolean;
  source?: string;
  target?: string;
  scope?: string;
  /** What the run is doing now, from the live leases and the counters (never a stale stored word). */
  state?: RunState;
  created?: string;
  stagedBytes: number;
  exporterRunning: boolean;
  /** Every live lease: role (exporter, importer:<consumer>, target-check, verifier) and its holder (host:pid:…). */
  alive: { role: string; holder: string }[];
  tables: { table: string; planned: number; exported: number; imported: number; rejected: number; exportDone: boolean; complete: boolean; chunksStaged: number }[];
  /** The last rounds `sync` ran in the namespace (oldest first), with when they ended. */
  syncRounds: (RoundReport & { at: string })[];
}

/** What a run in the namespace has done so far, read from Redis only (safe while it runs). */
export async function runStatus(redisUrl: RedisUrl, ns: string): Promise<RunStatus> {
  const redis = await openRedis(redisUrl, { name: 'sentry-admin-status' });
  try {
    const st = new Staging(redis, ns);
    const id = await st.identity();
    const alive = await st.alive();
    const out: RunStatus = { namespace: ns, exists: Boolean(id), stagedBytes: 0, exporterRunning: false, alive, tables: [], syncRounds: [] };
    if (!id) return out;
    Object.assign(out, { source: id.source, target: id.target, scope: id.scope, created: id.created });
    out.stagedBytes = await st.stagedBytes();
    out.exporterRunning = alive.some((a) => a.role === 'exporter');
    const tables = await st.tables();
    const status = await tableStatus(st, tables.map((t) => t.table));
    for (const t of tables) {
      const s = status.get(t.table)!;
      out.tables.push({
        table: t.table, planned: t.rows, exported: s.exportedRows, imported: s.importedRows, rejected: s.rejectedRows,
        exportDone: s.exportDone, complete: s.complete, chunksStaged: s.exportedChunks - s.importedChunks,
      });
    }
    out.syncRounds = await recordedRounds(st);
    const has = (role: string) => alive.some((a) => a.role === role || a.role.startsWith(role + ':'));
    if (has('sync')) out.state = 'syncing';
    else if (has('verifier')) out.state = 'verifying';
    else if (out.exporterRunning) out.state = 'exporting';
    else if (has('importer') || has('target-check')) out.state = 'importing';
    else if (out.tables.every((t) => t.complete)) out.state = 'done';
    else if (out.tables.every((t) => t.exportDone) && out.tables.every((t) => t.imported + t.rejected === 0)) out.state = 'exported';
    else out.state = 'interrupted';
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
