// A device's recent remote help sessions (the relay's reports, metadata only): who helped (name and
// UPN), when (start and duration), and how it ended; newest first. An empty state, and an error state
// with a way to try again.
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { reportOutcomes, type DeviceSession, type ErrorCode, type ReportOutcome } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { DesktopClient } from '../api-client.js';
import { outcomeLabel } from '../admin/report-text.js';
import { formatDuration, formatTime } from './format.js';

function isReportOutcome(o: string): o is ReportOutcome {
  return (reportOutcomes as readonly string[]).includes(o);
}

export function sessionOutcomeLabel(outcome: string): string {
  return isReportOutcome(outcome) ? outcomeLabel(outcome) : outcome;
}

export class DeviceSessions extends LitElement {
  static override properties = {
    client: { attribute: false },
    deviceId: { attribute: false },
    sessions: { state: true },
    error: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare deviceId: string | undefined;
  declare sessions: DeviceSession[] | undefined;
  declare error: ErrorCode | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: block; }
      table { border-collapse: collapse; inline-size: 100%; }
      th, td { text-align: start; padding: 0.4em 0.75em 0.4em 0; border-block-end: 1px solid var(--rh-color-border-subtle); vertical-align: top; }
      th { font-weight: 600; border-block-end-color: var(--rh-color-border); }
      .upn { display: block; font-size: 0.9em; color: var(--rh-color-text-muted); }
      .rh-empty { text-align: start; padding-inline: 0; padding-block: var(--rh-space-2); }
      .retry { display: flex; gap: 0.75em; align-items: center; flex-wrap: wrap; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('deviceId')) this.sessions = undefined;
    if ((changed.has('deviceId') || changed.has('client')) && this.deviceId && this.client) void this.load();
  }

  async load(): Promise<void> {
    const id = this.deviceId;
    const client = this.client;
    if (!id || !client) return;
    this.error = undefined;
    const res = await client.deviceSessions({ id });
    if (id !== this.deviceId) return;
    if (res.ok) this.sessions = res.value;
    else {
      this.sessions = undefined;
      this.error = res.error.code;
    }
  }

  private renderSession(s: DeviceSession) {
    const ended = s.endedAt ? Date.parse(s.endedAt) : NaN;
    const duration = Number.isNaN(ended) ? msg('Still going on') : formatDuration(ended - Date.parse(s.startedAt));
    return html`<tr>
      <td><span dir="auto">${s.helperName}</span><span class="upn" dir="auto">${s.helperUpn}</span></td>
      <td><time datetime=${s.startedAt}>${formatTime(s.startedAt)}</time></td>
      <td>${duration}</td>
      <td>${sessionOutcomeLabel(s.outcome)}</td>
    </tr>`;
  }

  override render() {
    if (this.error) {
      return html`<div class="retry">
        <p class="error" role="alert">${msg('The recent sessions could not be read.')} ${errorMessage(this.error)}</p>
        <button @click=${() => void this.load()}>${msg('Try again')}</button>
      </div>`;
    }
    const sessions = this.sessions;
    if (!sessions) return html`<p class="muted" role="status">${msg('Loading…')}</p>`;
    if (sessions.length === 0) {
      return html`<div class="rh-empty">
        <strong>${msg('No remote help sessions on this device yet.')}</strong>
        ${msg('Start one with New remote assistance session: it is listed here with who helped and how it ended.')}
      </div>`;
    }
    return html`<div class="scroll" tabindex="0" role="group" aria-labelledby="recent-caption"><table aria-labelledby="recent-caption"><caption id="recent-caption" class="visually-hidden">${msg('Recent sessions')}</caption>
      <thead><tr>
        <th scope="col">${msg('Helper')}</th>
        <th scope="col">${msg('Started')}</th>
        <th scope="col">${msg('Duration')}</th>
        <th scope="col">${msg('Outcome')}</th>
      </tr></thead>
      <tbody>${sessions.map((s) => this.renderSession(s))}</tbody>
    </table></div>`;
  }
}

if (!customElements.get('rh-device-sessions')) customElements.define('rh-device-sessions', DeviceSessions);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-sessions': DeviceSessions;
  }
}
