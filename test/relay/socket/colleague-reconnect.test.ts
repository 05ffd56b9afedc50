// An allowed colleague whose page comes back on a new connection (a reload, or a Socket.IO reconnect)
// hears the chat and the sharer's status again (issue 13 point 5; found in review: only the first
// socket had been put in the allowed colleague's room).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { demoUsers } from '#relay/directory/index.js';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timed out: ${what}`)), ms))]);

describe('a second helper on a new connection', function () {
  let relay: TestRelay;
  before(async () => { relay = await startTestRelay({ RH_RECONNECT_GRACE_MS: '5000' }); });
  after(async () => relay?.stop());

  it('an allowed colleague resumed on a new connection still receives the chat', async () => {
    const [helper, sharer, page] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer), relay.connect(demo.contosoAdmin)]);
    const created = valueOf(await request(helper, 'session:create', {}));
    const sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    valueOf(await request(helper, 'session:invite', { sessionId, colleague: demoUsers.contosoAdmin.upn }));
    valueOf(await request(page, 'session:invite-answer', { sessionId, accept: true }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));
    // Before the reload: the chat reaches the colleague.
    const first = next(page, 'chat:message');
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'one' }));
    assert.equal((await within(first, 2000, 'first')).text, 'one');
    // The page reloads: a new connection resumes as the colleague.
    page.disconnect();
    const reloaded: ClientSocket = await relay.connect(demo.contosoAdmin);
    const r = valueOf(await request(reloaded, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(r.trust?.role, 'colleague');
    const second = next(reloaded, 'chat:message');
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'two' }));
    assert.equal((await within(second, 2000, 'chat after the colleague resumed')).text, 'two');
    const paused = next(reloaded, 'session:peer', (p) => p.role === 'sharer' && p.paused);
    valueOf(await request(sharer, 'session:pause', { sessionId, paused: true }));
    await within(paused, 2000, 'the sharer\'s pause, after the colleague resumed');
  });
});
