/**
 * How much the drain slows Sentry's Redis: a PING every few milliseconds from a worker thread with its own
 * socket (so the drain's own event loop does not blur the figures), before the drain ("idle") and during it.
 * The worker speaks two lines of RESP and nothing else: AUTH/SELECT are not needed for PING.
 */
import { Worker } from 'node:worker_threads';
import type { RedisUrl } from '../config/redis-url.js';

export interface LatencyStats {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: number;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net'); const tls = require('node:tls');
const { host, port, useTls, password, username, intervalMs } = workerData;
let samples = [], failures = 0, sentAt = 0, waiting = false, buf = '', stopped = false, authed = !password;
const sock = useTls ? tls.connect({ host, port, rejectUnauthorized: false }) : net.connect({ host, port });
sock.setNoDelay(true);
const resp = (...a) => '*' + a.length + '\\r\\n' + a.map((s) => '$' + Buffer.byteLength(s) + '\\r\\n' + s + '\\r\\n').join('');
sock.on('connect', () => { if (password) sock.write(username ? resp('AUTH', username, password) : resp('AUTH', password)); });
sock.on('error', () => { failures++; });
sock.on('data', (d) => {
  buf += d.toString('latin1');
  let i;
  while ((i = buf.indexOf('\\r\\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 2);
    if (!authed) { authed = true; continue; }
    if (waiting) { waiting = false; if (line === '+PONG') samples.push(Number(process.hrtime.bigint() - sentAt) / 1e6); else failures++; }
  }
});
const tick = setInterval(() => {
  if (stopped || !authed || waiting || sock.destroyed) return;
  waiting = true; sentAt = process.hrtime.bigint(); sock.write('PING\\r\\n');
}, intervalMs);
parentPort.on('message', (m) => {
  if (m === 'take') { parentPort.postMessage({ samples, failures }); samples = []; failures = 0; }
  if (m === 'stop') { stopped = true; clearInterval(tick); parentPort.postMessage({ samples, failures }); sock.destroy(); }
});
`;

/** One pinger per Redis host. `take()` returns and resets the samples gathered since the last take. */
export class LatencyProbe {
  private worker: Worker;
  private stopped?: Promise<LatencyStats>;
  constructor(url: RedisUrl, intervalMs = 5) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { host: url.host, port: url.port, useTls: url.tls, password: url.password, username: url.username, intervalMs },
    });
    this.worker.unref();
  }

  private ask(what: 'take' | 'stop'): Promise<{ samples: number[]; failures: number }> {
    return new Promise((resolve) => {
      this.worker.once('message', resolve);
      this.worker.postMessage(what);
    });
  }

  async take(): Promise<LatencyStats> {
    const r = await this.ask('take');
    return summarize(r.samples, r.failures);
  }

  stop(): Promise<LatencyStats> {
    this.stopped ??= this.ask('stop').then(async (r) => {
      await this.worker.terminate();
      return summarize(r.samples, r.failures);
    });
    return this.stopped;
  }
}

export function summarize(samples: number[], failures = 0): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : 0);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { samples: s.length, p50Ms: r(q(0.5)), p99Ms: r(q(0.99)), maxMs: r(s.length ? s[s.length - 1] : 0), failures };
}
