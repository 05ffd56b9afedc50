// Tenant administration > Compliance policy: what makes a device compliant (minimum OS version per
// platform, disk encryption, firewall, how recently it checked in). The helper sees the reasons.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { CompliancePolicy, WireError } from '../../../../protocol/src/index.js';
import { baseStyles } from '../../../../ui/src/shared-styles.js';
import '../../../../ui/src/policy-refusal.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';
import { knownPlatforms } from './rule-text.js';

export class AdminCompliance extends LitElement {
  static override properties = {
    client: { attribute: false },
    policy: { state: true },
    loading: { state: true },
    saving: { state: true },
    saved: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare policy: CompliancePolicy | undefined;
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
    const res = await adminCall(this.client!, 'getCompliancePolicy', {});
    this.loading = false;
    if (res.ok) this.policy = res.value;
    else this.error = res.error;
  }

  private platforms(): string[] {
    return [...new Set([...knownPlatforms, ...Object.keys(this.policy?.minOsVersion ?? {})])];
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.policy || this.saving) return;
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
      maxCheckInAgeDays: Number.isInteger(days) && days >= 0 ? days : this.policy.maxCheckInAgeDays,
    };
    this.saving = true;
    this.saved = false;
    this.error = undefined;
    const res = await adminCall(this.client!, 'updateCompliancePolicy', next);
    this.saving = false;
    if (res.ok) {
      this.policy = res.value;
      this.saved = true;
    } else this.error = res.error;
  }

  override render() {
    const p = this.policy;
    return html`<h2>${msg('Compliance policy')}</h2>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.loading ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${p
        ? html`<form @submit=${(e: Event) => void this.save(e)} aria-label=${msg('Compliance policy')} @input=${() => (this.saved = false)}>
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
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.saving}>${msg('Save')}</button>
              <span role="status">${this.saving ? msg('Saving…') : this.saved ? msg('Compliance policy saved.') : ''}</span>
            </div>
          </form>`
        : nothing}`;
  }
}

if (!customElements.get('rh-admin-compliance')) customElements.define('rh-admin-compliance', AdminCompliance);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-compliance': AdminCompliance;
  }
}
