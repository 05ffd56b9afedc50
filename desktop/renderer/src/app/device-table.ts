// The device grid of Devices > All devices: virtualized (the inventory may hold 100,000 devices: only the
// rows in view, plus a few, are in the page; rows come from main a page at a time), sortable by every
// column header, one selected row (click, or the arrow keys, Home/End, Page Up/Down; Enter opens).
// A query's late answer never lands over a newer query's rows: every query has a generation.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Device, DeviceSortKey, ErrorCode } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { DesktopClient } from '../api-client.js';
import { columnStyles, deviceColumns } from './device-columns.js';
import { noFilters, type DeviceFilterValues } from './device-filters.js';
import { complianceLabel, formatTime, ownershipLabel } from './format.js';
import './managed-by.js';

export const rowHeight = 44;
const pageSize = 100;
const overscan = 10;

export type SortDirection = 'asc' | 'desc';
export interface DeviceSort {
  sort: DeviceSortKey;
  direction: SortDirection;
}
export interface SelectedDevice {
  id: string;
  name: string;
}

/**
 * @fires rh-sort-change (detail: DeviceSort) a header was clicked; the owner passes the new sort back in
 * @fires rh-select (detail: SelectedDevice)
 * @fires rh-open-device (detail: { id })
 * @fires rh-devices-counted (detail: { total }) the newest query's count of matching devices
 */
