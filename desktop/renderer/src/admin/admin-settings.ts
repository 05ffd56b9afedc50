// Tenant administration > Settings: remote help on/off, help for unenrolled devices, chat, device
// enrollment, and how long reports are kept. The relay applies them to the next session.
import { html } from 'lit';
import { msg } from '@lit/localize';
import type { TenantSettingsView } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminFormSection } from './admin-form-section.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import './confirm-dialog.js';

type Switch = 'remoteHelpEnabled' | 'allowUnenrolled' | 'chatEnabled' | 'allowEnrollment';

export class AdminSettings extends AdminFormSection<TenantSettingsView> {
  protected override fetchValue(client: AdminCaller) {
    return adminCall(client, 'getSettings', {});
  }

  protected override storeValue(client: AdminCaller, next: TenantSettingsView) {
    return adminCall(client, 'updateSettings', next);
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.value || this.saving) return;
    const form = e.target as HTMLFormElement;
    const checked = (name: Switch) => (form.elements.namedItem(name) as HTMLInputElement).checked;
    const days = Number((form.elements.namedItem('reportRetentionDays') as HTMLInputElement).value);
    const next: TenantSettingsView = {
      remoteHelpEnabled: checked('remoteHelpEnabled'),
      allowUnenrolled: checked('allowUnenrolled'),
      chatEnabled: checked('chatEnabled'),
      allowEnrollment: checked('allowEnrollment'),
      reportRetentionDays: Number.isInteger(days) && days >= 0 ? days : this.value.reportRetentionDays,
    };
    // Turning remote help off ends every helper's ability to start a session: ask first.
    if (this.value.remoteHelpEnabled && !next.remoteHelpEnabled) {
      const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
      if (!dialog || !(await dialog.ask(msg('Turn off remote help for your whole organization? No helper can start a session until it is turned on again.'), msg('Turn off remote help')))) return;
    }
    await this.store(next);
  }

  private renderSwitch(name: Switch, label: string, hint: string) {
    return html`<div class="field">
      <label class="check">
        <input type="checkbox" role="switch" name=${name} aria-describedby="${name}-hint"
          .checked=${this.value?.[name] ?? false} @change=${() => (this.saved = false)} />
        ${label}
      </label>
      <p class="hint" id="${name}-hint">${hint}</p>
    </div>`;
  }

  override render() {
    return html`${this.renderSection(msg('Settings'), (s) => html`<form @submit=${(e: Event) => void this.save(e)} aria-label=${msg('Tenant settings')}>
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
        ${this.renderSaveActions(msg('Settings saved.'))}
      </form>`)}
      <rh-confirm-dialog></rh-confirm-dialog>`;
  }
}

if (!customElements.get('rh-admin-settings')) customElements.define('rh-admin-settings', AdminSettings);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-settings': AdminSettings;
  }
}
