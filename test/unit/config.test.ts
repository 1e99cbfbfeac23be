import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDotenv } from '../../src/config/dotenv.js';
import { parseRedisUrl } from '../../src/config/redis-url.js';
import { resolveSettings } from '../../src/config/settings.js';
import { maskSecrets, parseDbUrl } from '../../src/db/url.js';
import { UsageError, UsageErrors } from '../../src/errors.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'sa-cfg-'));

describe('database URLs', () => {
  it('parses mysql and postgres URLs with defaults', () => {
    const m = parseDbUrl('mysql://sentry:s3cr%40t@db.example:3307/sentry');
    assert.equal(m.engine, 'mysql');
    assert.equal(m.password, 's3cr@t');
    assert.equal(m.port, 3307);
    assert.equal(m.masked, 'mysql://sentry:***@db.example:3307/sentry');
    const p = parseDbUrl('postgresql://pg@localhost/sentry');
    assert.equal(p.engine, 'postgres');
    assert.equal(p.port, 5432);
  });

  it('rejects bad URLs with a masked message', () => {
    for (const bad of ['sqlite:///x.db', 'not a url', 'mysql://u:hunter2@host:3306/', 'postgres://u:hunter2@host']) {
      assert.throws(() => parseDbUrl(bad), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.ok(!e.message.includes('hunter2'), e.message);
        return true;
      });
    }
  });

  it('masks passwords in any text', () => {
    assert.equal(maskSecrets('x mysql://a:b@c/d y redis://:pw@h:1/0'), 'x mysql://a:***@c/d y redis://:***@h:1/0');
    assert.equal(maskSecrets('"mysql://root:p@ss@h:3306/" x'), '"mysql://root:***@h:3306/" x');
    assert.equal(maskSecrets('postgres://me@srv:p@ss@h/db'), 'postgres://me@srv:***@h/db');
    assert.equal(maskSecrets('mysql://root@h:3306/db and mysql://root:***@h:3306/db'), 'mysql://root@h:3306/db and mysql://root:***@h:3306/db');
  });
});

describe('Redis URLs', () => {
  it('parses index and password', () => {
    const r = parseRedisUrl('redis://:pw@10.0.0.1:6380/9');
    assert.deepEqual([r.host, r.port, r.db, r.password, r.masked], ['10.0.0.1', 6380, 9, 'pw', 'redis://:***@10.0.0.1:6380/9']);
    assert.equal(parseRedisUrl('redis://127.0.0.1').db, 0);
  });
  it('rejects a bad index or scheme', () => {
    assert.throws(() => parseRedisUrl('redis://h:6379/abc'), UsageError);
    assert.throws(() => parseRedisUrl('http://h:6379/0'), UsageError);
  });
});

describe('.env parsing', () => {
  it('reads quotes, export and comments', () => {
    assert.deepEqual(parseDotenv('# c\nexport A=1\nB="two words"\nC=three # note\nD=\'x#y\'\nbad line\n'), {
      A: '1', B: 'two words', C: 'three', D: 'x#y',
    });
  });
});

describe('settings precedence', () => {
  it('flag > environment > .env > default', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, '.env'), 'SENTRY_ADMIN_DB=mysql://dotenv@h/db\nSENTRY_ADMIN_NAMESPACE=fromdotenv\nSENTRY_ADMIN_TO=postgres://dotenv@h/t\n');
    const env = { SENTRY_ADMIN_DB: 'mysql://env@h/db', SENTRY_ADMIN_TO: 'postgres://env@h/t' };
    const s = resolveSettings({ db: 'mysql://flag@h/db' }, { env, cwd: dir });
    assert.equal(s.db!.user, 'flag');
    assert.equal(s.sources.db, 'flag');
    assert.equal(s.to!.user, 'env');
    assert.equal(s.sources.to, 'environment');
    assert.equal(s.namespace, 'fromdotenv');
    assert.equal(s.sources.namespace, '.env');
    assert.equal(s.redis.masked, 'redis://127.0.0.1:6379/9');
    assert.equal(s.sources.redis, 'default');
  });

  it('reports every problem at once, masked', () => {
    const dir = emptyDir();
    assert.throws(
      () => resolveSettings({ from: 'mysql://u:hunter2@h/', to: 'oracle://x/y', redis: 'redis://h/99', namespace: 'a:b' }, { env: {}, cwd: dir, required: ['db'] }),
      (e: unknown) => {
        assert.ok(e instanceof UsageErrors);
        assert.equal(e.problems.length, 5, e.problems.join('\n'));
        assert.ok(!e.message.includes('hunter2'));
        assert.match(e.message, /--db is required/);
        return true;
      },
    );
  });

  it('splits several Sentry Redis hosts from the environment', () => {
    const s = resolveSettings({}, { env: { SENTRY_ADMIN_SENTRY_REDIS: 'redis://a:6379/0, redis://b:6379/0' }, cwd: emptyDir() });
    assert.deepEqual(s.sentryRedis.map((r) => r.host), ['a', 'b']);
  });
});

