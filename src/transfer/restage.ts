import { sql, type Kysely } from 'kysely';
import type { SnapshotReader } from '../db/snapshot.js';
import { RuntimeFailure } from '../errors.js';
import { spec } from './catalog.js';
import type { PlannedTable } from './plan.js';
import type { Canonical } from './row-codec.js';
import { type Scope, scopeFilter, specIn } from './scope.js';
import type { ChunkDescriptor, Staging } from './staging.js';

/**
 * Rebuild the payload of every chunk that is still queued but whose payload key is gone (evicted by a Redis
 * that was not `noeviction`, deleted by hand). The descriptor keeps the chunk's first and last primary key, so
 * the exporter reads that key range again, in the same scope, and puts the payload back under the same key;
 * the importer that stopped on it (exit 1, naming the chunk) then loads it when run again. A text key range
 * (nodestore_node) selects the same rows as the export did: both compare in the source's own collation.
 *
 * Chunks without a key range (nodes found through their events, under a scope) cannot be rebuilt: the run
 * stops naming them, and the way out is to start the run over.
 */
export async function restageLost(db: Kysely<any>, reader: SnapshotReader, staging: Staging, scope: Scope, tables: PlannedTable[]): Promise<number> {
  let rebuilt = 0;
  for (const t of tables) {
    for await (const page of staging.queued(t.table)) {
      const exists = await Promise.all(page.map((d) => staging.redis.exists(d.key)));
      for (const d of page.filter((_, i) => !exists[i])) {
        const filter = scopeFilter(db, specIn(scope, t.table) ?? spec(t.table), scope);
        if (d.first === null || d.last === null || !filter) throw cannotRebuild(staging, d);
        const q = db
          .selectFrom(t.table)
          .select(t.columns.map((c) => sql.ref(c).as(c)))
          .where(filter)
          .where(sql.ref(t.pk), '>=', d.first)
          .where(sql.ref(t.pk), '<=', d.last)
          .orderBy(sql.ref(t.pk))
          .compile();
        const rows: Canonical[][] = [];
        for await (const raw of reader.stream(q.sql, q.parameters)) rows.push(raw.map((v, i) => reader.canonical(t.kinds[i], v)));
        if (await staging.restage(d, JSON.stringify({ table: t.table, columns: t.columns, rows }), rows.length)) rebuilt++;
      }
    }
  }
  return rebuilt;
}

function cannotRebuild(s: Staging, d: ChunkDescriptor): RuntimeFailure {
  return new RuntimeFailure(
    `chunk ${d.seq} of ${d.table} lost its payload ${d.key} and cannot be rebuilt (its rows are not one key range)`,
    `start the run over: \`sentry-admin discard --namespace ${s.ns}\`, empty the target, and run the same command again`,
  );
}
