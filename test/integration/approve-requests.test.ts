import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { approveRequests, lockName } from '../../src/admin/approve-requests.js';
import { readJournal } from '../../src/journal/journal.js';
import { undo } from '../../src/admin/undo.js';
import { LockedError, UsageError } from '../../src/errors.js';
import {
  type SentryDb, addLink, addMember, addOrg, addRequest, addTeam, addUser, counts, decodeWithPython, sentryDatabase,
} from '../helpers/access-requests.js';
import { ENGINES } from '../helpers/servers.js';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Organization "acme" (teams web, api, old being deleted) and "other" (team ops), with one request per case. */
async function scenario(d: SentryDb) {
  const c = d.conn;
  const [owner, ann, bob, cid, dee, eve, fay] = await Promise.all(['owner', 'ann', 'bob', 'cid', 'dee', 'eve', 'fay'].map((n) => addUser(c, n)));
  const acme = await addOrg(c, 'acme', owner);
  const other = await addOrg(c, 'other', owner);
  const web = await addTeam(c, acme, 'web');
  const api = await addTeam(c, acme, 'api');
  const old = await addTeam(c, acme, 'old', 1);
  const ops = await addTeam(c, other, 'ops');
  const m = {
    ann: await addMember(c, acme, ann), // no link: created
    bob: await addMember(c, acme, bob), // inactive link: re-activated
    cid: await addMember(c, acme, cid), // active link: already active, Sentry still audits
    dee: await addMember(c, acme, dee, { global: true }), // global access: request only deleted
    inv: await addMember(c, acme, null, { email: 'invitee@example.com' }), // pending invite, no user
    eve: await addMember(c, other, eve),
    fay: await addMember(c, acme, fay),
  };
  const bobLink = await addLink(c, m.bob, web, false);
  const cidLink = await addLink(c, m.cid, api, true);
  const r = {
    ann: await addRequest(c, m.ann, web),
    bob: await addRequest(c, m.bob, web),
    cid: await addRequest(c, m.cid, api),
    dee: await addRequest(c, m.dee, web),
    inv: await addRequest(c, m.inv, api),
    eve: await addRequest(c, m.eve, ops),
    fayOld: await addRequest(c, m.fay, old), // team being deleted: left alone
    cross: await addRequest(c, m.eve, web), // member of "other" asking for an "acme" team: refused
  };
  return { users: { ann, bob, cid, dee, eve }, teams: { web, api, old, ops }, orgs: { acme, other }, m, r, bobLink, cidLink };
}

async function remainingRequests(d: SentryDb): Promise<string[]> {
  const rows = await d.conn.db.selectFrom('sentry_organizationaccessrequest').select('id').orderBy('id').execute();
  return rows.map((x) => String(x.id));
}

async function link(d: SentryDb, memberId: string, teamId: string) {
  return d.conn.db.selectFrom('sentry_organizationmember_teams').selectAll()
    .where('organizationmember_id', '=', memberId).where('team_id', '=', teamId).executeTakeFirst();
}

