/**
 * The pickle codec against the byte vectors of docs/sentry7-buffer.md §3 (CPython 2.7 cPickle, protocol 0),
 * round trips, and hostile input. Cross-checks with real Python interpreters are in pickle-python.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unpickle } from '../../src/codec/pickle-read.js';
import { pickle, type PickleProtocol } from '../../src/codec/pickle-write.js';
import { formatFloat17 } from '../../src/codec/py-text.js';
import {
  PickleError, PyDateTime, PyFloat, PyInt, PyObject, PyStr, PyTimedelta, PyTuple, PyTzInfo, dictGet, type PyValue,
} from '../../src/codec/py-value.js';

/** Bytes typed from a Python repr: JS and Python share the escapes used here (\n \\ \xNN). */
const b = (s: string) => Buffer.from(s, 'latin1');
const S = (s: string) => new PyStr(s);
const dict = (...kv: [PyValue, PyValue][]) => new Map<PyValue, PyValue>(kv);
const utc = () => new PyTzInfo(0, 'pytz _UTC');

/** [name, bytes, expected value]; each must also re-pickle (protocol 0) to exactly the same bytes unless noted. */
const DOC_VECTORS: [string, Buffer, PyValue, boolean][] = [
  ['f Group (PG)', b(`(dp1\nS'id'\np2\nI4242\ns.`), dict([S('id'), 4242]), true],
  ['f Group (MySQL long id)', b(`(dp1\nS'id'\np2\nL4242L\ns.`), dict([S('id'), 4242n]), true],
  [
    'f TagValue',
    b(`(dp1\nS'project_id'\np2\nI1\nsS'value'\np3\nVChrome 43.0 \xe9\\u2603\np4\nsS'key'\np5\nVbrowser\np6\ns.`),
    dict([S('project_id'), 1], [S('value'), 'Chrome 43.0 é☃'], [S('key'), 'browser']),
    true,
  ],
  [
    'f GroupTagValue',
    b(`(dp1\nS'project_id'\np2\nI1\nsS'group_id'\np3\nI4242\nsS'value'\np4\nVChrome 43.0\np5\nsS'key'\np6\nVbrowser\np7\ns.`),
    dict([S('project_id'), 1], [S('group_id'), 4242], [S('value'), 'Chrome 43.0'], [S('key'), 'browser']),
    true,
  ],
  [
    'e+last_seen pytz.utc',
    b(`cdatetime\ndatetime\np1\n(S'\\x07\\xdf\\x07\\x1c\\x14)\\x1e\\x01\\xe2@'\ncpytz\n_UTC\np2\n(tRp3\ntRp4\n.`),
    new PyDateTime(2015, 7, 28, 20, 41, 30, 123456, utc()),
    true,
  ],
  [
    'e+last_seen psycopg2 tz (re-pickled as pytz UTC, so not byte-equal)',
    b(
      `cdatetime\ndatetime\np1\n(S'\\x07\\xdf\\x07\\x1c\\x14)\\x1f\\x00\\x00\\x05'\ncpsycopg2.tz\nFixedOffsetTimezone\np2\n` +
        `(I0\nNtRp3\n(dp4\nS'_offset'\np5\ncdatetime\ntimedelta\np6\n(I0\nI0\nI0\ntRp7\nsbtRp8\n.`,
    ),
    new PyDateTime(2015, 7, 28, 20, 41, 31, 5, new PyTzInfo(0, 'psycopg2.tz FixedOffsetTimezone')),
    false,
  ],
  ['e+message unicode', b(`VCaf\xe9 \\u2603 said "hi"\\u005cn\\u000anext\np1\n.`), 'Café ☃ said "hi"\\n\nnext', true],
  ['e+level', b(`I40\n.`), 40, true],
  ['e+culprit str', b(`S'app.views in index'\np1\n.`), S('app.views in index'), true],
  ['e+data None', b(`N.`), null, true],
  [
    'e+data sentry:user',
    b(
      `(dp1\nS'ip'\np2\nS'10.0.0.1'\np3\nsS'data'\np4\n(dp5\nVf\nF1.5\nsVb\nI01\nsVl\n(lp6\nI1\naNasVn\nI1\nssS'id'\np7\n` +
        `V42\np8\nsS'email'\np9\nVa@b.c\np10\ns.`,
    ),
    dict(
      [S('ip'), S('10.0.0.1')],
      [S('data'), dict(['f', 1.5], ['b', true], ['l', [1, null]], ['n', 1])],
      [S('id'), '42'],
      [S('email'), 'a@b.c'],
    ),
    true,
  ],
];

