/**
 * `--cpu-prof`: where the migrate process spends its one JavaScript thread. Reads the V8 profile
 * that `node --cpu-prof` wrote and sums self time by function and by package.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { textTable } from '../lib.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The package or project folder a function belongs to: `mysql2`, `pg`, `src/transfer`, `node:internal`… */
function packageOf(url: string, name: string): string {
  if (!url) return name === '(idle)' ? 'idle (waiting on I/O)' : name === '(garbage collector)' ? 'garbage collector' : name === '(program)' ? 'V8 / native' : `native ${name}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const own = /\/dist\/([^/]+(?:\/[^/]+)?)\//.exec(url) ?? /\/dist\/([^/]+)$/.exec(url);
  if (own) return `sentry-admin ${own[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

export function summarizeCpuProfile(dir: string, top = 15): string {
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().pop();
  if (!file) return `no .cpuprofile in ${dir}`;
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const k = packageOf(url, functionName);
    pkg.set(k, (pkg.get(k) ?? 0) + us);
    total += us;
  });
  const rows = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k.slice(0, 110), (us / 1e6).toFixed(2), `${((100 * us) / total).toFixed(1)}%`]);
  return [
    `CPU profile of the migrate process (${file}, ${(total / 1e6).toFixed(1)} s sampled): self time by package`,
    textTable(['package', 'seconds', 'share'], rows(pkg)),
    '',
    'self time by function',
    textTable(['function', 'seconds', 'share'], rows(fn)),
  ].join('\n');
}
