/** Human output of drain-buffer: the report, the drain summary, the replay summary, progress. */
import cliProgress from 'cli-progress';
import type { Output } from './output.js';
import { table } from './output.js';
import type { DrainProgress, DrainSummary } from '../drain/drain.js';
import type { ReplaySummary } from '../drain/replay.js';
import type { HostReport } from '../drain/report.js';

export function renderReport(hosts: HostReport[]): string {
  const lines: string[] = [];
  hosts.forEach((h, i) => {
    lines.push(`host ${i}: ${h.host}`);
    lines.push(`  b:p: ${h.pending} pending key(s)` + (h.pending ? `, oldest ${age(h.oldestAgeSeconds)} ago, newest ${age(h.newestAgeSeconds)} ago` : ''));
    lines.push(`  l:b:p: ${h.flushLock.held ? `held by ${h.flushLock.by}, ${h.flushLock.ttl} s left` : 'free'}`);
    const sc = h.scan;
    lines.push(`  b:k:* hashes: ${sc.complete ? sc.bufferKeys : `~${sc.estimatedBufferKeys} (sampled ${sc.keysScanned} of ${h.dbsize} keys)`}, ` +
      `not listed in b:p: ${sc.complete ? sc.notInPending : `~${sc.estimatedOrphans}`}`);
    lines.push(`  memory: ${mb(h.memory.usedBytes)} used` + (h.memory.maxBytes ? ` of ${mb(h.memory.maxBytes)} (${h.memory.policy})` : ', no maxmemory'));
    if (h.celeryQueue !== null) lines.push(`  celery queue counters-0: ${h.celeryQueue} message(s)`);
    if (h.sample.read) {
      lines.push(`  sample of ${h.sample.read} hash(es)` + (h.sample.ttlMinSeconds !== null ? `, shortest TTL ${h.sample.ttlMinSeconds} s` : '') + ':');
      for (const [m, n] of Object.entries(h.sample.models)) lines.push(`    ${m}: ${n}`);
      for (const [t, n] of Object.entries(h.sample.types)) lines.push(`    pickled ${t}: ${n}`);
      for (const [p, n] of Object.entries(h.sample.problems)) lines.push(`    would re-buffer (${p}): ${n}`);
    }
    if (h.scan.wrongType.length) {
      lines.push(`  not a hash: ${h.scan.wrongType.length} b:k:* key(s) of another Redis type; --apply cannot take them and leaves them where they are:`);
      for (const w of h.scan.wrongType.slice(0, 20)) lines.push(`    ${w.key} (${w.type})`);
      if (h.scan.wrongType.length > 20) lines.push(`    … ${h.scan.wrongType.length - 20} more (--json lists them all)`);
    }
    for (const c of h.causes) lines.push(`  likely cause: ${c}`);
  });
  lines.push('report only: add --apply to drain into the database');
  return lines.join('\n');
}

export function renderDrain(r: DrainSummary): string {
  const s = r.stats;
  const lines = [
    `${r.interrupted ? 'interrupted after' : 'drained'} ${s.taken} key(s) in ${r.seconds.toFixed(1)} s (${r.keysPerSecond} keys/s); journal ${r.journal}`,
    `  applied ${s.applied}: ${s.rowsUpdated} row(s) updated, ${s.rowsInserted} inserted` +
      (s.dropped ? `, ${s.dropped} dropped as Sentry drops them` : ''),
    `  expired/empty ${s.empty}, skipped (Sentry held the key lock) ${s.lockedSkipped}, orphans taken ${s.orphansTaken}`,
    `  re-buffered ${s.rebuffered} (undecodable ${s.rejected}, database errors ${s.dbFailed})` + (s.uncertain ? `, uncertain ${s.uncertain} (see --replay)` : ''),
  ];
  if (s.releases.created + s.releases.existed + s.releases.tooLong) {
    lines.push(`  releases for new sentry:release tag values: ${s.releases.created} created, ${s.releases.existed} already there` + (s.releases.tooLong ? `, ${s.releases.tooLong} too long` : ''));
  }
  if (s.takeFailed) lines.push(`  not taken: ${s.takeFailed} key(s) Redis would not give up (not a hash); left where they are, named below`);
  if (s.missingGroups || s.missingReleases) lines.push(`  skipped: ${s.missingGroups} missing group(s), ${s.missingReleases} missing release(s)`);
  const rows = Object.entries(s.perModel).filter(([, m]) => m.keys).map(([name, m]) => [name, m.keys, Object.entries(m.increments).map(([c, n]) => `${c}+${n}`).join(' ')]);
  if (rows.length) lines.push(table(['model', 'keys', 'increments applied'], rows as (string | number)[][]).replace(/^/gm, '  '));
  r.hosts.forEach((h, i) => {
    const idle = r.latency.idle[i];
    const during = r.latency.during[i];
    lines.push(`  host ${i} ${h.host}: b:p ${h.pendingAtStart} → ${h.pendingAtEnd}; PING p99 ${idle.p99Ms} ms idle, ${during.p99Ms} ms during (max ${during.maxMs} ms)`);
  });
  for (const n of r.notes) lines.push(`  note: ${n}`);
  for (const p of s.problems.slice(0, 20)) lines.push(`  ${p.key}: ${p.what}`);
  if (s.problems.length > 20) lines.push(`  … ${s.problems.length - 20} more (--json lists up to 200)`);
  if (r.lockLost) lines.push("  stopped: l:b:p was lost (held longer than 60 s without refresh?); Sentry's flush may have run");
  return lines.join('\n');
}

export function renderReplay(r: ReplaySummary): string {
  const c = r.counts;
  const lines = [
    `journal ${r.journal}: ${c.committed} committed, ${c.rebuffered} re-buffered, ${c.pending} to apply, ${c.uncertain} uncertain` +
      (c.resolvedCommitted + c.resolvedAborted ? ` (asked the database: ${c.resolvedCommitted} committed, ${c.resolvedAborted} rolled back)` : ''),
  ];
  if (r.applied) lines.push(`applied ${r.stats.applied}: ${r.stats.rowsUpdated} updated, ${r.stats.rowsInserted} inserted; re-buffered ${r.stats.rebuffered}`);
  for (const u of r.uncertain.slice(0, 20)) lines.push(`  uncertain ${u.id} ${u.key}: ${u.why}`);
  if (!r.applied && c.pending) lines.push('preview only: add --apply to apply them');
  return lines.join('\n');
}

/** A bar on a terminal; a plain line every 5 s otherwise; nothing with --json. */
export function progressReporter(out: Output): { update: (p: DrainProgress) => void; stop: () => void } {
  if (out.json) return { update: () => undefined, stop: () => undefined };
  if (out.interactive) {
    const bar = new cliProgress.SingleBar({ format: 'drain {bar} {value}/{total} keys | {phase} host {host} | re-buffered {rb}', stream: out.errStream as NodeJS.WriteStream }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update: (p) => {
        if (!started) (bar.start(Math.max(p.total, p.done), 0, { phase: p.phase, host: p.host, rb: 0 }), (started = true));
        bar.setTotal(Math.max(p.total, p.done));
        bar.update(p.done, { phase: p.phase, host: p.host, rb: p.stats.rebuffered });
      },
      stop: () => (started ? (bar.stop(), (started = false)) : undefined),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      out.log(`drain: ${p.phase} host ${p.host}: ${p.done}/${p.total} keys, applied ${p.stats.applied}, re-buffered ${p.stats.rebuffered}, locked ${p.stats.lockedSkipped}`);
    },
    stop: () => undefined,
  };
}

const age = (s: number | null) => (s === null ? '?' : s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