/**
 * A ScoreClause as CPython 2.7.18 cPickle writes it, made with stand-in classes that copy Django 1.6's
 * `Model.__reduce__` (model_unpickle) and psycopg2's tz (the real one is ~1.5 KB, same opcodes).
 */
const SCORE_CLAUSE = b(
  `ccopy_reg\n_reconstructor\np1\n(csentry.event_manager\nScoreClause\np2\nc__builtin__\nobject\np3\nNtRp4\n(dp5\n` +
    `S'group'\np6\ncdjango.db.models.base\nmodel_unpickle\np7\n(csentry.models.group\nGroup\np8\n(lcdjango.db.models.base\n` +
    `simple_class_factory\np9\ntRp10\n(dp11\nS'_state'\np12\ng1\n(cdjango.db.models.base\nModelState\np13\ng3\nNtRp14\n` +
    `(dp15\nS'adding'\np16\nI00\nsS'db'\np17\nS'default'\np18\nsbsS'times_seen'\np19\nI5\nsS'message'\np20\nVboom\np21\n` +
    `sS'id'\np22\nL4242L\nsS'last_seen'\np23\ncdatetime\ndatetime\np24\n(S'\\x07\\xdf\\x07\\x1c\\x14)\\x1f\\x00\\x00\\x05'\n` +
    `cpsycopg2.tz\nFixedOffsetTimezone\np25\n(I0\nNtp26\nRp27\n(dp28\nS'_offset'\np29\ncdatetime\ntimedelta\np30\n` +
    `(I0\nI0\nI0\ntRp31\nsbtRp32\nsbsb.`,
);

describe('unpickle: sentry7-buffer.md §3 vectors', () => {
  for (const [name, bytes, expected, byteEqual] of DOC_VECTORS) {
    test(name, () => {
      const got = unpickle(bytes);
      assert.deepStrictEqual(got, expected);
      if (byteEqual) assert.equal(pickle(got, 0).toString('latin1'), bytes.toString('latin1'));
    });
  }

  test('int and long stay distinguishable', () => {
    assert.equal(typeof unpickle(b(`I4242\n.`)), 'number');
    assert.equal(typeof unpickle(b(`L4242L\n.`)), 'bigint');
    assert.deepStrictEqual(unpickle(b(`I9223372036854775807\n.`)), new PyInt(9223372036854775807n));
    assert.equal(pickle(new PyInt(9223372036854775807n)).toString('latin1'), `I9223372036854775807\n.`);
  });

  test('ScoreClause is refused by default, naming the global', () => {
    assert.throws(() => unpickle(SCORE_CLAUSE), (e: unknown) => e instanceof PickleError && /sentry\.event_manager\.ScoreClause/.test(e.message));
  });

  test('ScoreClause parses in opaque mode into inert objects', () => {
    const score = unpickle(SCORE_CLAUSE, { opaque: true });
    assert.ok(score instanceof PyObject);
    assert.equal(`${score.module}.${score.name}`, 'sentry.event_manager.ScoreClause');
    const group = dictGet(score.state!, 'group');
    assert.ok(group instanceof PyObject && group.name === 'model_unpickle');
    assert.equal(dictGet(group.state!, 'times_seen'), 5);
    assert.equal(dictGet(group.state!, 'id'), 4242n);
    assert.deepStrictEqual(dictGet(group.state!, 'last_seen'), new PyDateTime(2015, 7, 28, 20, 41, 31, 5, new PyTzInfo(0, 'psycopg2.tz FixedOffsetTimezone')));
    const state = dictGet(group.state!, '_state');
    assert.ok(state instanceof PyObject && state.name === 'ModelState');
    assert.equal(dictGet(state.state!, 'adding'), false);
  });

  test('an explicitly allowed global loads opaquely without opaque mode', () => {
    const v = unpickle(b(`csentry.models.project\nProject\np1\n(I1\ntRp2\n.`), { allow: ['sentry.models.project Project'] });
    assert.deepStrictEqual(v, new PyObject('sentry.models.project', 'Project', [1]));
  });
});

