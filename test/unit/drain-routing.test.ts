import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PartitionRouting, bufferKey, lockKey, partitionHost, pythonCrc32 } from '../../src/drain/routing.js';

// Vectors: docs/sentry7-buffer.md §2.2 (md5 keys) and §4 (crc32 routing), computed with CPython 2.7.
test('buffer keys match Sentry 7.7 _make_key', () => {
  assert.equal(bufferKey('sentry.group', [['id', 4242]]), 'b:k:sentry.group:735a592b33f243744abcb159d0a9a9e7');
  assert.equal(bufferKey('sentry.group', [['id', 4242n]]), 'b:k:sentry.group:735a592b33f243744abcb159d0a9a9e7');
  assert.equal(
    bufferKey('sentry.tagvalue', [['project_id', 1], ['key', 'browser'], ['value', 'Chrome 43.0 é☃']]),
    'b:k:sentry.tagvalue:461df20bf0ef681106fd0d6c5d8132f5',
  );
  assert.equal(
    bufferKey('sentry.grouptagvalue', [['group_id', 4242], ['project_id', 1], ['key', 'browser'], ['value', 'Chrome 43.0']]),
    'b:k:sentry.grouptagvalue:bdc3eee27148d4381d642e0845e2b875',
  );
  assert.equal(bufferKey('sentry.release', [['id', 7]]), 'b:k:sentry.release:8803cb530daebc650716593bdaf77b8a');
  assert.equal(bufferKey('sentry.tagkey', [['project_id', 1], ['key', 'browser']]), 'b:k:sentry.tagkey:70637155d5fdc7ce6e4806ff5c051ab3');
  assert.equal(
    bufferKey('sentry.grouptagkey', [['project_id', 1], ['group_id', 4242], ['key', 'browser']]),
    'b:k:sentry.grouptagkey:5d53be52df59139d93b2477d75aabac7',
  );
  // a str (bytes) value hashes as its raw bytes, the same as the unicode text it encodes
  assert.equal(
    bufferKey('sentry.tagvalue', [['project_id', 1], ['key', Buffer.from('browser')], ['value', Buffer.from('Chrome 43.0 é☃')]]),
    'b:k:sentry.tagvalue:461df20bf0ef681106fd0d6c5d8132f5',
  );
});

test('signed crc32 and Python modulo, as nydus PartitionRouter routes', () => {
  const tv = 'b:k:sentry.tagvalue:461df20bf0ef681106fd0d6c5d8132f5';
  const g = 'b:k:sentry.group:735a592b33f243744abcb159d0a9a9e7';
  assert.equal(pythonCrc32(tv), -41287917);
  assert.equal(partitionHost(tv, 3), 0); // an unsigned crc32 % 3 would say 1
  assert.equal(partitionHost(tv, 5), 3);
  assert.equal(pythonCrc32(g), 822587789);
  assert.equal(partitionHost(g, 3), 2);
  assert.equal(pythonCrc32(lockKey(g)), 355178665);
  assert.equal(partitionHost(lockKey(g), 3), 1); // the lock lives on another host than the hash
  assert.equal(pythonCrc32('l:b:p'), 998884767);
  assert.equal(new PartitionRouting(2).pendingLockHost, 1);
  assert.equal(new PartitionRouting(3).pendingLockHost, 0);
  assert.equal(new PartitionRouting(1).hostOf(tv), 0);
  assert.equal(pythonCrc32(''), 0);
  assert.equal(pythonCrc32('123456789'), 0xcbf43926 | 0);
});
