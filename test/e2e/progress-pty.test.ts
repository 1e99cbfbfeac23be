/**
 * The real binary on a real pseudo-terminal (util-linux `script`), at 80x24 and 160x40, and a
 * resumed run: the progress display must fit the terminal and end with every table accounted for.
 * Redis: database index 9 (staging namespaces), each test its own namespace.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { discardRun } from '../../src/transfer/status.js';
import { loadFixture, sentryDatabase, withDb } from '../helpers/fixtures.js';
import { REDIS_DB, REDIS_URL, type TempDatabase, uniqueName } from '../helpers/servers.js';
import { Terminal } from '../helpers/terminal.js';

const BIN = fileURLToPath(new URL('../../bin/sentry-admin', import.meta.url));
const redisUrl = REDIS_URL(REDIS_DB.staging);
const dbs: TempDatabase[] = [];
const namespaces: string[] = [];
const work = join(tmpdir(), uniqueName('sa-pty'));
mkdirSync(work, { recursive: true });
const has = (cmd: string) => {
  try {
    execFileSync(cmd, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const hasScript = has('script');
const hasTmux = has('tmux');

after(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const ns of namespaces) await discardRun(parseRedisUrl(redisUrl), ns);
  rmSync(work, { recursive: true, force: true });
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run the binary on a pty of the given size; what it wrote to the terminal, and its exit code. */
function onPty(args: string[], cols: number, rows: number): Promise<{ code: number | null; output: string }> {
  const cmd = `stty cols ${cols} rows ${rows}; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

async function migration() {
  const src = await sentryDatabase('mysql');
  const dst = await sentryDatabase('postgres');
  dbs.push(src, dst);
  await withDb(src.url, (d) => loadFixture(d, { events: 150 }));
  const ns = uniqueName('sa-pty');
  namespaces.push(ns);
  const events = await withDb(src.url, async (d) => (await d.selectFrom('sentry_message').selectAll().execute()).length);
  return { args: ['migrate', '--from', src.text, '--to', dst.text, '--redis', redisUrl, '--namespace', ns, '--chunk-rows', '7', '--jobs', '2', '--no-verify'], ns, events };
}

/** Progress lines that ran past the width (the final report on stdout may wrap like any text). */
const progressOverflows = (t: Terminal) => t.overflows.filter((l) => /^(migrate \d+%| {2})/.test(l));

function progressLines(t: Terminal) {
  const lines = t.text().split('\n');
  return { lines, overall: lines.filter((l) => /^migrate \d+%/.test(l)), done: lines.filter((l) => /^ {2}done /.test(l)) };
}

describe('progress on a real pseudo-terminal', { skip: !hasScript && 'util-linux script is not installed' }, () => {
  for (const [cols, rows] of [[80, 24], [160, 40]]) {
    it(`${cols}x${rows}: every line fits, one summary line per table, one overall line at the end`, async () => {
      const m = await migration();
      const r = await onPty(m.args, cols, rows);
      assert.equal(r.code, 0, r.output);
      const t = new Terminal(cols, rows);
      t.write(r.output);
      assert.deepEqual(progressOverflows(t), [], 'no progress line wrapped');
      const p = progressLines(t);
      assert.equal(p.overall.length, 1, p.lines.join('\n'));
      assert.match(p.overall[0], /^migrate 100% .* (\d+)\/\1 tables /);
      assert.equal(p.done.filter((l) => l.startsWith('  done sentry_message  ')).length, 1);
      assert.match(p.done.find((l) => l.startsWith('  done sentry_message '))!, new RegExp(`  ${m.events} rows `));
      assert.match(t.text(), /^complete$/m);
    });
  }

  it('after an interrupted run, the resumed run counts what was done and ends at 100%', async () => {
    const m = await migration();
    const redis = new Redis(redisUrl);
    const child = spawn(process.execPath, [BIN, ...m.args, '--json'], { stdio: 'ignore', cwd: work });
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 600 && child.exitCode === null; i++) {
        if (Number(await redis.hget(`${m.ns}:progress:sentry_message`, 'imported_rows')) > 0) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      child.kill('SIGKILL');
      await exited;
    } finally {
      redis.disconnect();
    }
    const r = await onPty(m.args, 160, 40);
    assert.equal(r.code, 0, r.output);
    const t = new Terminal(160, 40);
    t.write(r.output);
    assert.deepEqual(progressOverflows(t), []);
    const p = progressLines(t);
    assert.match(p.overall[0], /^migrate 100% .* (\d+)\/\1 tables .*\(\S+ rows resumed\)$/, p.lines.join('\n'));
    const message = p.done.find((l) => l.startsWith('  done sentry_message '));
    assert.ok(message, p.lines.join('\n'));
    assert.match(message, new RegExp(`  ${m.events} rows .*\\(\\d+ by an earlier run\\)`));
    assert.match(t.text(), /, resumed$/m);
  });

  it('tmux: the window narrows from 160 to 80 columns mid-run; the block is redrawn, not left behind', { skip: !hasTmux && 'tmux is not installed' }, async () => {
    const m = await migration();
    const socket = uniqueName('sa-tmux');
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
    // Start once the new session has its size (a detached tmux may still resize its window just after creating it).
    const cmd = `sleep 1; ${[process.execPath, BIN, ...m.args, '--jobs', '1'].map(quote).join(' ')} >/dev/null; echo __END__; sleep 60`;
    tmux('new-session', '-d', '-x', '160', '-y', '40', '-s', 'sa', '-c', work, cmd);
    try {
      const pane = () => tmux('capture-pane', '-t', 'sa', '-p', '-S', '-');
      const until = async (re: RegExp) => {
        for (let i = 0; i < 1200 && !re.test(pane()); i++) await new Promise((r) => setTimeout(r, 50));
      };
      await until(/^migrate \d+%/m);
      tmux('resize-window', '-t', 'sa', '-x', '80', '-y', '24');
      await until(/^__END__$/m);
      const lines = pane().split('\n');
      // Once tables finish, every redraw replaced the block: the only overall line among and after the
      // "done" lines is the final one. (Before the first table finished, tmux may still have been settling
      // the new window — it moves the cursor when it reflows — and an early 0% line can stay above; known,
      // cosmetic, see the note of session 3.)
      const firstDone = lines.findIndex((l) => l.startsWith('  done '));
      const overall = lines.slice(Math.max(0, firstDone)).filter((l) => /^migrate \d+%/.test(l));
      assert.deepEqual(overall.map((l) => /^migrate 100% .* (\d+)\/\1 tables /.test(l)), [true], lines.join('\n'));
      assert.ok(lines.slice(0, Math.max(0, firstDone)).every((l) => !l || /^migrate \d+%/.test(l)), lines.join('\n'));
      assert.equal(lines.filter((l) => l.startsWith('  done sentry_message ')).length, 1, lines.join('\n'));
    } finally {
      tmux('kill-server');
    }
  });
});
