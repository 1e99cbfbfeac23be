/**
 * Sentry's queued organization deletions, read from its Celery broker before a repair re-creates or restores an
 * organization. A deletion can strike again: 7.7's delete_organization (tasks/deletion.py) catches
 * `Team.DoesNotExist` where it looks up the Organization, so for an organization that is gone it raises, and its
 * @retry wrapper (tasks/base.py) re-queues it every 5 minutes for ever (max_retries=None); once the organization
 * is back, the next retry deletes it. Likewise a restored organization: the task does not look at the status.
 *
 * Where the broker is (Celery 3.1 / kombu 3.0, the versions 7.7 pins), read-only:
 * - the database itself (BROKER_URL 'django://', Sentry's default): djkombu_message joined to djkombu_queue;
 * - a Redis broker (`--sentry-redis`): the queue lists (`cleanup` and its priority lists `cleanup\x06\x16N`) and
 *   the `unacked` hash, where a worker keeps the tasks it holds (a countdown or retry waits there).
 * A kombu message is JSON with a base64 `body`: Celery's task message (protocol 1), pickled (Celery 3.1's default
 * serializer) or JSON. Pickles are read by the project's safe unpickler (opaque for anything not plain data).
 */
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { unpickle } from '../codec/pickle-read.js';
import { PyStr, PyTuple, dictGet, type PyValue } from '../codec/py-value.js';
import type { RedisUrl } from '../config/redis-url.js';
import type { Connection } from '../db/connect.js';
import type { EngineAdapter } from '../db/engine.js';
import type { SentryDb } from '../db/sentry-db.js';
import { openRedis } from '../redis/client.js';

export const DELETE_ORGANIZATION = 'sentry.tasks.deletion.delete_organization';
const QUEUE = 'cleanup'; // @instrumented_task(queue='cleanup')
const REDIS_QUEUE_KEYS = [QUEUE, ...[3, 6, 9].map((p) => `${QUEUE}\x06\x16${p}`)];
const MAX_MESSAGES = 100_000;

export interface DeletionTask {
  organizationId: string;
  /** Where it was found, e.g. `djkombu_message 12 (queue cleanup)` or `redis://…/0 unacked`. */
  where: string;
  taskId: string | null;
  retries: number;
  eta: string | null;
}

export interface DeletionTaskScan {
  /** The brokers read (none: nothing could be checked). */
  checked: string[];
  tasks: DeletionTask[];
  /** Brokers that could not be read, and why. */
  problems: string[];
}

/** Read every queued delete_organization task in the database broker (when its tables exist) and the Redis ones. */
export async function findDeletionTasks(
  db: Kysely<SentryDb>, adapter: EngineAdapter, redis: { client: Redis; label: string }[] = [],
): Promise<DeletionTaskScan> {
  const scan: DeletionTaskScan = { checked: [], tasks: [], problems: [] };
  // The tables exist in every Sentry database; kombu declares a queue (a djkombu_queue row) only when it is used.
  if ((await adapter.listTables(db)).includes('djkombu_queue') && await db.selectFrom('djkombu_queue').select('id').limit(1).executeTakeFirst()) {
    scan.checked.push('djkombu_message (the database broker)');
    const rows = await db.selectFrom('djkombu_message as m').innerJoin('djkombu_queue as q', 'q.id', 'm.queue_id')
      .select(['m.id', 'm.payload', 'q.name']).where('q.name', 'like', `${QUEUE}%`).orderBy('m.id').limit(MAX_MESSAGES).execute();
    for (const r of rows) addTask(scan, String(r.payload), `djkombu_message ${r.id} (queue ${r.name})`);
  }
  for (const { client, label } of redis) {
    try {
      for (const key of REDIS_QUEUE_KEYS) {
        if ((await client.type(key)) !== 'list') continue;
        for (const payload of await client.lrange(key, 0, MAX_MESSAGES - 1)) addTask(scan, payload, `${label} list ${JSON.stringify(key)}`);
      }
      if ((await client.type('unacked')) === 'hash') {
        let cursor = '0';
        do {
          const [next, flat] = await client.hscan('unacked', cursor, 'COUNT', 1000);
          cursor = next;
          for (let i = 1; i < flat.length; i += 2) {
            try {
              const [message] = JSON.parse(flat[i]) as [unknown];
              addTask(scan, JSON.stringify(message), `${label} unacked ${flat[i - 1]}`);
            } catch {
              // not kombu's [message, exchange, routing_key]: not a task we can read
            }
          }
        } while (cursor !== '0');
      }
      scan.checked.push(label);
    } catch (err) {
      scan.problems.push(`${label}: ${(err as Error).message}`);
    }
  }
  return scan;
}

