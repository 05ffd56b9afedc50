// Import devices from a CSV file (name,serialNumber,primaryUser and, if wanted, platform, osVersion,
// manufacturer, model, ownership, groups). The relay checks every row and takes the file whole or not at
// all: a refused file lists its problems by line; an accepted one says how many devices were added and
// how many (known by their serial number from an earlier import) were updated. @fires rh-devices-imported
import { msg, str } from '@lit/localize';
import { deviceImportColumns, deviceImportLimits, deviceImportOptionalColumns, type DeviceImportResult } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';
import { CsvImportBase } from './csv-import-base.js';

export class DeviceImport extends CsvImportBase<DeviceImportResult> {
  protected readonly maxBytes = deviceImportLimits.maxBytes;

  protected send(client: AdminCaller, csv: string) {
    return adminCall(client, 'importDevices', { csv });
  }

  protected imported(result: DeviceImportResult): void {
    this.dispatchEvent(new CustomEvent<DeviceImportResult>('rh-devices-imported', { detail: result, bubbles: true, composed: true }));
  }

  override render() {
    const megabytes = deviceImportLimits.maxBytes / (1024 * 1024);
    return this.renderImport({
      id: 'device-csv',
      label: msg('Import devices (CSV)'),
      hint: msg(str`Columns: ${deviceImportColumns.join(',')}; optional: ${deviceImportOptionalColumns.join(',')}. Ownership is company, personal or unknown; separate several groups with “;”. A serial number imported before updates that device. Up to ${deviceImportLimits.maxRows} devices and ${megabytes} MB per file; a file with any problem imports nothing. Imported devices are approved.`),
      busy: msg('Importing devices'),
    });
  }
}

if (!customElements.get('rh-device-import')) customElements.define('rh-device-import', DeviceImport);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-import': DeviceImport;
  }
  interface HTMLElementEventMap {
    'rh-devices-imported': CustomEvent<DeviceImportResult>;
  }
}
