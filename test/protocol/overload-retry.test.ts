// How every client waits after `overloaded`: growing waits with jitter, capped, and a bounded number of tries.
import assert from 'node:assert/strict';
import { backoffDelayMs, fail, ok, retryWhileOverloaded, type Ack } from '#protocol';

describe('waiting after overloaded', () => {
  it('waits about twice as long after each refusal, never longer than the cap, and never all at once', () => {
    const highest = [0, 1, 2, 3, 10].map((attempt) => backoffDelayMs(attempt, { baseMs: 1000, maxMs: 30_000, random: () => 1 }));
    assert.deepEqual(highest, [1000, 2000, 4000, 8000, 30_000]);
    assert.equal(backoffDelayMs(0, { baseMs: 1000, random: () => 0 }), 100);
  });

  it('asks again after overloaded until another answer, and gives up after maxAttempts', async () => {
    const answers: Ack<string>[] = [fail('overloaded', 'busy'), fail('overloaded', 'busy'), ok('in')];
    const waits: number[] = [];
    const res = await retryWhileOverloaded(async () => answers.shift()!, { sleep: async () => undefined, onWait: (ms) => waits.push(ms) });
    assert.deepEqual(res, ok('in'));
    assert.equal(waits.length, 2);
    let asked = 0;
    const refused = await retryWhileOverloaded(async () => (asked++, fail('overloaded', 'busy')), { maxAttempts: 3, sleep: async () => undefined });
    assert.equal(!refused.ok && refused.error.code, 'overloaded');
    assert.equal(asked, 3);
  });

  it('does not ask again after any other refusal', async () => {
    let asked = 0;
    const res = await retryWhileOverloaded(async () => (asked++, fail('forbidden', 'no')), { sleep: async () => undefined });
    assert.equal(!res.ok && res.error.code, 'forbidden');
    assert.equal(asked, 1);
  });
});
