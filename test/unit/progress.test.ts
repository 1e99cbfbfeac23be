/**
 * The progress display on a fake terminal of given columns and rows (test/helpers/terminal.ts),
 * with a fake clock: what fits, what scrolls up, what a resumed run counts, and the rates.
 * test/e2e/progress-pty.test.ts runs the real binary on a real pseudo-terminal.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { LiveRenderer } from '../../src/ui/live-progress.js';
import { doneInHash } from '../../src/ui/progress.js';
import { ProgressState } from '../../src/ui/progress-state.js';
import { Terminal } from '../helpers/terminal.js';

/** 37 tables like a Sentry 7.7 migration: a few big ones, many small, some empty. */
const TABLES: [string, number][] = Array.from({ length: 37 }, (_, i) => {
  const big = ['sentry_message', 'nodestore_node', 'sentry_eventmapping', 'sentry_messagefiltervalue_with_a_very_long_name'];
  if (i < big.length) return [big[i], 100_000];
  return [`sentry_table_${i}`, i % 5 === 0 ? 0 : 50 * i];
});

class FakeTty extends EventEmitter {
  constructor(readonly term: Terminal) {
    super();
  }
  get columns() {
    return this.term.cols;
  }
  get rows() {
    return this.term.rows;
  }
  write(s: string): boolean {
    return this.term.write(s);
  }
}

function setup(cols: number, rows: number) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const state = new ProgressState(() => now);
  const term = new Terminal(cols, rows);
  const tty = new FakeTty(term);
  const r = new LiveRenderer(tty, state, 'migrate', 0);
  for (const [t, n] of TABLES) state.add(t, n);
  return { state, term, tty, r, clock };
}

/** Move every table along in bursts, the big ones four at once, drawing as the timer would. */
function run(s: ReturnType<typeof setup>, opts: { onDraw?: () => void } = {}): void {
  for (let step = 0; step < 40; step++) {
    for (const [t, n] of TABLES) {
      const left = n - (s.state.tables.get(t)!.rows);
      if (left > 0) s.state.tick(t, Math.min(left, Math.ceil(n / 20)), Math.min(left, Math.ceil(n / 20)) * 100);
    }
    s.clock.advance(250);
    s.r.draw();
    opts.onDraw?.();
  }
  s.r.stop();
}

