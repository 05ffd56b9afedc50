// Device trust (DESIGN §6): a browser enrolls with a non-extractable ECDSA P-256 key (the /enroll page),
// the relay keeps its public half, and at join the sharer page proves possession by signing a fresh
// challenge. No proof means "unenrolled". Compliance comes from the device's reported properties, which
// only the browser vouches for: an enrolled device is "self-reported" and waits for an administrator's
// approval (issue 8); re-enrolling the same key keeps its id and its approval. Names are unique per tenant.
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import {
  deviceProof, fail, ok,
  type Ack, type CompliancePolicy, type Device,
} from '#protocol';
import { DeviceNameTakenError } from '../directory/device-tables.js';
import type { DirectoryStore } from '../directory/index.js';
import { evaluateCompliance } from '../policy/compliance.js';
import type { AuthUser, Clock, DeviceTrust, Log } from '../ports.js';
import { createChallenges } from './challenges.js';
import type { RedisClient } from '../live/redis-client.js';
import { createRedisChallenges } from '../live/redis-challenges.js';
import { openSqliteKeyStore, type DeviceKey, type KeyStore } from './key-store.js';
import type { DeviceEnrollment } from './types.js';
import { verifyDeviceSignature } from './verify-signature.js';

export { challengeTtlMs } from './challenges.js';
export { enrollRoutes } from './enroll-routes.js';
export type { DeviceEnrollment } from './types.js';
export { openPgKeyStore, openSqliteKeyStore, createKeyStore, deviceTrustPgMigrations, type DeviceKey, type KeyStore } from './key-store.js';

export interface DeviceTrustDeps {
  dataDir: string;
  directory: DirectoryStore;
  clock: Clock;
  log: Log;
  compliancePolicy: (tenantId: string) => Promise<CompliancePolicy>;
  settings: (tenantId: string) => Promise<{ allowEnrollment: boolean }>;
  /** Several nodes: challenges live here, so one fetched from a node can be answered on another. */
  redis?: RedisClient | undefined;
  /** The enrolled keys, kept by the caller (PostgreSQL with several nodes). Absent: device-trust.db in
   * dataDir, opened and closed here. */
  keys?: KeyStore;
}

/** Its HTTP routes (POST /api/enroll, /api/devices/challenge, /api/devices/:id/report) are enrollRoutes. */
export interface DeviceTrustPart extends DeviceTrust, DeviceEnrollment {
  /** Re-evaluates every enrolled device of the tenant (after the admin changed the compliance policy,
   * or periodically for the check-in age); answers how many devices changed state. */
  reevaluate(tenantId: string): Promise<number>;
  /** Forgets a device's key (the administrator removed the device): its browser can no longer prove it.
   * Answers whether a key was there. */
  forget(tenantId: string, deviceId: string): Promise<boolean>;
  close(): Promise<void>;
}