describe('pickle / unpickle round trips', () => {
  const shared = [1, 2];
  const values: PyValue[] = [
    null, true, false, 0, -1, 255, 256, 65536, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 0n, -129n, 2n ** 200n, -(2n ** 2100n),
    1.5, -0.1, 1e300, 5e-324, Infinity, -Infinity, '', 'a', 'ab', 'é☃\u{1f600}\\\n\r\0', S(''), S('x'), S("it's \"q\" \\"), new PyStr(Buffer.from([0, 10, 13, 39, 92, 127, 128, 255])),
    S('y'.repeat(300)), 'z'.repeat(70000), [], [[[]]], new PyTuple([]), new PyTuple([1]), new PyTuple([1, 'a', S('b')]), new PyTuple([1, 2, 3, 4]),
    dict(), dict([S('k'), [1, dict(['u', null])]], [7, 'seven'], [new PyTuple([1, 2]), 3n]),
    [shared, shared, new PyTuple([shared])], Array.from({ length: 2500 }, (_, i) => i % 3 ? `s${i}` : i),
    new PyDateTime(2015, 7, 28), new PyDateTime(1, 1, 1, 0, 0, 0, 0, utc()), new PyDateTime(9999, 12, 31, 23, 59, 59, 999999, utc()),
    [new PyDateTime(2015, 7, 28, 1, 2, 3, 4, utc()), new PyDateTime(2015, 7, 29, 1, 2, 3, 4, utc())], new PyTimedelta(-1, 86399, 999999),
  ];
  for (const proto of [0, 1, 2] as PickleProtocol[]) {
    test(`protocol ${proto}`, () => {
      for (const v of values) {
        const bytes = pickle(v, proto);
        assert.deepStrictEqual(unpickle(bytes), v, `value ${String(v)}`);
        assert.deepStrictEqual(pickle(unpickle(bytes), proto), bytes);
      }
    });
  }

  test('shared references come back shared', () => {
    const l = unpickle(pickle([shared, shared], 2)) as PyValue[][];
    assert.equal(l[0], l[1]);
  });

  test('plain objects are written as dicts with unicode keys', () => {
    assert.deepStrictEqual(unpickle(pickle({ a: 1, b: [true] })), dict(['a', 1], ['b', [true]]));
  });

  test('floats: PyFloat forces a float, wrapFloats keeps it', () => {
    assert.equal(pickle(new PyFloat(2)).toString('latin1'), 'F2\n.');
    assert.equal(unpickle(b('F2\n.')), 2);
    assert.deepStrictEqual(unpickle(b('F2\n.'), { wrapFloats: true }), new PyFloat(2));
    assert.ok(Number.isNaN(unpickle(pickle(NaN, 2)) as number));
  });

  test('%.17g float text', () => {
    for (const [x, s] of [[0.1, '0.10000000000000001'], [1e16, '10000000000000000'], [1e17, '1e+17'], [1e-5, '1.0000000000000001e-05'],
      [1234567890123456.25, '1234567890123456.2'], [1234567890123456.75, '1234567890123456.8'], [0.0001, '0.0001'], [123.456, '123.456']] as const) {
      assert.equal(formatFloat17(x), s);
    }
  });

  test('PyDateTime <-> Date', () => {
    const d = new PyDateTime(2015, 7, 28, 20, 41, 30, 123456, utc());
    assert.equal(d.toDate().toISOString(), '2015-07-28T20:41:30.123Z');
    assert.equal(d.toISOString(), '2015-07-28T20:41:30.123456+00:00');
    assert.deepStrictEqual(PyDateTime.fromDate(new Date('2015-07-28T20:41:30.123Z')), new PyDateTime(2015, 7, 28, 20, 41, 30, 123000, utc()));
  });

  test('what cannot be pickled throws PickleError', () => {
    assert.throws(() => pickle(new PyDateTime(2015, 1, 1, 0, 0, 0, 0, new PyTzInfo(60, 'x'))), PickleError);
    assert.throws(() => pickle(new PyObject('a', 'b', [])), PickleError);
    assert.throws(() => pickle((() => 1) as unknown as PyValue), PickleError);
    const t: PyValue[] = [];
    t.push(new PyTuple([t]));
    assert.deepStrictEqual(pickle(t, 0).toString('latin1'), '(lp1\n(g1\ntp2\na.'); // as cPickle: the list is a memo GET
    const selfTuple = new PyTuple([]);
    (selfTuple.items as PyValue[]).push(selfTuple);
    assert.throws(() => pickle(selfTuple), PickleError);
  });
});

