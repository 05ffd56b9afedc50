// One device: its properties and compliance (with reasons), and the way into a session for it.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { Device, ErrorCode } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import type { DesktopClient } from '../api-client.js';
import { complianceLabel, formatTime } from './format.js';
import type { NewSessionDialog } from './new-session-dialog.js';
import './new-session-dialog.js';

/** @fires rh-start-session (detail: { deviceId }) @fires rh-back */
export class DeviceView extends LitElement {
  static override properties = {
    client: { attribute: false },
    deviceId: { attribute: false },
    device: { state: true },
    error: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare deviceId: string | undefined;
  declare device: Device | undefined;
  declare error: ErrorCode | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: grid; gap: 1em; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4em 1.5em; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; }
      .noncompliant { color: #b3261e; font-weight: 600; }
      .actions { display: flex; gap: 0.75em; }
      .error { color: #b3261e; }
      h2 { margin: 0; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if ((changed.has('deviceId') || changed.has('client')) && this.deviceId && this.client) void this.load(this.deviceId);
  }

  private async load(id: string): Promise<void> {
    this.device = undefined;
    this.error = undefined;
    const res = await this.client!.getDevice({ id });
    if (id !== this.deviceId) return;
    if (res.ok) this.device = res.value;
    else this.error = res.error.code;
  }

  private get dialog(): NewSessionDialog | null {
    return this.renderRoot.querySelector('rh-new-session-dialog');
  }

  override render() {
    const back = html`<button @click=${() => this.dispatchEvent(new CustomEvent('rh-back', { bubbles: true, composed: true }))}>
      ${msg('Back to all devices')}
    </button>`;
    if (this.error) return html`${back}<p class="error" role="alert">${errorMessage(this.error)}</p>`;
    const d = this.device;
    if (!d) return html`${back}<p role="status">${msg('Loading…')}</p>`;
    return html`
      <div class="actions">${back}</div>
      <h2 dir="auto">${d.name}</h2>
      <div class="actions">
        <button class="primary" @click=${() => void this.dialog?.show()}>${msg('New remote assistance session')}</button>
      </div>
      <section aria-labelledby="props">
        <h3 id="props">${msg('Properties')}</h3>
        <dl>
          <dt>${msg('Primary user')}</dt><dd dir="auto">${d.primaryUser}</dd>
          <dt>${msg('Platform')}</dt><dd dir="auto">${d.platform}</dd>
          <dt>${msg('OS version')}</dt><dd dir="auto">${d.osVersion}</dd>
          <dt>${msg('Enrolled')}</dt><dd>${d.enrolled ? msg('Yes') : msg('No')}</dd>
          <dt>${msg('Last check-in')}</dt><dd>${formatTime(d.lastCheckIn)}</dd>
        </dl>
      </section>
      <section aria-labelledby="compliance">
        <h3 id="compliance">${msg('Compliance')}</h3>
        <p class=${d.compliance}>${complianceLabel(d.compliance)}</p>
        ${d.complianceReasons.length
          ? html`<ul aria-label=${msg('Reasons')}>${d.complianceReasons.map((r) => html`<li dir="auto">${r}</li>`)}</ul>`
          : nothing}
      </section>
      <rh-new-session-dialog @rh-continue=${() => this.dispatchEvent(new CustomEvent('rh-start-session', { detail: { deviceId: d.id }, bubbles: true, composed: true }))}></rh-new-session-dialog>`;
  }
}

if (!customElements.get('rh-device-view')) customElements.define('rh-device-view', DeviceView);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-view': DeviceView;
  }
  interface HTMLElementEventMap {
    'rh-start-session': CustomEvent<{ deviceId: string }>;
    'rh-back': CustomEvent<void>;
  }
}
