// Tenant administration > Reports: every session and every refusal, filtered (helper, sharer,
// device, outcome, dates) and paged; the same filter exported as CSV; and a check of the hash chain.
// Sessions the sharer reported come first (the relay's order), each with Mark reviewed.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import {
  reportOutcomes, type AdminResult, type Page, type ReportOutcome, type ReportQuery, type SessionReport, type WireError,
} from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/policy-refusal.js';
import { formatTime } from '../app/format.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';
import { downloadText } from './download.js';
import { reportsReviewedEvent } from './new-reports-badge.js';
import { colleaguesText, endedText, interruptionsText, outcomeLabel, policyText, warningsText } from './report-text.js';
import { purposeCell } from './report-purpose.js';

const pageSize = 50;
type Filters = Omit<ReportQuery, 'offset' | 'limit'>;
type Verification = Extract<AdminResult<'verifyReports'>, { ok: true }>['value'];

/** A date box's day, in the user's own time zone, as the ISO instant the relay compares with. */
function dayStart(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}
function dayEnd(day: string): string | undefined {
  return day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined;
}

export class AdminReports extends LitElement {
  static override properties = {
    client: { attribute: false },
    page: { state: true },
    offset: { state: true },
    filters: { state: true },
    loading: { state: true },
    exporting: { state: true },
    verifying: { state: true },
    verification: { state: true },
    exported: { state: true },
    error: { state: true },
    marking: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare page: Page<SessionReport> | undefined;
  declare offset: number;
  declare filters: Filters;
  declare loading: boolean;
  declare exporting: boolean;
  declare verifying: boolean;
  declare verification: Verification | undefined;
  declare exported: string;
  declare error: WireError | undefined;
  /** Reports whose Mark reviewed is on its way to the relay. */
  declare marking: ReadonlySet<string>;
  private generation = 0;

  static override styles = [baseStyles, consoleStyles, adminStyles, css`
    /* A reason is typed by a helper: a long one wraps within its column instead of widening the table. */
    td .reason { display: inline-block; max-inline-size: 20em; overflow-wrap: anywhere; }
    /* Reported sessions come first (the relay's order) and stand out until someone looks at them. */
    tr.reported > td:first-child { border-inline-start: 4px solid var(--rh-color-danger); }
    td.address { font-family: var(--rh-font-mono, ui-monospace, monospace); direction: ltr; unicode-bidi: isolate; }
    .reviewed, .new { margin: 0; }
  `];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.offset = 0;
    this.filters = {};
    this.loading = false;
    this.exporting = false;
    this.verifying = false;
    this.exported = '';
    this.marking = new Set();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') && this.client) void this.load();
  }

