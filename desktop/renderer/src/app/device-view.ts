// One device, as Intune shows it: the remote actions bar (New remote assistance session), an overview
// of its properties (where it comes from, with the self-reported mark, approval, ownership, primary
// user, OS, enrolment, last check-in), its hardware, its compliance with every reason, and its recent
// sessions. A sync that ends while it is open refreshes it, or says that the sync removed it.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { isSelfReported, type Device, type ErrorCode, type SyncProgress } from '#protocol';
import { complianceReasonMessage } from '#ui/i18n/compliance-reasons.js';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { onSyncProgress, type DesktopClient } from '../api-client.js';
import { approvalLabel, complianceLabel, formatTime, orUnknown, ownershipLabel } from './format.js';
import type { DeviceSessions } from './device-sessions.js';
import type { NewSessionDialog } from './new-session-dialog.js';
import './device-sessions.js';
import './managed-by.js';
import './new-session-dialog.js';

/** @fires rh-start-session (detail: { deviceId, reason? }) @fires rh-back */
export class DeviceView extends LitElement {
  static override properties = {
    client: { attribute: false },
    deviceId: { attribute: false },
    device: { state: true },
    error: { state: true },
    removed: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare deviceId: string | undefined;
  declare device: Device | undefined;
  declare error: ErrorCode | undefined;
  /** The last sync removed this device from the inventory (its last known properties stay shown). */
  declare removed: boolean;

  private unsubscribe: (() => void) | undefined;
  /** The first load of the device shown (the view is drawn anew when it comes). */
  private loaded: Promise<void> | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: grid; gap: 1em; min-inline-size: 0; }
      .title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5em 1em; }
      h1 { margin: 0; font-size: var(--rh-text-xl); overflow-wrap: anywhere; }
      h2 { margin-block: 0 0.5em; font-size: var(--rh-text-lg); }
      .actions { display: flex; flex-wrap: wrap; gap: 0.75em; padding-block: 0.5em; border-block: 1px solid var(--rh-color-border-subtle); }
      .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22em), 1fr)); gap: 1em 2em; }
      section { min-inline-size: 0; }
      dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.4em 1.5em; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
      .noncompliant { color: var(--rh-color-danger); font-weight: 600; }
      .unknown-value { color: var(--rh-color-text-muted); }
      .notice { margin: 0; }
      ul { margin: 0.25em 0 0; padding-inline-start: 1.25em; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.removed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) this.listen(this.client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') && this.client && this.isConnected) this.listen(this.client);
    if ((changed.has('deviceId') || changed.has('client')) && this.deviceId && this.client) this.loaded = this.load(this.deviceId, false);
  }

  private listen(client: DesktopClient): void {
    this.unsubscribe?.();
    this.unsubscribe = onSyncProgress(client, (p) => this.onSync(p));
  }

  private onSync(p: SyncProgress): void {
    // What was received is applied, whether the sync ran to the end or was cancelled.
    if ((p.state === 'done' || p.state === 'cancelled') && this.deviceId) void this.load(this.deviceId, true);
  }

  /** `refresh`: keep showing the device while its new properties come (after a sync). */
  private async load(id: string, refresh: boolean): Promise<void> {
    if (!refresh) {
      this.device = undefined;
      this.removed = false;
    }
    this.error = undefined;
    const res = await this.client!.getDevice({ id });
    if (id !== this.deviceId) return;
    if (res.ok) {
      this.device = res.value;
      this.removed = false;
    } else if (refresh && res.error.code === 'not-found' && this.device) this.removed = true;
    else this.error = res.error.code;
  }

  private get dialog(): NewSessionDialog | null {
    return this.renderRoot.querySelector('rh-new-session-dialog');
  }

  /** Reads the recent sessions again (after a session on this device). */
  async refreshSessions(): Promise<void> {
    await this.renderRoot.querySelector<DeviceSessions>('rh-device-sessions')?.load();
  }

  private value(v: string) {
    return v.trim() === '' ? html`<span class="unknown-value">${orUnknown(v)}</span>` : html`<span dir="auto">${v}</span>`;
  }

  private renderOverview(d: Device) {
    return html`<section aria-labelledby="overview">
      <h2 id="overview">${msg('Overview')}</h2>
      <dl>
        <dt>${msg('Device name')}</dt><dd dir="auto">${d.name}</dd>
        <dt>${msg('Managed by')}</dt><dd><rh-managed-by .source=${d.managedBy} .approved=${d.approved} explain></rh-managed-by></dd>
        <dt>${msg('Approval')}</dt><dd>${approvalLabel(d)}</dd>
        <dt>${msg('Ownership')}</dt><dd>${ownershipLabel(d.ownership)}</dd>
        <dt>${msg('Primary user')}</dt><dd>${this.value(d.primaryUser)}</dd>
        <dt>${msg('OS')}</dt><dd>${this.value(d.platform)}</dd>
        <dt>${msg('OS version')}</dt><dd>${this.value(d.osVersion)}</dd>
        <dt>${msg('Enrolled on')}</dt><dd>${d.enrolledAt ? formatTime(d.enrolledAt) : html`<span class="unknown-value">${msg('Unknown')}</span>`}</dd>
        <dt>${msg('Last check-in')}</dt><dd>${formatTime(d.lastCheckIn)}</dd>
      </dl>
    </section>`;
  }

  private renderHardware(d: Device) {
    return html`<section aria-labelledby="hardware">
      <h2 id="hardware">${msg('Hardware')}</h2>
      <dl>
        <dt>${msg('Manufacturer')}</dt><dd>${this.value(d.manufacturer)}</dd>
        <dt>${msg('Model')}</dt><dd>${this.value(d.model)}</dd>
        <dt>${msg('Serial number')}</dt><dd>${this.value(d.serialNumber)}</dd>
      </dl>
    </section>`;
  }

  private renderCompliance(d: Device) {
    return html`<section aria-labelledby="compliance">
      <h2 id="compliance">${msg('Compliance')}</h2>
      <p class=${d.compliance}>${complianceLabel(d.compliance)}</p>
      ${d.complianceReasons.length
        ? html`<ul aria-label=${msg('Compliance reasons')}>${d.complianceReasons.map((r) => html`<li><span dir="auto">${complianceReasonMessage(r)}</span></li>`)}</ul>`
        : nothing}
      ${isSelfReported(d) ? html`<p class="unknown-value">${msg('The device reported this compliance itself.')}</p>` : nothing}
    </section>`;
  }

  /** Opened from the list: the focus goes to the device's name (or to Back if it cannot be read), once
   * the device is shown. */
  async focusOutcome(): Promise<void> {
    await this.loaded;
    await this.updateComplete;
    (this.renderRoot.querySelector<HTMLElement>('h1') ?? this.renderRoot.querySelector<HTMLElement>('button'))?.focus();
  }

  override render() {
    const back = html`<button @click=${() => this.dispatchEvent(new CustomEvent('rh-back', { bubbles: true, composed: true }))}>
      ${msg('Back to all devices')}
    </button>`;
    if (this.error) return html`<div>${back}</div><p class="error" role="alert">${errorMessage(this.error)}</p>`;
    const d = this.device;
    if (!d) return html`<div>${back}</div><p role="status">${msg('Loading…')}</p>`;
    return html`
      <div>${back}</div>
      <div class="title">
        <h1 dir="auto" tabindex="-1">${d.name}</h1>
        <rh-managed-by .source=${d.managedBy} .approved=${d.approved}></rh-managed-by>
      </div>
      ${this.removed
        ? html`<p class="notice" role="status">${msg('The last sync removed this device from the inventory. Its last known properties are shown.')}</p>`
        : nothing}
      <div class="actions" role="toolbar" aria-label=${msg('Remote actions')}>
        <button class="primary" ?disabled=${this.removed} @click=${() => void this.dialog?.show()}>${msg('New remote assistance session')}</button>
      </div>
      <div class="cards">
        ${this.renderOverview(d)}
        ${this.renderHardware(d)}
        ${this.renderCompliance(d)}
      </div>
      <section aria-labelledby="sessions">
        <h2 id="sessions">${msg('Recent sessions')}</h2>
        <rh-device-sessions .client=${this.client} .deviceId=${d.id}></rh-device-sessions>
      </section>
      <rh-new-session-dialog .client=${this.client} .deviceId=${d.id} @rh-continue=${(e: CustomEvent<{ reason?: string }>) => this.dispatchEvent(new CustomEvent('rh-start-session', { detail: { deviceId: d.id, ...(e.detail.reason ? { reason: e.detail.reason } : {}) }, bubbles: true, composed: true }))}></rh-new-session-dialog>`;
  }
}

if (!customElements.get('rh-device-view')) customElements.define('rh-device-view', DeviceView);

declare global {
  interface HTMLElementTagNameMap {
    'rh-device-view': DeviceView;
  }
  interface HTMLElementEventMap {
    'rh-start-session': CustomEvent<{ deviceId: string; reason?: string }>;
    'rh-back': CustomEvent<void>;
  }
}
