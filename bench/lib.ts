/**
 * Shared helpers for `npm run bench` cases: run a child process and time it, sample its peak RSS,
 * sample a Redis server's memory, format figures and ratios. No project code here: a case may
 * import this file and nothing else from bench/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

// ---------- processes ----------

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set of the child itself (VmHWM), KiB; null when it could not be read. */
  peakRssKb: number | null;
}

export interface ProcessOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called with each complete stderr line as it arrives (progress). */
  onStderrLine?: (line: string) => void;
  /** Poll interval of /proc/<pid>/status, ms (default 50). */
  rssPollMs?: number;
  /** Keep at most this many characters of stdout / stderr (default 64 MiB / 1 MiB, the tail). */
  maxStdout?: number;
  maxStderr?: number;
}

/**
 * Run `cmd args`, wall-clock timed from spawn to exit, sampling the child's VmHWM (the kernel's
 * own high-water mark of its resident set, so polling only has to catch the last value before exit).
 */
export function runProcess(cmd: string, args: string[], o: ProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...o.env }, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    let peak: number | null = null;
    const maxOut = o.maxStdout ?? 64 << 20;
    const maxErr = o.maxStderr ?? 1 << 20;
    const poll = () => {
      const kb = child.pid ? vmHwmKb(child.pid) : null;
      if (kb !== null) peak = Math.max(peak ?? 0, kb);
    };
    const timer = setInterval(poll, o.rssPollMs ?? 50);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (stdout.length > maxOut) stdout = stdout.slice(-maxOut);
    });
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      if (stderr.length > maxErr) stderr = stderr.slice(-maxErr);
      if (o.onStderrLine) {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach((l) => o.onStderrLine!(l));
      }
    });
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    // 'exit' fires before the pid is reaped by libuv? No: by then /proc/<pid> is gone; the last poll counts.
    child.on('close', (code, signal) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr, seconds, peakRssKb: peak });
    });
  });
}

/** VmHWM of a live process, KiB, or null when it is gone or unreadable. */
export function vmHwmKb(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Run a command and fail loudly (with its stderr) unless it exits 0. */
export async function mustRun(cmd: string, args: string[], o: ProcessOptions = {}): Promise<ProcessResult> {
  const r = await runProcess(cmd, args, o);
  if (r.code !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.join(' ').slice(0, 200)} exited ${r.code}:\n${tail}`);
  }
  return r;
}

/** Path of an executable on PATH, or null. */
export function which(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

// ---------- Redis memory ----------

export interface RedisMemory {
  /** used_memory before the run started. */
  baseline: number;
  /** Largest used_memory sampled during the run. */
  peak: number;
  /** Largest value of the watched counter key (e.g. the namespace's staged payload bytes). */
  peakCounter: number;
  samples: number;
}

/**
 * Samples `INFO memory` used_memory (the whole server: other users of a shared Redis show up
 * too, hence the baseline) and, optionally, a counter key, every `intervalMs`.
 */
export class RedisMemorySampler {
  private redis: Redis;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  readonly result: RedisMemory = { baseline: 0, peak: 0, peakCounter: 0, samples: 0 };

  constructor(url: string, private counterKey?: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  }

  async start(intervalMs = 100): Promise<void> {
    await this.redis.connect();
    this.result.baseline = await this.usedMemory();
    this.result.peak = this.result.baseline;
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  async stop(): Promise<RedisMemory> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.sample();
    this.redis.disconnect();
    return this.result;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const used = await this.usedMemory();
      this.result.peak = Math.max(this.result.peak, used);
      if (this.counterKey) this.result.peakCounter = Math.max(this.result.peakCounter, Number((await this.redis.get(this.counterKey)) ?? 0));
      this.result.samples++;
    } catch {
      // a missed sample is not worth failing a benchmark for
    } finally {
      this.busy = false;
    }
  }

  private async usedMemory(): Promise<number> {
    const info = await this.redis.info('memory');
    const m = /^used_memory:(\d+)/m.exec(info);
    return m ? Number(m[1]) : 0;
  }
}

// ---------- formatting ----------

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtSeconds = (s: number): string => (s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2));
export const fmtRate = (rows: number, seconds: number): string => (seconds > 0 ? fmtInt(rows / seconds) : '-');
export const fmtMiB = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? '-' : `${(bytes / (1 << 20)).toFixed(1)} MiB`);

/** `a / b` as "1.84x"; "-" when either side is missing. */
export function fmtRatio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || !(b > 0)) return '-';
  return `${(a / b).toFixed(2)}x`;
}

/** An aligned text table; numeric-looking cells are right-aligned. */
export function textTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = (s: string) => /^[-+]?[\d,.]+(x| s| MiB|%)?$/.test(s) || s === '-';
  const line = (r: string[]) => r.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Progress and notes go to stderr; figures go to stdout. */
export function note(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** `--flag value` / `--flag=value` / `--switch` parsing for bench cases (no dependency on the CLI's parser). */
export function parseFlags(args: string[], spec: Record<string, 'string' | 'boolean'>): { flags: Record<string, string | boolean>; rest: string[] } {
  const flags: Record<string, string | boolean> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[name];
    if (!kind) throw new Error(`unknown option --${name} (known: ${Object.keys(spec).map((k) => '--' + k).join(', ')})`);
    if (kind === 'boolean') flags[name] = true;
    else {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      flags[name] = v;
    }
  }
  return { flags, rest };
}
