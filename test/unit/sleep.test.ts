/** The pauses of long runs leave no listener on the run's AbortSignal once they are over. */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { sleep } from '../../src/util/sleep.js';

describe('sleep with an AbortSignal', () => {
  it('many pauses, no listener left behind; an abort still ends a pause at once', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, ac.signal);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    const long = sleep(60_000, ac.signal);
    ac.abort();
    await long;
  });
});
