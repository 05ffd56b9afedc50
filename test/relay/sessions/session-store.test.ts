// The SessionStore contract, run against each implementation: in memory (one node) and in a real
// redis-server (several nodes). "Two nodes" are two stores over two connections to the same state; with
// the memory store both are the same object, so the cases hold there trivially and say what is asked.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, SessionRole } from '#protocol';
import type { SessionRecord, SessionStore } from '#relay/sessions/session-store.js';
import { liveBackends } from '../../support/live-backends.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const codeLifetimeMs = 10 * 60_000;
const tombstoneMs = 60 * 60_000;

const record = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  id: randomUUID(), tenantId: 'tenant-contoso', state: 'created', createdAt: t0, expiresAt: t0 + codeLifetimeMs,
  helper: { tenantId: 'tenant-contoso', userId: 'helper-1', name: 'Hanna Helper', upn: 'hanna@contoso.example' },
  ...over,
});
const sharer = { tenantId: 'tenant-contoso', userId: 'sharer-1', name: 'Sam Sharer', upn: 'sam@contoso.example' };
const message = (sessionId: string, text: string, from: SessionRole = 'helper'): Omit<ChatMessage, 'seq'> => ({
  sessionId, clientId: randomUUID(), from, senderName: 'Hanna Helper', text, sentAt: new Date(t0).toISOString(),
});
const live = ['created', 'joined', 'sharing'] as const;