export class DeviceTable extends LitElement {
  static override properties = {
    client: { attribute: false },
    filters: { attribute: false },
    sort: { attribute: false },
    selectedId: { attribute: false },
    total: { state: true },
    first: { state: true },
    visibleCount: { state: true },
    activeIndex: { state: true },
    error: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare filters: DeviceFilterValues;
  declare sort: DeviceSort;
  declare selectedId: string | undefined;
  declare total: number | undefined;
  declare first: number;
  declare visibleCount: number;
  /** The row that takes the keyboard focus (the one tab stop of the grid). */
  declare activeIndex: number;
  declare error: ErrorCode | undefined;

  private pages = new Map<number, Device[]>();
  /** The rows of before a refresh, shown until the fresh ones are in (no flash of "Loading…" after a sync). */
  private stale = new Map<number, Device[]>();
  private loading = new Set<number>();
  /** Bumped on every new query and refresh: answers for an older one are dropped. */
  private generation = 0;
  private queryKey = '';
  private resizeObserver: ResizeObserver | undefined;
  /** A keyboard move to a row whose page is still on its way: selected when it arrives. */
  private selectWhenLoaded: number | undefined;
  private focusAfterRender: number | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: grid; gap: 0.5em; min-inline-size: 0; }
      .table { container: devices / inline-size; border: 1px solid var(--rh-color-border); border-radius: var(--rh-radius-md); background: var(--rh-color-surface); min-inline-size: 0; font-size: 0.875rem; }
      .row { display: grid; align-items: center; block-size: ${rowHeight}px; box-sizing: border-box;
        padding-inline: 0.75em; border-block-end: 1px solid var(--rh-color-border-subtle); }
      .row > [role='gridcell'], .row > [role='columnheader'] { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-inline-size: 0; }
      .head-group { overflow: hidden; scrollbar-gutter: stable; background: var(--rh-color-surface-raised); border-block-end: 1px solid var(--rh-color-border);
        border-start-start-radius: var(--rh-radius-md); border-start-end-radius: var(--rh-radius-md); }
      .head { border-block-end: none; }
      /* A header may take two lines rather than lose letters. */
      .head > [role='columnheader'] { white-space: normal; }
      .head button { all: unset; box-sizing: border-box; display: inline-flex; gap: 0.25em; align-items: center; max-inline-size: 100%;
        font-weight: 600; line-height: 1.15; cursor: pointer; padding-block: 0.2em; border-radius: 4px; }
      .head button:focus-visible { outline: 3px solid var(--rh-color-focus); outline-offset: 1px; }
      .arrow { font-size: 0.75em; color: var(--rh-color-accent); flex: none; }
      .viewport { block-size: min(60vh, 640px); overflow-y: auto; scrollbar-gutter: stable; position: relative; }
      .viewport:focus-visible { outline: 3px solid var(--rh-color-focus); outline-offset: -3px; }
      .spacer { position: relative; }
      .rows { position: absolute; inset-inline: 0; }
      .body-row { cursor: default; }
      .body-row:hover { background: var(--rh-color-surface-raised); }
      .body-row[aria-selected='true'] { background: var(--rh-color-selected); }
      .body-row:focus-visible { outline: 3px solid var(--rh-color-focus); outline-offset: -3px; }
      .c-name a { font-weight: 600; }
      .noncompliant { color: var(--rh-color-danger); font-weight: 600; }
      .placeholder { color: var(--rh-color-text-muted); }
      .empty { padding: var(--rh-space-5) var(--rh-space-4); color: var(--rh-color-text-muted); margin: 0; text-align: center; white-space: normal; }
      .empty strong { display: block; color: var(--rh-color-text); }
      /* Windows high contrast: a sort button shows as a button, with its own border. */
      @media (forced-colors: active) { .head button { border: 1px solid ButtonText; padding-inline: 0.25em; } }
    `,
    columnStyles(),
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filters = noFilters;
    this.sort = { sort: 'name', direction: 'asc' };
    this.first = 0;
    this.visibleCount = 20;
    this.activeIndex = 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.observeViewport();
  }

  protected override firstUpdated(): void {
    this.observeViewport();
  }

  private observeViewport(): void {
    const viewport = this.viewport;
    if (!viewport || this.resizeObserver) return;
    this.resizeObserver = new ResizeObserver(() => this.onScroll());
    this.resizeObserver.observe(viewport);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('client') && !changed.has('filters') && !changed.has('sort')) return;
    const key = JSON.stringify([this.filters, this.sort]);
    if (changed.has('client') || key !== this.queryKey) {
      this.queryKey = key;
      this.restart();
    }
  }

  protected override updated(): void {
    const pending = this.selectWhenLoaded;
    if (pending !== undefined) {
      const d = this.deviceAt(pending);
      if (d) {
        this.selectWhenLoaded = undefined;
        this.select(d);
      }
    }
    const focus = this.focusAfterRender;
    if (focus !== undefined) {
      const row = this.renderRoot.querySelector<HTMLElement>(`[data-index="${focus}"]`);
      if (row) {
        this.focusAfterRender = undefined;
        row.focus({ preventScroll: true });
      }
    }
  }

  private get viewport(): HTMLElement | null {
    return this.renderRoot.querySelector('.viewport');
  }

  /** A new query: drops every row and starts at the top. */
  private restart(): void {
    this.generation++;
    this.pages = new Map();
    this.stale = new Map();
    this.loading.clear();
    this.total = undefined;
    this.error = undefined;
    this.first = 0;
    this.activeIndex = 0;
    this.selectWhenLoaded = undefined;
    const viewport = this.viewport;
    if (viewport) viewport.scrollTop = 0;
    void this.ensurePages();
  }

  /** The same query again (after a sync): the rows in view are fetched anew, the scroll position and
   * the selection stay; the old rows show until the new ones are in. */
  async refresh(): Promise<void> {
    this.generation++;
    this.stale = new Map([...this.stale, ...this.pages]);
    this.pages = new Map();
    this.loading.clear();
    this.error = undefined;
    await this.ensurePages();
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
    const query = { ...this.filters, ...this.sort, limit: pageSize };
    await Promise.all(wanted.map(async (p) => {
      this.loading.add(p);
      const res = await client.listDevices({ ...query, offset: p * pageSize });
      if (generation !== this.generation) return;
      this.loading.delete(p);
      if (!res.ok) {
        this.error = res.error.code;
        return;
      }
      this.pages.set(p, res.value.items);
      this.stale.delete(p);
      if (this.total !== res.value.total) {
        this.total = res.value.total;
        if (this.activeIndex >= this.total) this.activeIndex = Math.max(0, this.total - 1);
        this.dispatchEvent(new CustomEvent('rh-devices-counted', { detail: { total: this.total }, bubbles: true, composed: true }));
      }
      this.requestUpdate();
    }));
    // A shorter list after a refresh: the rows past its end are gone.
    if (generation === this.generation && this.total !== undefined) {
      for (const p of [...this.stale.keys()]) if (p * pageSize >= this.total) this.stale.delete(p);
    }
  }

  private onScroll(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    this.first = Math.floor(viewport.scrollTop / rowHeight);
    this.visibleCount = Math.ceil(viewport.clientHeight / rowHeight) + 1;
    void this.ensurePages();
  }

  deviceAt(i: number): Device | undefined {
    const p = Math.floor(i / pageSize);
    return (this.pages.get(p) ?? this.stale.get(p))?.[i % pageSize];
  }

  private select(d: Device): void {
    if (this.selectedId === d.id) return;
    this.selectedId = d.id;
    this.dispatchEvent(new CustomEvent('rh-select', { detail: { id: d.id, name: d.name }, bubbles: true, composed: true }));
  }

  private open(d: Device): void {
    this.select(d);
    this.dispatchEvent(new CustomEvent('rh-open-device', { detail: { id: d.id }, bubbles: true, composed: true }));
  }

  private sortBy(key: DeviceSortKey): void {
    const direction: SortDirection = this.sort.sort === key && this.sort.direction === 'asc' ? 'desc' : 'asc';
    this.dispatchEvent(new CustomEvent('rh-sort-change', { detail: { sort: key, direction }, bubbles: true, composed: true }));
  }

  /** The row the keyboard was on (the one just opened, on the way back from its device): focused again.
   * False when that row is no longer rendered. */
  focusActiveRow(): boolean {
    const row = this.renderRoot.querySelector<HTMLElement>(`[data-index="${this.activeIndex}"]`);
    row?.focus({ preventScroll: true });
    return !!row;
  }

  /** Moves the keyboard focus (and the selection) to row `i`, scrolling it into view. */
  private moveTo(i: number): void {
    const total = this.total ?? 0;
    if (total === 0) return;
    const index = Math.min(total - 1, Math.max(0, i));
    this.activeIndex = index;
    const viewport = this.viewport;
    if (viewport) {
      const top = index * rowHeight;
      if (top < viewport.scrollTop) viewport.scrollTop = top;
      else if (top + rowHeight > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + rowHeight - viewport.clientHeight;
      this.onScroll();
    }
    this.focusAfterRender = index;
    const d = this.deviceAt(index);
    if (d) this.select(d);
    else this.selectWhenLoaded = index;
  }

  private onKeyDown(e: KeyboardEvent): void {
    const page = Math.max(1, this.visibleCount - 2);
    const steps: Record<string, number | undefined> = {
      ArrowDown: this.activeIndex + 1, ArrowUp: this.activeIndex - 1, PageDown: this.activeIndex + page,
      PageUp: this.activeIndex - page, Home: 0, End: (this.total ?? 1) - 1,
    };
    const target = steps[e.key];
    if (target !== undefined) {
      e.preventDefault();
      this.moveTo(target);
      return;
    }
    const d = this.deviceAt(this.activeIndex);
    if (!d) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      this.open(d);
    } else if (e.key === ' ') {
      e.preventDefault();
      this.select(d);
    }
  }

  private onRowClick(e: MouseEvent, i: number, d: Device | undefined): void {
    this.activeIndex = i;
    if (!d) return;
    // The name is a link: it opens the device; anywhere else on the row selects it.
    if ((e.composedPath()[0] as HTMLElement | undefined)?.closest?.('a')) {
      e.preventDefault();
      this.open(d);
    } else this.select(d);
  }

  private renderHeader() {
    return html`<div class="head-group" role="rowgroup">
      <div class="row head" role="row" aria-rowindex="1">
        ${deviceColumns.map((c) => {
          const sorted = this.sort.sort === c.key;
          const ariaSort = sorted ? (this.sort.direction === 'asc' ? 'ascending' : 'descending') : nothing;
          return html`<div role="columnheader" class="c-${c.key}" aria-sort=${ariaSort}>
            <button @click=${() => this.sortBy(c.key)}>
              <span class="label">${c.label()}</span><span class="arrow" aria-hidden="true">${sorted ? (this.sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
            </button>
          </div>`;
        })}
      </div>
    </div>`;
  }

  private renderCells(d: Device) {
    return html`
      <div role="gridcell" class="c-name"><a href="#device/${encodeURIComponent(d.id)}" tabindex="-1" dir="auto" title=${d.name}>${d.name}</a></div>
      <div role="gridcell" class="c-managedBy"><rh-managed-by .source=${d.managedBy} .approved=${d.approved}></rh-managed-by></div>
      <div role="gridcell" class="c-ownership">${ownershipLabel(d.ownership)}</div>
      <div role="gridcell" class="c-compliance ${d.compliance}">${complianceLabel(d.compliance)}</div>
      <div role="gridcell" class="c-platform" dir="auto">${d.platform}</div>
      <div role="gridcell" class="c-osVersion" dir="auto">${d.osVersion}</div>
      <div role="gridcell" class="c-primaryUser" dir="auto" title=${d.primaryUser}>${d.primaryUser}</div>
      <div role="gridcell" class="c-lastCheckIn">${formatTime(d.lastCheckIn)}</div>`;
  }

  private renderRow(i: number) {
    const d = this.deviceAt(i);
    const selected = d !== undefined && d.id === this.selectedId;
    return html`<div class="row body-row" role="row" aria-rowindex=${i + 2} data-index=${i}
      aria-selected=${d ? String(selected) : nothing} tabindex=${i === this.activeIndex ? '0' : '-1'}
      @click=${(e: MouseEvent) => this.onRowClick(e, i, d)} @focus=${() => (this.activeIndex = i)}>
      ${d ? this.renderCells(d) : html`<div role="gridcell" class="c-name placeholder">${msg('Loading…')}</div>`}
    </div>`;
  }

  override render() {
    const total = this.total ?? 0;
    const start = Math.max(0, this.first - overscan);
    const end = Math.min(total, this.first + this.visibleCount + overscan);
    const indexes: number[] = [];
    for (let i = start; i < end; i++) indexes.push(i);
    const filtered = JSON.stringify(this.filters) !== JSON.stringify(noFilters);
    return html`
      ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}
      <div class="table" role="grid" aria-label=${msg('All devices')} aria-rowcount=${total + 1} aria-colcount=${deviceColumns.length}
        aria-multiselectable="false">
        ${this.renderHeader()}
        <div class="viewport" role="rowgroup" tabindex="-1" @scroll=${() => this.onScroll()} @keydown=${(e: KeyboardEvent) => this.onKeyDown(e)}>
          <div class="spacer" role="none" style=${styleMap({ blockSize: `${total * rowHeight}px` })}>
            <div class="rows" role="none" style=${styleMap({ insetBlockStart: `${start * rowHeight}px` })}>
              ${repeat(indexes, (i) => i, (i) => this.renderRow(i))}
            </div>
          </div>
          ${this.total === 0
            ? html`<div role="row" aria-rowindex="2"><div role="gridcell" class="empty">
                ${filtered
                  ? html`<strong>${msg('No devices match the search and filters.')}</strong>${msg('Clear the search or change the filters.')}`
                  : html`<strong>${msg('No devices in the inventory yet.')}</strong>${msg('Choose Sync to fetch your organization’s devices.')}`}
              </div></div>`
            : nothing}
        </div>
      </div>`;
  }
}

if (!customElements.get('rh-device-table')) customElements.define('rh-device-table', DeviceTable);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-table': DeviceTable;
  }
  interface HTMLElementEventMap {
    'rh-sort-change': CustomEvent<DeviceSort>;
    'rh-select': CustomEvent<SelectedDevice>;
    'rh-open-device': CustomEvent<{ id: string }>;
    'rh-devices-counted': CustomEvent<{ total: number }>;
  }
}
