// The nodes a chat append reports (ChatAppend.nodes, read in the same step as the append): every node
// that ever held an owner of the session, so a node that finds itself alone there emits without
// publishing (session-routing.ts). The list only grows: an owner that left may leave a socket behind.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRedisSessionStore } from '#relay/live/redis-session-store.js';
import type { SessionRecord } from '#relay/sessions/session-store.js';
import { useRedis } from '../../support/redis-server.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const member = (userId: string) => ({ tenantId: 'tenant-contoso', userId, name: userId, upn: `${userId}@contoso.example` });
const message = (text: string) => ({ sessionId: '', clientId: randomUUID(), from: 'helper' as const, senderName: 'helper-1', text, sentAt: new Date(t0).toISOString() });

describe('the nodes of a session, as a chat append reports them', () => {
  const redis = useRedis();

  it("names each owner's node once, keeps a node whose owner left, and says nothing of a session with none", async () => {
    const store = createRedisSessionStore(redis.client, { prefix: `rh-chat-nodes-${randomUUID()}:` });
    const s: SessionRecord = { id: randomUUID(), tenantId: 'tenant-contoso', state: 'created', createdAt: t0, expiresAt: t0 + 600_000, helper: member('helper-1') };
    const append = async (text: string) => {
      const r = await store.appendChat(s.id, randomUUID(), { ...message(text), sessionId: s.id }, 100);
      assert.ok(r.ok && r.added);
      return r.nodes;
    };
    await store.insert(s, randomUUID().slice(0, 8));
    await store.transition(s.id, ['created'], { state: 'joined', sharer: member('sharer-1') });
    assert.deepEqual(await append('no owner yet'), []);

    await store.update(s.id, ['joined'], (r) => ({ owners: { ...r.owners, helper: { node: 'node-a', socket: 'h1' } } }));
    await store.update(s.id, ['joined'], (r) => ({ owners: { ...r.owners, sharer: { node: 'node-a', socket: 's1' } } }));
    assert.deepEqual(await append('both on a'), ['node-a']);

    await store.update(s.id, ['joined'], (r) => ({ owners: { ...r.owners, sharer: { node: 'node-b', socket: 's2' } } }));
    assert.deepEqual(await append('the sharer on b'), ['node-a', 'node-b']);
    // Back on a: b may still hold the sharer's old socket.
    await store.update(s.id, ['joined'], (r) => ({ owners: { ...r.owners, sharer: { node: 'node-a', socket: 's3' } } }));
    assert.deepEqual(await append('back on a'), ['node-a', 'node-b']);
    // A resend is answered, not emitted: it needs no nodes.
    const resent = await store.appendChat(s.id, 'same-key', { ...message('once'), sessionId: s.id }, 100);
    const again = await store.appendChat(s.id, 'same-key', { ...message('once'), sessionId: s.id }, 100);
    assert.ok(resent.ok && again.ok && !again.added && again.message.seq === resent.message.seq);
  });
});
