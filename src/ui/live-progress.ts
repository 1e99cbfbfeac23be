import { type ProgressState, type TableProgress, count, duration, percent, size } from './progress-state.js';

/** A terminal stream: what the renderer needs of process.stderr. */
export interface TtyStream {
  write(s: string): boolean;
  columns?: number;
  rows?: number;
  on?(event: 'resize', fn: () => void): unknown;
  off?(event: 'resize', fn: () => void): unknown;
}

/** Tables shown in flight at most (more are summed up in one line). */
const MAX_IN_FLIGHT = 6;

/**
 * The terminal display, drawn the way pgcopydb and pgloader show a copy: one overall line (rows and
 * bytes of the total, rate, ETA), under it one line per table in flight, every line cut to the
 * terminal's width and the whole block to its height, redrawn in place (and on resize). A finished
 * table scrolls up as one summary line, as does any log line, so the scrollback keeps a clean record.
 */
export class LiveRenderer {
  /** Length of each line of the block drawn last, to find its top again (even after a resize rewrapped it). */
  private drawn: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: string[] = [];
  private readonly onResize = () => this.draw();

  constructor(
    private readonly stream: TtyStream,
    private readonly state: ProgressState,
    private readonly label: string,
    intervalMs = 200,
  ) {
    stream.on?.('resize', this.onResize);
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.draw(), intervalMs);
      this.timer.unref();
    }
  }

  /** A line to keep in the scrollback, printed above the block at the next draw. */
  log(line: string): void {
    this.pending.push(line);
    this.draw();
  }

  /** Redraw the block: finished tables and log lines scroll up, the live lines are replaced. */
  draw(final = false): void {
    if (!this.state.tables.size && !this.pending.length) return; // nothing started (a refusal): nothing to show
    const cols = Math.max(20, this.stream.columns ?? 80);
    const height = Math.max(3, this.stream.rows ?? 24);
    this.state.sample();
    let out = this.clear(cols);
    // Log lines keep every word (they scroll up and may wrap: only the block below is redrawn).
    for (const l of this.pending.splice(0)) out += l + '\n';
    for (const t of this.state.takeFinished()) out += fit(this.doneLine(t), cols) + '\n';
    const live = final ? [this.overallLine(true, cols)] : this.block(cols, height);
    const lines = live.map((l) => fit(l, cols));
    // The cursor waits at the start of the row under the block: a terminal that reflows its lines on a
    // resize (tmux, VTE) keeps it there, where a cursor left at the end of a line can land a row lower.
    out += lines.join('\n') + '\n';
    this.drawn = final ? [] : lines.map((l) => l.length);
    this.stream.write(out);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stream.off?.('resize', this.onResize);
    // Tables this display saw start but not end (an interrupted run): say where each stopped.
    for (const t of this.state.inFlight()) this.pending.push(`  stopped ${t.table}  ${t.rows.toLocaleString('en-US')} of ${t.total.toLocaleString('en-US')} rows`);
    this.draw(true);
  }

  /** Cursor back to the top of the block drawn last, and erase it. */
  private clear(cols: number): string {
    if (!this.drawn.length) return '';
    // Lines were cut to the width they were drawn at; a narrower terminal now wraps each over more rows.
    const rows = this.drawn.reduce((a, len) => a + Math.max(1, Math.ceil(len / cols)), 0);
    return `\r\x1b[${rows}A\x1b[J`;
  }

  private block(cols: number, height: number): string[] {
    const lines = [this.overallLine(false, cols)];
    const flying = this.state.inFlight();
    // Leave a row for the cursor and one for the line a shell prints: never scroll the block itself.
    const room = Math.max(0, Math.min(MAX_IN_FLIGHT, height - 3));
    const shown = flying.length > room ? flying.slice(0, Math.max(0, room - 1)) : flying;
    const nameWidth = Math.min(28, Math.max(8, ...shown.map((t) => t.table.length)));
    for (const t of shown) lines.push(this.tableLine(t, nameWidth, cols));
    if (shown.length < flying.length) lines.push(`  … and ${flying.length - shown.length} more table(s) in flight`);
    return lines;
  }

  private overallLine(final: boolean, cols = Infinity): string {
    const o = this.state.overall();
    const est = this.state.estimatedTotalBytes();
    // verify learns of each table as it ends: no total to be a percentage of, no ETA.
    const open = this.label !== 'verify';
    // Most telling first: what does not fit the width is cut from the end.
    const parts = [
      open ? `${this.label} ${percent(o.rows, o.total)}` : this.label,
      open ? `${count(o.rows)}/${count(o.total)} rows` : `${count(o.rows)} rows`,
      o.bytes ? `${size(o.bytes)}${est && !final && open && est > o.bytes ? `/~${size(est)}` : ''}` : '',
    ];
    if (final) {
      parts.push(`${o.finished}/${o.tables} tables`, `in ${duration(this.state.elapsed())}`);
      if (o.resumedRows) parts.push(`(${count(o.resumedRows)} rows resumed)`);
    } else {
      const r = this.state.rate();
      parts.push(r.bytes ? `${size(r.bytes)}/s` : `${count(r.rows)} rows/s`);
      if (open) {
        const eta = this.state.eta();
        parts.push(`ETA ${eta === undefined ? '--:--' : duration(eta)}`);
      }
      parts.push(open ? `${o.finished}/${o.tables} tables` : `${o.finished} tables`);
    }
    const line = parts.filter(Boolean).join('  ');
    return line.length < cols ? line : parts.filter(Boolean).join(' ');
  }

  private tableLine(t: TableProgress, nameWidth: number, cols: number): string {
    const r = this.state.rate(t.table);
    const name = t.table.length > nameWidth ? t.table.slice(0, nameWidth - 1) + '…' : t.table.padEnd(nameWidth);
    const nums = `${count(t.rows)}/${count(t.total)}`.padStart(13);
    const tail = `${percent(t.rows, t.total).padStart(4)}  ${`${count(r.rows)} rows/s`.padStart(12)}`;
    const barWidth = Math.min(30, cols - 1 - (2 + nameWidth + 1 + nums.length + 2 + tail.length + 3));
    const bar = barWidth >= 5 ? ` [${drawBar(t.rows, t.total, barWidth)}]` : '';
    return `  ${name} ${nums}${bar}  ${tail}`;
  }

  private doneLine(t: TableProgress): string {
    const secs = t.started !== undefined ? this.state.elapsed(t) : undefined;
    const parts = [`  done ${t.table}`, `${t.rows.toLocaleString('en-US')} rows`];
    if (t.bytes) parts.push(size(t.bytes));
    if (secs !== undefined) parts.push(`${secs.toFixed(1)} s`);
    if (t.resumedRows) parts.push(`(${t.resumedRows.toLocaleString('en-US')} by an earlier run)`);
    if (t.note) parts.push(t.note);
    return parts.join('  ');
  }
}

function drawBar(done: number, total: number, width: number): string {
  const n = total ? Math.min(width, Math.floor((done / total) * width)) : width;
  return '#'.repeat(n) + '-'.repeat(width - n);
}

/** Cut a line to one terminal row: never the last column (some terminals wrap there). */
export function fit(line: string, cols: number): string {
  const max = cols - 1;
  return line.length > max ? line.slice(0, Math.max(0, max - 1)) + '…' : line;
}
