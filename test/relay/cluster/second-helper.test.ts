// A second helper across two relay nodes sharing Redis (issue 13, point 5): the invitation reaches the
// colleague's connection on the other node, the colleague's signals cross both ways, and the chat room
// they join when the sharer (on the other node) allows them is joined there too.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { demoUsers } from '#relay/directory/index.js';
import { startCluster, type Cluster } from '../../support/cluster.js';
import { demo, next, request, valueOf } from '../../support/relay.js';

const dataOnly = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' } };
const answer = { description: { type: 'answer' as const, sdp: 'v=0\r\n' } };

describe('a second helper across two relay nodes', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ nodes: 2 });
  });
  after(async () => cluster?.stop());

  it('invites a colleague connected to the other node, whose signals and chat cross the nodes', async () => {
    const [a, b] = cluster.nodes;
    const [helper, sharer, colleague] = await Promise.all([
      cluster.connect(demo.contosoHelper, { node: a }), cluster.connect(demo.contosoSharer, { node: a }), cluster.connect(demo.contosoAdmin, { node: b }),
    ]);
    const created = valueOf(await request(helper, 'session:create', {}));
    const sessionId = created.sessionId;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));

    const invitation = next(colleague, 'session:invitation', (i) => i.sessionId === sessionId, 15_000);
    valueOf(await request(helper, 'session:invite', { sessionId, colleague: demoUsers.contosoAdmin.upn }));
    assert.equal((await invitation).from.name, demoUsers.contosoHelper.name);

    const asking = next(sharer, 'session:colleague', (c) => c.state === 'asking', 15_000);
    valueOf(await request(colleague, 'session:invite-answer', { sessionId, accept: true }));
    await asking;

    const offered = next(colleague, 'signal', (s) => s.sessionId === sessionId, 15_000);
    valueOf(await request(sharer, 'signal:send', { sessionId, signal: dataOnly, to: 'colleague' }));
    assert.equal((await offered).from, 'sharer');
    const answered = next(sharer, 'signal', (s) => s.from === 'colleague', 15_000);
    valueOf(await request(colleague, 'signal:send', { sessionId, signal: answer }));
    assert.deepEqual((await answered).signal, answer);

    const allowed = next(colleague, 'session:colleague', (c) => c.state === 'allowed', 15_000);
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));
    await allowed;
    const heard = next(colleague, 'chat:message', (m) => m.from === 'sharer', 15_000);
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'Can you see it?' }));
    assert.equal((await heard).text, 'Can you see it?');
    const toHelper = next(helper, 'chat:message', (m) => m.from === 'colleague', 15_000);
    valueOf(await request(colleague, 'chat:send', { sessionId, clientId: randomUUID(), text: 'Yes' }));
    assert.equal((await toHelper).senderName, demoUsers.contosoAdmin.name);

    const ended = next(colleague, 'session:ended', (e) => e.sessionId === sessionId, 15_000);
    valueOf(await request(helper, 'session:end', { sessionId }));
    assert.equal((await ended).by, 'helper');
  });
});
