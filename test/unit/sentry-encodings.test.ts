/**
 * Sentry 7 column encodings: vectors written by CPython 2.7.18 (cPickle + zlib + base64, as Sentry does), and
 * python3 decoding what we write.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import {
  decodeGzippedDict, decodeNodeRef, decodePickledObject, encodeGzippedDict, encodeNodeRef, encodePickledObject, newNodeId,
} from '../../src/codec/sentry-encodings.js';
import { PickleError, PyDateTime, PyStr, PyTzInfo, dictGet, type PyValue } from '../../src/codec/py-value.js';
import { unpickle } from '../../src/codec/pickle-read.js';
import { decodeAuditData } from '../../src/admin/audit-log.js';
import { BITHANDLER_PY, SENTRY_ORG_ADD_DATA } from '../integration/orphans-fixture.js';
import { NO_PYTHON2, runPython2 } from '../helpers/python2.js';

const NODE_ID = 'N0XToXlhRvyCOfYh1sRpZA==';
/** CPython 2.7.18: base64.b64encode(zlib.compress(cPickle.dumps(...))) */
const PY2 = {
  nodeRef: 'eJzTSCkw5ApWz8tPSY3PTFHnKjAC8vwMIkLyI3Iygsoqnf3TIjMMi4MKohxtbYHSxlzFegCg1g+U', // {'node_id': NODE_ID}
  legacy: 'eJw9yjsOgCAQBcD+XQQqEvF3CisSe5SVmAhsWBpvr7GwntGBOziVSMRHUmCLdSslgXuIU0K51ducuVE9/E5iln8O0IFHRIv4XfbVJ3lhgr54hoh5AIaEHRE=',
  emptyDict: 'eJzTSNEDAAFxALs=',
  /** base64.b64encode(cPickle.dumps(copy.deepcopy(value), 2)), i.e. django-picklefield 0.3 */
  origins: 'gAJdcQEoWAEAAAAqWBMAAABodHRwczovL2V4YW1wbGUuY29tcQJlLg==', // [u'*', u'https://example.com']
  subjectPrefix: 'gAJYCQAAAFtTZW50cnldIHEBLg==', // u'[Sentry] '
  true2: 'gAKILg==',
  int42p0: 'STQyCi4=',
};
const S = (s: string) => new PyStr(s);

function python3(script: string, input: unknown): unknown {
  const r = spawnSync(process.env.PYTHON3 ?? 'python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`python3 failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('audit data with a django-bitfield BitHandler (Organization.get_audit_log_data)', () => {
  const plain = (slug: string, name: string, status: number, value: number) => ({
    slug, name, status, flags: { __class__: 'bitfield.types.BitHandler', value, keys: ['allow_joinleave'] },
  });

  test('reads ORG_ADD data as Sentry 7.7 / CPython 2.7 wrote it, as data', () => {
    assert.deepEqual(decodeAuditData(SENTRY_ORG_ADD_DATA), plain('lost', 'Lost Org', 0, 1));
  });

  test('live CPython 2.7: the same bytes, and other slugs, names and flags read back', { skip: NO_PYTHON2 }, () => {
    const rows: [string, string, number, number][] = [['lost', 'Lost Org', 0, 1], ['café-☃', 'Ünïcode Org', 1, 0], ['x', '', 2, 3]];
    const out = runPython2(BITHANDLER_PY, rows) as [string, string][];
    assert.equal(out[0][0], SENTRY_ORG_ADD_DATA);
    out.forEach(([b64], i) => assert.deepEqual(decodeAuditData(b64), plain(...rows[i])));
  });

  test('a BitHandler whose state is not data is refused', () => {
    const bad = Buffer.from("ccopy_reg\n_reconstructor\n(cbitfield.types\nBitHandler\nc__builtin__\nobject\nNtR(dS'_value'\nS'x'\nsS'_keys'\n(lsb.", 'latin1');
    assert.throws(() => unpickle(bad), /BitHandler whose state/);
  });
});

