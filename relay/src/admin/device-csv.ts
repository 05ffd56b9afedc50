// Reads an administrator's device file (CSV: name,serialNumber,primaryUser, and optionally platform,
// osVersion, manufacturer, model, ownership, groups separated by ';') into devices, or into every problem
// it has, each with its line: the file is taken whole or not at all, like the user import.
//
// A row whose serial number is that of a device imported earlier updates that device (same id, its
// compliance and check-in kept; an optional column the file leaves out keeps the device's value). Any
// other row is a new device: approved (an administrator vouches for it by importing it), and with
// compliance "unknown" and the reason "Imported: no compliance data", since nothing measured it.
import { str } from '@lit/localize';
import {
  complianceReasonText, deviceImportColumns, deviceImportLimits, deviceImportOptionalColumns, deviceOwnerships,
  type Device, type DeviceOwnership, type LineProblem,
} from '#protocol';
import type { Msg } from '../identity/page-locale.js';
import { capProblems, readCsvRows, widthProblem, type CsvRow } from './csv-rows.js';

export const importedComplianceReason = complianceReasonText({ kind: 'imported' });

type Column = (typeof deviceImportColumns)[number] | (typeof deviceImportOptionalColumns)[number];

/** Longest cell per column: the enrollment's own limits for name, platform and OS version. */
const maxLength: Record<Column, number> = {
  name: 100, serialNumber: 100, primaryUser: 200, platform: 50, osVersion: 50, manufacturer: 100, model: 100, ownership: 20, groups: 2000,
};
const maxGroupLength = 200;

export interface DeviceCsvContext {
  tenantId: string;
  /** The tenant's devices from earlier imports, by serial number in lower case. */
  importedBySerial: ReadonlyMap<string, Device>;
  /** The ids of the tenant's devices with these names, by lower-case name: one read for the whole file. */
  nameOwners(names: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** ISO 8601: the new and changed devices' updatedAt (and a new one's enrolledAt). */
  now: string;
  newId(): string;
  /** The messages' language: the administrator's. */
  t: Msg;
}

export type DeviceCsv =
  | { ok: true; devices: Device[]; created: number; updated: number }
  | { ok: false; tooLarge: string; problems?: undefined }
  | { ok: false; tooLarge?: undefined; problems: LineProblem[] };

export async function readDeviceCsv(text: string, ctx: DeviceCsvContext): Promise<DeviceCsv> {
  const { t } = ctx;
  const table = readCsvRows(text, {
    required: deviceImportColumns, optional: deviceImportOptionalColumns, ...deviceImportLimits, noun: 'devices',
  }, t);
  if (!table.ok) return table;
  const cell = (row: CsvRow, c: Column): string => table.cell(row, c);
  const nameOwners = await ctx.nameOwners([...new Set(table.rows.map((row) => cell(row, 'name')).filter(Boolean))]);
  const problems: LineProblem[] = [];
  const devices: Device[] = [];
  const names = new Map<string, number>();
  const serials = new Map<string, number>();
  let created = 0;
  for (const row of table.rows) {
    const { line } = row;
    const say = (message: string) => problems.push({ line, message });
    const width = widthProblem(row, table.width, t);
    if (width) {
      say(width);
      continue;
    }
    const before = problems.length;
    for (const c of [...deviceImportColumns, ...deviceImportOptionalColumns]) {
      if (cell(row, c).length > maxLength[c]) say(t(str`${c}: at most ${maxLength[c]} characters.`));
    }
    const name = cell(row, 'name');
    const serialNumber = cell(row, 'serialNumber');
    if (!name) say(t('name: empty; every device needs a name.'));
    if (!serialNumber) say(t('serialNumber: empty; every device needs its serial number.'));

    const nameKey = name.toLowerCase();
    const serialKey = serialNumber.toLowerCase();
    const nameLine = names.get(nameKey);
    if (name && nameLine !== undefined) say(t(str`name: ${name} is already on line ${nameLine}.`));
    else if (name) names.set(nameKey, line);
    const serialLine = serials.get(serialKey);
    if (serialNumber && serialLine !== undefined) say(t(str`serialNumber: ${serialNumber} is already on line ${serialLine}.`));
    else if (serialNumber) serials.set(serialKey, line);

    const existing = serialNumber ? ctx.importedBySerial.get(serialKey) : undefined;
    const owner = name ? nameOwners.get(nameKey) : undefined;
    if (owner !== undefined && owner !== existing?.id) say(t(str`name: another device of this organization is already named ${name}.`));

    const ownershipCell = cell(row, 'ownership').toLowerCase();
    const ownership = ownershipCell ? deviceOwnerships.find((o) => o === ownershipCell) : existing?.ownership ?? 'unknown';
    if (!ownership) say(t(str`ownership: "${cell(row, 'ownership')}" is not one of ${deviceOwnerships.join(', ')}.`));
    const groups = [...new Set(cell(row, 'groups').split(';').map((g) => g.trim()).filter(Boolean))];
    if (groups.some((g) => g.length > maxGroupLength)) say(t(str`groups: a group name has at most ${maxGroupLength} characters.`));
    if (problems.length > before || !ownership) continue;

    // An optional column the file does not have keeps what an updated device has ('' for a new one).
    const optional = (c: (typeof deviceImportOptionalColumns)[number], kept: string | undefined): string =>
      table.has(c) ? cell(row, c) : kept ?? '';
    const fields = {
      name, serialNumber, primaryUser: cell(row, 'primaryUser'), ownership: ownership satisfies DeviceOwnership,
      platform: optional('platform', existing?.platform), osVersion: optional('osVersion', existing?.osVersion),
      manufacturer: optional('manufacturer', existing?.manufacturer), model: optional('model', existing?.model),
      groups: table.has('groups') ? groups : existing?.groups ?? [],
      updatedAt: ctx.now,
    };
    if (existing) {
      devices.push({ ...existing, ...fields, approved: true });
      continue;
    }
    created++;
    devices.push({
      ...fields,
      id: ctx.newId(), tenantId: ctx.tenantId, enrolled: true, managedBy: 'import', approved: true,
      compliance: 'unknown', complianceReasons: [importedComplianceReason], lastCheckIn: '', enrolledAt: ctx.now,
    });
  }
  if (problems.length) return { ok: false, problems: capProblems(problems, t) };
  return { ok: true, devices, created, updated: devices.length - created };
}
