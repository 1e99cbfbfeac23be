/** Human output of `approve-requests` and its progress lines. */
import type { ApproveResult } from '../admin/approve-requests.js';
import type { Output } from './output.js';

/** On a terminal, a line every 3 s while requests are handled; under cron and with --json, nothing (cron stays quiet). */
export function approveProgress(out: Output): (p: ApproveResult) => void {
  let lastLog = Date.now();
  return (p) => {
    if (!out.interactive || Date.now() - lastLog < 3000) return;
    lastLog = Date.now();
    out.log(`… ${p.approved + p.globalAccess} request(s) handled so far`);
  };
}

/** Nothing when there was nothing to do (quiet under cron); one summary line otherwise. */
export function renderApprove(r: ApproveResult): string {
  const lines: string[] = [];
  if (r.dryRun) for (const h of r.requests) lines.push(`would ${h.outcome === 'global-access' ? 'delete' : 'approve'} request ${h.id}: ${h.email ?? `member ${h.memberId}`} -> ${h.organization}/${h.team} (${h.outcome})`);
  const parts: string[] = [];
  const verb = r.dryRun ? 'would approve' : 'approved';
  if (r.approved) {
    const how = [[r.created, 'link(s) created'], [r.reactivated, 're-activated'], [r.alreadyActive, 'already active']] as const;
    parts.push(`${verb} ${r.approved} team join request(s) (${how.filter(([n]) => n).map(([n, w]) => `${n} ${w}`).join(', ')})`);
  }
  if (r.globalAccess) parts.push(`${r.dryRun ? 'would delete' : 'deleted'} ${r.globalAccess} request(s) of members with global access`);
  if (r.rejected.length) parts.push(`left ${r.rejected.length} inconsistent request(s) untouched (listed below; fix or delete those rows by hand)`);
  if (parts.length) lines.push(parts.join('; ') + (r.journal ? `; journal ${r.journal}` : ''));
  for (const x of r.rejected) lines.push(`  request ${x.id} (team ${x.teamId}, member ${x.memberId}): ${x.reason}`);
  if (r.mail) {
    const m = r.mail;
    const planned = r.requests.filter((h) => h.notify).length;
    if (r.dryRun) { if (planned) lines.push(`would e-mail ${planned} member(s) Sentry's approval notice`); }
    else if (m.sent.length || m.failed.length) lines.push(`e-mailed ${m.sent.length} member(s) Sentry's approval notice` + (m.failed.length ? `; ${m.failed.length} e-mail(s) failed (the approvals stand):` : ''));
    for (const f of m.failed) lines.push(`  request ${f.requestId} to ${f.to}: ${f.error}`);
    if (m.none.length) lines.push(`no e-mail for ${m.none.length} approved request(s) of pending invites (no user to write to): ${m.none.join(', ')}`);
  }
  return lines.join('\n');
}