describe('GzippedDictField', () => {
  test('reads what Sentry 7 wrote', () => {
    assert.deepStrictEqual(decodeGzippedDict(PY2.nodeRef), new Map([[S('node_id'), S(NODE_ID)]]));
    const legacy = decodeGzippedDict(PY2.legacy);
    assert.equal(dictGet(legacy, 'message'), 'boom');
    assert.deepStrictEqual(dictGet(legacy, 'sentry.interfaces.Message'), new Map<PyValue, PyValue>([[S('message'), 'boom'], [S('params'), []]]));
    assert.deepStrictEqual(decodeGzippedDict(PY2.emptyDict), new Map());
  });

  test('NULL and empty text read as an empty dict, like to_python', () => {
    assert.deepStrictEqual(decodeGzippedDict(null), new Map());
    assert.deepStrictEqual(decodeGzippedDict(''), new Map());
  });

  test('nullable columns store NULL for falsy values; NOT NULL columns store the encoded value', () => {
    for (const v of [null, undefined, {}, new Map(), [], '', 0, false]) assert.equal(encodeGzippedDict(v, { nullable: true }), null);
    assert.equal(inflateSync(Buffer.from(encodeGzippedDict({})!, 'base64')).toString('latin1'), '(dp1\n.');
    assert.equal(inflateSync(Buffer.from(encodeGzippedDict(null)!, 'base64')).toString('latin1'), 'N.');
    assert.notEqual(encodeGzippedDict({ a: 1 }, { nullable: true }), null);
  });

  test('a top-level str is stored as unicode, as get_prep_value does', () => {
    assert.equal(inflateSync(Buffer.from(encodeGzippedDict(S('abc'))!, 'base64')).toString('latin1'), 'Vabc\np1\n.');
    assert.throws(() => encodeGzippedDict(S('é')), PickleError);
  });

  test('python3 decodes what we write (base64 + zlib + protocol 0)', () => {
    const when = new PyDateTime(2015, 7, 28, 20, 41, 30, 123456, PyTzInfo.utc());
    const value = new Map<PyValue, PyValue>([
      [S('ip'), S('10.0.0.1')], [S('data'), { f: 1.5, b: true, l: [1, null], s: 'Café ☃\n\\' }], [S('id'), 4242n], [S('when'), when],
    ]);
    const got = python3(
      `
import sys, json, base64, zlib, pickle, types
pytz = types.ModuleType('pytz'); pytz._UTC = lambda: None; sys.modules['pytz'] = pytz
v = pickle.loads(zlib.decompress(base64.b64decode(json.load(sys.stdin))), encoding='bytes')
print(json.dumps(repr(v)))
`,
      encodeGzippedDict(value),
    );
    assert.equal(
      got,
      "{b'ip': b'10.0.0.1', b'data': {'f': 1.5, 'b': True, 'l': [1, None], 's': 'Café ☃\\n\\\\'}, b'id': 4242, " +
        "b'when': datetime.datetime(2015, 7, 28, 20, 41, 30, 123456)}",
    );
    assert.deepStrictEqual(decodeGzippedDict(encodeGzippedDict(value)), new Map<PyValue, PyValue>([...value].map(([k, v]) => [k, k instanceof PyStr && k.equalsText('data') ? new Map(Object.entries(v as object)) : v])));
  });

  test('we decode what python3 zlib.compress wrote', () => {
    const text = python3(
      `
import sys, json, base64, zlib, pickle
print(json.dumps(base64.b64encode(zlib.compress(pickle.dumps({'k': [1, 2.5, None, 'x' * 5000]}, 0))).decode()))
`,
      null,
    ) as string;
    assert.deepStrictEqual(decodeGzippedDict(text), new Map<PyValue, PyValue>([['k', [1, 2.5, null, 'x'.repeat(5000)]]]));
  });

  test('garbage throws PickleError', () => {
    for (const bad of ['not base64!!', 'aGVsbG8gd29ybGQ=', 'eJzTSNEDAAFx']) assert.throws(() => decodeGzippedDict(bad), PickleError, bad);
  });
});

