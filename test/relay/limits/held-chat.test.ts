// The chat a session holds for resume is capped in bytes and read in pages (issue 12), on one node (in
// memory) and on several (Redis): a long chat costs the relay at most the cap, and a resume at most a
// page per request, however small the request.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '#protocol';
import { chatMessageBytes, type SessionRecord, type SessionStore } from '#relay/sessions/session-store.js';
import { liveBackends } from '../../support/live-backends.js';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const heldBytes = 4096;
const record = (): SessionRecord => ({
  id: randomUUID(), tenantId: 'tenant-contoso', state: 'sharing', createdAt: t0, expiresAt: t0 + 600_000,
  helper: { tenantId: 'tenant-contoso', userId: 'helper-1', name: 'Hanna Helper', upn: 'hanna@contoso.example' },
});
const message = (sessionId: string, text: string, clientId = randomUUID()): Omit<ChatMessage, 'seq'> => ({
  sessionId, clientId, from: 'helper', senderName: 'Hanna Helper', text, sentAt: new Date(t0).toISOString(),
});
const weight = (messages: ChatMessage[]): number => messages.reduce((sum, { seq: _seq, ...m }) => sum + chatMessageBytes(m), 0);

for (const backend of liveBackends()) {
  describe(`the chat held for resume, ${backend.name}`, () => {
    let store: SessionStore;
    let sessionId: string;
    before(() => backend.start());
    after(() => backend.stop());
    beforeEach(async () => {
      store = (await backend.sessionStore({ chatHeldBytes: heldBytes })).value;
      const s = record();
      sessionId = s.id;
      await store.insert(s, randomUUID().slice(0, 8));
    });

    it('drops the oldest messages past the cap, numbering on, and says where the held chat starts', async () => {
      // 40 messages of about 300 bytes: 12 kB said, 4 kB held.
      for (let i = 1; i <= 40; i++) {
        const r = await store.appendChat(sessionId, `helper:${i}`, message(sessionId, `message ${i} ${'x'.repeat(200)}`), 1000);
        assert.ok(r.ok && r.message.seq === i, `message ${i} numbered ${i}`);
      }
      const all = await store.chatAfter(sessionId, 0);
      assert.ok(weight(all.messages) <= heldBytes, `held ${weight(all.messages)} bytes`);
      assert.ok(all.firstHeld > 1 && all.firstHeld < 40, `the oldest went: held from ${all.firstHeld}`);
      assert.deepEqual(all.messages.map((m) => m.seq), Array.from({ length: 41 - all.firstHeld }, (_, i) => all.firstHeld + i), 'the newest, in order, none missing');
      assert.equal(all.messages.at(-1)?.text.startsWith('message 40 '), true);
      assert.equal(all.more, false);
    });

    it('answers a page of at most the bytes asked (at least one message), with more to come', async () => {
      for (let i = 1; i <= 12; i++) await store.appendChat(sessionId, `helper:${i}`, message(sessionId, `m${i} ${'y'.repeat(250)}`), 1000);
      const seen: number[] = [];
      let after = 0;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 20, 'the pages come to an end');
        const page = await store.chatAfter(sessionId, after, 1000);
        assert.ok(page.messages.length >= 1);
        assert.ok(weight(page.messages) <= 1000, `page of ${weight(page.messages)} bytes`);
        seen.push(...page.messages.map((m) => m.seq));
        after = page.messages.at(-1)!.seq;
        if (!page.more) break;
      }
      const firstHeld = (await store.chatAfter(sessionId, 0, 1)).firstHeld;
      assert.deepEqual(seen, Array.from({ length: 13 - firstHeld }, (_, i) => firstHeld + i), 'every held message once, in order');
      const huge = await store.chatAfter(sessionId, 11, 10);
      assert.deepEqual(huge.messages.map((m) => m.seq), [12], 'a message heavier than the page still comes, alone');
    });

    it('answers a resend of a message dropped since with its own seq, not as a new message', async () => {
      const first = message(sessionId, 'the first one');
      await store.appendChat(sessionId, 'helper:first', first, 1000);
      for (let i = 0; i < 30; i++) await store.appendChat(sessionId, `helper:${i}`, message(sessionId, 'z'.repeat(300)), 1000);
      assert.ok((await store.chatAfter(sessionId, 0)).firstHeld > 1, 'the first one was dropped');
      const again = await store.appendChat(sessionId, 'helper:first', first, 1000);
      assert.ok(again.ok);
      assert.deepEqual({ seq: again.message.seq, added: again.added, text: again.message.text }, { seq: 1, added: false, text: 'the first one' });
      const next = await store.appendChat(sessionId, 'helper:next', message(sessionId, 'next'), 1000);
      assert.ok(next.ok && next.message.seq === 32, 'numbering goes on after the resend');
    });
  });
}
