// "Past sessions" on /rh: the signed-in person's own sessions as the sharer, from the relay's reports
// (GET /api/me/sessions, on the web session cookie): who helped, when the screen was shared, the pauses,
// how it ended and the report's id. Metadata only; the relay decides whose they are, never this page.
// A disclosure, not a link: opening it mid-session must not navigate away and end the session.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { ackSchema } from '#protocol/relay-events.js';
import { pastSessionsPage, pastSessionsPath, type PastSession, type PastSessionsPage } from '#protocol/receipt.js';
import type { ErrorCode } from '#protocol/errors.js';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { formatCount } from '#ui/i18n/format.js';
import { receiptTime } from '#ui/receipt-lines.js';
import { baseStyles } from '#ui/shared-styles.js';

const pageSize = 10;
const answerSchema = ackSchema(pastSessionsPage);

async function fetchPage(offset: number): Promise<{ ok: true; page: PastSessionsPage } | { ok: false; code: ErrorCode }> {
  try {
    const res = await fetch(`${pastSessionsPath}?offset=${offset}&limit=${pageSize}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    const parsed = answerSchema.safeParse(await res.json());
    if (!parsed.success) return { ok: false, code: 'internal' };
    return parsed.data.ok ? { ok: true, page: parsed.data.value } : { ok: false, code: parsed.data.error.code };
  } catch {
    return { ok: false, code: 'relay-unreachable' };
  }
}

function outcomeLabel(outcome: PastSession['outcome']): string {
  switch (outcome) {
    case 'completed': return msg('Completed');
    case 'cancelled': return msg('Ended before sharing');
    case 'denied': return msg('Declined');
    case 'reported': return msg('Declined and reported');
    case 'expired': return msg('Code expired');
    case 'refused': return msg('Refused by policy');
  }
}

export class PastSessions extends LitElement {
  static override properties = { open: { state: true }, page: { state: true }, error: { state: true }, loading: { state: true } };
  declare open: boolean;
  declare page: PastSessionsPage | undefined;
  declare error: ErrorCode | undefined;
  declare loading: boolean;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; margin-block-start: var(--rh-space-6, 1.5rem); }
      h2 { margin: 0; font-size: var(--rh-text-lg, 1.25rem); }
      .table-wrap { overflow-x: auto; margin-block: var(--rh-space-3, 0.75rem); }
      table { border-collapse: collapse; inline-size: 100%; }
      th, td { text-align: start; vertical-align: top; padding: var(--rh-space-2, 0.5rem); border-block-end: 1px solid var(--rh-color-border); }
      .id { font-family: var(--rh-font-mono, ui-monospace, monospace); overflow-wrap: anywhere; font-size: 0.9em; }
      ul { margin: 0; padding-inline-start: 1rem; }
      .pager { display: flex; gap: var(--rh-space-2, 0.5rem); align-items: center; flex-wrap: wrap; }
      .error { color: var(--rh-color-danger-text, var(--rh-color-danger)); }
    `,
  ];

  constructor() {
    super();
    this.open = false;
    this.loading = false;
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<section aria-labelledby="past-heading">
      <h2 id="past-heading">
        <button type="button" aria-expanded=${String(this.open)} aria-controls="past-panel" @click=${this.toggle}>${msg('Past sessions')}</button>
      </h2>
      <div id="past-panel" ?hidden=${!this.open}>${this.open ? this.renderPanel() : nothing}</div>
    </section>`;
  }

  private renderPanel() {
    if (this.error) {
      return html`<p class="error" role="alert">${errorMessage(this.error)}</p>
        <button type="button" @click=${() => void this.load(this.page?.offset ?? 0)}>${msg('Try again')}</button>`;
    }
    const page = this.page;
    if (!page) return html`<p role="status">${msg('Loading…')}</p>`;
    if (page.total === 0) return html`<p role="status">${msg('You have no past sessions as the person sharing a screen.')}</p>`;
    const first = page.offset + 1;
    const last = page.offset + page.items.length;
    return html`<div class="table-wrap"><table>
        <caption class="visually-hidden">${msg('Past sessions')}</caption>
        <thead><tr>
          <th scope="col">${msg('Started')}</th><th scope="col">${msg('Helper')}</th><th scope="col">${msg('Screen shared')}</th>
          <th scope="col">${msg('Pauses')}</th><th scope="col">${msg('Outcome')}</th><th scope="col">${msg('Report ID')}</th>
        </tr></thead>
        <tbody>${page.items.map((s) => this.renderRow(s))}</tbody>
      </table></div>
      <div class="pager">
        <span role="status">${msg(str`${formatCount(first)}–${formatCount(last)} of ${formatCount(page.total)}`)}</span>
        <button type="button" ?disabled=${this.loading || page.offset === 0} @click=${() => void this.load(Math.max(0, page.offset - pageSize))}>${msg('Newer')}</button>
        <button type="button" ?disabled=${this.loading || last >= page.total} @click=${() => void this.load(page.offset + pageSize)}>${msg('Older')}</button>
      </div>`;
  }

  private renderRow(s: PastSession) {
    const shared = s.sharingSince
      ? msg(str`From ${receiptTime(s.sharingSince)} to ${s.endedAt ? receiptTime(s.endedAt) : '…'}`)
      : msg('The screen was not shared');
    return html`<tr>
      <td>${receiptTime(s.createdAt)}</td>
      <td dir="auto">${s.helper ? html`${s.helper.name}<br />${s.helper.upn}` : '—'}</td>
      <td>${shared}</td>
      <td>${s.pauses.length === 0 ? msg('None') : html`<ul>${s.pauses.map((p) => html`<li>${p.to
        ? msg(str`From ${receiptTime(p.from)} to ${receiptTime(p.to)}`)
        : msg(str`From ${receiptTime(p.from)} until the end`)}</li>`)}</ul>`}</td>
      <td>${outcomeLabel(s.outcome)}</td>
      <td class="id">${s.reportId}</td>
    </tr>`;
  }

  private readonly toggle = (): void => {
    this.open = !this.open;
    // Read anew each time it opens: a session that just ended is then at the top.
    if (this.open) void this.load(0);
  };

  private async load(offset: number): Promise<void> {
    this.loading = true;
    const res = await fetchPage(offset);
    this.loading = false;
    if (res.ok) {
      this.page = res.page;
      this.error = undefined;
    } else {
      this.error = res.code;
    }
  }
}

if (!customElements.get('rh-past-sessions')) customElements.define('rh-past-sessions', PastSessions);

declare global {
  interface HTMLElementTagNameMap {
    'rh-past-sessions': PastSessions;
  }
}
