// A second helper over the live relay (issue 13, point 5): an invitation reaches every connection of the
// colleague, the accepting one becomes the colleague's, the chat reaches them once the sharer allowed
// them (and not before), and a hand-over moves the rooms: the former helper's connection can no longer
// chat or get TURN credentials as the helper, the new helper's can.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ColleagueStatus, Invitation } from '#protocol';
import { demoUsers } from '#relay/directory/index.js';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

const dataOnly = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' } };
const answer = { description: { type: 'answer' as const, sdp: 'v=0\r\n' } };

/** Everything one socket was pushed of these events, in order. */
function recorder(s: ClientSocket) {
  const chat: ChatMessage[] = [];
  const colleague: ColleagueStatus[] = [];
  const invitations: Invitation[] = [];
  s.on('chat:message', (m) => chat.push(m));
  s.on('session:colleague', (c) => colleague.push(c));
  s.on('session:invitation', (i) => invitations.push(i));
  return { chat, colleague, invitations };
}

describe('a second helper over the live relay', function () {
  let relay: TestRelay;
  let helper: ClientSocket;
  let sharer: ClientSocket;
  // The colleague (an administrator of Contoso, whose role helps) with a console and a web page open.
  let console_: ClientSocket;
  let page: ClientSocket;

  before(async () => {
    relay = await startTestRelay();
    [helper, sharer, console_, page] = await Promise.all([
      relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer), relay.connect(demo.contosoAdmin), relay.connect(demo.contosoAdmin),
    ]);
  });
  after(async () => relay?.stop());

  it('asks every connection of the colleague, lets one accept, then the chat reaches them only once allowed, and a hand-over moves the rooms', async () => {
    const created = valueOf(await request(helper, 'session:create', {}));
    const sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    const onPage = recorder(page);
    const onConsole = recorder(console_);

    // Both of the colleague's connections are asked.
    const asked = Promise.all([next(console_, 'session:invitation'), next(page, 'session:invitation')]);
    const invited = valueOf(await request(helper, 'session:invite', { sessionId, colleague: demoUsers.contosoAdmin.upn }));
    assert.equal(invited.state, 'invited');
    const [toConsole, toPage] = await asked;
    assert.equal(toConsole.open && toPage.open, true);
    assert.equal(toPage.from.name, demoUsers.contosoHelper.name);
    assert.deepEqual(valueOf(await request(console_, 'session:invitations', {})).map((i) => i.sessionId), [sessionId]);

    // The page accepts: it is the colleague's connection now; the console hears the invitation closed.
    const closedOnConsole = next(console_, 'session:invitation', (i) => !i.open);
    const sharerHears = next(sharer, 'session:colleague', (c) => c.state === 'asking');
    const trust = valueOf(await request(page, 'session:invite-answer', { sessionId, accept: true }));
    assert.equal(trust?.role, 'colleague');
    assert.equal(trust?.peer.name, demoUsers.contosoSharer.name);
    await closedOnConsole;
    assert.equal((await sharerHears).colleague.name, demoUsers.contosoAdmin.name);
    assert.equal(onPage.invitations.some((i) => !i.open), false, 'the accepting page is not told its own invitation closed');
    assert.equal(onPage.colleague.at(-1)?.state, 'asking');

    // Their own peer connection with the sharer, addressed both ways.
    const toColleague = next(page, 'signal');
    valueOf(await request(sharer, 'signal:send', { sessionId, signal: dataOnly, to: 'colleague' }));
    assert.equal((await toColleague).from, 'sharer');
    const fromColleague = next(sharer, 'signal');
    valueOf(await request(page, 'signal:send', { sessionId, signal: answer }));
    assert.equal((await fromColleague).from, 'colleague');
    assert.equal(valueOf(await request(page, 'session:ice', { sessionId })).iceServers.length >= 0, true);

    // Asking: no chat either way.
    const early = await request(page, 'chat:send', { sessionId, clientId: randomUUID(), text: 'too early' });
    assert.equal(early.ok ? 'ok' : early.error.code, 'forbidden');
    valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'not for the colleague yet' }));
    const allowedOnPage = next(page, 'session:colleague', (c) => c.state === 'allowed');
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));
    await allowedOnPage;
    assert.deepEqual(onPage.chat, [], 'nothing of the chat before the sharer allowed them');

    // Allowed: the colleague's message reaches both, and the sharer's reaches the colleague.
    const atHelper = next(helper, 'chat:message', (m) => m.from === 'colleague');
    const atSharer = next(sharer, 'chat:message', (m) => m.from === 'colleague');
    valueOf(await request(page, 'chat:send', { sessionId, clientId: randomUUID(), text: 'Second line here' }));
    assert.equal((await atHelper).senderName, demoUsers.contosoAdmin.name);
    await atSharer;
    const atPage = next(page, 'chat:message', (m) => m.from === 'sharer');
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'Welcome' }));
    assert.equal((await atPage).text, 'Welcome');
    assert.equal(onConsole.chat.length, 0, 'the colleague\'s other connection is no member');

    // Hand-over: the former helper is out, the page becomes the helper.
    const helperOut = next(helper, 'session:ended');
    const newTrust = next(sharer, 'session:trust');
    const handedOver = next(page, 'session:colleague', (c) => c.state === 'handed-over');
    valueOf(await request(helper, 'session:hand-over', { sessionId }));
    assert.deepEqual([(await helperOut).by, (await helperOut).reason], ['helper', 'handed-over']);
    assert.equal((await newTrust).peer.name, demoUsers.contosoAdmin.name);
    await handedOver;
    const refused = await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still the helper?' });
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'forbidden');
    const ice = await request(helper, 'session:ice', { sessionId });
    assert.equal(ice.ok, false, 'no TURN credentials for the former helper');

    const resumed = valueOf(await request(page, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(resumed.trust?.role, 'helper');
    const fromNewHelper = next(sharer, 'chat:message', (m) => m.text === 'I have it from here');
    valueOf(await request(page, 'chat:send', { sessionId, clientId: randomUUID(), text: 'I have it from here' }));
    assert.equal((await fromNewHelper).from, 'helper');
    const signalFromNewHelper = next(sharer, 'signal');
    valueOf(await request(page, 'signal:send', { sessionId, signal: answer }));
    assert.equal((await signalFromNewHelper).from, 'helper');
    const ended = next(sharer, 'session:ended');
    valueOf(await request(page, 'session:end', { sessionId }));
    assert.equal((await ended).by, 'helper');
  });

  it('notices the new helper going before it resumed (its connection still says colleague): the sharer hears the helper is away', async () => {
    const [first, second] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoAdmin)]);
    const created = valueOf(await request(first, 'session:create', {}));
    const sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    valueOf(await request(first, 'session:invite', { sessionId, colleague: demoUsers.contosoAdmin.upn }));
    valueOf(await request(second, 'session:invite-answer', { sessionId, accept: true }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));
    const handedOver = next(second, 'session:colleague', (c) => c.state === 'handed-over');
    valueOf(await request(first, 'session:hand-over', { sessionId }));
    await handedOver;
    const away = next(sharer, 'session:peer', (p) => p.sessionId === sessionId && p.role === 'helper' && !p.present);
    second.disconnect();
    assert.equal((await away).away, 'left');
    valueOf(await request(sharer, 'session:end', { sessionId }));
  });
});
