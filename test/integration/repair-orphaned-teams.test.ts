import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeAuditData } from '../../src/admin/audit-log.js';
import { readJournal } from '../../src/journal/journal.js';
import { findOrphanedTeams } from '../../src/admin/orphaned-teams.js';
import { type RepairOptions, RepairRefused, repairOrphanedTeams } from '../../src/admin/repair-orphaned-teams.js';
import { undo } from '../../src/admin/undo.js';
import { renderRepair, renderReport } from '../../src/ui/repair-orphans-render.js';
import { UsageError } from '../../src/errors.js';
import { ENGINES } from '../helpers/servers.js';
import { NO_PYTHON2, runPython2 } from '../helpers/python2.js';

/**
 * CPython 2.7: for each [object_id, retries, eta, long], the kombu 3.0 message (JSON, base64 body) of a Celery 3.1
 * task message (protocol 1) for sentry.tasks.deletion.delete_organization, pickled at protocol 2 as kombu's pickle
 * serializer does; object_id a long on MySQL (MySQLdb), as Sentry passes organization.id.
 */
const KOMBU_MESSAGES_PY = `
import sys, json, base64, cPickle
out = []
for n, (oid, retries, eta, as_long) in enumerate(json.load(sys.stdin)):
    tid = '1f0e%04d-0000-4000-8000-000000000000' % n
    body = {'task': 'sentry.tasks.deletion.delete_organization', 'id': tid, 'args': [],
            'kwargs': {'object_id': long(oid) if as_long else oid, 'countdown': 300}, 'retries': retries,
            'eta': eta and str(eta), 'expires': None, 'utc': True, 'callbacks': None, 'errbacks': None,
            'timelimit': (None, None), 'taskset': None, 'chord': None}
    out.append(json.dumps({'body': base64.b64encode(cPickle.dumps(body, 2)), 'content-encoding': 'binary',
        'content-type': 'application/x-python-serialize', 'headers': {},
        'properties': {'body_encoding': 'base64', 'delivery_tag': tid, 'delivery_mode': 2,
                       'delivery_info': {'priority': 0, 'routing_key': 'cleanup', 'exchange': 'cleanup'}}}))
print json.dumps(out)
`;
import { type Damaged, damagedDatabase, homesProblems, memberTeams, snapshot } from './orphans-fixture.js';

const journals = mkdtempSync(join(tmpdir(), 'sa-orphans-'));
after(() => rmSync(journals, { recursive: true, force: true }));

