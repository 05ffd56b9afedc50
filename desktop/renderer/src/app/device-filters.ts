// Devices > All devices: the search box (as you type) and the filters on OS, compliance, ownership and
// enrollment. Says what changed by one typed event; the list queries main.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { live } from 'lit/directives/live.js';
import { deviceOwnerships, enrollmentFilters, type DeviceQuery } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { complianceLabel, enrollmentFilterLabel, ownershipLabel } from './format.js';

export type DeviceFilterValues = Required<Pick<DeviceQuery, 'search' | 'compliance' | 'platform' | 'ownership' | 'enrollment'>>;

export const noFilters: DeviceFilterValues = { search: '', compliance: 'any', platform: '', ownership: 'any', enrollment: 'any' };

const complianceValues = ['any', 'compliant', 'noncompliant', 'unknown'] as const;

/** @fires rh-filters-change (detail: DeviceFilterValues) */
export class DeviceFilters extends LitElement {
  static override properties = {
    value: { attribute: false },
    platforms: { attribute: false },
  };
  declare value: DeviceFilterValues;
  /** The OSes present in the inventory (deviceFilters()). */
  declare platforms: string[];

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: flex; flex-wrap: wrap; gap: 0.5em 0.75em; align-items: end; }
      .field { display: grid; gap: 0.2em; }
      .search { flex: 1 1 16em; max-inline-size: 28em; }
      label { font-size: 0.9em; font-weight: 600; }
      input, select { min-inline-size: 0; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.value = noFilters;
    this.platforms = [];
  }

  // Every keystroke queries at once: main answers a search over 100k devices in a few milliseconds
  // (bench/inventory.ts), so waiting for a pause in typing would only add delay; the table drops an
  // answer that a newer query has overtaken.
  private change(patch: Partial<DeviceFilterValues>): void {
    this.value = { ...this.value, ...patch };
    this.dispatchEvent(new CustomEvent('rh-filters-change', { detail: this.value, bubbles: true, composed: true }));
  }

  private select<K extends keyof DeviceFilterValues>(key: K) {
    return (e: Event) => this.change({ [key]: (e.target as HTMLSelectElement).value } as Partial<DeviceFilterValues>);
  }

  override render() {
    const v = this.value;
    const filtered = v.compliance !== 'any' || v.platform !== '' || v.ownership !== 'any' || v.enrollment !== 'any' || v.search !== '';
    // The inventory's OSes, and the chosen one even when a sync has just removed its last device.
    const platforms = v.platform && !this.platforms.includes(v.platform) ? [...this.platforms, v.platform] : this.platforms;
    return html`
      <div class="field search">
        <label for="search">${msg('Search devices')}</label>
        <input id="search" type="search" dir="auto" autocomplete="off" .value=${v.search}
          placeholder=${msg('Device name, user or serial number')}
          @input=${(e: InputEvent) => this.change({ search: (e.target as HTMLInputElement).value })} />
      </div>
      <div class="field">
        <label for="platform">${msg('OS')}</label>
        <select id="platform" .value=${live(v.platform)} @change=${this.select('platform')}>
          <option value="" ?selected=${v.platform === ''}>${msg('All')}</option>
          ${platforms.map((p) => html`<option value=${p} ?selected=${v.platform === p}>${p}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="compliance">${msg('Compliance')}</label>
        <select id="compliance" .value=${live(v.compliance)} @change=${this.select('compliance')}>
          ${complianceValues.map((c) => html`<option value=${c} ?selected=${v.compliance === c}>${c === 'any' ? msg('All') : complianceLabel(c)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="ownership">${msg('Ownership')}</label>
        <select id="ownership" .value=${live(v.ownership)} @change=${this.select('ownership')}>
          <option value="any" ?selected=${v.ownership === 'any'}>${msg('All')}</option>
          ${deviceOwnerships.map((o) => html`<option value=${o} ?selected=${v.ownership === o}>${ownershipLabel(o)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="enrollment">${msg('Enrollment')}</label>
        <select id="enrollment" .value=${live(v.enrollment)} @change=${this.select('enrollment')}>
          ${enrollmentFilters.map((f) => html`<option value=${f} ?selected=${v.enrollment === f}>${enrollmentFilterLabel(f)}</option>`)}
        </select>
      </div>
      ${filtered ? html`<button @click=${() => this.change(noFilters)}>${msg('Clear filters')}</button>` : nothing}`;
  }
}

if (!customElements.get('rh-device-filters')) customElements.define('rh-device-filters', DeviceFilters);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-filters': DeviceFilters;
  }
  interface HTMLElementEventMap {
    'rh-filters-change': CustomEvent<DeviceFilterValues>;
  }
}
