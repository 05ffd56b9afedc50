// Devices > All devices: search and filters, the count of matching devices, the sync (main starts it at
// sign-in and on an interval; Sync starts one here; progress of either is shown), and the device grid.
// A sync that ends reloads the rows in view and keeps the selected device — or says it is gone.
import { LitElement, css, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ErrorCode, SyncProgress } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { DesktopClient } from '../api-client.js';
import { noFilters, type DeviceFilterValues } from './device-filters.js';
import type { DeviceSort, DeviceTable, SelectedDevice } from './device-table.js';
import { formatCount } from './format.js';
import type { SyncTracker } from './sync-tracker.js';
import './device-filters.js';
import './device-table.js';
import './sync-status.js';

/** @fires rh-open-device (detail: { id }) from the grid, passed on */
export class DeviceList extends LitElement {
  static override properties = {
    client: { attribute: false },
    tracker: { attribute: false },
    filters: { state: true },
    sort: { state: true },
    platforms: { state: true },
    total: { state: true },
    selected: { state: true },
    progress: { state: true },
    lastSynced: { state: true },
    syncError: { state: true },
    cancelling: { state: true },
    syncNotice: { state: true },
    selectionNotice: { state: true },
  };
  declare client: DesktopClient | undefined;
  /** Main's sync events since the page loaded (the console app's). */
  declare tracker: SyncTracker | undefined;
  declare filters: DeviceFilterValues;
  declare sort: DeviceSort;
  declare platforms: string[];
  declare total: number | undefined;
  declare selected: SelectedDevice | undefined;
  /** Main's progress while a sync runs. */
  declare progress: SyncProgress | undefined;
  declare lastSynced: string | undefined;
  declare syncError: ErrorCode | undefined;
  declare cancelling: boolean;
  declare syncNotice: string | undefined;
  /** Said when a sync removed the selected device. */
  declare selectionNotice: string | undefined;

