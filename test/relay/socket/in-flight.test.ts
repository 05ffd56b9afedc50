// The count a draining relay waits on before it closes its stores: a request stays in flight until it
// is answered, and its answer waits for what must go out first (the broadcasts, with several nodes).
import assert from 'node:assert/strict';
import { createInFlight } from '#relay/socket/in-flight.js';

describe('the requests in flight', () => {
  it('counts a request until its answer, once however often the answer is called, and then is idle', async () => {
    const inFlight = createInFlight();
    const sent: unknown[] = [];
    const answer = inFlight.arrived((res) => sent.push(res));
    const other = inFlight.arrived((res) => sent.push(res));
    assert.equal(inFlight.count, 2);
    const idle = inFlight.idle(60_000);
    answer({ ok: true });
    answer({ ok: true });
    assert.equal(inFlight.count, 1, 'a second call of one answer counted as another request answered');
    other({ ok: false });
    assert.equal(await idle, true, 'a stopping relay would wait out its limit with nothing in flight');
    assert.deepEqual(sent, [{ ok: true }, { ok: true }, { ok: false }], 'an answer did not reach the client');
  });

  it('stays in flight, and sends nothing, until what the answer waits for is done', async () => {
    let publish: () => void = () => undefined;
    const published = new Promise<void>((resolve) => (publish = resolve));
    const inFlight = createInFlight(() => published);
    const sent: unknown[] = [];
    inFlight.arrived((res) => sent.push(res))({ ok: true });
    await Promise.resolve();
    assert.equal(inFlight.count, 1);
    assert.deepEqual(sent, [], 'the answer went out before the broadcast it follows');
    publish();
    assert.equal(await inFlight.idle(60_000), true);
    assert.deepEqual(sent, [{ ok: true }]);
  });

  it('gives up waiting after its limit when a request is never answered', async () => {
    const inFlight = createInFlight();
    inFlight.arrived(() => undefined);
    assert.equal(await inFlight.idle(10), false);
  });
});
