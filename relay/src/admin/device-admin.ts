// The admin API's devices (issue 8): browsers enrolled on /enroll wait for an administrator, who approves
// or removes them; any device can be removed (its tombstone tells the consoles' delta sync, and its key
// goes, so its browser can no longer prove it); and a CSV file of devices can be imported, all or nothing.
// Names stay unique per tenant through all of it (the directory refuses a taken one).
import { randomUUID } from 'node:crypto';
import { str } from '@lit/localize';
import { fail, ok, type AdminApi, type Device } from '#protocol';
import { DeviceNameTakenError } from '../directory/device-tables.js';
import type { DirectoryStore } from '../directory/index.js';
import type { Msg } from '../identity/page-locale.js';
import type { AuthUser, Clock, Log } from '../ports.js';
import { readDeviceCsv } from './device-csv.js';

export interface DeviceAdminDeps {
  directory: DirectoryStore;
  clock: Clock;
  log: Log;
  /** Forgets the device's key in device trust; answers whether there was one. */
  forgetDeviceKey?: (tenantId: string, deviceId: string) => Promise<boolean>;
}

type DeviceMethod = 'listPendingDevices' | 'approveDevice' | 'removeDevice' | 'importDevices';
type DeviceHandlers = {
  [K in DeviceMethod]: (tenantId: string, args: Parameters<AdminApi[K]>[0], caller: AuthUser, t: Msg) => Promise<Awaited<ReturnType<AdminApi[K]>>>;
};

export function createDeviceAdmin(deps: DeviceAdminDeps): DeviceHandlers {
  const { directory, clock, log } = deps;
  /** Now, but never at or before `after`: the consoles' delta sync follows (updatedAt, id) forward only. */
  const after = (previous: string): string => new Date(Math.max(clock.now(), Date.parse(previous) + 1 || 0)).toISOString();
  const notFound = (t: Msg) => fail('not-found', t('No such device in your organization.'));

  return {
    listPendingDevices: async (tenantId) => ok(await directory.pendingDevices(tenantId)),

    async approveDevice(tenantId, { id }, caller, t) {
      const device = await directory.device(tenantId, id);
      if (!device) return notFound(t);
      if (device.approved) return ok(device);
      // Only while the device is still there: a removal since the read above is not undone.
      const approved = await directory.approveDevice(tenantId, id, after(device.updatedAt));
      if (!approved) return notFound(t);
      log.info('device approved', { tenantId, deviceId: id, by: caller.userId, managedBy: device.managedBy });
      return ok(approved);
    },

    async removeDevice(tenantId, { id }, caller, t) {
      const device = await directory.device(tenantId, id);
      const removed = (await directory.removeDevices(tenantId, [id], after(device?.updatedAt ?? ''))) > 0;
      // The key too: a device the directory no longer has must not be provable (and its key enrolling
      // again starts over as a new, pending device).
      const keyRemoved = (await deps.forgetDeviceKey?.(tenantId, id)) ?? false;
      if (!removed && !keyRemoved) return notFound(t);
      const pending = device?.managedBy === 'enrollment' && !device.approved;
      log.info(pending ? 'device enrollment rejected' : 'device removed', { tenantId, deviceId: id, by: caller.userId, keyRemoved });
      return ok(null);
    },

    async importDevices(tenantId, { csv }, caller, t) {
      const imported = new Map<string, Device>();
      for (const d of await directory.devicesFrom(tenantId, 'import')) {
        if (d.serialNumber) imported.set(d.serialNumber.toLowerCase(), d);
      }
      const read = await readDeviceCsv(csv, {
        tenantId,
        importedBySerial: imported,
        nameOwners: (names) => directory.deviceNameOwners(tenantId, names),
        now: new Date(clock.now()).toISOString(),
        newId: randomUUID,
        t,
      });
      if (!read.ok) {
        if (read.tooLarge !== undefined) return fail('payload-too-large', read.tooLarge);
        const count = new Set(read.problems.map((p) => p.line)).size;
        const message = count === 1 ? t('Nothing was imported: 1 line to fix.') : t(str`Nothing was imported: ${count} lines to fix.`);
        return { ok: false, error: { code: 'validation', message, problems: read.problems } };
      }
      try {
        await directory.upsertDevices(read.devices);
      } catch (error) {
        // A name taken between the check and the write (an enrollment meanwhile): nothing was written.
        if (error instanceof DeviceNameTakenError) {
          return fail('device-name-taken', t(str`Nothing was imported: another device of your organization is now named "${error.deviceName}".`));
        }
        throw error;
      }
      log.info('devices imported', { tenantId, by: caller.userId, created: read.created, updated: read.updated });
      return ok({ created: read.created, updated: read.updated });
    },
  };
}