describe('NodeField references', () => {
  test('encodeNodeRef writes the same pickle as Sentry 7 (str key and str id)', () => {
    const pickled = inflateSync(Buffer.from(encodeNodeRef(NODE_ID), 'base64'));
    assert.deepStrictEqual(pickled, inflateSync(Buffer.from(PY2.nodeRef, 'base64')));
    assert.equal(pickled.toString('latin1'), `(dp1\nS'node_id'\np2\nS'${NODE_ID}'\np3\ns.`);
  });

  test('decodeNodeRef', () => {
    assert.equal(decodeNodeRef(PY2.nodeRef), NODE_ID);
    assert.equal(decodeNodeRef(encodeNodeRef(NODE_ID)), NODE_ID);
    assert.equal(decodeNodeRef(encodeGzippedDict({ node_id: 'unicode-id' })), 'unicode-id');
    assert.equal(decodeNodeRef(PY2.legacy), null);
    assert.equal(decodeNodeRef(null), null);
    assert.equal(decodeNodeRef(''), null);
  });

  test('newNodeId is b64encode(uuid4().bytes), deterministic with an injected rng', () => {
    const id = newNodeId(() => Buffer.alloc(16, 0xff));
    assert.equal(id, '////////T/+//////////w=='); // = b64encode(uuid.UUID(bytes=b'\xff' * 16, version=4).bytes)
    assert.equal(newNodeId(() => Buffer.alloc(16, 0xff)), id);
    assert.match(newNodeId(), /^[A-Za-z0-9+/]{22}==$/);
    assert.throws(() => newNodeId(() => Buffer.alloc(8)), RangeError);
    const versions = python3(
      `
import sys, json, base64, uuid
print(json.dumps([uuid.UUID(bytes=base64.b64decode(i)).version for i in json.load(sys.stdin)]))
`,
      [id, newNodeId(), newNodeId()],
    );
    assert.deepEqual(versions, [4, 4, 4]);
  });
});

describe('UnicodePickledObjectField', () => {
  test('writes what django-picklefield 0.3 wrote (protocol 2), byte for byte', () => {
    assert.equal(encodePickledObject(['*', 'https://example.com']), PY2.origins);
    assert.equal(encodePickledObject('[Sentry] '), PY2.subjectPrefix);
    assert.equal(encodePickledObject(true), PY2.true2);
    assert.equal(encodePickledObject(42, 0), PY2.int42p0);
    assert.equal(encodePickledObject(S('[Sentry] ')), PY2.subjectPrefix); // a top-level str becomes unicode
    assert.equal(encodePickledObject(null), null);
  });

  test('reads any protocol', () => {
    assert.deepStrictEqual(decodePickledObject(PY2.origins), ['*', 'https://example.com']);
    assert.equal(decodePickledObject(PY2.subjectPrefix), '[Sentry] ');
    assert.equal(decodePickledObject(PY2.true2), true);
    assert.equal(decodePickledObject(PY2.int42p0), 42);
    assert.equal(decodePickledObject(null), null);
    assert.throws(() => decodePickledObject('bm90IGEgcGlja2xl'), PickleError);
  });

  test('python3 loads what we write', () => {
    const got = python3(
      `
import sys, json, base64, pickle
print(json.dumps([repr(pickle.loads(base64.b64decode(t), encoding='bytes')) for t in json.load(sys.stdin)]))
`,
      [encodePickledObject({ 'sentry:origins': ['*'], n: 3n }), encodePickledObject(S('x')), encodePickledObject([1.5, S('b')], 0)],
    );
    assert.deepEqual(got, ["{'sentry:origins': ['*'], 'n': 3}", "'x'", "[1.5, b'b']"]);
  });
});
