// The per-socket event budget on its own: a moved clock, no sockets.
import assert from 'node:assert/strict';
import { createTokenBucket } from '#relay/socket/token-bucket.js';

function bucketAt(rate: { perSecond: number; burst: number }) {
  let now = 1_000_000;
  const bucket = createTokenBucket(rate, () => now);
  const takeAll = (n: number) => Array.from({ length: n }, () => bucket.take());
  return { bucket, takeAll, advance: (ms: number) => void (now += ms) };
}

describe('the per-socket token bucket', () => {
  it('lets a full burst through at once, then refuses', () => {
    const b = bucketAt({ perSecond: 10, burst: 5 });
    assert.deepEqual(b.takeAll(6), [true, true, true, true, true, false]);
  });

  it('refills at the rate: one token per 1/perSecond', () => {
    const b = bucketAt({ perSecond: 10, burst: 5 });
    b.takeAll(5);
    b.advance(99);
    assert.equal(b.bucket.take(), false, 'not a whole token yet');
    b.advance(1);
    assert.equal(b.bucket.take(), true);
    assert.equal(b.bucket.take(), false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const b = bucketAt({ perSecond: 10, burst: 3 });
    b.advance(60_000);
    assert.deepEqual(b.takeAll(4), [true, true, true, false]);
  });

  it('is not drained by a clock that steps back', () => {
    const b = bucketAt({ perSecond: 10, burst: 2 });
    b.bucket.take();
    b.advance(-10_000);
    assert.equal(b.bucket.take(), true, 'the token left before the step is still there');
    b.advance(100);
    assert.equal(b.bucket.take(), true, 'and refilling goes on from the new time');
  });
});
