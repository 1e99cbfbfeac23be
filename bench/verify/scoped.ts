/**
 * Scoped against full `verify`, per row: the same seeded Sentry on both sides (`seed` writes the
 * same rows on MySQL and PostgreSQL), verified once in full and once under a scope, and the cost
 * of a compared row in each printed with their ratio (a scoped verify should cost at most 1.5x a
 * full one per row). Each run is timed table by table too, so the table that costs is named.
 */
import { connect } from '../../src/db/connect.js';
import type { Engine } from '../../src/db/url.js';
import { initSchema } from '../../src/setup/init-schema.js';
import { seed } from '../../src/setup/seed.js';
import { FULL_SCOPE, type Scope, resolveScope } from '../../src/transfer/scope.js';
import { type VerifyReport, verify } from '../../src/transfer/verify.js';
import { type TempDatabase, tempDatabase } from '../../test/helpers/servers.js';
import { fmtInt, fmtRatio, fmtSeconds, note, textTable } from '../lib.js';

export interface ScopedOptions {
  events: number;
  pairs: [Engine, Engine][];
  orgs: string[];
  since: string | null;
  /** Runs of each verify; the fastest counts (the machine is shared). */
  repeat: number;
  keep: boolean;
}

async function seeded(engine: Engine, events: number): Promise<TempDatabase> {
  const t = await tempDatabase(engine, 'sa_bench_verify_scope');
  await initSchema(t.url, { bigInts: false });
  await seed(t.url, { events, seed: 1 });
  return t;
}

interface Timing {
  seconds: number;
  rows: number;
  report: VerifyReport;
}

async function fastest(repeat: number, fn: () => Promise<VerifyReport>): Promise<Timing> {
  let best: Timing | null = null;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const report = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const rows = report.tables.reduce((n, t) => n + Math.max(t.sourceRows ?? 0, t.targetRows ?? 0), 0);
    if (!report.equal) note(`verify found differences (${report.differentTables} table(s)): the figures price narrowing too`);
    if (!best || seconds < best.seconds) best = { seconds, rows, report };
  }
  return best!;
}

const perRow = (t: Timing) => (t.rows ? t.seconds / t.rows : 0);
const micros = (t: Timing) => `${(perRow(t) * 1e6).toFixed(1)} µs`;

/** The tables that took longest, with their rows and seconds. */
function slowest(t: Timing, n = 4): string {
  return [...t.report.tables].sort((a, b) => b.seconds - a.seconds).slice(0, n)
    .map((x) => `${x.table} ${fmtInt(Math.max(x.sourceRows ?? 0, x.targetRows ?? 0))} rows ${fmtSeconds(x.seconds)} s`).join(', ');
}

export async function runScoped(o: ScopedOptions): Promise<number> {
  const engines = [...new Set(o.pairs.flat())];
  const made = new Map<string, TempDatabase>();
  try {
    for (const e of engines) {
      for (const copy of o.pairs.some(([x, y]) => x === y && x === e) ? ['a', 'b'] : ['a']) {
        const t0 = performance.now();
        made.set(`${e}:${copy}`, await seeded(e, o.events));
        note(`seeded ${e} (${copy}) with ${o.events} events in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
      }
    }
    const scopeText = [...o.orgs.map((s) => `--org ${s}`), o.since ? `--since ${o.since}` : ''].filter(Boolean).join(' ');
    console.log(`verify, seeded Sentry (${o.events} events), full against scoped (${scopeText}); fastest of ${o.repeat}`);
    const lines: (string | number)[][] = [];
    for (const [x, y] of o.pairs) {
      const a = await connect(made.get(`${x}:a`)!.url);
      const b = await connect(made.get(`${y}:${x === y ? 'b' : 'a'}`)!.url);
      try {
        const scope: Scope = await resolveScope(a.db, { orgs: o.orgs, since: o.since ?? undefined });
        const full = await fastest(o.repeat, () => verify(a, b, FULL_SCOPE));
        const scoped = await fastest(o.repeat, () => verify(a, b, scope));
        for (const [name, t] of [['full', full], ['scoped', scoped]] as const) {
          lines.push([`${x} -> ${y}`, name, fmtInt(t.rows), fmtSeconds(t.seconds), micros(t), name === 'scoped' ? fmtRatio(perRow(scoped), perRow(full)) : '']);
          note(`${x} -> ${y} ${name}: slowest tables: ${slowest(t)}`);
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    }
    console.log(textTable(['pair', 'verify', 'rows compared', 'seconds', 'per row', 'scoped/full per row'], lines));
    console.log('target: scoped/full per row at most 1.50x');
    return 0;
  } finally {
    if (o.keep) for (const [k, t] of made) console.log(`kept ${k} ${t.text}`);
    else for (const t of made.values()) await t.drop().catch(() => undefined);
  }
}
