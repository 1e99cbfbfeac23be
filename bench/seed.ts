/**
 * Times `sentry-admin seed` (the built binary, as a user runs it) on each engine, into a fresh
 * init-schema database per run, and prints the figures.
 *
 *   npm run build && node --import tsx bench/seed.ts [events…] [--engines mysql,postgres] [--big-ints]
 *
 * Defaults: 100000 and 1000000 events on both engines, 32-bit ids.
 */
import { performance } from 'node:perf_hooks';
import { type Engine } from '../src/db/url.js';
import { initSchema } from '../src/setup/init-schema.js';
import { ENGINES, runCli, tempDatabase } from '../test/helpers/servers.js';

const args = process.argv.slice(2);
const engineArg = args.indexOf('--engines');
const engines: Engine[] = engineArg >= 0 ? (args[engineArg + 1].split(',') as Engine[]) : ENGINES;
const bigInts = args.includes('--big-ints');
const sizes = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--engines').map(Number);
if (!sizes.length) sizes.push(100_000, 1_000_000);

interface Figure {
  engine: Engine;
  events: number;
  seconds: number;
  rows: number;
}

const figures: Figure[] = [];
for (const events of sizes) {
  for (const engine of engines) {
    const db = await tempDatabase(engine, 'sa_bench_seed');
    try {
      await initSchema(db.url, { bigInts });
      const started = performance.now();
      const r = await runCli(['seed', '--db', db.text, '--events', String(events), '--json'], { timeoutMs: 30 * 60_000 });
      const seconds = (performance.now() - started) / 1000;
      if (r.code !== 0) throw new Error(`seed failed on ${engine} (exit ${r.code}): ${r.stderr}`);
      const doc = JSON.parse(r.stdout) as { tables: Record<string, number> };
      const rows = Object.values(doc.tables).reduce((a, b) => a + b, 0);
      figures.push({ engine, events, seconds, rows });
      console.log(`${engine.padEnd(8)} ${String(events).padStart(8)} events  ${seconds.toFixed(1).padStart(6)} s  ` +
        `${Math.round(events / seconds).toLocaleString('en-US').padStart(7)} events/s  ${rows.toLocaleString('en-US')} rows`);
    } finally {
      await db.drop();
    }
  }
}
for (const events of sizes) {
  const [my, pg] = ['mysql', 'postgres'].map((e) => figures.find((f) => f.engine === e && f.events === events));
  if (my && pg) console.log(`${events} events: postgres/mysql time ratio ${(pg.seconds / my.seconds).toFixed(2)}`);
}
