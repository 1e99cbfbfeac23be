/**
 * How long reset-global-access takes to reset 100,000 memberships (and undo them), on each engine.
 *
 *   node --import tsx bench/reset-global-access.ts [memberships=100000] [orgs=5] [--undo]
 *
 * Setup (not timed): USERS = memberships / orgs users, each a member of every org with one active
 * team, an SSO provider per org; the CSV lists every user by user_id. Timed: the preview, the
 * applied reset with --provider-default (updates + audit rows + journal, one transaction) and, with
 * --undo, the shared `undo` of its journal (set-based: runs of up to 1000 rows).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { applyReset, previewReset } from '../src/admin/reset-global-access.js';
import { readJournal } from '../src/journal/journal.js';
import { undo } from '../src/admin/undo.js';
import type { Row } from '../src/db/bulk.js';
import { connect, openBulkSession } from '../src/db/connect.js';
import { schemaStatements } from '../src/db/schema-files.js';
import { ENGINES, tempDatabase } from '../test/helpers/servers.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const MEMBERSHIPS = Number(args[0] ?? 100_000);
const ORGS = Number(args[1] ?? 5);
const UNDO = process.argv.includes('--undo');
const USERS = Math.ceil(MEMBERSHIPS / ORGS);

function* range<T>(n: number, f: (i: number) => T): Iterable<T> {
  for (let i = 1; i <= n; i++) yield f(i);
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

const dir = mkdtempSync(join(tmpdir(), 'sa-bench-reset-'));
const csv = join(dir, 'users.csv');
writeFileSync(csv, 'user_id\n' + Array.from(range(USERS, (i) => String(i))).join('\n') + '\n');
const t = new Date('2015-06-01T12:00:00Z');

try {
  for (const engine of ENGINES) {
    const tmp = await tempDatabase(engine, 'sa_bench_reset');
    const conn = await connect(tmp.url);
    try {
      for (const s of schemaStatements(engine, { bigInts: false })) await sql.raw(s).execute(conn.db);
      const bulk = await openBulkSession(tmp.url);
      try {
        await bulk.load('auth_user', ['id', 'password', 'last_login', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'is_superuser', 'date_joined', 'is_managed'],
          range(USERS, (i): Row => [i, 'x', t, `user${i}`, '', '', `user${i}@example.com`, false, true, false, t, false]));
        await bulk.load('sentry_organization', ['id', 'name', 'status', 'date_added', 'slug', 'flags', 'owner_id'],
          range(ORGS, (o): Row => [o, `Org ${o}`, 0, t, `org-${o}`, 0, 1]));
        await bulk.load('sentry_team', ['id', 'slug', 'name', 'date_added', 'status', 'organization_id'],
          range(ORGS * 10, (i): Row => [i, `team-${i}`, `Team ${i}`, t, 0, Math.ceil(i / 10)]));
        await bulk.load('sentry_authprovider', ['id', 'organization_id', 'provider', 'config', 'date_added', 'sync_time', 'last_sync', 'default_role', 'default_global_access', 'flags'],
          range(ORGS, (o): Row => [o, o, 'google', '{}', t, null, null, 50, true, 0]));
        const member = (i: number) => ({ org: ((i - 1) % ORGS) + 1, user: Math.ceil(i / ORGS) });
        await bulk.load('sentry_organizationmember', ['id', 'organization_id', 'user_id', 'type', 'date_added', 'email', 'has_global_access', 'flags', 'counter'],
          range(MEMBERSHIPS, (i): Row => [i, member(i).org, member(i).user, 50, t, null, true, 0, member(i).user]));
        await bulk.load('sentry_organizationmember_teams', ['id', 'organizationmember_id', 'team_id', 'is_active'],
          range(MEMBERSHIPS, (i): Row => [i, i, (member(i).org - 1) * 10 + (i % 10) + 1, true]));
      } finally {
        await bulk.close();
      }
      const opts = { csv, providerDefault: true, includeOwners: false };
      const [plan, preview] = await time(() => previewReset(conn, opts));
      const [r, apply] = await time(() => applyReset(conn, opts, { journalDir: dir }));
      if (r.totals.change !== MEMBERSHIPS || plan.totals.change !== MEMBERSHIPS) throw new Error(`expected ${MEMBERSHIPS} changes, got ${r.totals.change}`);
      let undone = '';
      if (UNDO) {
        const [u, s] = await time(() => undo(conn, r.journal!, readJournal(r.journal!), { apply: true }));
        if (u.conflicts.length || u.reverted !== MEMBERSHIPS * 2 + ORGS) throw new Error(`undo reverted ${u.reverted}, ${u.conflicts.length} conflicts`);
        undone = `, undo ${s.toFixed(2)} s`;
      }
      console.log(`${engine.padEnd(8)} ${MEMBERSHIPS} memberships in ${ORGS} orgs (${USERS} users): ` +
        `preview ${preview.toFixed(2)} s, apply ${apply.toFixed(2)} s (${Math.round(MEMBERSHIPS / apply)} memberships/s, ` +
        `${r.auditEntries} audit rows)${undone}`);
    } finally {
      await conn.close();
      await tmp.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
