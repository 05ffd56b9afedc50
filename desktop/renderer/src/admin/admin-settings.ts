// Tenant administration > Settings: remote help on/off, help for unenrolled devices, chat, device
// enrollment, how long reports are kept, and the organization's branding (name, logo, accent colour).
// The relay applies them to the next session; saved branding shows in the console's header at once.
import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import { noBranding, type TenantBranding, type TenantSettingsView } from '#protocol';
import { contrastRatio, onAccentColor } from '#protocol/branding.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminFormSection } from './admin-form-section.js';
import { logoProblem, logoStatus, logoTypes } from './logo-file.js';
import { adminStyles } from './admin-styles.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import './confirm-dialog.js';

type Switch = 'remoteHelpEnabled' | 'allowUnenrolled' | 'chatEnabled' | 'allowEnrollment';

/** The product's own accent (tokens.css, light theme): what the colour picker shows while none is set. */
const productAccent = '#0b57d0';
const hexColour = /^#[0-9a-fA-F]{6}$/;

/** A contrast ratio as the page's language writes a number with one decimal: 7.1, 7,1. */
function ratioText(ratio: number): string {
  return new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 }).format(ratio);
}


/** @fires rh-branding-saved (detail: TenantBranding, as the relay holds it after saving) */
export class AdminSettings extends AdminFormSection<TenantSettingsView> {
  static override properties: PropertyDeclarations = {
    logo: { state: true },
    accent: { state: true },
    logoError: { state: true },
    logoFileName: { state: true },
  };
  /** The branding being edited (saved with the form). */
  declare logo: string;
  declare accent: string;
  declare logoError: string | undefined;
  /** The name of the logo file picked since the settings were loaded (a saved logo has none). */
  declare logoFileName: string | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    adminStyles,
    css`
      .logo-preview { display: flex; flex-wrap: wrap; align-items: center; gap: var(--rh-space-3); }
      .logo-preview img { block-size: 3rem; inline-size: auto; max-inline-size: 12rem; object-fit: contain;
        padding: var(--rh-space-1); background: var(--rh-color-surface); border: 1px solid var(--rh-color-border-subtle); border-radius: var(--rh-radius-sm); }
      /* The logo picker: the console's own button and status, in its language, over a hidden file input. */
      .colour { display: flex; flex-wrap: wrap; align-items: center; gap: var(--rh-space-2) var(--rh-space-3); }
      .colour input[type='text'] { inline-size: 8em; font-family: var(--rh-font-mono); }
      .preview-button {
        display: inline-flex; align-items: center; min-block-size: 2.25rem; padding-inline: var(--rh-space-4);
        border-radius: var(--rh-radius-md); background: var(--rh-color-accent); color: var(--rh-color-on-accent); font-weight: var(--rh-weight-strong);
      }
    `,
  ];

  constructor() {
    super();
    this.logo = '';
    this.accent = '';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    // What the relay holds, each time it answers (load and save): the editor starts from it.
    if (changed.has('value') && this.value) {
      const b = this.value.branding ?? noBranding;
      this.logo = b.logo;
      this.accent = b.accentColor;
      if (!b.logo) this.logoFileName = undefined;
    }
  }
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
    const accentText = (form.elements.namedItem('accentColor') as HTMLInputElement).value.trim();
    if (accentText !== '' && !hexColour.test(accentText)) {
      (form.elements.namedItem('accentColor') as HTMLInputElement).focus();
      return;
    }
    const next: TenantSettingsView = {
      remoteHelpEnabled: checked('remoteHelpEnabled'),
      allowUnenrolled: checked('allowUnenrolled'),
      chatEnabled: checked('chatEnabled'),
      allowEnrollment: checked('allowEnrollment'),
      reportRetentionDays: Number.isInteger(days) && days >= 0 ? days : this.value.reportRetentionDays,
      branding: {
        organizationName: (form.elements.namedItem('organizationName') as HTMLInputElement).value.trim(),
        logo: this.logo,
        accentColor: accentText.toLowerCase(),
      },
    };
    // Turning remote help off ends every helper's ability to start a session: ask first.
    if (this.value.remoteHelpEnabled && !next.remoteHelpEnabled) {
      const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
      if (!dialog || !(await dialog.ask(msg('Turn off remote help for your whole organization? No helper can start a session until it is turned on again.'), msg('Turn off remote help')))) return;
    }
    await this.store(next);
    if (this.saved) await this.announceBranding();
  }

  /** Reads back what the relay now holds and tells the console, whose header shows it at once. */
  private async announceBranding(): Promise<void> {
    const res = await this.fetchValue(this.client!);
    const branding: TenantBranding | undefined = res.ok ? res.value.branding : this.value?.branding;
    if (!branding) return;
    this.dispatchEvent(new CustomEvent<TenantBranding>('rh-branding-saved', { detail: branding, bubbles: true, composed: true }));
  }

  private pickLogo(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    this.saved = false;
    if (!file) return;
    const problem = logoProblem(file);
    this.logoError = problem;
    if (problem) {
      input.value = '';
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      this.logo = typeof reader.result === 'string' ? reader.result : '';
      this.logoFileName = this.logo ? file.name : undefined;
    };
    reader.onerror = () => {
      this.logoError = msg('The logo could not be read. Pick the file again.');
    };
    reader.readAsDataURL(file);
  }

  private removeLogo(): void {
    this.logo = '';
    this.logoFileName = undefined;
    this.logoError = undefined;
    this.saved = false;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#logo');
    if (input) input.value = '';
    this.renderRoot.querySelector<HTMLButtonElement>('#logo-choose')?.focus();
  }

  /** The file input is hidden: its button opens it (the browser's file chooser). */
  private chooseLogo(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#logo')?.click();
  }

  private setAccent(value: string): void {
    this.accent = value.trim();
    this.saved = false;
  }

  private renderBranding(s: TenantSettingsView) {
    const b = s.branding ?? noBranding;
    const accentValid = hexColour.test(this.accent);
    const accent = accentValid ? this.accent.toLowerCase() : productAccent;
    const onAccent = onAccentColor(accent);
    return html`<fieldset class="branding">
      <legend>${msg('Organization branding')}</legend>
      <p class="hint">${msg('How your organization appears in the console header and on the sign-in and session pages.')}</p>
      <div class="field">
        <label for="org-name">${msg('Organization name')}</label>
        <input id="org-name" name="organizationName" type="text" maxlength="100" dir="auto" autocomplete="organization"
          aria-describedby="org-name-hint" .value=${b.organizationName} @input=${() => (this.saved = false)} />
        <p class="hint" id="org-name-hint">${msg('Leave empty to show the name your organization was set up with.')}</p>
      </div>
      <div class="field">
        <label for="logo" id="logo-label">${msg('Logo')}</label>
        <!-- Kept for screen readers and the label; the keyboard's way in is the button, whose words follow
          the console's language where the input's own "Choose File / No file chosen" would not. -->
        <input id="logo" class="visually-hidden" type="file" tabindex="-1" accept=${logoTypes.join(',')}
          aria-describedby="logo-status logo-hint${this.logoError ? ' logo-error' : ''}" @change=${(e: Event) => this.pickLogo(e)} />
        <div class="file-pick">
          <button type="button" id="logo-choose" aria-describedby="logo-label logo-status logo-hint${this.logoError ? ' logo-error' : ''}"
            @click=${() => this.chooseLogo()}>${msg('Choose logo…')}</button>
          <span class="file-name" id="logo-status" dir="auto" aria-live="polite">${logoStatus(this.logoFileName, this.logo)}</span>
        </div>
        <p class="hint" id="logo-hint">${msg('A PNG, JPEG, WebP or SVG image of at most 64 KB.')}</p>
        ${this.logoError ? html`<p class="invalid" id="logo-error" role="alert">${this.logoError}</p>` : nothing}
        ${this.logo
          ? html`<div class="logo-preview">
              <img src=${this.logo} alt=${msg('Logo preview')} />
              <button type="button" @click=${() => this.removeLogo()}>${msg('Remove logo')}</button>
            </div>`
          : html`<p class="hint">${msg('The header shows the name only.')}</p>`}
      </div>
      <div class="field">
        <span class="label" id="accent-label">${msg('Accent colour')}</span>
        <div class="colour">
          <input id="accent-picker" type="color" aria-label=${msg('Accent colour')} .value=${accent}
            @input=${(e: Event) => this.setAccent((e.target as HTMLInputElement).value)} />
          <input id="accent-text" name="accentColor" type="text" dir="ltr" spellcheck="false" autocomplete="off"
            aria-label=${msg('Accent colour (hex)')} aria-describedby="accent-hint" placeholder="#0b57d0"
            pattern="#[0-9a-fA-F]{6}" .value=${this.accent} @input=${(e: Event) => this.setAccent((e.target as HTMLInputElement).value)} />
          ${this.accent ? html`<button type="button" @click=${() => this.setAccent('')}>${msg('Use the default colour')}</button>` : nothing}
        </div>
        <p class="hint" id="accent-hint">${msg('Buttons and links. Write it as # and six hexadecimal digits, or leave it empty for the default.')}</p>
        ${this.accent && !accentValid ? html`<p class="invalid" role="alert">${msg('Write the colour as # and six hexadecimal digits, for example #0b57d0.')}</p>` : nothing}
        <p class="colour" aria-live="polite">
          <span class="preview-button" style=${styleMap({ '--rh-color-accent': accent, '--rh-color-on-accent': onAccent })}>${msg('Primary button')}</span>
          <span class="hint">${msg(str`Text on it: contrast ${ratioText(contrastRatio(accent, onAccent))}:1`)}</span>
        </p>
      </div>
    </fieldset>`;
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
        ${this.renderBranding(s)}
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