/** Decode one kombu message; keep it when it is a delete_organization task. */
function addTask(scan: DeletionTaskScan, payload: string, where: string): void {
  let body: PyValue | unknown;
  try {
    const msg = JSON.parse(payload) as { body?: string; 'content-type'?: string; properties?: { body_encoding?: string } };
    if (typeof msg.body !== 'string') return;
    const raw = msg.properties?.body_encoding === 'base64' ? Buffer.from(msg.body, 'base64') : Buffer.from(msg.body, 'utf8');
    body = msg['content-type'] === 'application/json' ? JSON.parse(raw.toString('utf8')) : unpickle(raw, { opaque: true });
  } catch {
    return; // not a message we can read: not ours to judge
  }
  const get = (k: string): unknown => (body instanceof Map ? dictGet(body as PyValue, k) : (body as Record<string, unknown> | null)?.[k]);
  const text = (v: unknown) => (typeof v === 'string' ? v : v instanceof PyStr ? v.toString() : null);
  if (text(get('task')) !== DELETE_ORGANIZATION) return;
  const kwargs = get('kwargs');
  const args = get('args');
  const first = Array.isArray(args) ? args[0] : args instanceof PyTuple ? args.items[0] : undefined;
  const id = (kwargs instanceof Map ? dictGet(kwargs as PyValue, 'object_id') : (kwargs as Record<string, unknown> | null)?.object_id) ?? first;
  if (typeof id !== 'number' && typeof id !== 'bigint' && typeof id !== 'string') return;
  const retries = get('retries');
  scan.tasks.push({
    organizationId: String(id), where, taskId: text(get('id')), retries: typeof retries === 'number' ? retries : Number(retries ?? 0), eta: text(get('eta')),
  });
}

/** Sentry's queued deletions, read before any transaction (a broker that cannot be read is reported, not fatal). */
export async function readBrokers(conn: Connection, urls: RedisUrl[], clientName: string): Promise<DeletionTaskScan> {
  const clients: { client: Redis; label: string }[] = [];
  const problems: string[] = [];
  try {
    for (const u of urls) {
      try {
        clients.push({ client: await openRedis(u, { name: clientName }), label: u.masked });
      } catch (err) {
        problems.push(`${u.masked}: ${(err as Error).message}`);
      }
    }
    const scan = await findDeletionTasks(conn.db, conn.adapter, clients);
    return { ...scan, problems: [...problems, ...scan.problems] };
  } finally {
    for (const c of clients) c.client.disconnect();
  }
}

/**
 * Every mode that re-creates or restores an organization: name the deletion tasks Sentry still holds for it (they
 * delete it again, see deletion-tasks.ts), or say that no broker could be read.
 */
export function deletionWarnings(scan: DeletionTaskScan, orgIds: string[]): string[] {
  if (!orgIds.length) return [];
  const out: string[] = [];
  for (const id of orgIds) {
    const mine = scan.tasks.filter((t) => t.organizationId === id);
    if (!mine.length) continue;
    out.push(`organization ${id}: Sentry's broker still holds ${mine.length} delete_organization task(s) for it, which will delete it again ` +
      `(7.7's task retries for ever while the organization is gone, and ignores its status): ` +
      mine.slice(0, 5).map((t) => `${t.where}${t.taskId ? ` task ${t.taskId}` : ''}, retries ${t.retries}${t.eta ? `, next run ${t.eta}` : ''}`).join('; ') +
      `. Remove those messages (or purge the cleanup queue) before Sentry's workers run them`);
  }
  for (const p of scan.problems) out.push(`could not read Sentry's broker ${p}`);
  if (!scan.checked.length) {
    out.push(`no broker was read, so queued deletions could not be looked for: a delete_organization task Sentry still holds for organization(s) ` +
      `${orgIds.join(', ')} would delete them again; give --sentry-redis URL (Sentry's Redis broker) to look (the database broker is read when in use)`);
  }
  return out;
}
