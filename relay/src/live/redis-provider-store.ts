// The embedded provider's state (sessions, grants, interactions, codes, refresh tokens…) in Redis, so a
// sign-in that starts on one node finishes on another (DESIGN §12). After oidc-provider's own example
// adapter (example/adapters/redis.js): one key per item with the provider's expiresIn as its TTL, a list
// per grant of the tokens issued under it (revokeByGrantId), lookup keys for uid and userCode, and the
// single-use models kept as a hash so `consume` marks one field without rewriting the payload.
// Everything per tenant under the prefix: the providers of several tenants never see each other's ids.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ProviderStore } from '../identity/provider-store.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

/** Models whose items name their grant: revoking the grant removes them. */
const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** Models used once: the provider marks them `consumed` rather than deleting them (to detect replays). */
const consumable = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export function createRedisProviderStore(redis: RedisClient, opts: { prefix?: string } = {}): ProviderStore {
  const prefix = `${opts.prefix ?? defaultRedisPrefix}op:`;
  return {
    adapterFor: (tenant) => (model): Adapter => {
      const base = `${prefix}${tenant}:`;
      const key = (id: string): string => `${base}${model}:id:${id}`;
      const grantKey = (grantId: string): string => `${base}grant:${grantId}`;
      const uidKey = (uid: string): string => `${base}${model}:uid:${uid}`;
      const userCodeKey = (userCode: string): string => `${base}${model}:userCode:${userCode}`;

      const find = async (id: string): Promise<AdapterPayload | undefined> => {
        if (consumable.has(model)) {
          const { payload, consumed } = await redis.hGetAll(key(id));
          if (!payload) return undefined;
          return { ...(JSON.parse(payload) as AdapterPayload), ...(consumed ? { consumed: Number(consumed) } : {}) };
        }
        const payload = await redis.get(key(id));
        return payload ? (JSON.parse(payload) as AdapterPayload) : undefined;
      };
      const findBy = async (lookup: string): Promise<AdapterPayload | undefined> => {
        const id = await redis.get(lookup);
        return id ? find(id) : undefined;
      };

      return {
        async upsert(id, payload, expiresIn) {
          const k = key(id);
          const multi = redis.multi();
          // DEL first: a consumable hash rewritten must not keep an old `consumed` field.
          if (consumable.has(model)) multi.del(k).hSet(k, { payload: JSON.stringify(payload) });
          else multi.set(k, JSON.stringify(payload));
          if (expiresIn) multi.expire(k, expiresIn);
          if (grantable.has(model) && payload.grantId) {
            const g = grantKey(payload.grantId);
            multi.rPush(g, k);
            // The list lives as long as its longest-lived token.
            if (expiresIn && expiresIn > (await redis.ttl(g))) multi.expire(g, expiresIn);
          }
          for (const [lookup, on] of [[payload.uid, uidKey], [payload.userCode, userCodeKey]] as const) {
            if (!lookup) continue;
            multi.set(on(lookup), id);
            if (expiresIn) multi.expire(on(lookup), expiresIn);
          }
          await multi.exec();
        },
        find,
        findByUid: (uid) => findBy(uidKey(uid)),
        findByUserCode: (userCode) => findBy(userCodeKey(userCode)),
        async consume(id) {
          // Only an item still there: a field set on an expired key would make a hash that never expires.
          if (!(await redis.exists(key(id)))) return;
          // The provider's time (it stamps what it stores with the system time), in seconds as it writes them.
          await redis.hSet(key(id), 'consumed', Math.floor(Date.now() / 1000));
        },
        async destroy(id) {
          await redis.del(key(id));
        },
        async revokeByGrantId(grantId) {
          const g = grantKey(grantId);
          const tokens = await redis.lRange(g, 0, -1);
          await redis.multi().del([...tokens, g]).exec();
        },
      };
    },
    // The client is the caller's (shared by the node's parts), closed by whoever made it.
    close: () => undefined,
  };
}