  /** Reloads the page in view (the console calls this when the section is shown again). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.error = undefined;
    const res = await adminCall(this.client!, 'listReports', { ...this.filters, offset: this.offset, limit: pageSize });
    if (generation !== this.generation) return;
    this.loading = false;
    if (res.ok) this.page = res.value;
    else this.error = res.error;
  }

  private applyFilters(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
    const f: Filters = {};
    if (value('helper')) f.helper = value('helper');
    if (value('sharer')) f.sharer = value('sharer');
    if (value('device')) f.device = value('device');
    if (value('outcome')) f.outcome = value('outcome') as ReportOutcome;
    const from = dayStart(value('from'));
    const to = dayEnd(value('to'));
    if (from) f.from = from;
    if (to) f.to = to;
    this.filters = f;
    this.offset = 0;
    void this.load();
  }

  private go(offset: number): void {
    this.offset = Math.max(0, offset);
    void this.load();
  }

  private async exportCsv(): Promise<void> {
    if (this.exporting) return;
    this.exporting = true;
    this.exported = '';
    this.error = undefined;
    const res = await adminCall(this.client!, 'exportReportsCsv', this.filters);
    this.exporting = false;
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    downloadText(document, res.value.filename, res.value.csv);
    this.exported = msg(str`Exported ${res.value.filename}.`);
  }

  private async verify(): Promise<void> {
    if (this.verifying) return;
    this.verifying = true;
    this.verification = undefined;
    this.error = undefined;
    const res = await adminCall(this.client!, 'verifyReports', {});
    this.verifying = false;
    if (res.ok) this.verification = res.value;
    else this.error = res.error;
  }

  override render() {
    return html`<h2>${msg('Reports')}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.renderFilters()}
      <div class="actions">
        <button @click=${() => void this.exportCsv()} ?disabled=${this.exporting}>${msg('Export CSV')}</button>
        <button @click=${() => void this.verify()} ?disabled=${this.verifying}>${msg('Verify chain')}</button>
        <span role="status" class="status" dir="auto">${this.exporting ? msg('Exporting…') : this.exported}</span>
      </div>
      ${this.renderVerification()}
      ${this.loading ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.page ? this.renderTable(this.page) : nothing}`;
  }

  private renderVerification() {
    if (this.verifying) return html`<p role="status">${msg('Verifying the report chain…')}</p>`;
    const v = this.verification;
    if (!v) return nothing;
    if (v.intact) return html`<p role="status" class="status">${msg(str`The report chain is intact (${v.checked} records checked).`)}</p>`;
    return html`<div class="error" role="alert">
      <p>${msg(str`The report chain is broken at record ${v.firstBadSeq ?? '?'}.`)}</p>
      ${v.problem ? html`<p dir="auto">${v.problem}</p>` : nothing}
    </div>`;
  }

  private renderFilters() {
    const f = this.filters;
    const day = (iso: string | undefined) => {
      if (!iso) return '';
      const d = new Date(iso);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    };
    return html`<form class="filters" @submit=${(e: Event) => this.applyFilters(e)} aria-label=${msg('Filter reports')}>
      <fieldset>
        <legend>${msg('Filter reports')}</legend>
        <div class="choices">
          <div class="field"><label for="f-helper">${msg('Helper')}</label>
            <input id="f-helper" name="helper" type="search" dir="auto" .value=${f.helper ?? ''} /></div>
          <div class="field"><label for="f-sharer">${msg('Sharer')}</label>
            <input id="f-sharer" name="sharer" type="search" dir="auto" .value=${f.sharer ?? ''} /></div>
          <div class="field"><label for="f-device">${msg('Device')}</label>
            <input id="f-device" name="device" type="search" dir="auto" .value=${f.device ?? ''} /></div>
          <div class="field"><label for="f-outcome">${msg('Outcome')}</label>
            <select id="f-outcome" name="outcome">
              <option value="" ?selected=${!f.outcome}>${msg('Any outcome')}</option>
              ${reportOutcomes.map((o) => html`<option value=${o} ?selected=${f.outcome === o}>${outcomeLabel(o)}</option>`)}
            </select></div>
          <div class="field"><label for="f-from">${msg('From')}</label>
            <input id="f-from" name="from" type="date" .value=${day(f.from)} /></div>
          <div class="field"><label for="f-to">${msg('To')}</label>
            <input id="f-to" name="to" type="date" .value=${day(f.to)} /></div>
        </div>
        <div class="actions"><button class="primary" type="submit">${msg('Apply filters')}</button></div>
      </fieldset>
    </form>`;
  }

  private renderTable(page: Page<SessionReport>) {
    const first = page.total === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.items.length;
    const total = page.total;
    return html`<div class="scroll" tabindex="0" role="group" aria-labelledby="reports-caption"><table>
        <caption id="reports-caption">${msg('Session reports')}</caption>
        <thead><tr>
          <th scope="col">${msg('Time')}</th>
          <th scope="col">${msg('Helper')}</th>
          <th scope="col">${msg('Sharer')}</th>
          <th scope="col">${msg('Device')}</th>
          <th scope="col">${msg("Sharer's address")}</th>
          <th scope="col">${msg('Outcome')}</th>
          <th scope="col">${msg('Warnings')}</th>
          <th scope="col">${msg('Policy')}</th>
          <th scope="col">${msg('Ended')}</th>
          <th scope="col">${msg('Interruptions')}</th>
          <th scope="col">${msg('Colleagues')}</th>
          <th scope="col">${msg('Reason')}</th>
        </tr></thead>
        <tbody>
          ${page.items.length === 0
            ? html`<tr><td colspan="12" class="empty">${Object.keys(this.filters).length > 0
                ? html`<strong>${msg('No reports match.')}</strong>${msg('Change or clear the filters, then choose Apply filters.')}`
                : html`<strong>${msg('No sessions have been reported yet.')}</strong>${msg('Every remote help session and every refusal is listed here once it happens.')}`}</td></tr>`
            : nothing}
          ${page.items.map((r) => html`<tr class=${r.outcome === 'reported' ? 'reported' : ''}>
            <td><time datetime=${r.createdAt}>${formatTime(r.createdAt)}</time></td>
            <td dir="auto">${r.helper ? r.helper.upn : ''}</td>
            <td dir="auto">${r.sharer ? r.sharer.upn : ''}</td>
            <td dir="auto">${r.device ? r.device.name : msg('Unenrolled')}</td>
            <td class="address">${r.sharerAddress ?? ''}</td>
            <td>${r.outcome === 'reported' ? this.renderReported(r) : outcomeLabel(r.outcome)}</td>
            <td>${this.list(warningsText(r))}</td>
            <td dir="auto">${this.list(policyText(r))}</td>
            <td>${endedText(r)}</td>
            <td>${this.list(interruptionsText(r, formatTime))}</td>
            <td>${this.list(colleaguesText(r, formatTime))}</td>
            <td>${purposeCell(r)}</td>
          </tr>`)}
        </tbody>
      </table></div>
      <div class="actions">
        <button ?disabled=${page.offset === 0 || this.loading} @click=${() => this.go(page.offset - pageSize)}>${msg('Previous page')}</button>
        <button ?disabled=${last >= total || this.loading} @click=${() => this.go(page.offset + pageSize)}>${msg('Next page')}</button>
        <span role="status">${total === 0 ? msg('Showing 0 of 0') : msg(str`Showing ${first}–${last} of ${total}`)}</span>
      </div>`;
  }

  /** A reported session: the outcome in words, then who reviewed it and when, or the button to say so. */
  private renderReported(r: SessionReport) {
    return html`<strong>${outcomeLabel(r.outcome)}</strong>
      ${r.review
        ? html`<p class="reviewed" dir="auto">${msg(str`Reviewed by ${r.review.by.name}, ${formatTime(r.review.at)}`)}</p>`
        : html`<p class="new">${msg('Not reviewed yet')}</p>
          <button type="button" ?disabled=${this.marking.has(r.id)} @click=${() => void this.markReviewed(r)}
            aria-label=${msg(str`Mark reviewed: ${r.helper?.upn ?? msg('unknown helper')}, ${formatTime(r.createdAt)}`)}>${msg('Mark reviewed')}</button>`}`;
  }

  private async markReviewed(r: SessionReport): Promise<void> {
    this.marking = new Set([...this.marking, r.id]);
    this.error = undefined;
    const res = await adminCall(this.client!, 'markReportReviewed', { id: r.id });
    this.marking = new Set([...this.marking].filter((id) => id !== r.id));
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    if (this.page) this.page = { ...this.page, items: this.page.items.map((x) => (x.id === r.id ? { ...x, review: res.value } : x)) };
    // The navigation's count of new reports goes down at once.
    this.dispatchEvent(new CustomEvent(reportsReviewedEvent, { bubbles: true, composed: true }));
  }

  private list(items: string[]) {
    if (items.length === 0) return nothing;
    if (items.length === 1) return items[0];
    return html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
  }
}

if (!customElements.get('rh-admin-reports')) customElements.define('rh-admin-reports', AdminReports);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-reports': AdminReports;
  }
}