describe('unpickle: hostile input', () => {
  const isPickleError = (e: unknown) => e instanceof PickleError;

  test('disallowed globals throw, naming the global', () => {
    assert.throws(() => unpickle(b(`cos\nsystem\n(S'echo hi'\ntR.`)), (e: unknown) => isPickleError(e) && /os\.system/.test((e as Error).message));
    assert.throws(() => unpickle(b(`c__builtin__\neval\n(S'1'\ntR.`)), /__builtin__\.eval/);
    assert.throws(() => unpickle(b(`\x80\x02c__builtin__\ngetattr\nq\x01.`)), PickleError);
  });

  test('every truncation of a valid pickle throws PickleError', () => {
    for (const bytes of [...DOC_VECTORS.map((v) => v[1]), SCORE_CLAUSE, pickle(DOC_VECTORS[10][2], 2)]) {
      for (let n = 0; n < bytes.length; n++) {
        assert.throws(() => unpickle(bytes.subarray(0, n), { opaque: true }), isPickleError, `prefix ${n} of ${bytes.toString('latin1').slice(0, 20)}`);
      }
    }
  });

  test('bad opcodes, protocols, memo and escapes', () => {
    for (const bad of ['Z.', '\x80\x03N.', 'g1\n.', 'Ixyz\n.', "S'abc\n.", "S'\\x4'\n.", 'V\\u12\n.', 'F1.2.3\n.', '(s.', 'a.', ']N\x88s.', '.', 'Pabc\n.', 'NNb.', 'N']) {
      assert.throws(() => unpickle(b(bad)), isPickleError, JSON.stringify(bad));
    }
  });

  test('random garbage only ever throws PickleError', () => {
    let seed = 0x2545f491;
    const rnd = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), (seed >>> 0) / 2 ** 32);
    const alphabet = b('()NIFLSVUTXK]}lde.asuptgqhrcRb012\n\'"\\\x80\x02\x85\x86\x87\x88\x8a');
    for (let i = 0; i < 3000; i++) {
      const len = 1 + Math.floor(rnd() * 40);
      const bytes = Buffer.from(Array.from({ length: len }, () => (rnd() < 0.8 ? alphabet[Math.floor(rnd() * alphabet.length)] : Math.floor(rnd() * 256))));
      try {
        unpickle(bytes, { opaque: i % 2 === 0 });
      } catch (e) {
        assert.ok(isPickleError(e), `non-PickleError ${String(e)} for ${bytes.toString('hex')}`);
      }
    }
  });
});
