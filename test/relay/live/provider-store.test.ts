// The embedded provider's adapter contract, run against the SQLite store (one node) and the Redis one
// (several nodes) on a real redis-server: what oidc-provider relies on to find, use once and revoke.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterPayload } from 'oidc-provider';
import { createProviderStore, type ProviderStore } from '#relay/identity/provider-store.js';
import { createRedisProviderStore } from '#relay/live/redis-provider-store.js';
import { useRedis } from '../../support/redis-server.js';

const shared = useRedis();

const implementations: { name: string; open(): { store: ProviderStore; close(): void } }[] = [
  {
    name: 'in SQLite',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'rh-provider-'));
      const store = createProviderStore(dir);
      return { store, close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'in Redis',
    open() {
      // Each test its own prefix: nothing one test wrote is seen by the next.
      const store = createRedisProviderStore(shared.client, { prefix: `t${Math.random().toString(36).slice(2)}:` });
      return { store, close: () => store.close() };
    },
  },
];

const payload = (extra: Partial<AdapterPayload> = {}): AdapterPayload => ({ iat: 1, exp: 2, kind: 'x', ...extra });

for (const impl of implementations) {
  describe(`the provider's store, ${impl.name}`, () => {
    let store: ProviderStore;
    let close: () => void;
    beforeEach(() => ({ store, close } = impl.open()));
    afterEach(() => close());

    it('finds what was stored, by id, by uid and by user code, within its tenant and model only', async () => {
      const sessions = store.adapterFor('contoso')('Session');
      await sessions.upsert('s1', payload({ uid: 'u1', accountId: 'alice' }), 60);
      assert.equal((await sessions.find('s1'))?.accountId, 'alice');
      assert.equal((await sessions.findByUid('u1'))?.accountId, 'alice');
      assert.equal(await store.adapterFor('fabrikam')('Session').find('s1'), undefined, 'another tenant');
      assert.equal(await store.adapterFor('contoso')('Interaction').find('s1'), undefined, 'another model');

      const devices = store.adapterFor('contoso')('DeviceCode');
      await devices.upsert('d1', payload({ userCode: 'ABCD-EFGH' }), 60);
      assert.equal((await devices.findByUserCode('ABCD-EFGH'))?.userCode, 'ABCD-EFGH');
      assert.equal(await devices.findByUserCode('ZZZZ-ZZZZ'), undefined);
    });

    it('replaces an item on upsert and forgets it on destroy', async () => {
      const grants = store.adapterFor('contoso')('Grant');
      await grants.upsert('g', payload({ accountId: 'a' }), 60);
      await grants.upsert('g', payload({ accountId: 'b' }), 60);
      assert.equal((await grants.find('g'))?.accountId, 'b');
      await grants.destroy('g');
      assert.equal(await grants.find('g'), undefined);
    });

    it('marks a code consumed, so the provider refuses its second use', async () => {
      const codes = store.adapterFor('contoso')('AuthorizationCode');
      await codes.upsert('c1', payload({ grantId: 'g1' }), 60);
      assert.equal((await codes.find('c1'))?.consumed, undefined);
      await codes.consume('c1');
      const consumed = (await codes.find('c1'))?.consumed as unknown;
      assert.equal(typeof consumed, 'number');
      assert.ok(Math.abs((consumed as number) - Date.now() / 1000) < 5);
      // A refresh token rotated under the same id starts unconsumed again.
      await codes.upsert('c1', payload({ grantId: 'g1' }), 60);
      assert.equal((await codes.find('c1'))?.consumed, undefined);
    });

    it('revokes every token of a grant, and no other', async () => {
      const adapter = store.adapterFor('contoso');
      await adapter('AuthorizationCode').upsert('code', payload({ grantId: 'g1' }), 60);
      await adapter('RefreshToken').upsert('rt', payload({ grantId: 'g1' }), 600);
      await adapter('AccessToken').upsert('at', payload({ grantId: 'g1' }), 60);
      await adapter('RefreshToken').upsert('other', payload({ grantId: 'g2' }), 600);
      await adapter('AccessToken').revokeByGrantId('g1');
      assert.equal(await adapter('AuthorizationCode').find('code'), undefined);
      assert.equal(await adapter('RefreshToken').find('rt'), undefined);
      assert.equal(await adapter('AccessToken').find('at'), undefined);
      assert.ok(await adapter('RefreshToken').find('other'));
    });

    it('forgets an item once its expiresIn has passed', async function () {
      this.timeout(10_000);
      const interactions = store.adapterFor('contoso')('Interaction');
      await interactions.upsert('i1', payload({ uid: 'i1' }), 1);
      assert.ok(await interactions.find('i1'));
      // Both stores judge expiry by the system time the provider stamps its items with: poll, not sleep blindly.
      const deadline = Date.now() + 5_000;
      while ((await interactions.find('i1')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await interactions.find('i1'), undefined);
      assert.equal(await interactions.findByUid('i1'), undefined);
    });
  });
}
