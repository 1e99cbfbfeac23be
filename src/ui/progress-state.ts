/**
 * What every progress display counts: per table and overall, rows and bytes done of total, work
 * found done at start (a resumed run) apart from this run's, and rates over a moving window so a
 * burst or a stall shows within seconds instead of being averaged away over the whole run.
 */
export interface TableProgress {
  table: string;
  /** Rows planned (an estimate for tables still written to); 0 for an empty table. */
  total: number;
  rows: number;
  bytes: number;
  /** Rows and bytes done before this process started (resumed work): done, but not part of any rate. */
  resumedRows: number;
  resumedBytes: number;
  /** When this process first moved the table, and when it finished it, ms since the epoch. */
  started?: number;
  ended?: number;
  finished: boolean;
  /** A finished table's summary line has been printed. */
  reported: boolean;
  /** Free text shown with the finished table (verify: "equal", "3 differences"). */
  note?: string;
  samples: Sample[];
}

type Sample = [ms: number, rows: number, bytes: number];

/** Moving window the rates are computed over. */
export const RATE_WINDOW_MS = 10_000;

export class ProgressState {
  readonly tables = new Map<string, TableProgress>();
  private samples: Sample[] = [];
  readonly started: number;

  private lastSample = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
    this.samples.push([this.started, 0, 0]); // the overall rate counts from the start
  }

  add(table: string, total: number): TableProgress {
    let t = this.tables.get(table);
    if (!t) {
      t = { table, total: Math.max(0, total), rows: 0, bytes: 0, resumedRows: 0, resumedBytes: 0, finished: false, reported: false, samples: [] };
      this.tables.set(table, t);
    } else t.total = Math.max(0, total);
    if (t.total === 0 && t.rows === 0) t.finished = true;
    return t;
  }

  /** Work a previous run already did: counted as done from the start, never as this run's speed. */
  resume(table: string, rows: number, bytes: number, finished: boolean): void {
    const t = this.tables.get(table) ?? this.add(table, rows);
    t.resumedRows = t.rows = Math.max(0, rows);
    t.resumedBytes = t.bytes = Math.max(0, bytes);
    if (t.rows > t.total) t.total = t.rows;
    if (finished) {
      t.finished = true;
      t.reported = true; // finished by an earlier run: no "done" line now, it is in the overall count
      if (t.total > t.rows) t.total = t.rows;
    }
  }

  tick(table: string, rows: number, bytes = 0): TableProgress {
    const t = this.tables.get(table) ?? this.add(table, 0);
    if (t.started === undefined) {
      t.started = this.now();
      t.samples.push([t.started, 0, 0]); // the rate counts from the moment the table started
    }
    t.rows += rows;
    t.bytes += bytes;
    if (t.rows > t.total) t.total = t.rows;
    if (!t.finished && t.total > 0 && t.rows >= t.total) this.end(t);
    // Displays that draw seldom (a line every few seconds) still get a rate over the recent window.
    if (this.now() - this.lastSample >= 250) this.sample();
    return t;
  }

  finish(table: string, note?: string): TableProgress {
    const t = this.tables.get(table) ?? this.add(table, 0);
    if (!t.finished) this.end(t);
    if (note !== undefined) t.note = note;
    // A table that ended short of its estimate (rows deleted since the plan) is done at what it has.
    t.total = t.rows;
    return t;
  }

  private end(t: TableProgress): void {
    t.finished = true;
    t.ended = this.now();
  }

  /** Record a sample of every counter now; call before reading rates. */
  sample(): void {
    const now = this.now();
    this.lastSample = now;
    const o = this.overall();
    push(this.samples, [now, o.rows - o.resumedRows, o.bytes - o.resumedBytes], now);
    for (const t of this.tables.values()) if (t.started !== undefined && !t.reported) push(t.samples, [now, t.rows - t.resumedRows, t.bytes - t.resumedBytes], now);
  }

  overall() {
    let total = 0, rows = 0, bytes = 0, resumedRows = 0, resumedBytes = 0, finished = 0, empty = 0;
    for (const t of this.tables.values()) {
      total += t.total;
      rows += t.rows;
      bytes += t.bytes;
      resumedRows += t.resumedRows;
      resumedBytes += t.resumedBytes;
      if (t.finished) finished++;
      if (t.total === 0 && t.rows === 0) empty++;
    }
    return { total, rows, bytes, resumedRows, resumedBytes, finished, empty, tables: this.tables.size };
  }

  /**
   * Bytes of the whole run, estimated: a table's bytes so far scaled to its planned rows; a table
   * not started yet at the average bytes per row seen. Undefined until some bytes were seen.
   */
  estimatedTotalBytes(): number | undefined {
    const o = this.overall();
    if (!o.bytes || !o.rows) return undefined;
    const perRow = o.bytes / o.rows;
    let est = 0;
    for (const t of this.tables.values()) {
      if (t.finished) est += t.bytes;
      else est += t.rows && t.bytes ? Math.max(t.bytes, (t.bytes / t.rows) * t.total) : perRow * t.total;
    }
    return est;
  }

  /** Rows and bytes per second over the moving window (this run's work only). */
  rate(table?: string): { rows: number; bytes: number } {
    const s = table ? this.tables.get(table)?.samples ?? [] : this.samples;
    if (s.length < 2) return { rows: 0, bytes: 0 };
    const a = s[0], b = s[s.length - 1];
    const secs = (b[0] - a[0]) / 1000;
    if (secs < 0.5) return { rows: 0, bytes: 0 };
    return { rows: (b[1] - a[1]) / secs, bytes: (b[2] - a[2]) / secs };
  }

  /** Seconds left: by bytes when their total can be estimated, else by rows; undefined when unknown. */
  eta(): number | undefined {
    const o = this.overall();
    const r = this.rate();
    const totalBytes = this.estimatedTotalBytes();
    if (totalBytes !== undefined && r.bytes > 0) return Math.max(0, (totalBytes - o.bytes) / r.bytes);
    if (r.rows > 0) return Math.max(0, (o.total - o.rows) / r.rows);
    return undefined;
  }

  /** Tables being worked on now, in the order they started. */
  inFlight(): TableProgress[] {
    return [...this.tables.values()].filter((t) => t.started !== undefined && !t.finished).sort((a, b) => a.started! - b.started!);
  }

  /** Tables finished whose summary line is still to be printed (marks them printed). */
  takeFinished(): TableProgress[] {
    const out: TableProgress[] = [];
    for (const t of this.tables.values()) {
      if (t.finished && !t.reported && (t.rows > 0 || t.note !== undefined)) {
        t.reported = true;
        out.push(t);
      }
    }
    return out;
  }

  /** Seconds the table took (or has taken so far), or the whole display has been up. */
  elapsed(table?: TableProgress): number {
    return ((table?.ended ?? this.now()) - (table?.started ?? this.started)) / 1000;
  }
}

function push(s: Sample[], v: Sample, now: number): void {
  s.push(v);
  while (s.length > 2 && now - s[1][0] >= RATE_WINDOW_MS) s.shift();
}

// ---------- formatting ----------

export function count(n: number): string {
  n = Math.round(n);
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  if (n < 1_000_000_000) return `${(n / 1e6).toFixed(n < 1e8 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1 << 30) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  return `${(bytes / (1 << 30)).toFixed(2)} GB`;
}

export function duration(secs: number): string {
  secs = Math.max(0, Math.round(secs));
  const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function percent(done: number, total: number): string {
  if (!total) return '100%';
  return `${Math.min(100, Math.floor((done / total) * 100))}%`;
}
