// Tenant administration > Settings: remote help on/off, help for unenrolled devices, chat, device
// enrollment, and how long reports are kept. The relay applies them to the next session.
import { LitElement, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { TenantSettingsView, WireError } from '../../../../protocol/src/index.js';
import { baseStyles } from '../../../../ui/src/shared-styles.js';
import '../../../../ui/src/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import './confirm-dialog.js';

type Switch = 'remoteHelpEnabled' | 'allowUnenrolled' | 'chatEnabled' | 'allowEnrollment';

export class AdminSettings extends LitElement {
  static override properties = {
    client: { attribute: false },
    settings: { state: true },
    loading: { state: true },
    saving: { state: true },
    saved: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare settings: TenantSettingsView | undefined;
  declare loading: boolean;
  declare saving: boolean;
  declare saved: boolean;
  declare error: WireError | undefined;

  static override styles = [baseStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.loading = false;
    this.saving = false;
    this.saved = false;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') && this.client) void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    const res = await adminCall(this.client!, 'getSettings', {});
    this.loading = false;
    if (res.ok) this.settings = res.value;
    else this.error = res.error;
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.settings || this.saving) return;
    const form = e.target as HTMLFormElement;
    const checked = (name: Switch) => (form.elements.namedItem(name) as HTMLInputElement).checked;
    const days = Number((form.elements.namedItem('reportRetentionDays') as HTMLInputElement).value);
    const next: TenantSettingsView = {
      remoteHelpEnabled: checked('remoteHelpEnabled'),
      allowUnenrolled: checked('allowUnenrolled'),
      chatEnabled: checked('chatEnabled'),
      allowEnrollment: checked('allowEnrollment'),
      reportRetentionDays: Number.isInteger(days) && days >= 0 ? days : this.settings.reportRetentionDays,
    };
    // Turning remote help off ends every helper's ability to start a session: ask first.
    if (this.settings.remoteHelpEnabled && !next.remoteHelpEnabled) {
      const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
      if (!dialog || !(await dialog.ask(msg('Turn off remote help for your whole organization? No helper can start a session until it is turned on again.'), msg('Turn off remote help')))) return;
    }
    this.saving = true;
    this.saved = false;
    this.error = undefined;
    const res = await adminCall(this.client!, 'updateSettings', next);
    this.saving = false;
    if (res.ok) {
      this.settings = res.value;
      this.saved = true;
    } else this.error = res.error;
  }

  private renderSwitch(name: Switch, label: string, hint: string) {
    return html`<div class="field">
      <label class="check">
        <input type="checkbox" role="switch" name=${name} aria-describedby="${name}-hint"
          .checked=${this.settings?.[name] ?? false} @change=${() => (this.saved = false)} />
        ${label}
      </label>
      <p class="hint" id="${name}-hint">${hint}</p>
    </div>`;
  }

  override render() {
    const s = this.settings;
    return html`<h2>${msg('Settings')}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.loading ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${s
        ? html`<form @submit=${(e: Event) => void this.save(e)} aria-label=${msg('Tenant settings')}>
            ${this.renderSwitch('remoteHelpEnabled', msg('Remote help'), msg('Helpers of your organization can start remote help sessions.'))}
            ${this.renderSwitch('allowUnenrolled', msg('Help for unenrolled devices'), msg('Sessions with devices that are not enrolled (the helper sees a warning).'))}
            ${this.renderSwitch('chatEnabled', msg('Chat'), msg('Helper and sharer can chat during a session.'))}
            ${this.renderSwitch('allowEnrollment', msg('Device enrollment'), msg('Signed-in users can enroll their browser as a device.'))}
            <div class="field">
              <label for="retention">${msg('Keep reports for (days)')}</label>
              <input id="retention" type="number" name="reportRetentionDays" min="0" max="3650" step="1" required
                aria-describedby="retention-hint" .value=${String(s.reportRetentionDays)} @input=${() => (this.saved = false)} />
              <p class="hint" id="retention-hint">${msg('0 keeps reports forever.')}</p>
            </div>
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.saving}>${msg('Save')}</button>
              <span role="status">${this.saving ? msg('Saving…') : this.saved ? msg('Settings saved.') : ''}</span>
            </div>
          </form>`
        : nothing}
      <rh-confirm-dialog></rh-confirm-dialog>`;
  }
}

if (!customElements.get('rh-admin-settings')) customElements.define('rh-admin-settings', AdminSettings);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-settings': AdminSettings;
  }
}
