// The administrator's side of the device inventory (admin API): approving enrolled browsers, removing
// devices, and importing a CSV of devices for a tenant without Intune.
import { z } from 'zod';

export const deviceImportLimits = { maxRows: 20000, maxBytes: 4 * 1024 * 1024 } as const;
/** Required columns; optional ones: platform, osVersion, manufacturer, model, ownership, groups (';'-separated). */
export const deviceImportColumns = ['name', 'serialNumber', 'primaryUser'] as const;
export const deviceImportOptionalColumns = ['platform', 'osVersion', 'manufacturer', 'model', 'ownership', 'groups'] as const;
// The text is measured in bytes by the relay (payload-too-large); this bound only keeps the schema finite.
export const deviceImport = z.strictObject({ csv: z.string().max(4 * deviceImportLimits.maxBytes) });

export interface DeviceImportResult {
  created: number;
  updated: number;
}

export const pendingDeviceQuery = z.strictObject({});