for (const engine of ENGINES) {
  describe(`approve-requests on ${engine}`, () => {
    let d: SentryDb;
    let s: Awaited<ReturnType<typeof scenario>>;
    before(async () => {
      d = await sentryDatabase(engine);
      s = await scenario(d);
    });
    after(async () => d?.close());

    test('dry run plans every case and writes nothing', async () => {
      const before = await counts(d.conn);
      const r = await approveRequests(d.conn, { dryRun: true });
      assert.deepEqual(await counts(d.conn), before);
      const outcome = Object.fromEntries(r.requests.map((h) => [h.id, h.outcome]));
      assert.deepEqual(outcome, {
        [s.r.ann]: 'created', [s.r.bob]: 'reactivated', [s.r.cid]: 'already-active', [s.r.dee]: 'global-access',
        [s.r.inv]: 'created', [s.r.eve]: 'created',
      });
      assert.equal(r.skipped, 1);
      assert.deepEqual(r.rejected.map((x) => x.id), [s.r.cross]);
    });

    test('--org and --team limit the run; unknown slugs are refused before anything is written', async () => {
      await assert.rejects(approveRequests(d.conn, { orgs: ['acme', 'nope'], teams: ['other/nope', 'bad'] }), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, /--org "nope"/);
        assert.match(e.message, /--team "other\/nope"/);
        assert.match(e.message, /--team "bad" is not ORG\/SLUG/);
        return true;
      });
      const r = await approveRequests(d.conn, { teams: ['other/ops'] });
      assert.equal(r.approved, 1);
      assert.deepEqual(r.requests.map((h) => h.id), [s.r.eve]);
      assert.ok(!(await remainingRequests(d)).includes(s.r.eve));
      assert.equal((await remainingRequests(d)).length, 7);
    });

    test('approves as Sentry 7.7 does: links, MEMBER_JOIN_TEAM audit rows, deletions', async () => {
      const r = await approveRequests(d.conn, { orgs: ['acme'], batchSize: 2, actorLabel: 'cron' });
      assert.equal(r.approved, 4);
      assert.deepEqual([r.created, r.reactivated, r.alreadyActive, r.globalAccess, r.skipped], [2, 1, 1, 1, 1]);
      assert.deepEqual(r.rejected.map((x) => x.id), [s.r.cross]);
      assert.deepEqual(await remainingRequests(d), [s.r.fayOld, s.r.cross].sort((a, b) => Number(a) - Number(b)));

      const ann = await link(d, s.m.ann, s.teams.web);
      assert.equal(ann?.is_active, true);
      assert.equal(String((await link(d, s.m.bob, s.teams.web))?.id), s.bobLink);
      assert.equal((await link(d, s.m.bob, s.teams.web))?.is_active, true);
      assert.equal(await link(d, s.m.dee, s.teams.web), undefined, 'a global member gets no link');
      assert.equal(await link(d, s.m.fay, s.teams.old), undefined, 'a team being deleted is left alone');

      const audit = await d.conn.db.selectFrom('sentry_auditlogentry').selectAll().orderBy('id').execute();
      const data = decodeWithPython(audit.map((a) => a.data));
      const byTarget = new Map(audit.map((a, i) => [String(a.target_object), { row: a, data: data[i] }]));
      assert.equal(audit.length, 5, 'eve (earlier run) + ann, bob, cid, invitee');
      for (const a of audit) {
        assert.equal(Number(a.event), 6);
        assert.equal(a.actor_id, null);
        assert.equal(a.ip_address, null);
        assert.equal(a.actor_key_id, null);
        assert.ok(a.datetime instanceof Date);
      }
      const annAudit = byTarget.get(String(ann!.id))!;
      assert.equal(String(annAudit.row.organization_id), s.orgs.acme);
      assert.equal(String(annAudit.row.target_user_id), s.users.ann);
      assert.equal(annAudit.row.actor_label, 'cron');
      assert.deepEqual(annAudit.data, { team_slug: 'web', member_id: Number(s.m.ann), email: 'ann@example.com', is_active: true });
      // member_id pickled as Sentry's driver reads it: MySQLdb a long, psycopg2 an int (integer column).
      const raw = inflateSync(Buffer.from(annAudit.row.data, 'base64')).toString('latin1');
      assert.ok(raw.includes(engine === 'mysql' ? `\nL${s.m.ann}L\n` : `\nI${s.m.ann}\n`), raw);
      assert.deepEqual(byTarget.get(s.cidLink)!.data, { team_slug: 'api', member_id: Number(s.m.cid), email: 'cid@example.com', is_active: true });
      const inv = byTarget.get(String((await link(d, s.m.inv, s.teams.api))!.id))!;
      assert.equal(inv.row.target_user_id, null);
      assert.deepEqual(inv.data, { team_slug: 'api', member_id: Number(s.m.inv), email: 'invitee@example.com', is_active: true });

      const again = await approveRequests(d.conn, {});
      assert.deepEqual([again.approved, again.globalAccess, again.requests.length], [0, 0, 0], 'a rerun finds nothing new');
      assert.equal((await counts(d.conn)).audit, 5);
    });

    test('--actor names the approving admin as Sentry does; a bad --actor is refused even with nothing to do', async () => {
      await assert.rejects(approveRequests(d.conn, { actor: 'ghost' }), (e: unknown) => e instanceof UsageError && /ghost/.test(e.message));
      const fresh = await addRequest(d.conn, s.m.ann, s.teams.api);
      const r = await approveRequests(d.conn, { actor: s.users.dee }); // by id
      assert.deepEqual(r.requests.map((h) => h.id), [fresh]);
      const a = await d.conn.db.selectFrom('sentry_auditlogentry').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
      const dee = await d.conn.db.selectFrom('auth_user').select(['id', 'username']).where('id', '=', s.users.dee).executeTakeFirstOrThrow();
      assert.deepEqual([String(a.actor_id), a.actor_label], [String(dee.id), dee.username]);
    });

    test('--notify sends Sentry 7.7\'s approval e-mail through SMTP (a local server), to members without global access only', async () => {
      const received: { to: string[]; raw: string }[] = [];
      let failFor: string | null = null;
      const server = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onRcptTo(address, _session, cb) {
          cb(address.address === failFor ? new Error('mailbox unavailable') : undefined);
        },
        onData(stream, session, cb) {
          let raw = '';
          stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
          stream.on('end', () => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
            cb();
          });
        },
      });
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
      const port = (server.server.address() as AddressInfo).port;
      try {
        const team = await addTeam(d.conn, s.orgs.acme, 'r-and-d');
        await d.conn.db.updateTable('sentry_team').set({ name: 'R&D "core"' }).where('id', '=', team).execute();
        const ids = { ann: await addRequest(d.conn, s.m.ann, team), dee: await addRequest(d.conn, s.m.dee, team), inv: await addRequest(d.conn, s.m.inv, team), bob: await addRequest(d.conn, s.m.bob, team) };
        failFor = 'bob@example.com';
        const r = await approveRequests(d.conn, { orgs: ['acme'], notify: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'root@localhost' } });
        assert.deepEqual(r.mail!.sent.map((m) => [m.requestId, m.to]), [[ids.ann, 'ann@example.com']]);
        assert.deepEqual(r.mail!.failed.map((m) => [m.requestId, m.to]), [[ids.bob, 'bob@example.com']]);
        assert.deepEqual(r.mail!.none, [ids.inv]); // a pending invite: no user, no e-mail (dee has global access: none either)
        assert.equal(received.length, 1);
        const [mail] = received;
        assert.deepEqual(mail.to, ['ann@example.com']);
        assert.match(mail.raw, /^Subject: Sentry Access Request\r?$/m);
        assert.match(mail.raw, /^From: root@localhost\r?$/m);
        // templates/sentry/emails/access-approved.txt, autoescaped by Django
        assert.match(mail.raw, /You have been granted access to the R&amp;D &quot;core&quot; team on Sentry\./);
      } finally {
        await new Promise<void>((res) => server.close(() => res()));
      }
    });

    test('a held lock makes the run refuse with LockedError and write nothing', async () => {
      const u = await addUser(d.conn, 'gil');
      const mem = await addMember(d.conn, s.orgs.acme, u);
      await addRequest(d.conn, mem, s.teams.api);
      const release = await d.conn.adapter.tryLock(d.conn.db, lockName(d.url.database));
      assert.ok(release);
      const before = await counts(d.conn);
      try {
        await assert.rejects(approveRequests(d.conn, {}), LockedError);
      } finally {
        await release();
      }
      assert.deepEqual(await counts(d.conn), before);
      assert.equal((await approveRequests(d.conn, {})).approved, 1);
    });

    test('an abort (Ctrl-C, SIGTERM) stops after the current batch, which is committed whole', async () => {
      const u = await addUser(d.conn, 'ida');
      const mem = await addMember(d.conn, s.orgs.acme, u);
      const web = await addRequest(d.conn, mem, s.teams.web);
      const api = await addRequest(d.conn, mem, s.teams.api);
      const stop = new AbortController();
      const r = await approveRequests(d.conn, { teams: ['acme/web', 'acme/api'], batchSize: 1, signal: stop.signal, onProgress: (p) => p.requests.length && stop.abort() });
      assert.equal(r.interrupted, true);
      assert.deepEqual(r.requests.map((h) => h.id), [web]);
      assert.equal((await link(d, mem, s.teams.web))?.is_active, true);
      assert.ok((await remainingRequests(d)).includes(api));
      assert.equal((await approveRequests(d.conn, { teams: ['acme/api'] })).approved, 1);
    });

    test('--journal-dir records the run and undo reverses it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sa-approve-'));
      try {
        const u = await addUser(d.conn, 'hal');
        const mem = await addMember(d.conn, s.orgs.acme, u);
        await addRequest(d.conn, mem, s.teams.web);
        await addRequest(d.conn, mem, s.teams.api);
        await addLink(d.conn, mem, s.teams.api, false);
        const before = await counts(d.conn);
        const r = await approveRequests(d.conn, { journalDir: dir, batchSize: 1 });
        assert.equal(r.approved, 2);
        assert.ok(r.journal);
        const journal = readJournal(r.journal);
        assert.equal(journal.status, 'applied');
        const u2 = await undo(d.conn, r.journal, journal, { apply: true });
        assert.deepEqual(u2.conflicts, []);
        assert.deepEqual(await counts(d.conn), before);
        assert.equal((await link(d, mem, s.teams.api))?.is_active, false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
