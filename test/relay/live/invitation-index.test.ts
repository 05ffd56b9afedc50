// The index of the sessions a person may be invited to (relay/src/sessions/invitation-index.ts), on one
// node and on Redis: what one node adds, another lists; each person has their own; a removal is seen.
import assert from 'node:assert/strict';
import { liveBackends } from '../../support/live-backends.js';

const kenji = { tenantId: 'contoso', userId: 'kenji' };
const liu = { tenantId: 'contoso', userId: 'liu' };
const otherKenji = { tenantId: 'fabrikam', userId: 'kenji' };

for (const backend of liveBackends()) {
  describe(`the invitation index, ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    it('lists what was added for a person, on any node, and each person\'s alone', async () => {
      const shared = await backend.invitationIndex();
      const b = await shared.another();
      await shared.value.add(kenji, 's1');
      await shared.value.add(kenji, 's2');
      await shared.value.add(kenji, 's2');
      await b.add(liu, 's3');
      assert.deepEqual((await b.sessionsOf(kenji)).sort(), ['s1', 's2']);
      assert.deepEqual(await shared.value.sessionsOf(liu), ['s3']);
      assert.deepEqual(await b.sessionsOf(otherKenji), [], 'the same user id in another tenant is another person');
      await b.remove(kenji, 's1');
      await b.remove(kenji, 'never-added');
      assert.deepEqual(await shared.value.sessionsOf(kenji), ['s2']);
    });

    if (backend.name === 'in Redis') {
      it('lets a person\'s set expire a day after the last invitation: nothing outlives the sessions', async () => {
        const shared = await backend.invitationIndex();
        await shared.value.add(kenji, 's1');
        const ttl = await shared.redis!.pTTL(`${shared.prefix}invited:contoso:kenji`);
        assert.ok(ttl > 23 * 3_600_000 && ttl <= 24 * 3_600_000, `the set expires in ${ttl} ms`);
      });
    }
  });
}