export function createDeviceTrust(deps: DeviceTrustDeps): DeviceTrustPart {
  const keys = deps.keys ?? openSqliteKeyStore(deps.dataDir);
  const challenges = deps.redis ? createRedisChallenges(deps.redis, deps.clock) : createChallenges(deps.clock);
  const iso = (): string => new Date(deps.clock.now()).toISOString();

  /** Writes the directory's view of the device from its key record; keeps what others set (groups). */
  const publish = async (key: DeviceKey, name: string | undefined, upn: string | undefined, policy?: CompliancePolicy): Promise<Device> => {
    const { compliance, reasons } = evaluateCompliance(policy ?? await deps.compliancePolicy(key.tenantId), key.properties, key.lastCheckIn, deps.clock.now());
    // Read and written in one step: an administrator's approval meanwhile is kept.
    return deps.directory.updateDevice(key.tenantId, key.deviceId, (existing): Device => ({
      ...existing,
      id: key.deviceId,
      tenantId: key.tenantId,
      name: name ?? existing?.name ?? key.deviceId,
      platform: key.properties.platform,
      osVersion: key.properties.osVersion,
      primaryUser: upn ?? existing?.primaryUser ?? '',
      enrolled: true,
      compliance,
      complianceReasons: reasons,
      lastCheckIn: key.lastCheckIn,
      // The browser's own word: self-reported, and waiting for an administrator until one approves it.
      managedBy: 'enrollment',
      approved: existing?.approved ?? false,
      ownership: existing?.ownership ?? 'unknown',
      serialNumber: existing?.serialNumber ?? '',
      manufacturer: existing?.manufacturer ?? '',
      model: existing?.model ?? '',
      enrolledAt: key.enrolledAt,
      updatedAt: iso(),
    }));
  };

  const nameTaken = (name: string): Ack<never> =>
    fail('device-name-taken', `Another device of your organization is already named "${name}": choose another name.`);

  const invalid = (reason: string, user: AuthUser): Ack<never> => {
    // The reason stays in the log for the admin; the client learns only that the proof failed.
    deps.log.info('device proof refused', { tenantId: user.tenantId, userId: user.userId, reason });
    return fail('device-proof-invalid', 'The device could not prove it is the enrolled device.');
  };

  const part: DeviceTrustPart = {
    challenge: (user) => challenges.issue(user),

    async verifyProof(user, raw) {
      const parsed = deviceProof.safeParse(raw);
      if (!parsed.success) {
        // Still burn the challenge if one is recognisable, so a malformed try cannot be retried.
        const c = (raw as { challenge?: unknown } | null)?.challenge;
        if (typeof c === 'string') await challenges.take(user, c);
        return invalid('malformed', user);
      }
      const proof = parsed.data;
      const taken = await challenges.take(user, proof.challenge);
      if (taken !== 'ok') return invalid(`challenge ${taken}`, user);
      const key = await keys.byId(proof.deviceId);
      if (!key || key.tenantId !== user.tenantId) return invalid('no such device in this tenant', user);
      if (!(await verifyDeviceSignature(key.publicJwk, proof.challenge, proof.signature))) return invalid('bad signature', user);
      return ok({ deviceId: key.deviceId });
    },

    async enroll(user, req) {
      if (!(await deps.settings(user.tenantId)).allowEnrollment) {
        return fail('enrollment-disabled', 'Your organization does not allow enrolling devices here.');
      }
      // The properties here are self-reported by the enrolling page (what the browser can tell, or what its
      // user picks): nothing proves them. In production an agent on the device (MDM) would report them
      // through /api/devices/:id/report, signed by the device key. The directory's compliance and
      // complianceReasons are computed from them all the same, and stay exactly as the policy words them.
      const thumbprint = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: req.publicKeyJwk.x, y: req.publicKeyJwk.y });
      const now = iso();
      const known = await keys.byThumbprint(user.tenantId, thumbprint);
      const deviceId = known?.deviceId ?? randomUUID();
      // Names are unique per tenant (case-insensitive); the same device keeps its own name.
      const holder = await deps.directory.deviceByName(user.tenantId, req.name);
      if (holder && holder.id !== deviceId) return nameTaken(req.name);
      const key: DeviceKey = {
        deviceId,
        tenantId: user.tenantId,
        userId: user.userId,
        thumbprint,
        publicJwk: { kty: 'EC', crv: 'P-256', x: req.publicKeyJwk.x, y: req.publicKeyJwk.y },
        properties: req.properties,
        enrolledAt: known?.enrolledAt ?? now,
        lastCheckIn: now,
      };
      // The directory first: a name taken meanwhile (another enrollment, an import) leaves no key behind.
      let device: Device;
      try {
        device = await publish(key, req.name, user.upn);
      } catch (error) {
        if (error instanceof DeviceNameTakenError) return nameTaken(req.name);
        throw error;
      }
      await keys.put(key);
      deps.log.info(known ? 'device re-enrolled' : 'device enrolled', {
        tenantId: user.tenantId, deviceId: key.deviceId, compliance: device.compliance, approved: device.approved,
      });
      return ok({ device });
    },

    async report(user, deviceId, properties, proof) {
      const key = await keys.byId(deviceId);
      if (!key || key.tenantId !== user.tenantId || key.userId !== user.userId) {
        // Spend the challenge anyway, so a refused report cannot be retried with it.
        await challenges.take(user, proof.challenge);
        return fail('not-found', 'No such enrolled device of yours.');
      }
      if (proof.deviceId !== deviceId) {
        await challenges.take(user, proof.challenge);
        return invalid('report proof names another device', user);
      }
      const proved = await part.verifyProof(user, proof);
      if (!proved.ok) return fail(proved.error.code, proved.error.message);
      const updated: DeviceKey = { ...key, properties, lastCheckIn: iso() };
      await keys.put(updated);
      return ok({ device: await publish(updated, undefined, undefined) });
    },

    async reevaluate(tenantId) {
      let changed = 0;
      // One read of the policy and of the tenant's enrolled devices, not one per key.
      const [policy, enrolled] = await Promise.all([deps.compliancePolicy(tenantId), deps.directory.devicesFrom(tenantId, 'enrollment')]);
      const devices = new Map(enrolled.map((d) => [d.id, d]));
      for (const key of await keys.ofTenant(tenantId)) {
        const before = devices.get(key.deviceId);
        const { compliance, reasons } = evaluateCompliance(policy, key.properties, key.lastCheckIn, deps.clock.now());
        // Only a real change moves updatedAt, so the consoles' delta sync fetches just what changed.
        if (before && before.compliance === compliance && JSON.stringify(before.complianceReasons) === JSON.stringify(reasons)) continue;
        await publish(key, undefined, undefined, policy);
        changed++;
      }
      return changed;
    },

    async status(user, deviceId) {
      const key = await keys.byId(deviceId);
      // Only the person who enrolled it learns its state here: the device row names its primary user,
      // and the list of devices is for those who may help (GET /api/devices).
      const device = key && key.tenantId === user.tenantId && key.userId === user.userId ? await deps.directory.device(user.tenantId, deviceId) : undefined;
      return device ? ok({ device }) : fail('not-found', 'No such enrolled device in your organization.');
    },

    forget: (tenantId, deviceId) => keys.remove(tenantId, deviceId),

    // A store handed in is closed by its owner.
    close: async () => {
      if (!deps.keys) await keys.close();
    },
  };
  return part;
}
