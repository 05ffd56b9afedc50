// Redis keeps the cluster's live sessions by state for /metrics in sets written by the same script as
// each session (so every node's scrape agrees, and costs one SCARD per state): they follow every
// transition, a session ended leaves them, and one whose key expired unwritten leaves them at the next
// read of the live index.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRedisSessionStore } from '#relay/live/redis-session-store.js';
import type { SessionRecord } from '#relay/sessions/session-store.js';
import { useRedis } from '../../support/redis-server.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const sharer = { tenantId: 'tenant-contoso', userId: 'sharer-1', name: 'Sam Sharer', upn: 'sam@contoso.example' };
const record = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  id: randomUUID(), tenantId: 'tenant-contoso', state: 'created', createdAt: t0, expiresAt: t0 + 600_000,
  helper: { tenantId: 'tenant-contoso', userId: 'helper-1', name: 'Hanna Helper', upn: 'hanna@contoso.example' },
  ...over,
});

describe('live sessions by state in Redis', () => {
  const redis = useRedis();

  it('follows each session through its states, on any node, and forgets a session whose key expired', async () => {
    const prefix = `rh-by-state-${randomUUID()}:`;
    const node1 = createRedisSessionStore(redis.client, { prefix });
    const node2 = createRedisSessionStore(redis.client, { prefix });
    const [a, b, c] = [record(), record(), record()];
    for (const s of [a, b, c]) assert.equal(await node1.insert(s, randomUUID().slice(0, 8)), true);
    assert.deepEqual(await node2.liveByState(), { created: 3 });

    await node2.transition(a.id, ['created'], { state: 'joined', sharer });
    await node1.transition(b.id, ['created'], { state: 'joined', sharer });
    await node1.transition(b.id, ['joined'], { state: 'sharing' });
    assert.deepEqual(await node1.liveByState(), { created: 1, joined: 1, sharing: 1 });

    await node2.transition(b.id, ['sharing'], { state: 'ended', endedAt: t0 + 1000 });
    assert.deepEqual(await node1.liveByState(), { created: 1, joined: 1 });

    // a's key expires without a write (a session nobody touched for a day): the live index's next read drops it.
    await redis.client.del(`${prefix}s:${a.id}`);
    assert.deepEqual((await node1.liveSessions()).sort(), [c.id]);
    assert.deepEqual(await node2.liveByState(), { created: 1 });
  });
});
