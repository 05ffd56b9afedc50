// Where the providers keep sessions, grants, codes and refresh tokens: SQLite in the data folder, so
// a restart signs nobody out and the console's refresh tokens keep working. Rows are per tenant.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { ensurePrivateFile } from '../sqlite/private-files.js';

export interface ProviderStore {
  adapterFor(tenantId: string): AdapterFactory;
  close(): void;
}

interface Row { payload: string }

export function createProviderStore(dataDir: string): ProviderStore {
  const dir = join(dataDir, 'identity');
  ensurePrivateFile(join(dir, 'provider.db'));
  const db = new Database(join(dir, 'provider.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS provider_items (
      tenant TEXT NOT NULL, model TEXT NOT NULL, id TEXT NOT NULL,
      payload TEXT NOT NULL, grant_id TEXT, user_code TEXT, uid TEXT, expires_at INTEGER,
      PRIMARY KEY (tenant, model, id));
    CREATE INDEX IF NOT EXISTS provider_items_grant ON provider_items(tenant, grant_id);
    CREATE INDEX IF NOT EXISTS provider_items_uid ON provider_items(tenant, model, uid);`);

  // The provider's time, not the relay's clock: oidc-provider stamps what it stores (expiresIn, consumed)
  // with the system time, and its adapter must judge expiry by the same time.
  const now = () => Date.now();
  const live = 'AND (expires_at IS NULL OR expires_at > ?)';
  const q = {
    upsert: db.prepare(`INSERT INTO provider_items (tenant, model, id, payload, grant_id, user_code, uid, expires_at)
      VALUES (@tenant, @model, @id, @payload, @grantId, @userCode, @uid, @expiresAt)
      ON CONFLICT (tenant, model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`),
    find: db.prepare<[string, string, string, number], Row>(`SELECT payload FROM provider_items WHERE tenant = ? AND model = ? AND id = ? ${live}`),
    byUid: db.prepare<[string, string, string, number], Row>(`SELECT payload FROM provider_items WHERE tenant = ? AND model = ? AND uid = ? ${live}`),
    byUserCode: db.prepare<[string, string, string, number], Row>(`SELECT payload FROM provider_items WHERE tenant = ? AND model = ? AND user_code = ? ${live}`),
    destroy: db.prepare('DELETE FROM provider_items WHERE tenant = ? AND model = ? AND id = ?'),
    revoke: db.prepare('DELETE FROM provider_items WHERE tenant = ? AND grant_id = ?'),
    sweep: db.prepare('DELETE FROM provider_items WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    // oidc-provider marks a used code / rotated refresh token by a `consumed` timestamp in its payload.
    consume: db.prepare<[number, string, string, string]>(
      "UPDATE provider_items SET payload = json_set(payload, '$.consumed', ?) WHERE tenant = ? AND model = ? AND id = ?"),
  };
  q.sweep.run(now());
  const sweeper = setInterval(() => q.sweep.run(now()), 10 * 60 * 1000);
  sweeper.unref();

  const parse = (row: Row | undefined): AdapterPayload | undefined => (row ? (JSON.parse(row.payload) as AdapterPayload) : undefined);

  return {
    adapterFor: (tenant) => (model): Adapter => ({
      async upsert(id, payload, expiresIn) {
        q.upsert.run({
          tenant, model, id,
          payload: JSON.stringify(payload),
          grantId: payload.grantId ?? null,
          userCode: payload.userCode ?? null,
          uid: payload.uid ?? null,
          expiresAt: expiresIn ? now() + expiresIn * 1000 : null,
        });
      },
      async find(id) {
        return parse(q.find.get(tenant, model, id, now()));
      },
      async findByUid(uid) {
        return parse(q.byUid.get(tenant, model, uid, now()));
      },
      async findByUserCode(userCode) {
        return parse(q.byUserCode.get(tenant, model, userCode, now()));
      },
      async consume(id) {
        q.consume.run(Math.floor(now() / 1000), tenant, model, id);
      },
      async destroy(id) {
        q.destroy.run(tenant, model, id);
      },
      async revokeByGrantId(grantId) {
        q.revoke.run(tenant, grantId);
      },
    }),
    close: () => {
      clearInterval(sweeper);
      db.close();
    },
  };
}
