/**
 * The shared `undo`: every kind of change reversed, rows changed since refused, rows already back counted, the
 * preview writing nothing, runs larger than one batch, and the same row changed twice undone in the right order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Journal, type JournalChange, journalRow, markJournalApplied, newJournal, readJournal, writeJournal } from '../../src/journal/journal.js';
import { undo } from '../../src/admin/undo.js';
import { type Connection, connect } from '../../src/db/connect.js';
import { T0, sentryDatabase } from '../helpers/fixtures.js';
import { ENGINES, type TempDatabase } from '../helpers/servers.js';

const user = (id: number, extra: Record<string, unknown> = {}) => ({
  id, password: 'x', last_login: T0, username: `u${id}`, first_name: 'A', last_name: '', email: `u${id}@example.com`,
  is_staff: false, is_active: true, is_superuser: false, date_joined: T0, is_managed: false, ...extra,
});

const BIG = 2500; // more than one run of 1000

for (const engine of ENGINES) {
  describe(`undo on ${engine}`, () => {
    let tmp: TempDatabase;
    let conn: Connection;
    let dir: string;
    let path: string;
    let journal: Journal;
    let written: number;

    const users = async () =>
      (await conn.db.selectFrom('auth_user').select(['id', 'first_name', 'last_name', 'is_active', 'last_login']).orderBy('id').execute())
        .map((r) => journalRow(r));

    before(async () => {
      tmp = await sentryDatabase(engine, { prefix: 'sa_undo' });
      conn = await connect(tmp.url);
      dir = mkdtempSync(join(tmpdir(), 'sa-undo-'));
      // The state a command left behind, and its journal (newest change last):
      //   1..BIG   first_name A -> B (update)        100  then B -> C as well (the same row twice)
      //   5001     inserted                          5002 inserted, then edited by someone   5003 inserted, gone since
      //   6001     deleted (whole row kept)          6002 deleted, back since as it was      6003 deleted, a new row there
      //   2        changed since to 'Z'              3    already back at 'A'
      await conn.db.insertInto('auth_user').values(Array.from({ length: BIG }, (_, i) => user(i + 1, { first_name: 'B' }))).execute();
      await conn.db.insertInto('auth_user').values([user(5001), user(5002, { first_name: 'edited' }), user(6002), user(6003, { username: 'other' })]).execute();
      await conn.db.updateTable('auth_user').set({ first_name: 'C' }).where('id', '=', 100).execute();
      await conn.db.updateTable('auth_user').set({ last_name: 'L' }).where('id', 'in', [7, 8]).execute();
      await conn.db.updateTable('auth_user').set({ first_name: 'Z' }).where('id', '=', 2).execute();
      await conn.db.updateTable('auth_user').set({ first_name: 'A' }).where('id', '=', 3).execute();
      const changes: JournalChange[] = [];
      for (let i = 1; i <= BIG; i++) changes.push({ table: 'auth_user', key: { id: String(i) }, op: 'update', before: { first_name: 'A' }, after: { first_name: 'B' } });
      changes.push({ table: 'auth_user', key: { id: '100' }, op: 'update', before: { first_name: 'B' }, after: { first_name: 'C' } });
      // a key of two columns (no command of ours writes one, a journal may): rows 7 and 8 got a last_name
      for (const id of [7, 8]) changes.push({ table: 'auth_user', key: { id: String(id), username: `u${id}` }, op: 'update', before: { last_name: '' }, after: { last_name: 'L' } });
      for (const id of [5001, 5002, 5003]) changes.push({ table: 'auth_user', key: { id: String(id) }, op: 'insert', after: journalRow(user(id)) });
      for (const id of [6001, 6002, 6003]) changes.push({ table: 'auth_user', key: { id: String(id) }, op: 'delete', before: journalRow(user(id)) });
      journal = { ...newJournal('test', conn.url.masked, engine, 'test changes'), changes };
      path = join(dir, 'test.json');
      writeJournal(path, journal);
      written = statSync(path).ino;
      markJournalApplied(path, journal);
    });
    after(async () => {
      await conn?.close();
      await tmp?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the journal is marked applied in place and reads back whole', () => {
      assert.equal(statSync(path).ino, written, 'rewritten (a new file), not marked in place');
      const j = readJournal(path);
      assert.equal(j.status, 'applied');
      assert.deepEqual(j.changes, journal.changes);
      assert.match(readFileSync(path, 'utf8'), /^\{\n "format": "sentry-admin-journal\/1",\n "status": "applied",/);
    });

    test('the preview reports what apply would do and writes nothing', async () => {
      const before = await users();
      const r = await undo(conn, path, readJournal(path), { apply: false });
      assert.equal(r.applied, false);
      assert.equal(r.reverted, BIG - 2 + 1 + 2 + 1 + 1); // updates but rows 2 and 3; 100's second change; 7 and 8 by two columns; insert 5001; delete 6001
      assert.deepEqual(await users(), before);
      assert.equal(readJournal(path).status, 'applied');
    });

    test('apply reverses every change it can, refuses rows changed since, and counts rows already back', async () => {
      const r = await undo(conn, path, readJournal(path), { apply: true });
      assert.equal(r.applied, true);
      assert.equal(r.reverted, BIG - 2 + 5);
      assert.equal(r.alreadyReverted, 3); // row 3; insert 5003 gone; delete 6002 back as it was
      assert.deepEqual(r.conflicts.map((c) => [c.key.id, c.reason.replace(/:.*/, '')]).sort(), [
        ['2', 'row changed since'], ['5002', 'row changed since it was inserted'], ['6003', 'a row with this key exists again'],
      ]);
      const rows = new Map((await users()).map((u) => [u.id, u]));
      for (let i = 1; i <= BIG; i++) if (i !== 2) assert.equal(rows.get(String(i))!.first_name, 'A', `user ${i}`);
      assert.equal(rows.get('2')!.first_name, 'Z');
      for (const id of ['7', '8']) assert.equal(rows.get(id)!.last_name, '');
      assert.equal(rows.has('5001'), false);
      assert.equal(rows.get('5002')!.first_name, 'edited');
      assert.deepEqual(rows.get('6001'), journalRow({ id: 6001, first_name: 'A', last_name: '', is_active: true, last_login: T0 }));
      // the refused rows stay in the journal to retry; everything else is marked done
      const j = readJournal(path);
      assert.equal(j.status, 'applied');
      assert.ok(j.partlyUndoneAt);
      assert.deepEqual(j.changes.filter((c) => !c.undone).map((c) => c.key.id).sort(), ['2', '5002', '6003']);
    });

    test('once the refused rows are resolved, undo again reverses just them (not row 100 a second time)', async () => {
      await conn.db.updateTable('auth_user').set({ first_name: 'B' }).where('id', '=', 2).execute();
      await conn.db.updateTable('auth_user').set({ first_name: 'A' }).where('id', '=', 5002).execute();
      await conn.db.deleteFrom('auth_user').where('id', '=', 6003).execute();
      const r = await undo(conn, path, readJournal(path), { apply: true });
      assert.deepEqual(r.conflicts, []);
      assert.equal(r.reverted, 3);
      const rows = new Map((await users()).map((u) => [u.id, u]));
      assert.equal(rows.get('2')!.first_name, 'A');
      assert.equal(rows.get('100')!.first_name, 'A');
      assert.equal(rows.has('5002'), false);
      assert.equal(rows.get('6003')!.first_name, 'A');
      assert.equal(readJournal(path).status, 'undone');
    });

    test('a journal already undone is refused', async () => {
      await assert.rejects(undo(conn, path, readJournal(path), { apply: true }), /already undone/);
    });

    test('a journal edited by hand (a key, the database, or the checksum gone) is refused with exit 2 and nothing read', async () => {
      const original = { ...newJournal('test', conn.url.masked, engine, 'one change'), changes: [
        { table: 'auth_user', key: { id: '1' }, op: 'update' as const, before: { first_name: 'Q' }, after: { first_name: 'A' } },
      ] };
      const p = join(dir, 'edited.json');
      writeJournal(p, original);
      const text = readFileSync(p, 'utf8');
      const edits: [string, string][] = [
        [text.replace('{"id":"1"}', '{"id":"4"}'), 'does not match its checksum'],
        [text.replace(`"database": "${conn.url.masked}"`, '"database": "elsewhere"'), 'does not match its checksum'],
        [text.replace(/ "checksum": "[0-9a-f]+",?\n/, ''), 'carries no checksum'],
      ];
      for (const [edited, why] of edits) {
        assert.notEqual(edited, text);
        writeFileSync(p, edited);
        await assert.rejects(undo(conn, p, readJournal(p), { apply: true }), (e: any) => e.exitCode === 2 && e.message.includes(why));
      }
      assert.equal((await users()).find((u) => u.id === '1')!.first_name, 'A');
    });
  });
}
