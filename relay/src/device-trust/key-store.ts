// The device keys registered at enrollment: which public key belongs to which device, tenant and
// enrolling user, and what the device last reported about itself. The directory keeps the device as
// helpers see it; this store keeps what proves it is that device. One implementation over KeptDb
// (relay/src/sql/kept-db.ts): its own SQLite file (device-trust.db) on one node, or its tables in the
// shared PostgreSQL (migrations part 'device-trust') with several.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import type { DeviceProperties, EcPublicJwk } from '#protocol';
import { applyPgMigrations } from '../pg/migrate.js';
import { keptDbOnPostgres, keptDbOnSqlite, type KeptDb } from '../sql/kept-db.js';
import { ensurePrivateFile } from '../sqlite/private-files.js';

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

/** Asynchronous because on PostgreSQL every answer is a round trip. */
export interface KeyStore {
  byId(deviceId: string): Promise<DeviceKey | undefined>;
  byThumbprint(tenantId: string, thumbprint: string): Promise<DeviceKey | undefined>;
  ofTenant(tenantId: string): Promise<DeviceKey[]>;
  put(key: DeviceKey): Promise<void>;
  /** Forgets the device's key (an administrator removed the device): the browser can no longer prove it,
   * and the same key enrolling again makes a new, pending device. Answers whether there was one. */
  remove(tenantId: string, deviceId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The table, the same text on both (TEXT is a PostgreSQL type too); SQLite applies it at every open. */
const deviceKeysTable = `CREATE TABLE IF NOT EXISTS device_keys (
      device_id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      thumbprint TEXT NOT NULL,
      public_jwk TEXT NOT NULL,
      properties TEXT NOT NULL,
      enrolled_at TEXT NOT NULL,
      last_check_in TEXT NOT NULL,
      UNIQUE (tenant_id, thumbprint))`;

/** PostgreSQL's versions of the part 'device-trust' (append only). */
export const deviceTrustPgMigrations: readonly string[] = [deviceKeysTable];

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

/** Over a KeptDb whose schema is in place; closing the store closes the handle. */
export function createKeyStore(kept: KeptDb): KeyStore {
  const { db } = kept;
  const one = async (query: ReturnType<typeof sql<Row>>): Promise<DeviceKey | undefined> => {
    const row = (await query.execute(db)).rows[0];
    return row && toKey(row);
  };
  return {
    byId: (id) => one(sql<Row>`SELECT * FROM device_keys WHERE device_id = ${id}`),
    byThumbprint: (tenantId, thumbprint) => one(sql<Row>`SELECT * FROM device_keys WHERE tenant_id = ${tenantId} AND thumbprint = ${thumbprint}`),
    ofTenant: async (tenantId) => (await sql<Row>`SELECT * FROM device_keys WHERE tenant_id = ${tenantId} ORDER BY device_id`.execute(db)).rows.map(toKey),
    put: async (k) => {
      await sql`INSERT INTO device_keys (device_id, tenant_id, user_id, thumbprint, public_jwk, properties, enrolled_at, last_check_in)
        VALUES (${k.deviceId}, ${k.tenantId}, ${k.userId}, ${k.thumbprint}, ${JSON.stringify(k.publicJwk)}, ${JSON.stringify(k.properties)}, ${k.enrolledAt}, ${k.lastCheckIn})
        ON CONFLICT (device_id) DO UPDATE SET user_id = excluded.user_id, public_jwk = excluded.public_jwk,
          thumbprint = excluded.thumbprint, properties = excluded.properties, last_check_in = excluded.last_check_in`.execute(db);
    },
    remove: async (tenantId, deviceId) =>
      Number((await sql`DELETE FROM device_keys WHERE tenant_id = ${tenantId} AND device_id = ${deviceId}`.execute(db)).numAffectedRows ?? 0n) > 0,
    close: () => kept.close(),
  };
}

/** One node: device-trust.db in the data folder, made if missing. */
export function openSqliteKeyStore(dataDir: string): KeyStore {
  ensurePrivateFile(join(dataDir, 'device-trust.db'));
  const database = new Database(join(dataDir, 'device-trust.db'));
  database.pragma('journal_mode = WAL');
  database.exec(deviceKeysTable);
  return createKeyStore(keptDbOnSqlite(database));
}

/** Several nodes: the shared PostgreSQL, its part migrated once; the pool stays its owner's. */
export async function openPgKeyStore(pool: pg.Pool): Promise<KeyStore> {
  await applyPgMigrations(pool, 'device-trust', deviceTrustPgMigrations);
  return createKeyStore(keptDbOnPostgres(pool));
}
