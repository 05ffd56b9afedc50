// How every client waits after `overloaded`: growing waits with jitter, capped, and a bounded number of tries.
import assert from 'node:assert/strict';
import { backoffDelayMs, fail, handshakeRetry, ok, retryWhileOverloaded, type Ack } from '#protocol';

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

describe('connecting again after the handshake was refused as overloaded', () => {
  /** A socket that counts its connects, and a clock run by hand. */
  function setUp() {
    const socket = { connected: false, connects: 0, connect() { this.connects++; } };
    const pending: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
    const waits: number[] = [];
    const retry = handshakeRetry(socket, {
      baseMs: 1000, maxMs: 4000, random: () => 1, onWait: (ms) => waits.push(ms),
      schedule: (run, ms) => {
        const timer = { run, ms, cancelled: false };
        pending.push(timer);
        return () => void (timer.cancelled = true);
      },
    });
    const elapse = () => {
      for (const t of pending.splice(0)) if (!t.cancelled) t.run();
    };
    return { socket, retry, waits, pending, elapse };
  }
  const overloaded = { data: { code: 'overloaded' } };

  it('tries again by itself after growing waits, tells the person each time, and starts over once in', () => {
    const { socket, retry, waits, elapse } = setUp();
    for (let i = 0; i < 4; i++) {
      assert.equal(retry.refused(overloaded), true);
      elapse();
    }
    assert.equal(socket.connects, 4);
    assert.deepEqual(waits, [1000, 2000, 4000, 4000]);
    socket.connected = true;
    retry.connected();
    socket.connected = false;
    retry.refused(overloaded);
    assert.equal(waits.at(-1), 1000, 'a refusal after being in waits the shortest again');
  });

  it('leaves any other refusal to the caller, and tries nothing after cancel or once connected', () => {
    const { socket, retry, pending, elapse } = setUp();
    assert.equal(retry.refused({ data: { code: 'unauthenticated' } }), false);
    assert.equal(retry.refused({}), false);
    assert.equal(pending.length, 0);
    retry.refused(overloaded);
    retry.cancel();
    elapse();
    retry.refused(overloaded);
    socket.connected = true; // socket.io got in by itself meanwhile
    elapse();
    assert.equal(socket.connects, 0);
  });
});