  private unsubscribe: (() => void) | undefined;
  private subscribedTo: SyncTracker | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: grid; gap: 0.75em; min-inline-size: 0; }
      .count { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
      .notice { margin: 0; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filters = noFilters;
    this.sort = { sort: 'name', direction: 'asc' };
    this.platforms = [];
    this.cancelling = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribedTo = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('tracker')) this.subscribe();
    if (changed.has('client')) void this.loadFilters();
  }

  /** Takes up where the tracker is (a sync running, the last one's time or failure), then follows it. */
  private subscribe(): void {
    const tracker = this.tracker;
    if (!tracker || !this.isConnected || this.subscribedTo === tracker) return;
    this.unsubscribe?.();
    this.subscribedTo = tracker;
    const seen = tracker.snapshot();
    this.progress = seen.running;
    this.lastSynced = seen.lastSyncedAt;
    this.syncError = seen.lastEnded?.state === 'failed' ? seen.lastEnded.error ?? 'internal' : undefined;
    this.unsubscribe = tracker.subscribe((p) => this.onProgress(p));
  }

  /** Back from a device: the focus goes to the row that was opened, where the person left the list. */
  focusOpenedRow(): boolean {
    return this.table?.focusActiveRow() ?? false;
  }

  private get table(): DeviceTable | null {
    return this.renderRoot.querySelector('rh-device-table');
  }

  private async loadFilters(): Promise<void> {
    const res = await this.client?.deviceFilters();
    if (res?.ok) this.platforms = res.value.platforms;
  }

  private onProgress(p: SyncProgress): void {
    if (p.state === 'syncing') {
      this.progress = p;
      this.syncError = undefined;
      this.syncNotice = undefined;
      return;
    }
    this.finish(p);
  }

  /** A sync ended (main's last event, or the answer to Sync if that came first): once per sync. */
  private finish(p: SyncProgress, syncedAt?: string): void {
    const wasShown = this.progress !== undefined;
    this.progress = undefined;
    this.cancelling = false;
    if (p.state === 'failed') {
      this.syncError = p.error ?? 'internal';
      return;
    }
    if (p.state === 'done') this.lastSynced = syncedAt ?? new Date().toISOString();
    this.syncNotice = p.state === 'cancelled'
      ? msg(str`Sync cancelled after ${formatCount(p.received)} devices. What was received is kept; the next sync continues from there.`)
      : undefined;
    if (wasShown || p.received > 0 || p.state === 'done') void this.afterSync();
  }

  /** The rows in view again, the OSes the filter offers, and whether the selected device is still there. */
  private async afterSync(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await Promise.all([this.table?.refresh(), this.loadFilters()]);
    const selected = this.selected;
    if (!selected) return;
    const res = await client.getDevice({ id: selected.id });
    if (this.selected?.id !== selected.id) return;
    if (!res.ok && res.error.code === 'not-found') {
      this.selected = undefined;
      this.selectionNotice = msg(str`The selected device, ${selected.name}, was removed from the inventory by the last sync.`);
    }
  }

  async sync(): Promise<void> {
    const client = this.client;
    if (!client || this.progress) return;
    // Shown at once; main's events fill in the numbers.
    this.progress = { state: 'syncing', received: 0, expected: null, total: this.total ?? 0, trigger: 'manual' };
    this.syncError = undefined;
    this.syncNotice = undefined;
    const res = await client.syncDevices();
    if (!res.ok) {
      this.progress = undefined;
      this.cancelling = false;
      this.syncError = res.error.code;
      return;
    }
    const r = res.value;
    if (!r.cancelled) {
      this.lastSynced = r.syncedAt;
      this.tracker?.syncedAt(r.syncedAt);
    }
    if (this.progress) {
      this.finish({ state: r.cancelled ? 'cancelled' : 'done', received: r.changed + r.removed, expected: null, total: r.total, trigger: 'manual' }, r.syncedAt);
    }
  }

  async cancelSync(): Promise<void> {
    const client = this.client;
    if (!client || !this.progress) return;
    this.cancelling = true;
    const res = await client.cancelSync();
    if (!res.ok) {
      this.cancelling = false;
      this.syncError = res.error.code;
    } else if (!res.value.cancelled) {
      // Nothing was running any more: the end may have crossed the click.
      this.cancelling = false;
    }
  }

  private onSelect(e: CustomEvent<SelectedDevice>): void {
    this.selected = e.detail;
    this.selectionNotice = undefined;
  }

  private countText(): string {
    if (this.total === undefined) return '';
    return this.total === 1 ? msg('1 device') : msg(str`${formatCount(this.total)} devices`);
  }

  override render() {
    return html`
      <rh-sync-status .progress=${this.progress} .lastSynced=${this.lastSynced} .error=${this.syncError}
        ?cancelling=${this.cancelling} .notice=${this.syncNotice}
        @rh-sync=${() => void this.sync()} @rh-cancel-sync=${() => void this.cancelSync()}></rh-sync-status>
      <rh-device-filters .value=${this.filters} .platforms=${this.platforms}
        @rh-filters-change=${(e: CustomEvent<DeviceFilterValues>) => (this.filters = e.detail)}></rh-device-filters>
      <p class="notice" role="status" ?hidden=${!this.selectionNotice}>${this.selectionNotice ?? ''}</p>
      <p class="count" role="status" aria-live="polite">${this.countText()}</p>
      <rh-device-table .client=${this.client} .filters=${this.filters} .sort=${this.sort} .selectedId=${this.selected?.id}
        @rh-sort-change=${(e: CustomEvent<DeviceSort>) => (this.sort = e.detail)}
        @rh-select=${(e: CustomEvent<SelectedDevice>) => this.onSelect(e)}
        @rh-devices-counted=${(e: CustomEvent<{ total: number }>) => (this.total = e.detail.total)}></rh-device-table>`;
  }
}

if (!customElements.get('rh-device-list')) customElements.define('rh-device-list', DeviceList);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-list': DeviceList;
  }
}