describe('whole-number options', () => {
  it('one grammar for every option: plain digits within bounds', async () => {
    const { INT, parseInteger } = await import('../../src/config/integers.js');
    assert.equal(parseInteger(undefined, INT.jobs), 3);
    assert.equal(parseInteger(' 12 ', INT.jobs), 12);
    assert.equal(parseInteger(undefined, INT.maxKeys), undefined);
    for (const bad of ['1e3', '1e100', '1.0', '0x10', '-1', '+2', '5_000', '', 'many', '0']) {
      assert.throws(() => parseInteger(bad, INT.jobs), (e: unknown) => e instanceof UsageError && /^--jobs must be a whole number from 1 to 64, got /.test(e.message), bad);
    }
    assert.equal(parseInteger('0', INT.show), 0);
    assert.throws(() => parseInteger('9007199254740993', INT.seed), UsageError);
  });

  it('--max-staged-mb 4096 is 4 GiB of bytes, not 0 (a 32-bit shift)', async () => {
    const { migrateOptions, TRANSFER_INTEGERS } = await import('../../src/cli/commands/transfer-shared.js');
    const { Output } = await import('../../src/ui/output.js');
    const s = resolveSettings({ maxStagedMb: '4096', jobs: '8' }, { env: {}, cwd: emptyDir(), integers: TRANSFER_INTEGERS });
    const ctx = { out: new Output(true), signal: new AbortController().signal, settings: () => s };
    const o = migrateOptions('export', s, {}, ctx);
    assert.equal(o.maxStagedBytes, 4096 * 1024 * 1024);
    assert.equal(o.jobs, 8);
    assert.equal(o.chunkRows, 5000);
  });

  it('number and URL problems are reported together', () => {
    assert.throws(
      () => resolveSettings({ db: 'notaurl', events: 'many', to: 'postgres://u:a%ZZ@h/db' }, {
        env: {}, cwd: emptyDir(), command: 'seed', integers: [{ flag: '--events', min: 0, max: 10 }],
      }),
      (e: unknown) => {
        assert.ok(e instanceof UsageErrors);
        assert.equal(e.problems.length, 3, e.problems.join('\n'));
        assert.match(e.problems.join('\n'), /malformed %-escape/);
        assert.equal(e.hint, 'see `sentry-admin seed --help`');
        return true;
      },
    );
  });
});

describe('.env: every name the CLI reads', () => {
  it('SENTRY_ADMIN_JOURNAL_DIR comes from .env too; an unknown SENTRY_ADMIN_* name is a warning', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, '.env'), 'SENTRY_ADMIN_JOURNAL_DIR=/var/j\nSENTRY_ADMIN_REDSI=redis://h/9\nSENTRY_ADMIN_SMTP_URL=smtp://h\n');
    const s = resolveSettings({}, { env: {}, cwd: dir });
    assert.equal(s.journalDir, '/var/j');
    assert.equal(s.sources.journalDir, '.env');
    assert.deepEqual(s.warnings, ['.env sets SENTRY_ADMIN_REDSI, which sentry-admin does not read (did you mean SENTRY_ADMIN_REDIS?)']);
    assert.equal(resolveSettings({ journalDir: 'x' }, { env: {}, cwd: dir }).journalDir, 'x');
  });

  it('.env.example names every setting, and stages in Redis database 9', async () => {
    const { readFileSync } = await import('node:fs');
    const { SETTINGS, OTHER_ENV } = await import('../../src/config/settings.js');
    const example = parseDotenv(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').replace(/^# ?(SENTRY_ADMIN_\w+=)/gm, '$1'));
    for (const name of [...Object.values(SETTINGS).map((x) => x.env), ...Object.keys(OTHER_ENV)]) assert.ok(name in example, `${name} missing from .env.example`);
    assert.match(example.SENTRY_ADMIN_REDIS, /\/9$/);
  });

  it('the parser keeps what util.parseEnv would change: a # inside a value, an escaped quote, a lone quote', () => {
    assert.deepEqual(parseDotenv('A=x#y\nB="q\\"q"\nC="unterminated\n#D=1\n'), { A: 'x#y', B: 'q"q', C: '"unterminated' });
  });
});

describe('hints', () => {
  it('commandHint names the settings the run used, not the defaults, and never a password from the environment', async () => {
    const { commandHint } = await import('../../src/ui/hints.js');
    const dir = emptyDir();
    const s = resolveSettings({ redis: 'redis://10.0.0.5:6379/9', namespace: 'nc6' }, { env: {}, cwd: dir });
    assert.equal(commandHint('discard', s), 'sentry-admin discard --redis redis://10.0.0.5:6379/9 --namespace nc6');
    assert.equal(commandHint('import', s, ['--to', 'URL']), 'sentry-admin import --redis redis://10.0.0.5:6379/9 --namespace nc6 --to URL');
    assert.equal(commandHint('discard', resolveSettings({}, { env: {}, cwd: dir })), 'sentry-admin discard');
    const env = resolveSettings({ db: 'mysql://u:secret@h/x' }, { env: { SENTRY_ADMIN_FROM: 'mysql://u:secret@h/s', SENTRY_ADMIN_TO: 'postgres://u@h/t' }, cwd: dir });
    assert.equal(commandHint('verify', env), 'sentry-admin verify --to postgres://u@h:5432/t');
    assert.equal(commandHint('undo', env, ['j.json', '--apply']), "sentry-admin undo --db 'mysql://u:***@h:3306/x' j.json --apply");
    const lib = { redis: parseRedisUrl('redis://:pw@10.0.0.5:6379/9'), namespace: 'nc6' };
    assert.equal(commandHint('discard', lib), "sentry-admin discard --redis 'redis://:***@10.0.0.5:6379/9' --namespace nc6");
  });
});