for (const backend of liveBackends()) {
  describe(`the session store, ${backend.name}`, () => {
    let store: SessionStore;
    let another: () => Promise<SessionStore>;
    let shared: Awaited<ReturnType<typeof backend.sessionStore>>;
    before(() => backend.start());
    after(() => backend.stop());
    beforeEach(async () => {
      shared = await backend.sessionStore({ tombstoneMs });
      store = shared.value;
      another = shared.another;
    });

    describe('codes', () => {
      it('stores a session under a free code and refuses a taken one', async () => {
        const s = record();
        assert.equal(await store.insert(s, 'abcd1234'), true);
        assert.equal(await store.insert(record(), 'abcd1234'), false);
        assert.deepEqual(await store.get(s.id), s);
        assert.deepEqual(await store.lookupCode('abcd1234', t0), { status: 'valid', sessionId: s.id });
        assert.equal(await store.lookupCode('zzzz9999', t0), undefined);
      });

      it('lets a code be claimed once, even by two nodes at the same moment', async () => {
        const nodeB = await another();
        const s = record();
        await store.insert(s, 'abcd1234');
        const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : nodeB).claimCode('abcd1234', t0 + 1)));
        assert.equal(claims.filter(Boolean).length, 1);
        assert.deepEqual(await nodeB.lookupCode('abcd1234', t0 + 2), { status: 'used', sessionId: s.id });
      });

      it('gives a code to one of two nodes inserting under it at once', async () => {
        const nodeB = await another();
        const inserted = await Promise.all([store.insert(record(), 'samecode'), nodeB.insert(record(), 'samecode')]);
        assert.deepEqual(inserted.sort(), [false, true]);
      });

      it('answers expired from the code\'s expiry on, and refuses to claim it', async () => {
        const s = record();
        await store.insert(s, 'abcd1234');
        assert.equal((await store.lookupCode('abcd1234', s.expiresAt - 1))?.status, 'valid');
        assert.equal((await store.lookupCode('abcd1234', s.expiresAt))?.status, 'expired');
        assert.equal(await store.claimCode('abcd1234', s.expiresAt), false);
      });
    });

    describe('state changes', () => {
      it('moves a session only from the states given (compare-and-set)', async () => {
        const s = record();
        await store.insert(s, 'abcd1234');
        assert.equal(await store.transition(s.id, ['joined'], { state: 'sharing' }), undefined);
        const joined = await store.transition(s.id, ['created'], { state: 'joined', sharer, joinedAt: t0 + 1 });
        assert.equal(joined?.state, 'joined');
        assert.deepEqual(await store.get(s.id), joined);
        assert.equal(await store.transition(randomUUID(), ['created'], { state: 'joined' }), undefined);
      });

      it('lets one of two nodes racing the same transition win', async () => {
        const nodeB = await another();
        const s = record({ state: 'sharing' });
        await store.insert(s, 'abcd1234');
        const ends = await Promise.all(Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? store : nodeB).update(s.id, live, () => ({ state: 'ended', endedAt: t0 + i }))));
        assert.equal(ends.filter((e) => e?.changed).length, 1, 'ended once');
      });

      it('applies both of two conflicting updates from two nodes (the change is asked again)', async () => {
        const nodeB = await another();
        const s = record({ state: 'sharing', gaps: [] });
        await store.insert(s, 'abcd1234');
        const add = (from: number) => (r: SessionRecord) => ({ gaps: [...(r.gaps ?? []), { role: 'sharer' as const, from, to: null, reason: 'left' as const }] });
        await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : nodeB).update(s.id, live, add(i))));
        const gaps = (await store.get(s.id))?.gaps ?? [];
        assert.deepEqual(gaps.map((g) => g.from).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
      });

      it('answers the record unchanged when the change has nothing to apply', async () => {
        const s = record();
        await store.insert(s, 'abcd1234');
        assert.deepEqual(await store.update(s.id, live, () => undefined), { record: s, changed: false });
        assert.equal(await store.update(s.id, ['sharing'], () => ({ paused: true })), undefined);
      });
    });

    describe('chat', () => {
      async function sharing(): Promise<SessionRecord> {
        const s = record({ state: 'sharing', sharer });
        await store.insert(s, randomUUID().slice(0, 8));
        return s;
      }

      it('numbers messages 1, 2, 3 across nodes and answers a resend with the stored message', async () => {
        const nodeB = await another();
        const s = await sharing();
        const sent = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? store : nodeB).appendChat(s.id, `helper:${i}`, message(s.id, `m${i}`), 100)));
        assert.deepEqual(sent.map((a) => a.ok && a.message.seq).sort((a, b) => Number(a) - Number(b)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        const first = sent[0]!;
        assert.ok(first.ok);
        const again = await nodeB.appendChat(s.id, 'helper:0', message(s.id, 'm0 again'), 100);
        assert.deepEqual(again, { ok: true, message: first.message, added: false });
        const after = (await store.chatAfter(s.id, 7)).messages;
        assert.deepEqual(after.map((m) => m.seq), [8, 9, 10]);
        assert.deepEqual(after.find((m) => m.seq === first.message.seq) ?? first.message, first.message);
      });

      it('refuses past the maximum (a resend still answered), and after the end', async () => {
        const s = await sharing();
        for (let i = 0; i < 3; i++) assert.ok((await store.appendChat(s.id, `k${i}`, message(s.id, `m${i}`), 3)).ok);
        assert.deepEqual(await store.appendChat(s.id, 'k3', message(s.id, 'one more'), 3), { ok: false, reason: 'full' });
        assert.equal((await store.appendChat(s.id, 'k1', message(s.id, 'm1'), 3)).ok, true);
        await store.transition(s.id, live, { state: 'ended', endedAt: t0 + 1 });
        assert.deepEqual(await store.appendChat(s.id, 'k9', message(s.id, 'late'), 100), { ok: false, reason: 'ended' });
        assert.deepEqual(await store.appendChat(randomUUID(), 'k9', message(s.id, 'nowhere'), 100), { ok: false, reason: 'ended' });
      });

      it('forgets the thread when dropped', async () => {
        const s = await sharing();
        await store.appendChat(s.id, 'k', message(s.id, 'hello'), 10);
        await store.dropChat(s.id);
        assert.deepEqual((await store.chatAfter(s.id, 0)).messages, []);
      });
    });

    describe('sweeping', () => {
      it('lists unjoined sessions past their code\'s expiry and the live sessions', async () => {
        const waiting = record();
        const joined = record({ state: 'joined', sharer });
        const over = record({ state: 'ended', endedAt: t0 });
        for (const s of [waiting, joined, over]) await store.insert(s, randomUUID().slice(0, 8));
        assert.deepEqual(await store.expiredUnjoined(waiting.expiresAt - 1), []);
        assert.deepEqual(await store.expiredUnjoined(waiting.expiresAt), [waiting.id]);
        assert.deepEqual((await store.liveSessions()).sort(), [waiting.id, joined.id].sort());
        await store.transition(waiting.id, ['created'], { state: 'expired', endedAt: waiting.expiresAt });
        assert.deepEqual(await store.expiredUnjoined(waiting.expiresAt), []);
        assert.deepEqual(await store.liveSessions(), [joined.id]);
      });

      it('purges sessions that ended before the time given, with their chat and expired codes', async () => {
        const old = record({ state: 'sharing', sharer });
        const recent = record({ state: 'sharing', sharer });
        await store.insert(old, 'oldcode1');
        await store.insert(recent, 'newcode1');
        await store.appendChat(old.id, 'k', message(old.id, 'hi'), 10);
        await store.transition(old.id, live, { state: 'ended', endedAt: t0 + codeLifetimeMs + 1000 });
        await store.transition(recent.id, live, { state: 'ended', endedAt: t0 + codeLifetimeMs + 5000 });
        await store.purge(t0 + codeLifetimeMs + 2000);
        assert.equal(await store.get(old.id), undefined);
        assert.equal(await store.lookupCode('oldcode1', t0), undefined);
        assert.deepEqual((await store.chatAfter(old.id, 0)).messages, []);
        assert.equal((await store.get(recent.id))?.state, 'ended');
        assert.equal((await store.lookupCode('newcode1', t0))?.sessionId, recent.id);
      });

      it('lists away members whose grace has ended, with their gap and reason', async () => {
        const s = record({ state: 'sharing', sharer });
        await store.insert(s, 'abcd1234');
        await store.update(s.id, live, () => ({
          gaps: [{ role: 'sharer', from: t0, to: null, reason: 'connection' }],
          away: { sharer: { reason: 'connection', graceEndsAt: t0 + 1000, gap: 0 } },
        }));
        assert.deepEqual(await store.awayExpired(t0 + 999), []);
        assert.deepEqual(await store.awayExpired(t0 + 1000), [{ sessionId: s.id, role: 'sharer', gap: 0, reason: 'connection' }]);
        await store.update(s.id, live, () => ({ away: {} }));
        assert.deepEqual(await store.awayExpired(t0 + 5000), [], 'back: no longer listed');
        await store.update(s.id, live, () => ({ away: { helper: { reason: 'left', graceEndsAt: t0 + 10, gap: 1 } } }));
        await store.transition(s.id, live, { state: 'ended', endedAt: t0 + 20 });
        assert.deepEqual(await store.awayExpired(t0 + 5000), [], 'an ended session waits for nobody');
      });
    });

    if (backend.name === 'in Redis') {
      describe('expiry (nothing outlives the nodes)', () => {
        async function ttls(): Promise<Map<string, number>> {
          const redis = shared.redis!;
          const keys = await redis.keys(`${shared.prefix!}*`);
          return new Map(await Promise.all(keys.map(async (k) => [k.slice(shared.prefix!.length), await redis.pTTL(k)] as const)));
        }

        it('gives every key it writes a TTL', async () => {
          const s = record();
          await store.insert(s, 'abcd1234');
          await store.transition(s.id, ['created'], { state: 'sharing', sharer, away: { sharer: { reason: 'left', graceEndsAt: t0, gap: 0 } } });
          await store.appendChat(s.id, 'k', message(s.id, 'hi'), 10);
          const all = await ttls();
          assert.ok(all.size >= 6, `keys: ${[...all.keys()].join(', ')}`);
          for (const [k, ttl] of all) assert.ok(ttl > 0, `${k} has no expiry (${ttl})`);
        });

        it('keeps an unjoined session to its code\'s expiry plus the tombstone time, a live one a day, an ended one the tombstone time', async () => {
          const s = record();
          await store.insert(s, 'abcd1234');
          const sessionTtl = async () => (await ttls()).get(`s:${s.id}`)!;
          const unjoined = await sessionTtl();
          assert.ok(unjoined <= codeLifetimeMs + tombstoneMs && unjoined > codeLifetimeMs + tombstoneMs - 60_000, String(unjoined));
          await store.transition(s.id, ['created'], { state: 'sharing', sharer });
          assert.ok((await sessionTtl()) > tombstoneMs + codeLifetimeMs, 'a live session is kept longer than an unjoined one');
          await store.transition(s.id, live, { state: 'ended', endedAt: t0 });
          const ended = await sessionTtl();
          assert.ok(ended <= tombstoneMs && ended > tombstoneMs - 60_000, String(ended));
          assert.ok([...(await ttls()).entries()].filter(([k]) => k.startsWith('code:')).every(([, ttl]) => ttl <= tombstoneMs), 'the code goes with it');
        });
      });
    }
  });
}