for (const engine of ENGINES) {
  describe(`repair-orphaned-teams on ${engine}`, () => {
    const open: Damaged[] = [];
    const fresh = async (opts?: { keepForeignKeys?: boolean }) => {
      const d = await damagedDatabase(engine, opts);
      open.push(d);
      return d;
    };
    const run = (d: Damaged, opts: RepairOptions) => repairOrphanedTeams(d.conn, { journalDir: journals, ...opts });
    after(async () => {
      for (const d of open) await d.close();
    });

    let d: Damaged;
    before(async () => {
      d = await fresh();
    });

    test('the report lists exactly the damage, grouped by organization', async () => {
      const r = await findOrphanedTeams(d.conn.db);
      assert.deepEqual(r.groups.map((g) => [g.organizationId, g.state, g.teams.map((t) => t.id), g.projects.map((p) => p.id)]), [
        ['3', 'missing', ['2', '3'], ['2', '3', '5']],
        ['2', 'pending-deletion', ['4'], ['4']],
      ]);
      assert.deepEqual(r.groups[0].counts, {
        teams: 2, projects: 3, members: 3, memberTeams: 2, accessRequests: 1, authProviders: 1, apiKeys: 1, auditEntries: 1,
      });
      assert.deepEqual(r.groups[1].counts, {
        teams: 1, projects: 1, members: 1, memberTeams: 0, accessRequests: 0, authProviders: 0, apiKeys: 0, auditEntries: 0,
      });
      assert.deepEqual(r.mismatchedProjects.map((p) => [p.id, p.organizationId, p.teamOrganizationId]), [['5', '3', '1']]);
      assert.deepEqual(r.projectsWithoutTeam, []);
      assert.equal(r.nothingToRepair, false);
      assert.deepEqual(r.groups.map((g) => g.deletion), [null, 'window']); // org 2: in Sentry's deletion window as far as we know
    });

    test('an organization Sentry is deleting is no damage: listed apart, "nothing to repair"; --into-org leaves its teams and says why', async () => {
      const d6 = await fresh();
      await run(d6, { apply: true }); // re-creates org 3; org 2 stays pending deletion
      const r = await findOrphanedTeams(d6.conn.db);
      assert.deepEqual(r.groups.map((g) => [g.organizationId, g.deletion]), [['2', 'window']]);
      assert.equal(r.nothingToRepair, true);
      const into = await run(d6, { intoOrg: 'sentry', apply: true });
      assert.equal(into.plan.moved!.teams.length, 0);
      assert.ok(into.plan.leftAlone.some((s) => /organization 2 \(doomed\) is being deleted by Sentry with 1 team\(s\): --into-org does not take teams/.test(s)), into.plan.leftAlone.join('\n'));
      const team4 = await d6.conn.db.selectFrom('sentry_team').select('organization_id').where('id', '=', '4').executeTakeFirstOrThrow();
      assert.equal(String(team4.organization_id), '2');
      const text = renderReport(r).join('\n');
      assert.match(text, /^No orphaned teams: every team and project belongs to a visible organization or to one Sentry is deleting\./);
      assert.match(text, /Being deleted by Sentry \(1;[^\n]*\n  organization 2 doomed/);
    });

    test('a preview writes nothing', async () => {
      const beforeRows = await snapshot(d.conn);
      const r = await run(d, { restore: true });
      assert.equal(r.applied, false);
      assert.equal(r.journal, null);
      assert.ok(r.plan.ops.length > 0);
      assert.deepEqual(await snapshot(d.conn), beforeRows);
    });

    test('default: re-creates the organization with its id, old slug, an owner; --restore; undo restores the damage exactly', async () => {
      const damaged = await snapshot(d.conn);
      const r = await run(d, { restore: true, apply: true });
      assert.equal(r.applied, true);
      assert.deepEqual(r.plan.recreated.map((o) => [o.organizationId, o.slug, o.name, o.slugFrom, o.owner.username, o.ownerMembership]), [
        ['3', 'lost', 'Lost Org', 'audit-log', 'admin', 'create'],
      ]);
      assert.deepEqual(r.plan.restored, [{ organizationId: '2', slug: 'doomed', fromStatus: 1 }]);
      assert.deepEqual(r.plan.projects.map((p) => [p.id, p.fromOrganizationId, p.toOrganizationId, p.newSlug]), [['5', '3', '1', 'misfiled']]);
      const homes = await homesProblems(d.conn);
      assert.deepEqual(homes, { problems: [], strayMembers: [] });
      const org = await d.conn.db.selectFrom('sentry_organization').selectAll().where('id', '=', '3').executeTakeFirstOrThrow();
      assert.deepEqual([org.slug, org.name, Number(org.status), String(org.owner_id)], ['lost', 'Lost Org', 0, '1']);
      const owner = await d.conn.db.selectFrom('sentry_organizationmember').selectAll().where('organization_id', '=', '3').where('user_id', '=', '1').executeTakeFirstOrThrow();
      assert.deepEqual([Number(owner.type), owner.has_global_access, Number(owner.counter)], [0, true, 4]);
      // The audit entries Sentry would write: ORG_ADD in the new org, ORG_EDIT for the restore, PROJECT_EDIT.
      const audit = await d.conn.db.selectFrom('sentry_auditlogentry').select(['organization_id', 'event', 'target_object', 'data', 'actor_label'])
        .where('actor_label', '=', 'sentry-admin').orderBy('id').execute();
      assert.deepEqual(audit.map((a) => [String(a.organization_id), Number(a.event), String(a.target_object)]).sort(), [['1', 31, '5'], ['2', 11, '2'], ['3', 10, '3']]);
      const orgAdd = audit.find((a) => Number(a.event) === 10)!;
      assert.deepEqual(decodeAuditData(orgAdd.data), { slug: 'lost', name: 'Lost Org', status: 0, flags: 0 });
      // A new organization gets a fresh id on both engines (PostgreSQL's sequence was moved past 3).
      const next = await d.conn.db.insertInto('sentry_organization')
        .values({ slug: 'later', name: 'Later', status: 0, owner_id: 1, date_added: new Date(), flags: 0 }).executeTakeFirst();
      const later = await d.conn.db.selectFrom('sentry_organization').select('id').where('slug', '=', 'later').executeTakeFirstOrThrow();
      assert.ok(BigInt(later.id) > 3n, `new organization got id ${later.id}`);
      assert.ok(next);
      await d.conn.db.deleteFrom('sentry_organization').where('slug', '=', 'later').execute();

      const journal = readJournal(r.journal!);
      assert.equal(journal.status, 'applied');
      const u = await undo(d.conn, r.journal!, journal, { apply: true });
      assert.deepEqual(u.conflicts, []);
      assert.deepEqual(await snapshot(d.conn), damaged);
      assert.deepEqual((await findOrphanedTeams(d.conn.db)).groups.map((g) => g.organizationId), ['3', '2']);
    });

    test('--into-org: teams, projects and members move; taken slugs renamed; access kept; undo restores exactly', async () => {
      const damaged = await snapshot(d.conn);
      const teamsBefore = { alice: await memberTeams(d.conn, '3'), bob: await memberTeams(d.conn, '4') };
      const r = await run(d, { intoOrg: 'sentry', restore: true, apply: true });
      const m = r.plan.moved!;
      assert.deepEqual(m.teams.map((t) => [t.id, t.slug, t.newSlug]), [['2', 'backend', 'backend-1'], ['3', 'frontend', 'frontend']]);
      assert.deepEqual(r.plan.projects.map((p) => [p.id, p.toOrganizationId, p.newSlug]), [['2', '1', 'api-1'], ['3', '1', 'web'], ['5', '1', 'misfiled']]);
      assert.deepEqual(m.membersMoved.map((x) => x.id), ['4', '5']);
      assert.deepEqual(m.membersMerged.map((x) => [x.fromId, x.toId]), [['3', '2']]);
      assert.deepEqual(await homesProblems(d.conn), { problems: [], strayMembers: ['3'] });
      // Alice keeps what she had in both organizations; Bob sees the moved team he had, not the target's own.
      assert.deepEqual(teamsBefore, { alice: ['2'], bob: ['2'] });
      assert.deepEqual(await memberTeams(d.conn, '2'), ['1', '2']);
      assert.deepEqual(await memberTeams(d.conn, '4'), ['2']);
      const request = await d.conn.db.selectFrom('sentry_organizationaccessrequest').selectAll().where('id', '=', '1').executeTakeFirstOrThrow();
      assert.equal(String(request.member_id), '2');
      const edits = await d.conn.db.selectFrom('sentry_auditlogentry').select(['event', 'target_object', 'data'])
        .where('actor_label', '=', 'sentry-admin').where('organization_id', '=', '1').orderBy('id').execute();
      assert.deepEqual(edits.map((a) => [Number(a.event), String(a.target_object)]).sort(), [[21, '2'], [21, '3'], [31, '2'], [31, '3'], [31, '5']]);
      const teamEdit = edits.find((a) => Number(a.event) === 21 && String(a.target_object) === '2')!;
      assert.deepEqual(decodeAuditData(teamEdit.data), { slug: 'backend-1', name: 'Backend', status: 0 });
      // API key, SSO provider and audit history stay with the missing organization.
      const key = await d.conn.db.selectFrom('sentry_apikey').select('organization_id').executeTakeFirstOrThrow();
      assert.equal(String(key.organization_id), '3');

      const u = await undo(d.conn, r.journal!, readJournal(r.journal!), { apply: true });
      assert.deepEqual(u.conflicts, []);
      assert.deepEqual(await snapshot(d.conn), damaged);
    });

    test('without --restore the pending organization is left alone and said so', async () => {
      const r = await run(d, {});
      assert.equal(r.plan.restored.length, 0);
      assert.ok(r.plan.leftAlone.some((s) => s.includes('organization 2') && s.includes('--restore')));
    });

    test('refusals: exit-2 errors and nothing written', async () => {
      const beforeRows = await snapshot(d.conn);
      await assert.rejects(run(d, { newOrg: 'sentry', apply: true }), (e: unknown) => e instanceof RepairRefused && /already exists/.test(e.message));
      await assert.rejects(run(d, { intoOrg: 'doomed', apply: true }), (e: unknown) => e instanceof UsageError && /not visible/.test(e.message));
      await assert.rejects(run(d, { intoOrg: 'nope', apply: true }), /no organization has this slug/);
      await assert.rejects(run(d, { owner: 'frank', apply: true }), /not active/);
      await assert.rejects(run(d, { intoOrg: 'sentry', newOrg: 'x' }), UsageError);
      await assert.rejects(run(d, { newOrg: 'Bad Slug!' }), UsageError);
      await d.conn.db.updateTable('auth_user').set({ is_superuser: false }).where('id', '=', 1).execute();
      try {
        await assert.rejects(run(d, { apply: true }), (e: unknown) => e instanceof RepairRefused && /no active superuser/.test(e.message) && e.report.groups.length === 2);
      } finally {
        await d.conn.db.updateTable('auth_user').set({ is_superuser: true }).where('id', '=', 1).execute();
      }
      assert.deepEqual(await snapshot(d.conn), beforeRows);
    });

    test('--new-org and --owner name the organization and its owner; an existing membership is raised to owner', async () => {
      const d2 = await fresh();
      const r = await run(d2, { newOrg: 'rescued', name: 'Rescued', owner: 'bob@example.com', apply: true });
      assert.deepEqual(r.plan.recreated.map((o) => [o.slug, o.name, o.slugFrom, o.owner.id, o.ownerMembership]), [['rescued', 'Rescued', 'flag', '3', 'promote']]);
      const bob = await d2.conn.db.selectFrom('sentry_organizationmember').selectAll().where('id', '=', '4').executeTakeFirstOrThrow();
      assert.deepEqual([Number(bob.type), bob.has_global_access], [0, true]);
      assert.deepEqual(r.plan.recreated[0].promoted, { memberId: '4', type: 50, hasGlobalAccess: true });
      assert.match(renderRepair(r), /membership 4 was raised from member, global access to owner with global access \(recorded as MEMBER_EDIT\); Sentry itself would not raise it/);
      const edit = await d2.conn.db.selectFrom('sentry_auditlogentry').select(['event', 'target_user_id', 'data']).where('target_object', '=', '4').where('event', '=', 4).executeTakeFirstOrThrow();
      assert.equal(String(edit.target_user_id), '3');
      assert.equal((decodeAuditData(edit.data) as { has_global_access: boolean }).has_global_access, true);
      assert.deepEqual((await homesProblems(d2.conn)).problems.filter((p) => !p.includes('team 4') && !p.includes('project 4')), []);
      const again = await run(d2, {});
      assert.deepEqual(again.plan.recreated, []);
      assert.deepEqual(again.plan.projects, []);
    });

    test('--actor: every audit entry names that Sentry user as Sentry\'s UI would (actor_id, its username); unknown users refused', async () => {
      const d5 = await fresh();
      await assert.rejects(run(d5, { actor: 'nobody@example.com', apply: true }), (e: unknown) => e instanceof UsageError && /nobody@example.com/.test(e.message));
      const r = await run(d5, { actor: 'alice@example.com', restore: true, apply: true });
      assert.equal(r.plan.actor.label, 'alice');
      const audit = await d5.conn.db.selectFrom('sentry_auditlogentry').select(['actor_id', 'actor_label', 'datetime']).where('actor_label', '=', 'alice').execute();
      assert.ok(audit.length >= 3, `${audit.length} entries`);
      for (const a of audit) assert.equal(String(a.actor_id), '2');
    });

    test("Sentry's queued deletions (database broker, messages as Celery 3.1 / kombu pickle them): named before re-creating; a lost deletion is damage", { skip: NO_PYTHON2 }, async () => {
      const d7 = await fresh();
      // delete_organization for the gone org 3, retried 57 times (7.7 retries for ever); none for the pending org 2
      const payloads = runPython2(KOMBU_MESSAGES_PY, [[3, 57, '2026-01-01T00:05:00+00:00', engine === 'mysql'], [99, 0, null, engine === 'mysql']]) as string[];
      await d7.conn.db.insertInto('djkombu_queue').values({ id: 1, name: 'cleanup' }).execute();
      await d7.conn.db.insertInto('djkombu_message').values(payloads.map((payload, i) => ({ id: i + 1, visible: true, sent_at: new Date(), payload, queue_id: 1 }))).execute();
      const r = await run(d7, {});
      assert.deepEqual(r.plan.deletionTasks.tasks.map((t) => [t.organizationId, t.retries, t.where]), [
        ['3', 57, 'djkombu_message 1 (queue cleanup)'], ['99', 0, 'djkombu_message 2 (queue cleanup)'],
      ]);
      assert.ok(r.plan.warnings.some((w) => /^organization 3: Sentry's broker still holds 1 delete_organization task\(s\) for it, which will delete it again .*djkombu_message 1 \(queue cleanup\) task 1f0e[^,]*, retries 57, next run 2026-01-01T00:05:00\+00:00/.test(w)), r.plan.warnings.join('\n'));
      // org 2 is pending deletion but the broker holds no task for it: its deletion was lost
      assert.deepEqual(r.plan.report.groups.map((g) => [g.organizationId, g.deletion]), [['3', null], ['2', 'stuck']]);
      const into = await run(d7, { intoOrg: 'sentry' });
      assert.ok(into.plan.moved!.teams.some((t) => t.id === '4'), 'the team of the lost deletion moves too');
      // without a broker in use, every re-creating or restoring mode says so
      await d7.conn.db.deleteFrom('djkombu_message').execute();
      await d7.conn.db.deleteFrom('djkombu_queue').execute();
      const blind = await run(d7, { restore: true });
      assert.ok(blind.plan.warnings.some((w) => /no broker was read.*organization\(s\) 3, 2.*--sentry-redis/.test(w)), blind.plan.warnings.join('\n'));
    });

    test('with the foreign keys still in place (checks bypassed to delete), both modes apply', async () => {
      const d3 = await fresh({ keepForeignKeys: true });
      const r = await run(d3, { intoOrg: 'sentry', restore: true, apply: true });
      assert.equal(r.applied, true);
      assert.deepEqual((await homesProblems(d3.conn)).problems, []);
      const d4 = await fresh({ keepForeignKeys: true });
      const r4 = await run(d4, { apply: true });
      assert.deepEqual(r4.plan.recreated.map((o) => o.organizationId), ['3']);
      assert.deepEqual((await findOrphanedTeams(d4.conn.db)).groups.map((g) => g.organizationId), ['2']);
    });
  });
}
