/**
 * A real CPython 2.7 for the tests that check our reading of Sentry 7.7 (a Python 2 program) against Python 2
 * itself: `$PYTHON2`, then pyenv's 2.7.18 (where this project's machines have it), then `python2.7` / `python2` on PATH.
 * Tests skip, saying why, only where none exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function pyenvPythons(): string[] {
  const root = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/root', '.pyenv'), 'versions');
  const fixed = '/root/.pyenv/versions/2.7.18/bin/python2.7';
  let found: string[] = [];
  try {
    found = readdirSync(root).filter((v) => v.startsWith('2.7')).sort().reverse().map((v) => join(root, v, 'bin', 'python2.7'));
  } catch {
    // no pyenv here
  }
  return [fixed, ...found].filter((p) => existsSync(p));
}

function findPython2(): string | undefined {
  for (const bin of [process.env.PYTHON2, ...pyenvPythons(), 'python2.7', 'python2']) {
    if (bin && spawnSync(bin, ['-c', 'import sys, cPickle; assert sys.version_info[:2] == (2, 7)'], { stdio: 'ignore' }).status === 0) return bin;
  }
  return undefined;
}

export const PYTHON2 = findPython2();
export const NO_PYTHON2 = PYTHON2 ? false : 'no CPython 2.7 found (set PYTHON2, or install 2.7.18 with pyenv)';

/** Run a Python 2 script with `input` as JSON on stdin; returns its stdout parsed as JSON. Hash randomisation stays off. */
export function runPython2(script: string, input: unknown = null): unknown {
  if (!PYTHON2) throw new Error('no CPython 2.7');
  const env = { ...process.env };
  delete env.PYTHONHASHSEED;
  const r = spawnSync(PYTHON2, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 << 20, env });
  if (r.error || r.status !== 0) throw new Error(`${PYTHON2} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout);
}
