// The indexes of the sessions a person may be in (relay/src/sessions/person-index.ts: 'invited' and
// 'member'), on one node and on Redis: what one node adds, another lists; each person has their own,
// each index its own; a removal is seen; nothing outlives its expiry.
import assert from 'node:assert/strict';
import { createRedisPersonIndex } from '#relay/live/redis-person-index.js';
import { liveBackends } from '../../support/live-backends.js';

const kenji = { tenantId: 'contoso', userId: 'kenji' };
const liu = { tenantId: 'contoso', userId: 'liu' };
const otherKenji = { tenantId: 'fabrikam', userId: 'kenji' };

for (const backend of liveBackends()) {
  describe(`the person indexes, ${backend.name}`, () => {
    before(() => backend.start());
    after(() => backend.stop());

    for (const name of ['invited', 'member'] as const) {
      it(`'${name}': lists what was added for a person, on any node, and each person's alone`, async () => {
        const shared = await backend.personIndex(name);
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
    }

    if (backend.name === 'in Redis') {
      it('keeps the two indexes apart on the same server, and lets a person\'s set expire (invitations a day, memberships a week after the last addition)', async () => {
        const invited = await backend.personIndex('invited');
        // The same prefix, as two indexes of one relay have.
        const member = createRedisPersonIndex(invited.redis!, 'member', { prefix: invited.prefix! });
        await invited.value.add(kenji, 's1');
        await member.add(kenji, 's2');
        assert.deepEqual(await invited.value.sessionsOf(kenji), ['s1']);
        assert.deepEqual(await member.sessionsOf(kenji), ['s2']);
        for (const [name, days] of [['invited', 1], ['member', 7]] as const) {
          const ttl = await invited.redis!.pTTL(`${invited.prefix}${name}:contoso:kenji`);
          assert.ok(ttl > (days * 24 - 1) * 3_600_000 && ttl <= days * 24 * 3_600_000, `the '${name}' set expires in ${ttl} ms`);
        }
      });
    }
  });
}
