import { LiveRenderer, type TtyStream } from './live-progress.js';
import type { Output } from './output.js';
import { ProgressState, count, duration, percent, size } from './progress-state.js';

/**
 * Progress of a long run (migrate, export, import, verify). On a terminal: one overall line and a
 * line per table in flight, redrawn in place (src/ui/live-progress.ts). Under cron: a plain line
 * every few seconds and one per finished table. With --json: the same as JSON lines on stderr
 * (stdout keeps the one result document).
 */
export interface Progress {
  /** A table of the run and its planned rows (0: empty, counted done at once). */
  add(table: string, total: number): void;
  /**
   * A resumed run: what the namespace's progress hash of the table (`<ns>:progress:<table>`) says
   * was already done, counted as done and kept out of the rates.
   */
  resumeFrom?(table: string, hash: Record<string, string>): void;
  /** Rows (and the bytes they took in staging, when known) done now. */
  tick(table: string, rows: number, bytes?: number): void;
  /** The table is done (with a note, e.g. verify's outcome); otherwise it is done at its planned rows. */
  finish?(table: string, note?: string, rows?: number): void;
  stop(): void;
}

export type ProgressLabel = 'migrate' | 'export' | 'import' | 'verify';

export function progressFor(out: Output, label: ProgressLabel, intervalMs = 5000): Progress {
  const stream = out.errStream as TtyStream & { isTTY?: boolean };
  if (out.interactive && stream.isTTY) return new TerminalProgress(out, stream, label);
  return new LineProgress(out, label, intervalMs);
}

/** Rows and bytes a progress hash records as done for this kind of run, and whether the table is finished. */
export function doneInHash(label: ProgressLabel, h: Record<string, string>): { rows: number; bytes: number; finished: boolean } {
  const n = (k: string) => Number(h[k] ?? 0) || 0;
  const exportDone = h.export_done === '1';
  if (label === 'export') return { rows: n('exported_rows'), bytes: n('exported_bytes'), finished: exportDone };
  const rows = n('imported_rows') + n('rejected');
  const finished = exportDone && n('imported_chunks') >= n('exported_chunks');
  const bytes = finished ? n('exported_bytes') : n('exported_rows') ? Math.round((n('exported_bytes') * rows) / n('exported_rows')) : 0;
  return { rows, bytes, finished };
}

abstract class BaseProgress implements Progress {
  protected state = new ProgressState();
  constructor(protected readonly label: ProgressLabel) {}
  add(table: string, total: number): void {
    this.state.add(table, total);
  }
  resumeFrom(table: string, hash: Record<string, string>): void {
    const d = doneInHash(this.label, hash);
    if (d.rows || d.finished) this.state.resume(table, d.rows, d.bytes, d.finished);
  }
  tick(table: string, rows: number, bytes?: number): void {
    this.state.tick(table, rows, bytes);
  }
  finish(table: string, note?: string, rows?: number): void {
    const t = this.state.tables.get(table) ?? this.state.add(table, 0);
    // Rows of a table seen only as it ends (verify): counted, without a start time of their own.
    if (rows !== undefined && rows > t.rows) t.rows = rows;
    this.state.finish(table, note);
  }
  abstract stop(): void;
}

class TerminalProgress extends BaseProgress {
  private renderer: LiveRenderer;
  constructor(private out: Output, stream: TtyStream, label: ProgressLabel) {
    super(label);
    this.renderer = new LiveRenderer(stream, this.state, label);
    // Log lines written while the block is on screen go above it instead of through it.
    out.setLive((line) => this.renderer.log(line));
  }
  override finish(table: string, note?: string, rows?: number): void {
    super.finish(table, note, rows);
    this.renderer.draw();
  }
  private stopped = false;
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.out.setLive(undefined);
    this.renderer.stop();
  }
}

class LineProgress extends BaseProgress {
  private timer: NodeJS.Timeout;
  private stopped = false;
  constructor(private out: Output, label: ProgressLabel, intervalMs: number) {
    super(label);
    this.timer = setInterval(() => this.print(), intervalMs);
    this.timer.unref();
  }
  override finish(table: string, note?: string, rows?: number): void {
    super.finish(table, note, rows);
    this.printFinished();
  }
  private printFinished(): void {
    for (const t of this.state.takeFinished()) {
      const secs = t.started !== undefined ? Number(this.state.elapsed(t).toFixed(1)) : null;
      if (this.out.json) this.out.jsonLine({ progress: this.label, tableDone: t.table, rows: t.rows, bytes: t.bytes, seconds: secs, ...(t.note ? { note: t.note } : {}) });
      else this.out.log(`${this.label}: done ${t.table}, ${t.rows} rows${t.bytes ? `, ${size(t.bytes)}` : ''}${secs !== null ? `, ${secs} s` : ''}${t.note ? `, ${t.note}` : ''}`);
    }
  }
  private print(): void {
    this.state.sample();
    this.printFinished();
    const o = this.state.overall();
    const r = this.state.rate();
    const eta = this.state.eta();
    const flying = this.state.inFlight().map((t) => t.table);
    if (this.out.json) {
      this.out.jsonLine({
        progress: this.label, rows: o.rows, total: o.total, bytes: o.bytes, rowsPerSecond: Math.round(r.rows), bytesPerSecond: Math.round(r.bytes),
        etaSeconds: eta === undefined ? null : Math.round(eta), tablesDone: o.finished, tables: o.tables, inFlight: flying,
      });
    } else {
      this.out.log(`${this.label}: ${percent(o.rows, o.total)} ${count(o.rows)}/${count(o.total)} rows${o.bytes ? `, ${size(o.bytes)}` : ''}, ` +
        `${o.finished}/${o.tables} tables, ${r.bytes ? `${size(r.bytes)}/s` : `${count(r.rows)} rows/s`}, ETA ${eta === undefined ? '--:--' : duration(eta)}` +
        (flying.length ? `, now ${flying.slice(0, 3).join(', ')}${flying.length > 3 ? ` +${flying.length - 3}` : ''}` : ''));
    }
  }
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.state.sample();
    this.printFinished();
    const o = this.state.overall();
    if (!o.tables) return; // nothing started (a refusal): no closing line
    for (const t of this.state.inFlight()) {
      if (this.out.json) this.out.jsonLine({ progress: this.label, tableStopped: t.table, rows: t.rows, total: t.total });
      else this.out.log(`${this.label}: stopped ${t.table} at ${t.rows} of ${t.total} rows`);
    }
    const secs = Number(this.state.elapsed().toFixed(1));
    if (this.out.json) this.out.jsonLine({ progress: this.label, end: true, rows: o.rows, total: o.total, bytes: o.bytes, tablesDone: o.finished, tables: o.tables, resumedRows: o.resumedRows, seconds: secs });
    else this.out.log(`${this.label}: ${this.label === 'verify' ? '' : `${percent(o.rows, o.total)} `}${count(o.rows)} rows${o.bytes ? `, ${size(o.bytes)}` : ''}, ` +
      `${o.finished}/${o.tables} tables in ${duration(secs)}${o.resumedRows ? ` (${count(o.resumedRows)} rows resumed)` : ''}`);
  }
}
