// Import devices from a CSV file (name,serialNumber,primaryUser and, if wanted, platform, osVersion,
// manufacturer, model, ownership, groups). The relay checks every row and takes the file whole or not at
// all: a refused file lists its problems by line; an accepted one says how many devices were added and
// how many (known by their serial number from an earlier import) were updated. @fires rh-devices-imported
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import {
  deviceImportColumns, deviceImportLimits, deviceImportOptionalColumns, type DeviceImportResult, type WireError,
} from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import '#ui/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';

const megabytes = deviceImportLimits.maxBytes / (1024 * 1024);

export class DeviceImport extends LitElement {
  static override properties = {
    client: { attribute: false },
    busy: { state: true },
    result: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare busy: boolean;
  declare result: DeviceImportResult | undefined;
  declare error: WireError | undefined;

  static override styles = [baseStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
  }

  private async pick(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    // The same file may be picked again after it is fixed.
    const done = (): void => void (input.value = '');
    if (!file || !this.client || this.busy) return done();
    this.result = undefined;
    this.error = undefined;
    // Checked here as well as at the relay: a file far too large is never read or sent.
    if (file.size > deviceImportLimits.maxBytes) {
      this.error = { code: 'payload-too-large', message: msg(str`${file.name} is larger than ${megabytes} MB. Split it into smaller files.`) };
      return done();
    }
    this.busy = true;
    const res = await adminCall(this.client, 'importDevices', { csv: await file.text() });
    this.busy = false;
    done();
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.result = res.value;
    this.dispatchEvent(new CustomEvent<DeviceImportResult>('rh-devices-imported', { detail: res.value, bubbles: true, composed: true }));
  }

  override render() {
    const problems = this.error?.problems ?? [];
    return html`<div class="field">
        <label for="device-csv">${msg('Import devices (CSV)')}</label>
        <input id="device-csv" type="file" accept=".csv,text/csv" ?disabled=${this.busy} aria-describedby="device-csv-hint"
          @change=${(e: Event) => void this.pick(e.target as HTMLInputElement)} />
        <p class="hint" id="device-csv-hint">${msg(str`Columns: ${deviceImportColumns.join(',')}; optional: ${deviceImportOptionalColumns.join(',')}. Ownership is company, personal or unknown; separate several groups with “;”. A serial number imported before updates that device. Up to ${deviceImportLimits.maxRows} devices and ${megabytes} MB per file; a file with any problem imports nothing. Imported devices are approved.`)}</p>
      </div>
      ${this.busy ? html`<progress aria-label=${msg('Importing devices')}></progress><p role="status">${msg('Importing…')}</p>` : nothing}
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.error?.message && !problems.length ? html`<p class="hint" dir="auto">${this.error.message}</p>` : nothing}
      ${problems.length ? html`<ul aria-label=${msg('Problems in the file')}>
          ${problems.map((p) => html`<li dir="auto">${msg(str`Line ${p.line}: ${p.message}`)}</li>`)}
        </ul>` : nothing}
      ${this.result ? html`<p role="status" class="status">${msg(str`Imported: ${this.result.created} added, ${this.result.updated} updated.`)}</p>` : nothing}`;
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
