import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect } from '../../src/db/connect.js';
import { ENGINES, runCli, type TempDatabase, tempDatabase } from '../helpers/servers.js';
import { createSchema, insertFixture, snapshot } from '../integration/reset-global-access.fixture.js';

for (const engine of ENGINES) {
  describe(`sentry-admin reset-global-access on ${engine}`, () => {
    let tmp: TempDatabase;
    let conn: Connection;
    let dir: string;
    const run = (...args: string[]) => runCli(['reset-global-access', '--db', tmp.text, ...args], {
      cwd: dir, env: { SENTRY_ADMIN_JOURNAL_DIR: join(dir, 'journals') },
    });
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const journals = () => {
      try {
        return readdirSync(join(dir, 'journals'));
      } catch {
        return [];
      }
    };

    before(async () => {
      tmp = await tempDatabase(engine, 'sa_reset_e2e');
      conn = await connect(tmp.url);
      await createSchema(conn.db, engine);
      await insertFixture(conn.db);
      dir = mkdtempSync(join(tmpdir(), 'sa-reset-e2e-'));
    });
    after(async () => {
      await conn?.close();
      await tmp?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const bad: [string, () => string[], RegExp[]][] = [
      ['an unknown user', () => ['--user', 'nobody'], [/--user nobody: no user has this username/]],
      ['a duplicate', () => ['--user', 'alice', '--user', '1'], [/alice \(id 1\) is listed more than once: --user alice, --user 1/]],
      ['a CSV without a usable column', () => ['--users', file('cols.csv', 'name,mail\nalice,a@x\n')], [/cols.csv has no user_id, username or email column \(header: name, mail\)/]],
      ['an unknown organization', () => ['--user', 'alice', '--org', 'nope'], [/no organization with slug "nope"/]],
      ['a missing CSV file', () => ['--users', join(dir, 'missing.csv')], [/cannot read .*missing.csv: ENOENT/]],
      ['malformed CSV', () => ['--users', file('broken.csv', 'email\n"alice@example.com\n')], [/broken.csv is not valid CSV/]],
      ['a CSV with only a header', () => ['--users', file('empty.csv', 'user_id\n')], [/empty.csv lists no users/]],
      ['a user_id that is not a number', () => ['--users', file('ids.csv', 'user_id\nabc\n')], [/ids.csv line 2: user_id "abc" is not a user id/]],
      ['no user list at all', () => [], [/--users FILE.csv or --user/]],
      ['an unknown --actor', () => ['--user', 'alice', '--actor', 'nobody'], [/--actor nobody: no user has this username/]],
      ['both --users and --user', () => ['--users', file('one.csv', 'user_id\n1\n'), '--user', 'bob'], [/either --users FILE.csv or --user, not both/]],
      ['several problems at once', () => ['--users', file('many.csv', 'username,email\nalice,\nghost,\n,alice@example.com\n,shared@example.com\n'), '--org', 'nope', '--apply'],
        [/4 problems/, /many.csv line 3: no user with username "ghost"/, /alice \(id 1\) is listed more than once/, /many.csv line 5 matches 2 users/, /no organization with slug "nope"/]],
    ];
    for (const [what, args, expect] of bad) {
      test(`${what}: exit 2, every problem named, nothing written, no stack trace`, async () => {
        const before = await snapshot(conn.db);
        const r = await run(...args(), '--apply');
        assert.equal(r.code, 2, r.stderr);
        for (const re of expect) assert.match(r.stderr, re);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
        assert.equal(r.stdout, '');
        assert.deepEqual(await snapshot(conn.db), before);
        assert.deepEqual(journals(), []);
      });
    }

    test('SENTRY_ADMIN_ACTOR names the actor like --actor', async () => {
      const r = await runCli(['reset-global-access', '--db', tmp.text, '--user', 'frank', '--json'], { cwd: dir, env: { SENTRY_ADMIN_ACTOR: 'erin' } });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).actor, { id: '5', label: 'erin' });
    });

    test('no --db: exit 2', async () => {
      const r = await runCli(['reset-global-access', '--user', 'alice'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--db is required/);
    });

    test('the preview names an admin who would lose org:write and member:write', async () => {
      const r = await run('--user', 'frank');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /team access narrowed: each member would see only the teams of their active team links \(add --keep-team-access/);
      const keep = await run('--user', 'frank', '--keep-team-access');
      assert.equal(keep.code, 0, keep.stderr);
      assert.match(keep.stdout, /team access kept \(--keep-team-access\): 0 team link\(s\) would be added/);
      assert.match(r.stdout, /warning: 1 admin\(s\) would also lose org:write, member:write \(Sentry 7.7 grants admins those only with global access\):\n  frank \(user 8\) in gamma \(member 20\)/);
    });

    test('preview, --apply --json, then the shared undo command restores the exact previous state', async () => {
      const before = await snapshot(conn.db);
      const preview = await run('--user', 'bob', '--provider-default');
      assert.equal(preview.code, 0, preview.stderr);
      assert.match(preview.stdout, /2 membership\(s\) would lose global access; 1 SSO provider default\(s\) would be turned off/);
      assert.match(preview.stdout, /warning: 2 member\(s\) would have no active team left and would see nothing/);
      assert.match(preview.stdout, /update .sentry_organizationmember. set .has_global_access. = (\?|\$1) where .id. in \((\?|\$2), (\?|\$3)\)/i);
      assert.match(preview.stdout, /preview only/);
      assert.deepEqual(await snapshot(conn.db), before);

      const applied = await run('--user', 'bob', '--provider-default', '--apply', '--json');
      assert.equal(applied.code, 0, applied.stderr);
      const doc = JSON.parse(applied.stdout);
      assert.equal(doc.applied, true);
      assert.equal(doc.totals.change, 2);
      assert.equal(doc.auditEntries, 2);
      assert.notDeepEqual(await snapshot(conn.db), before);

      // a journal edited by hand (one member id changed) is refused, exit 2, and writes nothing
      const text = readFileSync(doc.journal, 'utf8');
      const id = /"table":"sentry_organizationmember","key":\{"id":"(\d+)"\}/.exec(text)![1];
      writeFileSync(doc.journal, text.replace(`"key":{"id":"${id}"}`, `"key":{"id":"${Number(id) + 1000}"}`));
      const edited = await runCli(['undo', doc.journal, '--db', tmp.text, '--apply']);
      assert.equal(edited.code, 2, edited.stderr);
      assert.match(edited.stderr, /does not match its checksum/);
      writeFileSync(doc.journal, text);

      const undoPreview = await runCli(['undo', doc.journal, '--db', tmp.text]);
      assert.equal(undoPreview.code, 0, undoPreview.stderr);
      assert.notDeepEqual(await snapshot(conn.db), before);
      const undone = await runCli(['undo', doc.journal, '--db', tmp.text, '--apply']);
      assert.equal(undone.code, 0, undone.stderr);
      assert.match(undone.stdout, /reverted 5 change\(s\)/);
      assert.deepEqual(await snapshot(conn.db), before);
    });
  });
}
