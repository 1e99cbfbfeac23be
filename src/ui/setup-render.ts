/** Human output of the setup commands (init-schema, seed, demo) and the seed's progress lines. */
import type { DemoResult } from '../setup/demo.js';
import type { InitSchemaResult } from '../setup/init-schema.js';
import type { SeedOptions, SeedResult } from '../setup/seed.js';
import { renderMigration } from './migrate-render.js';
import type { Output } from './output.js';

export function renderInitSchema(r: InitSchemaResult): string {
  return `created the Sentry 7.7 schema in ${r.database}: ${r.tables} tables, ${r.bigInts ? '64' : '32'}-bit ids` +
    (r.createdDatabase ? ' (database created)' : '');
}

export function renderSeed(r: SeedResult): string {
  const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
  return [
    `seeded ${r.database} (seed ${r.seed}): ${r.events.toLocaleString('en-US')} events, ${rows.toLocaleString('en-US')} rows in ` +
      `${Object.keys(r.tables).length} tables, ${r.seconds.toFixed(1)} s`,
    `organizations: ${r.organizations.join(', ')}`,
    `users sign in with their email (the superuser: admin) and the password ${r.password}`,
  ].join('\n');
}

/** The seed's progress: a log line per large table and per load report; nothing with --json. */
export function seedProgress(out: Output): Pick<SeedOptions, 'onTable' | 'onProgress'> {
  return {
    onTable: (table, rows, seconds) => {
      if (!out.json && rows >= 10000) out.log(`  ${table}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s`);
    },
    onProgress: (sent) => {
      if (!out.json) out.log(`  loading ${sent.map((s) => `${s.table} ${Math.floor((100 * s.rows) / s.expected)}%`).join(', ')}`);
    },
  };
}

export function renderDemo(r: DemoResult): string {
  return `${renderMigration(r.migration)}\n\nnext: sentry-admin doctor --from ${r.source} --to ${r.target}`;
}
