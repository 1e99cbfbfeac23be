import { maskSecrets } from '../db/url.js';

/**
 * Results go to stdout (one JSON document with --json), logs and progress to stderr.
 * Every line passes through maskSecrets, so a URL with a password never reaches a terminal or a log.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  ) {}

  /** True when progress bars may be drawn (a terminal, and not --json). */
  get interactive(): boolean {
    return !this.json && Boolean(this.stderr.isTTY);
  }

  /** Set once a JSON result document went to stdout (an error after it then goes to stderr, as a JSON line). */
  static resultWritten = false;

  /** The command's result: JSON document or human text, on stdout. */
  result(doc: unknown, human?: string | (() => string)): void {
    if (this.json) {
      Output.resultWritten = true;
      this.stdout.write(maskSecrets(JSON.stringify(doc, jsonReplacer, 2)) + '\n');
    } else if (human !== undefined) {
      const text = typeof human === 'function' ? human() : human;
      if (text) this.stdout.write(maskSecrets(text.endsWith('\n') ? text : text + '\n'));
    }
  }

  private live: ((line: string) => void) | undefined;

  /** While a progress display is on the terminal, log lines go through it (above its block). */
  setLive(fn: ((line: string) => void) | undefined): void {
    this.live = fn;
    activeLive = fn;
  }

  /** A log line on stderr; with --json a JSON line `{"log": …}` (stderr then carries only JSON lines). */
  log(message: string): void {
    if (this.json) return this.jsonLine({ log: message });
    if (this.live) return this.live(maskSecrets(message));
    this.stderr.write(maskSecrets(message) + '\n');
  }

  /** One JSON line on stderr (progress and logs under --json). */
  jsonLine(doc: unknown): void {
    this.stderr.write(maskSecrets(JSON.stringify(doc, jsonReplacer)) + '\n');
  }

  warn(message: string): void {
    if (this.json) return this.jsonLine({ warning: message });
    this.log(`warning: ${message}`);
  }

  error(message: string, hint?: string): void {
    if (this.json) return this.jsonLine({ error: message, ...(hint ? { hint } : {}) });
    this.log(`error: ${message}`);
    if (hint) this.log(`  ${hint}`);
  }

  get errStream(): NodeJS.WritableStream {
    return this.stderr;
  }
}

let activeLive: ((line: string) => void) | undefined;

/** A line from outside a command (main.ts on Ctrl-C) printed above the progress block; false when none is drawn. */
export function logAbove(line: string): boolean {
  if (activeLive) activeLive(maskSecrets(line));
  return Boolean(activeLive);
}

/** JSON.stringify for our values: bigint as string, Map as object, Buffer as base64. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (value && typeof value === 'object' && (value as any).type === 'Buffer' && Array.isArray((value as any).data)) {
    return Buffer.from((value as any).data).toString('base64');
  }
  return value;
}

/** Render rows as an aligned text table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (typeof rows[0]?.[i] === 'number' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}
