import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/**
 * Progress for long runs: a bar per table on a terminal; a plain line every few seconds under
 * cron; a JSON line every few seconds on stderr with --json (stdout keeps the one result document).
 */
export interface Progress {
  add(table: string, total: number): void;
  tick(table: string, rows: number): void;
  stop(): void;
}

export function progressFor(out: Output, label: string, intervalMs = 5000): Progress {
  if (out.interactive) return new BarProgress(out, label);
  return new LineProgress(out, label, intervalMs);
}

class BarProgress implements Progress {
  private multi: cliProgress.MultiBar;
  private bars = new Map<string, cliProgress.SingleBar>();
  constructor(out: Output, label: string) {
    this.multi = new cliProgress.MultiBar(
      {
        stream: out.errStream as NodeJS.WriteStream,
        format: `${label} {table} [{bar}] {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
  }
  add(table: string, total: number): void {
    if (!this.bars.has(table)) this.bars.set(table, this.multi.create(Math.max(total, 1), 0, { table: table.padEnd(34), speed: 0 }));
  }
  private started = new Map<string, number>();
  tick(table: string, rows: number): void {
    const bar = this.bars.get(table);
    if (!bar) return;
    if (!this.started.has(table)) this.started.set(table, Date.now());
    const value = (bar as any).value + rows;
    const secs = Math.max((Date.now() - this.started.get(table)!) / 1000, 0.001);
    if (value > bar.getTotal()) bar.setTotal(value);
    bar.update(value, { speed: Math.round(value / secs) });
  }
  stop(): void {
    this.multi.stop();
  }
}

class LineProgress implements Progress {
  private totals = new Map<string, number>();
  private done = new Map<string, number>();
  private timer: NodeJS.Timeout;
  private started = Date.now();
  private current = '';
  constructor(
    private out: Output,
    private label: string,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.print(), intervalMs);
    this.timer.unref();
  }
  add(table: string, total: number): void {
    this.totals.set(table, total);
  }
  tick(table: string, rows: number): void {
    this.done.set(table, (this.done.get(table) ?? 0) + rows);
    this.current = table;
  }
  private print(): void {
    const total = [...this.totals.values()].reduce((a, b) => a + b, 0);
    const done = [...this.done.values()].reduce((a, b) => a + b, 0);
    const secs = (Date.now() - this.started) / 1000;
    const rate = Math.round(done / Math.max(secs, 0.001));
    if (this.out.json) {
      this.out.log(JSON.stringify({ progress: this.label, rows: done, total, rowsPerSecond: rate, table: this.current }));
    } else {
      const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : 0;
      this.out.log(`${this.label}: ${pct}% ${done}/${total} rows, ${rate} rows/s, now ${this.current || '-'}`);
    }
  }
  stop(): void {
    clearInterval(this.timer);
  }
}
