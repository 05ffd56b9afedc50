// Tenant administration > Compliance policy: what makes a device compliant (minimum OS version per
// platform, disk encryption, firewall, how recently it checked in). The helper sees the reasons.
import { html } from 'lit';
import { msg, str } from '@lit/localize';
import type { CompliancePolicy } from '#protocol';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminFormSection } from './admin-form-section.js';
import { knownPlatforms } from './rule-text.js';

export class AdminCompliance extends AdminFormSection<CompliancePolicy> {
  protected override fetchValue(client: AdminCaller) {
    return adminCall(client, 'getCompliancePolicy', {});
  }

  protected override storeValue(client: AdminCaller, next: CompliancePolicy) {
    return adminCall(client, 'updateCompliancePolicy', next);
  }

  private platforms(): string[] {
    return [...new Set([...knownPlatforms, ...Object.keys(this.value?.minOsVersion ?? {})])];
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.value || this.saving) return;
    const form = e.target as HTMLFormElement;
    const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    const minOsVersion: Record<string, string> = {};
    for (const p of this.platforms()) {
      const v = input(`min-${p}`).value.trim();
      if (v) minOsVersion[p] = v;
    }
    const days = Number(input('maxCheckInAgeDays').value);
    const next: CompliancePolicy = {
      minOsVersion,
      requireDiskEncryption: input('requireDiskEncryption').checked,
      requireFirewall: input('requireFirewall').checked,
      maxCheckInAgeDays: Number.isInteger(days) && days >= 0 ? days : this.value.maxCheckInAgeDays,
    };
    await this.store(next);
  }

  override render() {
    return this.renderSection(msg('Compliance policy'), (p) => html`<form @submit=${(e: Event) => void this.save(e)} aria-label=${msg('Compliance policy')} @input=${() => (this.saved = false)}>
      <fieldset>
        <legend>${msg('Minimum OS version')}</legend>
        <p class="hint">${msg('Empty: any version of that platform is accepted.')}</p>
        ${this.platforms().map((name) => html`<div class="field">
          <label for="min-${name}">${msg(str`Minimum ${name} version`)}</label>
          <input id="min-${name}" name="min-${name}" type="text" dir="ltr" maxlength="50" .value=${p.minOsVersion[name] ?? ''} />
        </div>`)}
      </fieldset>
      <label class="check">
        <input type="checkbox" name="requireDiskEncryption" .checked=${p.requireDiskEncryption} />
        ${msg('Require disk encryption')}
      </label>
      <label class="check">
        <input type="checkbox" name="requireFirewall" .checked=${p.requireFirewall} />
        ${msg('Require firewall')}
      </label>
      <div class="field">
        <label for="checkin">${msg('Maximum days since last check-in')}</label>
        <input id="checkin" name="maxCheckInAgeDays" type="number" min="0" max="3650" step="1" aria-describedby="checkin-hint"
          .value=${String(p.maxCheckInAgeDays)} />
        <p class="hint" id="checkin-hint">${msg('0: no limit.')}</p>
      </div>
      ${this.renderSaveActions(msg('Compliance policy saved.'))}
    </form>`);
  }
}

if (!customElements.get('rh-admin-compliance')) customElements.define('rh-admin-compliance', AdminCompliance);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-compliance': AdminCompliance;
  }
}
