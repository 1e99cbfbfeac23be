/**
 * approve-requests speed, per engine, through the real binary (run `npm run build` first):
 *   - a run with nothing to do (what cron pays every few minutes): wall time of the whole process;
 *   - 10,000 pending requests approved (links, audit entries, deletions) in one run.
 * Run: node --import tsx bench/approve-requests.ts [requests] [batch-size]
 */
import { performance } from 'node:perf_hooks';
import { counts, manyRequests, sentryDatabase } from '../test/helpers/access-requests.js';
import { ENGINES, runCli } from '../test/helpers/servers.js';

const N = Number(process.argv[2] ?? 10_000);
const BATCH = process.argv[3] ?? '500';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const engine of ENGINES) {
  const d = await sentryDatabase(engine, 'sa_appr_bench');
  try {
    const idle: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [r, s] = await timed(() => runCli(['approve-requests', '--db', d.text]));
      if (r.code !== 0 || r.stdout || r.stderr) throw new Error(`idle run: exit ${r.code} ${r.stdout}${r.stderr}`);
      idle.push(s);
    }
    const [, seeded] = await timed(() => manyRequests(d.conn, N, 20));
    const [r, s] = await timed(() => runCli(['approve-requests', '--db', d.text, '--batch-size', BATCH]));
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
    const c = await counts(d.conn);
    if (c.requests !== 0 || c.audit !== N || c.links !== N) throw new Error(`unexpected counts ${JSON.stringify(c)}`);
    console.log(
      `${engine.padEnd(8)} nothing to do: median ${(median(idle) * 1000).toFixed(0)} ms (min ${(Math.min(...idle) * 1000).toFixed(0)}, ` +
      `max ${(Math.max(...idle) * 1000).toFixed(0)}, 7 runs) | ${N} requests approved in ${s.toFixed(2)} s ` +
      `(${Math.round(N / s)}/s, batch ${BATCH}; fixture ${seeded.toFixed(1)} s) | ${r.stdout.trim()}`,
    );
  } finally {
    await d.close();
  }
}