describe('progress on a terminal', () => {
  for (const [cols, rows] of [[80, 24], [160, 40]]) {
    it(`${cols}x${rows}: nothing wraps, the block fits the screen, one line per finished table`, () => {
      const s = setup(cols, rows);
      let maxBlock = 0;
      run(s, {
        onDraw: () => {
          const screen = s.term.screen().filter((l, i, all) => i < all.length - 1 || l.trim()); // not the cursor's empty row
          const lastDone = screen.map((l) => /^ {2}done /.test(l)).lastIndexOf(true);
          const block = screen.length - 1 - lastDone;
          maxBlock = Math.max(maxBlock, block);
          assert.ok(screen.some((l) => /^migrate \d+%/.test(l)), screen.join('\n'));
        },
      });
      assert.deepEqual(s.term.overflows, [], 'no line reached the last column');
      assert.equal(s.term.lostUp, 0, 'the block never grew past the top of the screen');
      assert.ok(maxBlock <= Math.min(7, rows - 2), `block of ${maxBlock} rows`);
      const text = s.term.text();
      for (const [t, n] of TABLES) {
        const done = text.split('\n').filter((l) => l.startsWith(`  done ${t}  `));
        assert.equal(done.length, n ? 1 : 0, `${t}: ${done.length} summary lines`);
      }
      assert.equal(text.split('\n').filter((l) => /^migrate \d+%/.test(l)).length, 1, 'the live block is replaced, not repeated');
      assert.match(text, /^migrate 100% {1,2}\S+\/\S+ rows .*37\/37 tables .*in 0:10$/m);
    });
  }

  it('a resize redraws at the new width without leaving a wrapped block behind', () => {
    const s = setup(160, 40);
    for (const [t] of TABLES.slice(0, 4)) s.state.tick(t, 10_000, 1_000_000);
    s.clock.advance(1000);
    s.r.draw();
    // The terminal narrows: rows drawn at 160 wrap at 80; the renderer must climb over all of them.
    const before = s.term.screen().filter((l) => l.trim()).length;
    s.term.cols = 80;
    const rewrapped: string[] = [];
    for (const l of s.term.lines) for (let i = 0; i < Math.max(1, l.length); i += 80) rewrapped.push(l.slice(i, i + 80));
    s.term.lines = rewrapped;
    s.term.row = rewrapped.length - 1;
    s.term.col = rewrapped[s.term.row].length;
    s.tty.emit('resize');
    const after = s.term.lines.filter((l) => l.trim());
    assert.equal(after.length, before, after.join('\n'));
    assert.ok(after.every((l) => l.length < 80), after.join('\n'));
  });

  it('a resumed run counts the earlier run\'s work as done and keeps it out of the rate', () => {
    const s = setup(80, 24);
    // Before the interrupt: every table but the big four finished, sentry_message at 80,000.
    for (const [t, n] of TABLES.slice(4)) s.state.resume(t, n, n * 100, true);
    s.state.resume('sentry_message', 80_000, 8_000_000, false);
    s.r.draw();
    assert.match(s.term.screen().join('\n'), /^migrate 2\d% .*\d+\/37 tables/m);
    s.clock.advance(2000);
    s.state.tick('sentry_message', 20_000, 2_000_000);
    s.clock.advance(2000);
    s.r.draw();
    const rate = s.state.rate();
    assert.equal(Math.round(rate.rows), 5_000, 'rows of this run over its 4 seconds, not the resumed 80,000');
    for (const t of ['nodestore_node', 'sentry_eventmapping', 'sentry_messagefiltervalue_with_a_very_long_name']) s.state.tick(t, 100_000);
    s.r.stop();
    const text = s.term.text();
    assert.match(text, /^ {2}done sentry_message {2}100,000 rows .*\(80,000 by an earlier run\)/m);
    assert.doesNotMatch(text, /done sentry_table_/, 'tables finished by the earlier run get no new summary line');
    assert.match(text, /^migrate 100% .*37\/37 tables .*\(106k rows resumed\)$/m);
  });

  it('a log line written during the display goes above the block, whole, even when it wraps', () => {
    const s = setup(80, 24);
    s.state.tick('sentry_message', 1000, 100_000);
    s.r.draw();
    const long = `warning: ${'a long message '.repeat(12)}end`;
    s.r.log(long);
    s.state.tick('sentry_message', 1000, 100_000);
    s.r.draw();
    s.r.stop();
    const lines = s.term.lines.map((l) => l.trimEnd());
    assert.ok(lines.join('').includes(long.replace(/ +$/, '')), lines.join('\n'));
    assert.equal(lines.filter((l) => /^migrate \d+%/.test(l)).length, 1, lines.join('\n'));
  });

  it('a table still in flight when the display stops gets a "stopped" line, not a "done" one', () => {
    const s = setup(80, 24);
    s.state.tick('sentry_message', 40_000, 4_000_000);
    s.clock.advance(1000);
    s.r.stop();
    const text = s.term.text();
    assert.match(text, /^ {2}stopped sentry_message {2}40,000 of 100,000 rows$/m);
    assert.doesNotMatch(text, /done sentry_message/);
    assert.match(text, /^migrate 9% /m);
  });

  it('rates come from a moving window: a stall shows, and a burst is not a million rows per second', () => {
    const s = setup(80, 24);
    s.state.tick('sentry_table_7', 350); // the whole table in one chunk, at once
    s.state.sample();
    assert.equal(s.state.rate().rows, 0, 'less than half a second seen: no rate yet');
    for (let i = 0; i < 20; i++) {
      s.clock.advance(1000);
      s.state.tick('sentry_message', 1000, 100_000);
      s.state.sample();
    }
    assert.equal(Math.round(s.state.rate('sentry_message').rows), 1000);
    for (let i = 0; i < 12; i++) {
      s.clock.advance(1000);
      s.state.sample();
    }
    assert.equal(s.state.rate().rows, 0, 'nothing moved for longer than the window');
    assert.equal(s.state.eta(), undefined);
  });

  it('doneInHash reads a staging progress hash for export and for import', () => {
    const h = { exported_rows: '100', exported_bytes: '1000', exported_chunks: '4', export_done: '1', imported_rows: '40', rejected: '10', imported_chunks: '2' };
    assert.deepEqual(doneInHash('export', h), { rows: 100, bytes: 1000, finished: true });
    assert.deepEqual(doneInHash('migrate', h), { rows: 50, bytes: 500, finished: false });
    assert.deepEqual(doneInHash('import', { ...h, imported_chunks: '4' }), { rows: 50, bytes: 1000, finished: true });
  });
});
