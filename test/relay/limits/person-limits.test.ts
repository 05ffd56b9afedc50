// Limits per person, on one relay with real sockets (issue 12): connections per user and per address,
// sessions per helper that have not ended, and a session:resume whose answer is one page of the chat
// however small the request. Across nodes: test/relay/cluster/limits.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, SessionResumed } from '#protocol';
import { demoTenants } from '#relay/directory/index.js';
import { chatMessageBytes } from '#relay/sessions/session-store.js';
import { connected, demo, next, rawRequest, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

/** The refusal code of a handshake, or 'connected'. */
async function handshake(s: ClientSocket): Promise<string> {
  return connected(s).then(() => 'connected', (e: Error & { data?: { code?: string } }) => e.data?.code ?? e.message);
}

const weight = (messages: ChatMessage[]): number => messages.reduce((sum, { seq: _seq, ...m }) => sum + chatMessageBytes(m), 0);

describe('limits per person on one relay', function () {
  this.timeout(30_000);
  let relay: TestRelay;

  before(async () => {
    relay = await startTestRelay({
      RH_CONNECTIONS_PER_USER: '3', RH_CONNECTIONS_PER_ADDRESS: '5', RH_LIVE_SESSIONS_PER_HELPER: '2',
      RH_RESUME_PAGE_BYTES: '1024', RH_RESUME_HELD_BYTES: '8192',
    });
  });
  after(async () => relay?.stop());

  it('refuses a person\'s connection past their limit with too-many-connections, and takes one again once another closed', async () => {
    const token = await relay.token(demo.contosoHelper);
    const open = await Promise.all([1, 2, 3].map(() => relay.connect(demo.contosoHelper)));
    const fourth = relay.socket({ token });
    assert.equal(await handshake(fourth), 'too-many-connections');
    assert.equal(fourth.active, false, 'socket.io does not retry a refusal on its own');
    // A page reloaded at the limit: its old socket says goodbye, its new one is let in straight away.
    open[0]!.disconnect();
    const reloaded = relay.socket({ token });
    assert.equal(await handshake(reloaded), 'connected');
    assert.equal(await handshake(relay.socket({ token })), 'too-many-connections', 'still three at once');
    for (const s of [...open, reloaded]) s.disconnect();
  });

  it('counts every person behind one address against the address\'s limit', async () => {
    // Five from 127.0.0.1 at most, whoever they are.
    const helpers = await Promise.all([1, 2, 3].map(() => relay.connect(demo.contosoHelper)));
    const sharers = await Promise.all([1, 2].map(() => relay.connect(demo.contosoSharer)));
    assert.equal(await handshake(relay.socket({ token: await relay.token(demo.fabrikamHelper) })), 'too-many-connections');
    sharers[0]!.disconnect();
    const other = relay.socket({ token: await relay.token(demo.fabrikamHelper) });
    assert.equal(await handshake(other), 'connected');
    for (const s of [...helpers, ...sharers, other]) s.disconnect();
  });

  it('refuses a helper\'s third session that has not ended with too-many-sessions, on the record, until one ends', async () => {
    const helper = await relay.connect(demo.contosoHelper);
    try {
      const first = valueOf(await request(helper, 'session:create', {}));
      const second = valueOf(await request(helper, 'session:create', {}));
      const third = await request(helper, 'session:create', {});
      assert.equal(third.ok ? 'created' : third.error.code, 'too-many-sessions');
      const reports = (await relay.relay.reports.list(demoTenants.contoso.id, {})).items;
      assert.ok(reports.some((r) => r.sessionId === null && r.policy.refusal?.code === 'too-many-sessions'), 'the refusal is reported');
      valueOf(await request(helper, 'session:end', { sessionId: first.sessionId }));
      const again = valueOf(await request(helper, 'session:create', {}));
      assert.ok(again.sessionId, 'one ended: one more may be opened');
      for (const { sessionId } of [second, again]) valueOf(await request(helper, 'session:end', { sessionId }));
    } finally {
      helper.disconnect();
    }
  });

  it('answers a resume one page at a time, says older messages are gone, and a request of a few dozen bytes gets no more than a page', async () => {
    const [helper, sharer] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer)]);
    try {
      const created = valueOf(await request(helper, 'session:create', {}));
      const { sessionId } = created;
      const trust = next(helper, 'session:trust', (t) => t.sessionId === sessionId);
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      await trust;
      valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
      // 60 messages of about 400 bytes (24 kB), within the socket's event budget: 8 kB held.
      for (let i = 1; i <= 60; i++) {
        valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: `${i}: ${'ü'.repeat(150)}` }));
      }
      const hostile = JSON.stringify({ sessionId, afterSeq: 0 });
      assert.ok(Buffer.byteLength(hostile) < 100, `a small request (${Buffer.byteLength(hostile)} bytes)`);
      const first = valueOf(await rawRequest(sharer, 'session:resume', JSON.parse(hostile)) as never) as SessionResumed;
      assert.ok(weight(first.messages) <= 1024, `the first page weighs ${weight(first.messages)} bytes`);
      assert.ok(Buffer.byteLength(JSON.stringify(first)) < 4096, 'the whole answer stays small');
      assert.equal(first.moreChat, true);
      assert.ok(first.chatDroppedBefore !== undefined && first.chatDroppedBefore > 1, 'the oldest are said to be gone');
      assert.equal(first.messages[0]?.seq, first.chatDroppedBefore, 'the page starts where the held chat starts');

      // As the pages do: ask again after each page's last message, until no more follows.
      const seqs = first.messages.map((m) => m.seq);
      let page = first;
      for (let pages = 1; page.moreChat; pages++) {
        assert.ok(pages < 40, 'the pages come to an end');
        page = valueOf(await request(sharer, 'session:resume', { sessionId, afterSeq: page.messages.at(-1)!.seq }));
        assert.ok(weight(page.messages) <= 1024, `a page of ${weight(page.messages)} bytes`);
        assert.equal(page.chatDroppedBefore, undefined, 'nothing missing between pages');
        seqs.push(...page.messages.map((m) => m.seq));
      }
      assert.deepEqual(seqs, Array.from({ length: 61 - seqs[0]! }, (_, i) => seqs[0]! + i), 'every held message once, in order, up to the last');
      assert.equal(seqs.at(-1), 60);
      valueOf(await request(helper, 'session:end', { sessionId }));
    } finally {
      helper.disconnect();
      sharer.disconnect();
    }
  });
});
