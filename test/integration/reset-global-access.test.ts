import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTOR_LABEL, applyReset, previewReset, type ResetOptions } from '../../src/admin/reset-global-access.js';
import { readJournal } from '../../src/journal/journal.js';
import { undo } from '../../src/admin/undo.js';
import { decodeGzippedDict } from '../../src/codec/sentry-encodings.js';
import { insertAuditEntries } from '../../src/admin/audit-log.js';
import { dictGet } from '../../src/codec/py-value.js';
import { type Connection, connect } from '../../src/db/connect.js';
import { ENGINES, type TempDatabase, tempDatabase } from '../helpers/servers.js';
import { createSchema, insertFixture, snapshot } from './reset-global-access.fixture.js';

const base: ResetOptions = { providerDefault: false, includeOwners: false };

for (const engine of ENGINES) {
  describe(`reset-global-access on ${engine}`, () => {
    let tmp: TempDatabase;
    let conn: Connection;
    let dir: string;

    before(async () => {
      tmp = await tempDatabase(engine, 'sa_reset');
      conn = await connect(tmp.url);
      await createSchema(conn.db, engine);
      await insertFixture(conn.db);
      dir = mkdtempSync(join(tmpdir(), 'sa-reset-'));
    });
    after(async () => {
      await conn?.close();
      await tmp?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('preview counts per organization, warns about members left with no team, writes nothing', async () => {
      const before = await snapshot(conn.db);
      const r = await previewReset(conn, { ...base, user: ['alice', 'bob@example.com', '3', 'erin'], providerDefault: true });
      assert.equal(r.applied, false);
      assert.equal(r.users, 4);
      const acme = r.organizations.find((o) => o.slug === 'acme')!;
      const beta = r.organizations.find((o) => o.slug === 'beta')!;
      assert.deepEqual([acme.change, acme.ownersSkipped, acme.alreadyOff], [3, 1, 0]);
      assert.deepEqual([beta.change, beta.ownersSkipped, beta.alreadyOff], [1, 1, 1]);
      assert.deepEqual(acme.provider, { id: '1', provider: 'google', defaultGlobalAccess: true, willChange: true });
      assert.equal(beta.provider, null);
      assert.deepEqual(r.zeroTeam.map((z) => [z.memberId, z.superuser]), [['12', false], ['16', false], ['18', true]]);
      assert.equal(r.totals.providersChange, 1);
      assert.ok(r.sql.some((s) => /update .sentry_organizationmember. set .has_global_access./i.test(s.sql)));
      assert.ok(r.sql.some((s) => /update .sentry_authprovider./i.test(s.sql)));
      assert.deepEqual(await snapshot(conn.db), before);
    });

    test('apply changes exactly the listed members and the provider default; audit rows decode with python3; undo restores', async () => {
      const before = await snapshot(conn.db);
      const csv = join(dir, 'users.csv');
      writeFileSync(csv, 'user_id,email\n1,\n,bob@example.com\n3,carol@example.com\n');
      const r = await applyReset(conn, { ...base, csv, providerDefault: true }, { journalDir: dir });
      assert.equal(r.applied, true);
      assert.equal(r.totals.change, 3); // alice@acme, bob@acme, bob@beta; carol is an owner
      assert.equal(r.auditEntries, 3);

      const after = await snapshot(conn.db);
      const changed = after.members.filter((m, i) => m.has_global_access !== before.members[i].has_global_access).map((m) => m.id);
      assert.deepEqual(changed, ['11', '12', '16']);
      assert.deepEqual(after.members.map(({ has_global_access: _h, ...m }) => m), before.members.map(({ has_global_access: _h, ...m }) => m));
      assert.equal(after.providers.find((p) => p.id === '1')!.default_global_access, false);
      assert.equal(after.providers.find((p) => p.id === '2')!.default_global_access, true); // gamma: not in scope

      const audit = await conn.db.selectFrom('sentry_auditlogentry').selectAll().orderBy('target_object').execute();
      assert.deepEqual(audit.map((a) => [String(a.organization_id), String(a.target_object), String(a.target_user_id), Number(a.event), a.actor_label, a.actor_id, a.ip_address]),
        [['1', '11', '1', 4, ACTOR_LABEL, null, null], ['1', '12', '2', 4, ACTOR_LABEL, null, null], ['2', '16', '2', 4, ACTOR_LABEL, null, null]]);
      const decoded = python3Decode(audit.map((a) => a.data));
      assert.deepEqual(decoded, [
        { email: null, user: 1, teams: [101], has_global_access: false },
        { email: null, user: 2, teams: [103], has_global_access: false },
        { email: 'bob-invite@example.com', user: 2, teams: [], has_global_access: false },
      ]);
      // Sentry on MySQL (MySQLdb) pickles ids as long, on PostgreSQL (psycopg2) as int.
      const user = dictGet(decodeGzippedDict(audit[0].data), 'user');
      assert.equal(typeof user, engine === 'mysql' ? 'bigint' : 'number');

      const journal = readJournal(r.journal!);
      assert.equal(journal.status, 'applied');
      assert.equal(journal.changes.length, 3 + 1 + 3);
      const u = await undo(conn, r.journal!, journal, { apply: true });
      assert.deepEqual(u.conflicts, []);
      assert.deepEqual(await snapshot(conn.db), before);
    });

    test('--include-owners resets owners too and warns when no owner with global access would remain', async () => {
      const before = await snapshot(conn.db);
      const r = await applyReset(conn, { ...base, user: ['carol'], org: 'beta', includeOwners: true }, { journalDir: dir });
      assert.deepEqual(r.organizations.map((o) => [o.slug, o.change, o.ownersSkipped]), [['beta', 1, 0]]);
      assert.deepEqual(r.noGlobalOwner, ['beta']);
      const after = await snapshot(conn.db);
      assert.equal(after.members.find((m) => m.id === '17')!.has_global_access, false);
      assert.equal(after.members.find((m) => m.id === '13')!.has_global_access, true); // carol@acme: other org
      await undo(conn, r.journal!, readJournal(r.journal!), { apply: true });
      assert.deepEqual(await snapshot(conn.db), before);
    });

    test('--keep-team-access links each member to every team it sees now (as Sentry\'s member form), journaled and undone', async () => {
      const before = await snapshot(conn.db);
      const seen = async (memberId: string) => {
        const m = await conn.db.selectFrom('sentry_organizationmember').select(['organization_id', 'has_global_access']).where('id', '=', memberId).executeTakeFirstOrThrow();
        const links = await conn.db.selectFrom('sentry_organizationmember_teams').select(['team_id', 'is_active']).where('organizationmember_id', '=', memberId).execute();
        if (!m.has_global_access) return links.filter((l) => l.is_active).map((l) => String(l.team_id)).sort(); // OrganizationMember.get_teams()
        const off = new Set(links.filter((l) => !l.is_active).map((l) => String(l.team_id)));
        const teams = await conn.db.selectFrom('sentry_team').select('id').where('organization_id', '=', m.organization_id).execute();
        return teams.map((t) => String(t.id)).filter((t) => !off.has(t)).sort();
      };
      const was = { '12': await seen('12'), '16': await seen('16') };
      const preview = await previewReset(conn, { ...base, user: ['bob'], keepTeamAccess: true });
      assert.equal(preview.totals.linksAdded, 2); // 12: team 101 (102 stays inactive, 103 linked already); 16: team 104
      assert.deepEqual(preview.zeroTeam, []);
      assert.ok(preview.sql.some((q) => /insert into sentry_organizationmember_teams/.test(q.sql)));
      assert.deepEqual(await snapshot(conn.db), before);

      const r = await applyReset(conn, { ...base, user: ['bob'], keepTeamAccess: true }, { journalDir: dir });
      assert.equal(r.totals.change, 2);
      assert.deepEqual({ '12': await seen('12'), '16': await seen('16') }, was); // the same teams, now through links
      assert.deepEqual(was, { '12': ['101', '103'], '16': ['104'] });
      const audit = await conn.db.selectFrom('sentry_auditlogentry').select(['target_object', 'data']).orderBy('target_object').execute();
      assert.deepEqual(audit.map((a) => (dictGet(decodeGzippedDict(a.data), 'teams') as unknown[]).map(Number)), [[101, 103], [104]]);
      const journal = readJournal(r.journal!);
      assert.equal(journal.changes.filter((c) => c.table === 'sentry_organizationmember_teams' && c.op === 'insert').length, 2);
      const u = await undo(conn, r.journal!, journal, { apply: true });
      assert.deepEqual(u.conflicts, []);
      assert.deepEqual(await snapshot(conn.db), before);
    });

    test('--actor names the Sentry user; audit datetimes keep the engine\'s precision (whole seconds on MySQL only)', async () => {
      const before = await snapshot(conn.db);
      await assert.rejects(previewReset(conn, { ...base, user: ['bob'], actor: 'nobody' }), (e: Error & { exitCode?: number }) => e.exitCode === 2 && /nobody/.test(e.message));
      const r = await applyReset(conn, { ...base, user: ['dave'], org: 'acme', actor: 'erin@example.com' }, { journalDir: dir });
      assert.deepEqual(r.actor, { id: '5', label: 'erin' });
      const a = await conn.db.selectFrom('sentry_auditlogentry').select(['actor_id', 'actor_label']).execute();
      assert.deepEqual(a.map((x) => [String(x.actor_id), x.actor_label]), [['5', 'erin']]);
      const at = new Date('2026-03-04T05:06:07.891Z');
      await insertAuditEntries(conn.db, conn.adapter, [{ organizationId: '1', event: 4, targetObject: '14', targetUserId: '4', data: {}, actorLabel: 'x' }], at);
      const row = await conn.db.selectFrom('sentry_auditlogentry').select('datetime').where('actor_label', '=', 'x').executeTakeFirstOrThrow();
      assert.equal(new Date(row.datetime).toISOString(), engine === 'mysql' ? '2026-03-04T05:06:07.000Z' : '2026-03-04T05:06:07.891Z');
      await conn.db.deleteFrom('sentry_auditlogentry').where('actor_label', '=', 'x').execute();
      await undo(conn, r.journal!, readJournal(r.journal!), { apply: true });
      assert.deepEqual(await snapshot(conn.db), before);
    });

    test('the preview names admins and owners who lose scopes with global access (OrganizationMember.get_scopes)', async () => {
      const r = await previewReset(conn, { ...base, user: ['frank', 'carol', 'alice'], includeOwners: true });
      assert.deepEqual(r.scopesLost.map((x) => [x.memberId, x.organization, x.username, x.role, x.scopes.join(' ')]), [
        ['13', 'acme', 'carol', 'owner', 'org:write member:write org:delete member:delete'],
        ['17', 'beta', 'carol', 'owner', 'org:write member:write org:delete member:delete'],
        ['20', 'gamma', 'frank', 'admin', 'org:write member:write'],
      ]); // alice: a member (50) in acme, her admin membership in beta has no global access already
    });

    test('nothing to change: no journal, no audit row, exit-0 shape', async () => {
      const files = readdirSync(dir).length;
      const r = await applyReset(conn, { ...base, user: ['dave'], org: 'beta' }, { journalDir: dir });
      assert.equal(r.applied, false);
      assert.equal(r.journal, null);
      assert.deepEqual(r.notMembers, ['dave (id 4)']);
      assert.equal(readdirSync(dir).length, files);
    });

    test('bad input: every problem reported together, nothing written', async () => {
      const before = await snapshot(conn.db);
      const csv = join(dir, 'bad.csv');
      writeFileSync(csv, 'username,email\nalice,\nnobody,\n,alice@example.com\nbob,carol@example.com\nAlice,\n,shared@example.com\n');
      await assert.rejects(applyReset(conn, { ...base, csv, org: 'nope' }, { journalDir: dir }), (err: Error & { problems?: string[]; exitCode?: number }) => {
        assert.equal(err.exitCode, 2);
        const p = err.problems!.join('\n');
        assert.match(p, /line 3: no user with username "nobody"/);
        assert.match(p, /line 5: username "bob" is bob \(id 2\), but email "carol@example.com" is carol \(id 3\)/);
        assert.match(p, /line 6: no user with username "Alice" \(did you mean username "alice"\?\)/);
        assert.match(p, /line 7 matches 2 users/);
        assert.match(p, /alice \(id 1\) is listed more than once: bad.csv line 2, bad.csv line 4/);
        assert.match(p, /no organization with slug "nope"/);
        return true;
      });
      assert.deepEqual(await snapshot(conn.db), before);
    });
  });
}

/** Decode GzippedDictField values the way a Python reader would: base64, zlib, pickle. */
function python3Decode(values: string[]): unknown[] {
  const script = 'import sys,base64,zlib,pickle,json\nfor l in sys.stdin.read().split():\n' +
    "  print(json.dumps(pickle.loads(zlib.decompress(base64.b64decode(l)), encoding='latin1')))\n";
  const out = execFileSync('python3', ['-c', script], { input: values.join('\n') }).toString();
  return out.trim().split('\n').map((l) => JSON.parse(l));
}
