// What one chat message costs the relay (issue 12, point 1): a member's socket that created, joined or
// resumed the session chats with no read of the session record, and whether the tenant has chat on is
// read from the directory once a second at most, not per message; an admin's change on this node is
// seen at once, and a failed read is not remembered.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ok } from '#protocol';
import type { PolicyStore, Tenant } from '#relay/ports.js';
import { createChatSetting, withSettingsWrites } from '#relay/sessions/chat-setting.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import { contoso, helper, manualClock, serviceUnderTest, sharer, value } from '../../fixtures/session-directory.js';

const here = { address: '127.0.0.1' };

describe('the cost of a chat message', () => {
  it('reads no session record for a member chatting from its own socket, and one per message otherwise', async () => {
    const store = createMemorySessionStore();
    let reads = 0;
    const counted = Object.create(store) as typeof store;
    counted.get = (id) => {
      reads++;
      return store.get(id);
    };
    const t = serviceUnderTest({ store: counted });
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, here));
    reads = 0;
    for (let i = 0; i < 50; i++) {
      value(await t.sessions.chat(helper, { sessionId: created.sessionId, clientId: randomUUID(), text: `message ${i}` }, 'helper'));
      value(await t.sessions.chat(sharer, { sessionId: created.sessionId, clientId: randomUUID(), text: `answer ${i}` }, 'sharer'));
    }
    assert.equal(reads, 0, 'a message from an attached socket read the session record');
    // A socket not attached (another node's, a first message after a reconnect) is checked against the record.
    value(await t.sessions.chat(helper, { sessionId: created.sessionId, clientId: randomUUID(), text: 'from elsewhere' }));
    assert.equal(reads, 1);
  });

  describe('whether chat is on', () => {
    function countingDirectory(chatEnabled: boolean) {
      const d = {
        reads: 0,
        chatEnabled,
        fail: false,
        async tenant(id: string): Promise<Tenant | undefined> {
          d.reads++;
          if (d.fail) throw new Error('directory unavailable');
          return { ...contoso, id, settings: { ...contoso.settings, chatEnabled: d.chatEnabled } };
        },
      };
      return d;
    }

    it('is read once a second per tenant at most, however many messages', async () => {
      const clock = manualClock();
      const directory = countingDirectory(true);
      const setting = createChatSetting(directory, clock);
      for (let i = 0; i < 1000; i++) assert.equal(await setting.enabled('contoso'), true);
      assert.equal(directory.reads, 1);
      await setting.enabled('fabrikam');
      assert.equal(directory.reads, 2, 'each tenant is read for itself');
      // Turned off on another node: seen here within the second.
      directory.chatEnabled = false;
      clock.advance(999);
      assert.equal(await setting.enabled('contoso'), true);
      clock.advance(1);
      assert.equal(await setting.enabled('contoso'), false);
      assert.equal(directory.reads, 3);
    });

    it('sees a change written through this node at once', async () => {
      const clock = manualClock();
      const directory = countingDirectory(true);
      const setting = createChatSetting(directory, clock);
      const written: Pick<PolicyStore, 'updateSettings'> = {
        async updateSettings(_tenantId, settings) {
          directory.chatEnabled = settings.chatEnabled;
          return ok({ ...contoso.settings, ...settings });
        },
      };
      const admin = withSettingsWrites(written, (tenantId) => setting.invalidate(tenantId));
      assert.equal(await setting.enabled('contoso'), true);
      await admin.updateSettings('contoso', { ...contoso.settings, chatEnabled: false });
      assert.equal(await setting.enabled('contoso'), false, 'the next message after the write still saw chat on');
    });

    it('does not remember a failed read: the next message asks again', async () => {
      const clock = manualClock();
      const directory = countingDirectory(true);
      const setting = createChatSetting(directory, clock);
      directory.fail = true;
      await assert.rejects(setting.enabled('contoso'));
      directory.fail = false;
      assert.equal(await setting.enabled('contoso'), true);
      assert.equal(directory.reads, 2);
    });
  });
});
