// Devices > All devices: search, compliance filter, sync, and a virtualized table that renders only
// the rows in view (the inventory may hold 100k devices); rows are fetched from main a page at a time.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styleMap } from 'lit/directives/style-map.js';
import type { ComplianceState, Device, ErrorCode } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import type { DesktopClient } from '../api-client.js';
import { complianceLabel, formatTime } from './format.js';

const rowHeight = 40;
const pageSize = 100;
const overscan = 10;
type ComplianceFilter = 'any' | ComplianceState;

/** @fires rh-open-device (detail: { id }) */
export class DeviceList extends LitElement {
  static override properties = {
    client: { attribute: false },
    autoSync: { type: Boolean, attribute: 'auto-sync' },
    search: { state: true },
    compliance: { state: true },
    total: { state: true },
    syncing: { state: true },
    lastSynced: { state: true },
    error: { state: true },
    first: { state: true },
    visibleCount: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare autoSync: boolean;
  declare search: string;
  declare compliance: ComplianceFilter;
  declare total: number | undefined;
  declare syncing: boolean;
  declare lastSynced: string | undefined;
  declare error: ErrorCode | undefined;
  declare first: number;
  declare visibleCount: number;

  private pages = new Map<number, Device[]>();
  private loading = new Set<number>();
  /** Bumped on every new query: answers for an older query are dropped. */
  private generation = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: grid; gap: 0.75em; }
      .toolbar { display: flex; flex-wrap: wrap; gap: 0.75em; align-items: end; }
      .field { display: grid; gap: 0.2em; }
      input, select { font: inherit; padding: 0.35em; }
      .sync { display: flex; gap: 0.5em; align-items: center; margin-inline-start: auto; }
      .table { border: 1px solid #ccc; border-radius: 6px; }
      .row { display: grid; grid-template-columns: 2fr 2fr 1.3fr 1fr 1.4fr; align-items: center;
        block-size: ${rowHeight}px; box-sizing: border-box; padding-inline: 0.75em; gap: 0.5em;
        border-block-end: 1px solid #eee; }
      .row > span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .head { font-weight: 600; background: #f4f4f8; border-block-end: 1px solid #ccc; }
      .viewport { block-size: min(60vh, 640px); overflow-y: auto; position: relative; }
      .spacer { position: relative; }
      .rows { position: absolute; inset-inline: 0; }
      .noncompliant { color: #b3261e; font-weight: 600; }
      .error { color: #b3261e; }
      .placeholder { color: #888; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.autoSync = false;
    this.search = '';
    this.compliance = 'any';
    this.syncing = false;
    this.first = 0;
    this.visibleCount = 20;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
    if (this.autoSync) void this.sync();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    clearTimeout(this.searchTimer);
  }

  protected override firstUpdated(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    this.resizeObserver = new ResizeObserver(() => this.onScroll());
    this.resizeObserver.observe(viewport);
  }

  private get viewport(): HTMLElement | null {
    return this.renderRoot.querySelector('.viewport');
  }

  /** Drops cached rows and fetches the first page for the current query. */
  async reload(): Promise<void> {
    this.generation++;
    this.pages.clear();
    this.loading.clear();
    const viewport = this.viewport;
    if (viewport) viewport.scrollTop = 0;
    this.first = 0;
    await this.ensurePages();
  }

  async sync(): Promise<void> {
    if (!this.client || this.syncing) return;
    this.syncing = true;
    this.error = undefined;
    const res = await this.client.syncDevices();
    this.syncing = false;
    if (!res.ok) {
      this.error = res.error.code;
      return;
    }
    this.lastSynced = res.value.syncedAt;
    await this.reload();
  }

  private async ensurePages(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const from = Math.max(0, this.first - overscan);
    const to = this.first + this.visibleCount + overscan;
    const wanted: number[] = [];
    for (let p = Math.floor(from / pageSize); p <= Math.floor(to / pageSize); p++) {
      if (this.total !== undefined && p * pageSize >= this.total && p > 0) break;
      if (!this.pages.has(p) && !this.loading.has(p)) wanted.push(p);
    }
    const generation = this.generation;
    await Promise.all(wanted.map(async (p) => {
      this.loading.add(p);
      const res = await client.listDevices({ search: this.search, compliance: this.compliance, offset: p * pageSize, limit: pageSize });
      if (generation !== this.generation) return;
      this.loading.delete(p);
      if (!res.ok) {
        this.error = res.error.code;
        return;
      }
      this.pages.set(p, res.value.items);
      this.total = res.value.total;
      this.requestUpdate();
    }));
  }

  private onScroll(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    this.first = Math.floor(viewport.scrollTop / rowHeight);
    this.visibleCount = Math.ceil(viewport.clientHeight / rowHeight) + 1;
    void this.ensurePages();
  }

  private onSearch(e: InputEvent): void {
    this.search = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    // Wait for a pause in typing: one query per word, not per keystroke.
    this.searchTimer = setTimeout(() => void this.reload(), 150);
  }

  private onCompliance(e: Event): void {
    this.compliance = (e.target as HTMLSelectElement).value as ComplianceFilter;
    void this.reload();
  }

  private open(e: Event, id: string): void {
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('rh-open-device', { detail: { id }, bubbles: true, composed: true }));
  }

  private deviceAt(i: number): Device | undefined {
    return this.pages.get(Math.floor(i / pageSize))?.[i % pageSize];
  }

  private renderRow(i: number) {
    const d = this.deviceAt(i);
    if (!d) {
      return html`<div class="row" role="row" aria-rowindex=${i + 2}>
        <span role="cell" class="placeholder">${msg('Loading…')}</span>
      </div>`;
    }
    return html`<div class="row" role="row" aria-rowindex=${i + 2}>
      <span role="cell"><a href="#device/${encodeURIComponent(d.id)}" dir="auto" @click=${(e: Event) => this.open(e, d.id)}>${d.name}</a></span>
      <span role="cell" dir="auto">${d.primaryUser}</span>
      <span role="cell" dir="auto">${d.platform} ${d.osVersion}</span>
      <span role="cell" class=${d.compliance}>${complianceLabel(d.compliance)}</span>
      <span role="cell">${formatTime(d.lastCheckIn)}</span>
    </div>`;
  }

  override render() {
    const total = this.total ?? 0;
    const start = Math.max(0, this.first - overscan);
    const end = Math.min(total, this.first + this.visibleCount + overscan);
    const indexes: number[] = [];
    for (let i = start; i < end; i++) indexes.push(i);
    return html`
      <div class="toolbar">
        <div class="field">
          <label for="search">${msg('Search devices')}</label>
          <input id="search" type="search" .value=${this.search} @input=${(e: InputEvent) => this.onSearch(e)} dir="auto"
            placeholder=${msg('Name, primary user or OS')} />
        </div>
        <div class="field">
          <label for="compliance">${msg('Compliance')}</label>
          <select id="compliance" .value=${this.compliance} @change=${(e: Event) => this.onCompliance(e)}>
            <option value="any">${msg('All')}</option>
            <option value="compliant">${msg('Compliant')}</option>
            <option value="noncompliant">${msg('Not compliant')}</option>
            <option value="unknown">${msg('Unknown')}</option>
          </select>
        </div>
        <div class="sync">
          ${this.syncing ? html`<progress aria-label=${msg('Syncing devices')}></progress>` : nothing}
          <span role="status">
            ${this.syncing ? msg('Syncing devices…') : this.lastSynced ? msg(str`Last synced ${formatTime(this.lastSynced)}`) : ''}
          </span>
          <button @click=${() => void this.sync()} ?disabled=${this.syncing}>${msg('Sync')}</button>
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}
      <p class="count" role="status">${this.total === undefined ? '' : msg(str`${total} devices`)}</p>
      <div class="table" role="table" aria-label=${msg('All devices')} aria-rowcount=${total + 1}>
        <div role="rowgroup">
          <div class="row head" role="row" aria-rowindex="1">
            <span role="columnheader">${msg('Name')}</span>
            <span role="columnheader">${msg('Primary user')}</span>
            <span role="columnheader">${msg('OS')}</span>
            <span role="columnheader">${msg('Compliance')}</span>
            <span role="columnheader">${msg('Last check-in')}</span>
          </div>
        </div>
        <div class="viewport" tabindex="0" role="rowgroup" @scroll=${() => this.onScroll()}>
          <div class="spacer" style=${styleMap({ blockSize: `${total * rowHeight}px` })}>
            <div class="rows" style=${styleMap({ insetBlockStart: `${start * rowHeight}px` })}>
              ${indexes.map((i) => this.renderRow(i))}
            </div>
          </div>
        </div>
      </div>`;
  }
}

if (!customElements.get('rh-device-list')) customElements.define('rh-device-list', DeviceList);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-list': DeviceList;
  }
  interface HTMLElementEventMap {
    'rh-open-device': CustomEvent<{ id: string }>;
  }
}
