/**
 * decodeNodeRef reads Sentry's usual `{'node_id': id}` pickle as text: for every id, the same
 * answer as the unpickler (ids with quotes, backslashes or non-ASCII take the unpickler's path).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeGzippedDict, decodeNodeRef, encodeGzippedDict, encodeNodeRef, newNodeId } from '../../src/codec/sentry-encodings.js';
import { PyStr, type PyValue, dictGet } from '../../src/codec/py-value.js';

const slow = (text: string) => {
  const id = dictGet(decodeGzippedDict(text), 'node_id');
  return id instanceof PyStr ? id.bytes.toString('latin1') : id ?? null;
};

test('same node id as the unpickler, fast shape or not', () => {
  const ids = [...Array.from({ length: 200 }, () => newNodeId()), '', 'a', "it's", 'back\\slash', 'new\nline', 'x'.repeat(300), 'abc-_.=/+'];
  for (const id of ids) {
    const text = encodeNodeRef(id);
    assert.equal(decodeNodeRef(text), slow(text), JSON.stringify(id));
    assert.equal(decodeNodeRef(text), id);
  }
  // A dict with more keys, or none: the unpickler decides.
  const more = encodeGzippedDict(new Map<PyValue, PyValue>([[new PyStr('node_id'), new PyStr('abc')], [new PyStr('x'), 1]]))!;
  assert.equal(decodeNodeRef(more), 'abc');
  assert.equal(decodeNodeRef(encodeGzippedDict(new Map([[new PyStr('message'), new PyStr('legacy')]]))!), null);
});
