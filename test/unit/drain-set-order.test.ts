/**
 * The SET order of Sentry 7.7's buffer UPDATE (src/drain/py27-dict.ts) against a real CPython 2.7 running the same
 * chain of dict operations as buffer/redis.py RedisBuffer.process, buffer/base.py Buffer.process and
 * db/models/query.py create_or_update (objects.filter(**kwargs).update(**values)), then Django 1.6's
 * UpdateQuery.add_update_values (six.iteritems): every model, every subset of its counters and extras, in several
 * HGETALL orders (a small Redis hash returns fields in insertion order, a large one in Redis' own order).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUFFER_MODELS } from '../../src/drain/buffer-models.js';
import { py27StrHash, sentrySetOrder } from '../../src/drain/py27-dict.js';
import { NO_PYTHON2, runPython2 } from '../helpers/python2.js';

const SENTRY_CHAIN = `
import sys, json, itertools
def flush_order(fields):
    # redis-py 2.10 StrictRedis HGETALL callback pairs_to_dict: dict(izip(it, it))
    values = dict(itertools.izip(fields, ['v'] * len(fields)))
    # sentry/buffer/redis.py RedisBuffer.process (7.7.0)
    incr_values = {}
    extra_values = {}
    for k, v in values.iteritems():
        if k.startswith('i+'):
            incr_values[k[2:]] = 1
        elif k.startswith('e+'):
            extra_values[k[2:]] = v
    # sentry/buffer/base.py Buffer.process (7.7.0): process(model, incr_values, filters, extra_values)
    columns, extra = incr_values, extra_values
    update_kwargs = dict((c, v + 1) for c, v in columns.iteritems())
    if extra:
        update_kwargs.update(extra)
    # sentry/db/models/query.py create_or_update: objects.filter(**kwargs).update(**values)
    def update(**kwargs):
        # Django 1.6 UpdateQuery.add_update_values: for name, val in six.iteritems(values) -> SET in this order
        return [name for name, val in kwargs.iteritems()]
    return update(**update_kwargs)
print json.dumps([flush_order([str(f) for f in fs]) for fs in json.load(sys.stdin)])
`;

function subsets<T>(xs: readonly T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);
}

/** Every shape a hash of each model can have, each in a few field orders. */
function cases(): string[][] {
  const out: string[][] = [];
  for (const m of BUFFER_MODELS) {
    for (const counters of subsets(Object.keys(m.counters))) {
      for (const extras of subsets(m.extras)) {
        const fields = ['m', 'f', ...counters.map((c) => `i+${c}`), ...extras.map((e) => `e+${e}`)];
        out.push(fields, [...fields].reverse(), [...fields.slice(2), 'm', 'f'], fields.map((_, i) => fields[(i * 5) % fields.length]).filter((f, i, a) => a.indexOf(f) === i));
      }
    }
  }
  return out;
}

describe('Sentry 7.7 buffer UPDATE SET order = CPython 2.7', () => {
  test('str hash', { skip: NO_PYTHON2 }, () => {
    const words = ['', 'a', 'times_seen', 'last_seen', 'score', 'culprit', 'i+time_spent_count', 'e+level', '\u00e9\u00ff'];
    const py = runPython2('import sys, json\nprint json.dumps([str(hash(w.encode("latin1"))) for w in json.load(sys.stdin)])', words) as string[];
    assert.deepEqual(words.map((w) => BigInt.asIntN(64, py27StrHash(Buffer.from(w, 'latin1'))).toString()), py);
  });

  test('every model, every shape, several HGETALL orders', { skip: NO_PYTHON2 }, () => {
    const all = cases();
    const py = runPython2(SENTRY_CHAIN, all) as string[][];
    assert.equal(py.length, all.length);
    all.forEach((fields, i) => assert.deepEqual(sentrySetOrder(fields), py[i], `fields ${fields.join(',')}`));
    // the shape the tracker reported: a Group hash with level but not both message and culprit, no time_spent
    assert.deepEqual(sentrySetOrder(['m', 'f', 'i+times_seen', 'e+last_seen', 'e+score', 'e+level']), ['last_seen', 'times_seen', 'score', 'level']);
  });
});
