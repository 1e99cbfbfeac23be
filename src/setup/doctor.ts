import { connect } from '../db/connect.js';
import { idWidth, introspect, isSentryTable, sentryMigration } from '../db/introspect.js';
import type { DbUrl } from '../db/url.js';
import type { RedisUrl } from '../config/redis-url.js';
import { openRedis } from '../redis/client.js';
import { detectSentryKeys } from '../redis/sentry-keys.js';

export interface DatabaseReport {
  role: string;
  url: string;
  ok: boolean;
  error?: string;
  engine?: string;
  version?: string;
  sentryTables?: number;
  sentryMigration?: string | null;
  idWidth?: 32 | 64 | 'mixed' | null;
  organizations?: number | null;
}

export interface RedisReport {
  role: string;
  url: string;
  ok: boolean;
  error?: string;
  version?: string;
  usedMemory?: string;
  keys?: number;
  sentryKeysFound?: boolean;
  sentryKeyExamples?: string[];
}

export interface DoctorReport {
  databases: DatabaseReport[];
  redis: RedisReport[];
  warnings: string[];
  ok: boolean;
}

/** Connect to each configured server and say what is there. Never writes. */
export async function doctor(targets: { databases: [string, DbUrl][]; redis: [string, RedisUrl][] }): Promise<DoctorReport> {
  const warnings: string[] = [];
  const databases = await Promise.all(targets.databases.map(([role, url]) => checkDatabase(role, url)));
  const redis = await Promise.all(targets.redis.map(([role, url]) => checkRedis(role, url)));
  for (const d of databases) {
    if (d.ok && d.sentryTables === 0) warnings.push(`${d.role} ${d.url} holds no Sentry tables (run \`sentry-admin init-schema\` or Sentry's \`sentry upgrade\`)`);
    if (d.ok && d.idWidth === 'mixed') warnings.push(`${d.role} ${d.url} mixes 32- and 64-bit ids: an install half-converted by hand; check before migrating`);
    if (d.ok && d.sentryMigration && d.sentryMigration < '0190') warnings.push(`${d.role} ${d.url} is at South migration ${d.sentryMigration}, older than 7.7 (0190): run Sentry's \`sentry upgrade\` first`);
  }
  for (const r of redis) {
    if (r.ok && r.sentryKeysFound) {
      warnings.push(
        `${r.role} ${r.url} also holds Sentry's own keys (${r.sentryKeyExamples!.slice(0, 4).join(', ')}): ` +
          'staging a migration there can stall the production Redis; use another database index, e.g. redis://host:6379/9',
      );
    }
  }
  const ok = databases.every((d) => d.ok) && redis.every((r) => r.ok);
  return { databases, redis, warnings, ok };
}

async function checkDatabase(role: string, url: DbUrl): Promise<DatabaseReport> {
  const report: DatabaseReport = { role, url: url.masked, ok: false };
  try {
    const conn = await connect(url, { poolSize: 2 });
    try {
      const schema = await introspect(conn);
      report.engine = conn.engine;
      report.version = await conn.adapter.serverVersion(conn.db);
      report.sentryTables = schema.tables.filter(isSentryTable).length;
      report.sentryMigration = await sentryMigration(conn, schema);
      report.idWidth = idWidth(schema);
      if (schema.tables.includes('sentry_organization')) {
        const r = await conn.db.selectFrom('sentry_organization').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
        report.organizations = Number(r?.n ?? 0);
      }
      report.ok = true;
    } finally {
      await conn.close();
    }
  } catch (err) {
    report.error = (err as Error).message + ((err as { hint?: string }).hint ? ` (${(err as { hint?: string }).hint})` : '');
  }
  return report;
}

async function checkRedis(role: string, url: RedisUrl): Promise<RedisReport> {
  const report: RedisReport = { role, url: url.masked, ok: false };
  try {
    const redis = await openRedis(url, { name: 'sentry-admin-doctor' });
    try {
      const info = await redis.info();
      report.version = /redis_version:(\S+)/.exec(info)?.[1];
      report.usedMemory = /used_memory_human:(\S+)/.exec(info)?.[1];
      const keys = await detectSentryKeys(redis);
      report.keys = keys.dbsize;
      report.sentryKeysFound = keys.sentryKeysFound;
      report.sentryKeyExamples = keys.examples;
      report.ok = true;
    } finally {
      redis.disconnect();
    }
  } catch (err) {
    report.error = (err as Error).message;
  }
  return report;
}

export function renderDoctor(r: DoctorReport): string {
  const lines: string[] = [];
  for (const d of r.databases) {
    if (!d.ok) {
      lines.push(`${d.role.padEnd(6)} ${d.url}: FAILED ${d.error}`);
      continue;
    }
    lines.push(
      `${d.role.padEnd(6)} ${d.url}: ${d.version}; ${d.sentryTables} Sentry tables; ` +
        `migration ${d.sentryMigration ?? 'none'}; ids ${d.idWidth === null ? 'n/a' : d.idWidth === 'mixed' ? 'mixed' : d.idWidth + '-bit'}` +
        (d.organizations != null ? `; ${d.organizations} organizations` : ''),
    );
  }
  for (const x of r.redis) {
    if (!x.ok) {
      lines.push(`${x.role.padEnd(6)} ${x.url}: FAILED ${x.error}`);
      continue;
    }
    lines.push(
      `${x.role.padEnd(6)} ${x.url}: Redis ${x.version}; ${x.keys} keys; ${x.usedMemory} used; ` +
        (x.sentryKeysFound ? "Sentry's own keys present" : "no Sentry keys"),
    );
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
