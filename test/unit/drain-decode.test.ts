import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { groupMessage } from '../../src/drain/apply-entry.js';
import { type BufferEntry, decodeEntry, isRejection } from '../../src/drain/decode-entry.js';
import { LAST_SEEN_PG, LAST_SEEN_UTC, SCORE_PICKLE } from '../integration/drain-fixtures.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const fields = (o: Record<string, string | Buffer>) => Object.entries(o).map(([k, v]) => [b(k), typeof v === 'string' ? b(v) : v] as [Buffer, Buffer]);
const ok = (x: ReturnType<typeof decodeEntry>): BufferEntry => {
  if (isRejection(x)) assert.fail(x.reason);
  return x as BufferEntry;
};

// Byte vectors: docs/sentry7-buffer.md §3 (CPython 2.7 cPickle, protocol 0).
test('TagValue filters with str keys, V unicode (raw-unicode-escape) and the key they hash to', () => {
  const e = ok(decodeEntry('b:k:sentry.tagvalue:461df20bf0ef681106fd0d6c5d8132f5', fields({
    m: 'sentry.models.tagvalue.TagValue',
    f: "(dp1\nS'project_id'\np2\nI1\nsS'value'\np3\nVChrome 43.0 \xe9\\u2603\np4\nsS'key'\np5\nVbrowser\np6\ns.",
    'i+times_seen': '3',
    'e+last_seen': LAST_SEEN_PG,
    'e+data': 'N.',
  })));
  assert.deepEqual(e.filters, [['project_id', '1'], ['key', 'browser'], ['value', 'Chrome 43.0 é☃']]);
  assert.deepEqual(e.counters, [['times_seen', 3n]]);
  assert.deepEqual(e.extras.last_seen, { pg: '2015-07-28 20:41:31.000005+00', mysql: '2015-07-28 20:41:31' });
  assert.equal(e.extras.data?.empty, true);
});

test('Group with a MySQL long id, the message/culprit/level extras and a ScoreClause', () => {
  const e = ok(decodeEntry('b:k:sentry.group:735a592b33f243744abcb159d0a9a9e7', fields({
    m: 'sentry.models.group.Group',
    f: "(dp1\nS'id'\np2\nL4242L\ns.",
    'i+times_seen': '2',
    'e+last_seen': LAST_SEEN_UTC,
    'e+message': 'VCaf\xe9 \\u2603 said "hi"\\u005cn\\u000anext\np1\n.',
    'e+culprit': "S'app.views in index'\np1\n.",
    'e+level': 'I40\n.',
    'e+score': SCORE_PICKLE,
  })));
  assert.deepEqual(e.filters, [['id', '4242']]);
  assert.equal(e.extras.message, 'Café ☃ said "hi"\\n\nnext');
  assert.equal(e.extras.culprit, 'app.views in index');
  assert.equal(e.extras.level, 40);
  assert.deepEqual(e.extras.last_seen, { pg: '2015-07-28 20:41:30.123456+00', mysql: '2015-07-28 20:41:30' });
  // int(ScoreClause) = Group.get_score() of the pickled group: times_seen 7, last_seen 2015-07-28 20:41:30 UTC
  assert.equal(e.extras.score?.insertScore, Math.trunc(Math.log(7) * 600 + Date.UTC(2015, 6, 28, 20, 41, 30) / 1000));
});

test('sentry:user data dict is kept as the raw pickle', () => {
  const data = "(dp1\nS'ip'\np2\nS'10.0.0.1'\np3\nsS'data'\np4\n(dp5\nVf\nF1.5\nsVb\nI01\nsVl\n(lp6\nI1\naNasVn\nI1\nssS'id'\np7\nV42\np8\nsS'email'\np9\nVa@b.c\np10\ns.";
  const e = ok(decodeEntry('b:k:sentry.tagvalue:461df20bf0ef681106fd0d6c5d8132f5', fields({
    m: 'sentry.models.tagvalue.TagValue',
    f: "(dp1\nS'project_id'\np2\nI1\nsS'value'\np3\nVChrome 43.0 \xe9\\u2603\np4\nsS'key'\np5\nVbrowser\np6\ns.",
    'e+data': data,
  })));
  assert.equal(e.extras.data?.empty, false);
  assert.equal(e.extras.data?.raw.toString('latin1'), data);
});

test('anything unexpected is a rejection, never a guess', () => {
  const f = "(dp1\nS'id'\np2\nI4242\ns.";
  const key = 'b:k:sentry.group:735a592b33f243744abcb159d0a9a9e7';
  const why = (o: Record<string, string>) => {
    const r = decodeEntry(key, fields(o));
    assert.ok(isRejection(r), 'expected a rejection');
    return (r as { reason: string }).reason;
  };
  assert.match(why({ m: 'sentry_plugins.models.Widget', f }), /unknown model/);
  assert.match(why({ m: 'sentry.models.group.Group', f, 'e+last_seen': "cos\nsystem\n(S'id'\ntR." }), /os system|not allowed|global/i);
  assert.match(why({ m: 'sentry.models.group.Group', f: "(dp1\nS'id'\np2\nI4243\ns." }), /do not hash to this key/);
  assert.match(why({ m: 'sentry.models.group.Group', f, 'i+bogus': '1' }), /unexpected counter/);
  assert.match(why({ m: 'sentry.models.group.Group', f, 'i+times_seen': 'x' }), /not an integer/);
  assert.match(why({ m: 'sentry.models.group.Group', f, 'e+score': 'I1\n.' }), /ScoreClause/);
  assert.match(why({ m: 'sentry.models.tagvalue.TagValue', f }), /does not belong/);
});

test('Group.save() keeps the first line of the message, 255 code points', () => {
  assert.equal(groupMessage('a\r\nb'), 'a');
  assert.equal(groupMessage('x\u2028y'), 'x');
  assert.equal(groupMessage('☃'.repeat(300)), '☃'.repeat(255));
  assert.equal(groupMessage(''), '');
});
