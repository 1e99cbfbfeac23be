/** Human output of `reset-global-access`. */
import type { ResetResult } from '../admin/reset-global-access.js';
import { type HintSettings, commandHint, shellWord } from './hints.js';
import { table } from './output.js';

const LIST = 50;

export function renderReset(r: ResetResult, apply: boolean, s: HintSettings): string {
  const out: string[] = [];
  const would = apply ? '' : 'would ';
  out.push(`${r.users} user(s) listed; ${r.totals.change} membership(s) ${apply ? 'lost' : 'would lose'} global access` +
    (r.totals.providersChange ? `; ${r.totals.providersChange} SSO provider default(s) ${apply ? 'turned' : 'would be turned'} off` : ''));
  if (r.totals.change) {
    out.push(r.options.keepTeamAccess
      ? `team access kept (--keep-team-access): ${r.totals.linksAdded} team link(s) ${apply ? 'added' : 'would be added'} so each member keeps seeing the teams they see now, as Sentry's member form does`
      : `team access narrowed: each member ${apply ? 'now sees' : 'would see'} only the teams of their active team links (add --keep-team-access to link them to every team they see now, as Sentry's member form does)`);
  }
  if (r.organizations.length) {
    out.push('', table(
      ['organization', 'change', 'owners skipped', 'already off', 'SSO provider default_global_access'],
      r.organizations.map((o) => [o.slug, o.change, o.ownersSkipped, o.alreadyOff, provider(o.provider)]),
    ));
  }
  const warn = (head: string, items: string[]) => {
    out.push('', `warning: ${head}`);
    for (const i of items.slice(0, LIST)) out.push(`  ${i}`);
    if (items.length > LIST) out.push(`  … and ${items.length - LIST} more (--json lists them all)`);
  };
  const blind = r.zeroTeam.filter((z) => !z.superuser);
  if (blind.length) {
    warn(`${blind.length} member(s) ${would}have no active team left and ${apply ? 'now see' : 'would see'} nothing:`,
      blind.map((z) => `${z.username} (user ${z.userId}) in ${z.organization} (member ${z.memberId})`));
  }
  const supers = r.zeroTeam.filter((z) => z.superuser);
  if (supers.length) {
    out.push('', `note: ${supers.length} superuser(s) have no active team; as superusers they still see every team: ` +
      supers.slice(0, 10).map((z) => `${z.username} in ${z.organization}`).join(', '));
  }
  for (const role of ['admin', 'owner'] as const) {
    const losing = r.scopesLost.filter((x) => x.role === role);
    if (!losing.length) continue;
    warn(`${losing.length} ${role}(s) ${would}also lose ${losing[0].scopes.join(', ')} (Sentry 7.7 grants ${role}s those only with global access):`,
      losing.map((x) => `${x.username} (user ${x.userId}) in ${x.organization} (member ${x.memberId})`));
  }
  if (r.noGlobalOwner.length) {
    warn(`no owner with global access ${apply ? 'remains' : 'would remain'} in these organizations (only a superuser could change their settings or members):`, r.noGlobalOwner);
  }
  const stillGranting = r.organizations.filter((o) => o.provider?.defaultGlobalAccess && !o.provider.willChange).map((o) => o.slug);
  if (stillGranting.length && !r.options.providerDefault) {
    out.push('', `note: the SSO provider of ${stillGranting.join(', ')} still gives new members global access (add --provider-default to turn that off)`);
  }
  if (r.notMembers.length) out.push('', `note: no membership in scope for ${r.notMembers.join(', ')}`);
  if (r.sql.length) {
    out.push('', apply ? 'SQL run:' : 'SQL it would run (one transaction):');
    for (const q of r.sql) out.push(`  ${q.sql};`, `    -- ${q.params} [${q.rows} row(s)]`);
  }
  out.push('');
  if (apply && r.journal) out.push(`applied; ${r.auditEntries} audit log entr${r.auditEntries === 1 ? 'y' : 'ies'} written. Undo with: ${commandHint('undo', s, [shellWord(r.journal), '--apply'])}`);
  else if (apply) out.push('nothing to change');
  else out.push(r.totals.change || r.totals.providersChange ? 'preview only: nothing written; add --apply to write' : 'nothing to change');
  return out.join('\n');
}

function provider(p: ResetResult['organizations'][number]['provider']): string {
  if (!p) return 'no SSO provider';
  const now = `${p.provider}: ${p.defaultGlobalAccess}`;
  return p.willChange ? `${now} -> false` : now;
}
