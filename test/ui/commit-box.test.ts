// The sharer offers a connection only once it holds the other side's commit to that connection's
// certificate (protocol/verification-code.ts). Which commit serves which connection decides whether an
// honest session shows a false alarm, so: one commit per connection, the newest wins, stale ones go.
import assert from 'node:assert/strict';
import { CommitBox } from '#ui/rtc/commit-box.js';

/** What a take() holds after the pending events ran: the commit, or 'waiting'. */
async function settled(p: Promise<string>): Promise<string> {
  return Promise.race([p, new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 0))]);
}

describe('the commits the sharer holds for its next connection', () => {
  it('gives a connection the commit that came before it, and the next connection waits for a new one', async () => {
    const box = new CommitBox();
    box.put('A');
    assert.equal(await settled(box.take()), 'A');
    const second = box.take();
    assert.equal(await settled(second), 'waiting');
    box.put('A'); // a resend of the one already used: not for this connection
    assert.equal(await settled(second), 'waiting');
    box.put('B');
    assert.equal(await settled(second), 'B');
  });

  it('keeps the newest of commits not used yet, and forgets it when the other page lost its connection', async () => {
    const box = new CommitBox();
    box.put('A');
    box.put('B');
    assert.equal(await settled(box.take()), 'B');
    box.put('C');
    box.drop();
    const next = box.take();
    assert.equal(await settled(next), 'waiting');
    box.put('D');
    assert.equal(await settled(next), 'D');
  });

  it('hands a commit only to the newest connection waiting (an older one was closed)', async () => {
    const box = new CommitBox();
    const closed = box.take();
    const newest = box.take();
    box.put('A');
    assert.equal(await settled(newest), 'A');
    assert.equal(await settled(closed), 'waiting');
  });
});
