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
