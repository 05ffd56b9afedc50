// The device keys registered at enrollment, in their own SQLite file (device-trust.db): which public key
// belongs to which device, tenant and enrolling user, and what the device last reported about itself.
// The directory keeps the device as helpers see it; this file keeps what proves it is that device.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceProperties, EcPublicJwk } from '#protocol';

export interface DeviceKey {
  deviceId: string;
  tenantId: string;
  userId: string;
  /** RFC 7638 thumbprint of the public key: the same browser key enrolling again updates its device. */
  thumbprint: string;
  publicJwk: EcPublicJwk;
  properties: DeviceProperties;
  enrolledAt: string;
  lastCheckIn: string;
}

export interface KeyStore {
  byId(deviceId: string): DeviceKey | undefined;
  byThumbprint(tenantId: string, thumbprint: string): DeviceKey | undefined;
  ofTenant(tenantId: string): DeviceKey[];
  put(key: DeviceKey): void;
  /** Forgets the device's key (an administrator removed the device): the browser can no longer prove it,
   * and the same key enrolling again makes a new, pending device. Answers whether there was one. */
  remove(tenantId: string, deviceId: string): boolean;
  close(): void;
}

interface Row {
  device_id: string; tenant_id: string; user_id: string; thumbprint: string; public_jwk: string;
  properties: string; enrolled_at: string; last_check_in: string;
}

const toKey = (r: Row): DeviceKey => ({
  deviceId: r.device_id,
  tenantId: r.tenant_id,
  userId: r.user_id,
  thumbprint: r.thumbprint,
  publicJwk: JSON.parse(r.public_jwk) as EcPublicJwk,
  properties: JSON.parse(r.properties) as DeviceProperties,
  enrolledAt: r.enrolled_at,
  lastCheckIn: r.last_check_in,
});

export function createKeyStore(dataDir: string): KeyStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'device-trust.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS device_keys (
      device_id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      thumbprint TEXT NOT NULL,
      public_jwk TEXT NOT NULL,
      properties TEXT NOT NULL,
      enrolled_at TEXT NOT NULL,
      last_check_in TEXT NOT NULL,
      UNIQUE (tenant_id, thumbprint));`);
  const q = {
    byId: db.prepare<[string], Row>('SELECT * FROM device_keys WHERE device_id = ?'),
    byThumbprint: db.prepare<[string, string], Row>('SELECT * FROM device_keys WHERE tenant_id = ? AND thumbprint = ?'),
    ofTenant: db.prepare<[string], Row>('SELECT * FROM device_keys WHERE tenant_id = ? ORDER BY device_id'),
    put: db.prepare(`INSERT INTO device_keys (device_id, tenant_id, user_id, thumbprint, public_jwk, properties, enrolled_at, last_check_in)
      VALUES (@deviceId, @tenantId, @userId, @thumbprint, @publicJwk, @properties, @enrolledAt, @lastCheckIn)
      ON CONFLICT (device_id) DO UPDATE SET user_id = excluded.user_id, public_jwk = excluded.public_jwk,
        thumbprint = excluded.thumbprint, properties = excluded.properties, last_check_in = excluded.last_check_in`),
    remove: db.prepare('DELETE FROM device_keys WHERE tenant_id = ? AND device_id = ?'),
  };
  return {
    byId: (id) => {
      const row = q.byId.get(id);
      return row && toKey(row);
    },
    byThumbprint: (tenantId, thumbprint) => {
      const row = q.byThumbprint.get(tenantId, thumbprint);
      return row && toKey(row);
    },
    ofTenant: (tenantId) => q.ofTenant.all(tenantId).map(toKey),
    put: (k) => {
      q.put.run({ ...k, publicJwk: JSON.stringify(k.publicJwk), properties: JSON.stringify(k.properties) });
    },
    remove: (tenantId, deviceId) => q.remove.run(tenantId, deviceId).changes > 0,
    close: () => db.close(),
  };
}
