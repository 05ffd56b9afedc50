// Two relay nodes sharing Redis behind a load balancer (DESIGN §12): a helper on one node and a sharer
// on the other have the same session as on one node, and the limits count across nodes. The nodes keep
// their data in PostgreSQL, as in production; the session runs once more on nodes sharing one SQLite
// folder, the layout without a database server, whose reports two processes append to one file.
import assert from 'node:assert/strict';
import type { ChatMessage, TrustInfo } from '#protocol';
import { demoUsers } from '#relay/directory/index.js';
import { startCluster, type Cluster } from '../../support/cluster.js';
import { demo, next, request, valueOf, whyEnded } from '../../support/relay.js';
import { follow } from '../../support/session-member.js';
import { waitFor } from '../../support/wait.js';

const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
const answer = { description: { type: 'answer' as const, sdp: 'v=0\r\n' } };
const texts = ['你好，我看不到打印机', 'مرحبا، شكرا لك', 'Thanks 👍🏽🎉 done', 'one', 'two', 'three', 'four', 'five'];

for (const kept of ['PostgreSQL', 'a shared SQLite folder'] as const) describe(`a session across two relay nodes, kept data in ${kept}`, function () {
  this.timeout(120_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ nodes: 2, postgres: kept === 'PostgreSQL' });
  });
  after(async () => cluster?.stop());

  it('meets by code, shows trust, consents, signals, chats once and in order, and ends on both nodes', async () => {
    const [a, b] = cluster.nodes;
    const helper = follow(await cluster.connect(demo.contosoHelper, { node: a }), 'helper');
    const sharer = follow(await cluster.connect(demo.contosoSharer, { node: b }), 'sharer');

    const created = valueOf(await request(helper.socket, 'session:create', {}));
    const sessionId = created.sessionId;
    helper.sessionId = sessionId;
    assert.equal(created.link, `${cluster.url}/rh?passcode=${created.code}`, 'the link names the balancer, not a node');
    const helperTrust = next(helper.socket, 'session:trust', (t) => t.sessionId === sessionId, 15_000);
    const sharerTrust: TrustInfo = valueOf(await request(sharer.socket, 'session:join', { code: created.code }));
    sharer.sessionId = sessionId;
    assert.equal(cluster.whereIs(sessionId, 'helper'), a);
    assert.equal(cluster.whereIs(sessionId, 'sharer'), b);
    assert.equal(sharerTrust.peer.name, demoUsers.contosoHelper.name);
    const seenByHelper = await helperTrust;
    assert.equal(seenByHelper.role, 'helper');
    assert.equal(seenByHelper.peer.name, demoUsers.contosoSharer.name);
    assert.deepEqual(seenByHelper.warnings, [{ kind: 'unenrolled', reasons: [] }]);

    const sharing = next(helper.socket, 'session:state', (c) => c.sessionId === sessionId && c.state === 'sharing', 15_000);
    valueOf(await request(sharer.socket, 'session:consent', { sessionId, allow: true }));
    await sharing;

    const gotOffer = next(helper.socket, 'signal', (m) => m.sessionId === sessionId, 15_000);
    valueOf(await request(sharer.socket, 'signal:send', { sessionId, signal: offer }));
    assert.deepEqual((await gotOffer).signal, offer);
    const gotAnswer = next(sharer.socket, 'signal', (m) => m.sessionId === sessionId, 15_000);
    valueOf(await request(helper.socket, 'signal:send', { sessionId, signal: answer }));
    assert.deepEqual((await gotAnswer).signal, answer);

    // Turn by turn, each message seen by the other side before the next: every push in seq order.
    const said: ChatMessage[] = [];
    for (const [i, text] of texts.slice(0, 4).entries()) {
      const [from, to] = i % 2 === 0 ? [sharer, helper] : [helper, sharer];
      const seen = next(to.socket, 'chat:message', (m) => m.sessionId === sessionId && m.seq === i + 1, 15_000);
      said.push(await from.say(text));
      assert.deepEqual(await seen, said[i]);
    }
    // Then both at once: the shared store numbers one thread; pushes from one node and the other may
    // interleave differently on each side, but each sender's messages come in their order, and once.
    said.push(...(await Promise.all(texts.slice(4).map((text, i) => (i % 2 === 0 ? sharer : helper).say(text)))));
    assert.deepEqual(said.map((m) => m.seq).sort((x, y) => x - y), texts.map((_, i) => i + 1));
    for (const member of [helper, sharer]) {
      // The other side's messages are pushed; one's own come back only in the ack (no echo).
      const theirs = said.filter((m) => m.from !== member.role);
      await waitFor(() => member.pushed.length >= theirs.length, 15_000, `the ${member.role} got ${member.pushed.length} of ${theirs.length} messages`);
      assert.deepEqual(member.pushed.filter((m) => m.from === member.role), [], `the ${member.role} was pushed its own messages`);
      const seqs = member.pushed.map((m) => m.seq);
      assert.equal(new Set(seqs).size, seqs.length, `the ${member.role} got a message twice: ${seqs.join(',')}`);
      assert.deepEqual(seqs.slice(0, 2), member.role === 'helper' ? [1, 3] : [2, 4]);
      for (const from of ['helper', 'sharer'] as const) {
        const own = member.pushed.filter((m) => m.from === from).map((m) => m.seq);
        assert.deepEqual(own, [...own].sort((x, y) => x - y), `the ${member.role} got the ${from}'s messages out of order`);
      }
      for (const m of member.pushed) assert.deepEqual(m, said.find((x) => x.seq === m.seq), 'a pushed message differs from its ack');
    }

    const helperTold = next(helper.socket, 'session:ended', (e) => e.sessionId === sessionId, 15_000);
    const sharerTold = next(sharer.socket, 'session:ended', (e) => e.sessionId === sessionId, 15_000);
    valueOf(await request(sharer.socket, 'session:end', { sessionId }));
    assert.deepEqual(whyEnded(await helperTold), { sessionId, by: 'sharer', reason: 'ended' });
    assert.deepEqual(whyEnded(await sharerTold), { sessionId, by: 'sharer', reason: 'ended' });
    await waitForReports(cluster, sessionId);
    const [report, ...more] = await cluster.reportsOf(demoUsers.contosoHelper.tenantId, sessionId);
    assert.equal(more.length, 0, 'one record per session');
    assert.equal(report?.endedBy, 'sharer');
    helper.socket.disconnect();
    sharer.socket.disconnect();
  });

  // The limits live in Redis: where the kept data is changes nothing there.
  if (kept === 'PostgreSQL') it('counts failed code guesses over both nodes against one limit per user', async () => {
    const [a, b] = cluster.nodes;
    // The admin has made no guess before; 5 failures per user (the default), then rate-limited anywhere.
    const onA = await cluster.connect(demo.contosoAdmin, { node: a });
    const onB = await cluster.connect(demo.contosoAdmin, { node: b });
    for (let i = 0; i < 5; i++) {
      const r = await request(i % 2 === 0 ? onA : onB, 'session:join', { code: `0000000${i}` });
      assert.equal(r.ok ? 'ok' : r.error.code, 'code-invalid', `guess ${i + 1}`);
    }
    const helper = await cluster.connect(demo.contosoHelper, { node: a });
    const created = valueOf(await request(helper, 'session:create', {}));
    for (const socket of [onA, onB]) {
      const limited = await request(socket, 'session:join', { code: created.code });
      assert.equal(limited.ok ? 'ok' : limited.error.code, 'rate-limited');
    }
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    for (const s of [onA, onB, helper]) s.disconnect();
  });
});

async function waitForReports(cluster: Cluster, sessionId: string): Promise<void> {
  await waitFor(async () => (await cluster.reportsOf(demoUsers.contosoHelper.tenantId, sessionId)).length > 0, 15_000, 'the session was never recorded');
}
