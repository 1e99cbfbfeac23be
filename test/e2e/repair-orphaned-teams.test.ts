/**
 * The real binary (build first: `npm run build`) on a damaged database, as support staff would run
 * it: look, apply, look again, undo; and the refusals, which must exit 2 with one line and write nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ENGINES, runCli } from '../helpers/servers.js';
import { type Damaged, damagedDatabase, homesProblems, snapshot } from '../integration/orphans-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'sa-orphans-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, `stack trace printed:\n${stderr}`);

for (const engine of ENGINES) {
  describe(`sentry-admin repair-orphaned-teams on ${engine}`, () => {
    let d: Damaged;
    const cli = (...args: string[]) => runCli(['repair-orphaned-teams', ...args], { env: { SENTRY_ADMIN_DB: d.tmp.text }, cwd: dir });
    before(async () => {
      d = await damagedDatabase(engine);
    });
    after(async () => {
      await d?.close();
    });

    test('with no flags: the damage as JSON, exit 0, nothing written', async () => {
      const damaged = await snapshot(d.conn);
      const r = await cli('--json');
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.applied, false);
      assert.deepEqual(doc.report.groups.map((g: any) => [g.organizationId, g.state, g.counts.teams]), [['3', 'missing', 2], ['2', 'pending-deletion', 1]]);
      assert.deepEqual(doc.recreated.map((o: any) => [o.organizationId, o.slug]), [['3', 'lost']]);
      assert.equal(doc.ops, undefined);
      assert.deepEqual(await snapshot(d.conn), damaged);
      const human = await cli();
      assert.equal(human.code, 0);
      assert.match(human.stdout, /organization 3: gone \(no row\)/);
      assert.match(human.stdout, /preview only: add --apply/);
    });

    test('refusals exit 2 with a message, no stack trace, nothing written', async () => {
      const damaged = await snapshot(d.conn);
      for (const args of [
        ['--into-org', 'sentry', '--new-org', 'x', '--apply'],
        ['--into-org', 'nope', '--apply'],
        ['--into-org', 'doomed', '--apply'],
        ['--new-org', 'sentry', '--apply'],
        ['--owner', 'nobody', '--apply'],
        ['--name', 'Lonely', '--apply'],
      ]) {
        const r = await cli(...args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^error: /m);
        noStack(r.stderr);
      }
      assert.deepEqual(await snapshot(d.conn), damaged);
    });

    test('--apply --restore repairs, a second look finds nothing, undo brings the damage back', async () => {
      const damaged = await snapshot(d.conn);
      const r = await cli('--restore', '--apply', '--json', '--journal-dir', join(dir, engine));
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.applied, true);
      assert.ok(existsSync(doc.journal), doc.journal);
      assert.deepEqual(await homesProblems(d.conn), { problems: [], strayMembers: [] });

      const again = await cli();
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /No orphaned teams/);

      const u = await runCli(['undo', doc.journal, '--apply'], { env: { SENTRY_ADMIN_DB: d.tmp.text }, cwd: dir });
      assert.equal(u.code, 0, u.stderr);
      assert.deepEqual(await snapshot(d.conn), damaged);
    });

    test('without an owner to give the organization: exit 2, the damage still shown', async () => {
      await d.conn.db.updateTable('auth_user').set({ is_superuser: false }).where('id', '=', 1).execute();
      try {
        const r = await cli('--apply');
        assert.equal(r.code, 2);
        assert.match(r.stderr, /no active superuser/);
        assert.match(r.stderr, /--owner USER/);
        assert.match(r.stdout, /organization 3: gone/);
        noStack(r.stderr);
        const ok = await cli('--owner', 'alice');
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /owner alice \(user 2\): existing membership made owner with global access/);
      } finally {
        await d.conn.db.updateTable('auth_user').set({ is_superuser: true }).where('id', '=', 1).execute();
      }
    });
  });
}
