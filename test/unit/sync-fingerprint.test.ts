import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { showsWrites as mysqlShowsWrites } from '../../src/db/mysql/sync.js';
import { showsWrites as postgresShowsWrites } from '../../src/db/postgres/sync.js';

const my = (t: Record<string, [number, string]>) => JSON.stringify(t);

describe('sync --final: what counts as a write between two fingerprints', () => {
  it('MySQL: a grown counter or a moved UPDATE_TIME is a write; a counter InnoDB reset by recomputing its statistics is not', () => {
    const before = my({ a: [30, '2026-12-08 02:00:05'], b: [0, ''] });
    assert.equal(mysqlShowsWrites(before, my({ a: [30, '2026-12-08 02:00:05'], b: [0, ''] })), false);
    assert.equal(mysqlShowsWrites(before, my({ a: [0, '2026-12-08 02:00:05'], b: [0, ''] })), false);
    assert.equal(mysqlShowsWrites(before, my({ a: [31, '2026-12-08 02:00:05'], b: [0, ''] })), true);
    assert.equal(mysqlShowsWrites(before, my({ a: [0, '2026-12-08 02:00:09'], b: [0, ''] })), true);
    assert.equal(mysqlShowsWrites(before, my({ a: [30, '2026-12-08 02:00:05'], b: [1, ''] })), true);
  });
  it('PostgreSQL: tuple counts only grow with writes, so any change is one', () => {
    assert.equal(postgresShowsWrites('120', '120'), false);
    assert.equal(postgresShowsWrites('120', '121'), true);
  });
});
