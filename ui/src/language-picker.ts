// The language picker every page shows (DESIGN §9 "Language"): each language in its own name, the
// choice applied at once and remembered for the site (localization.ts).
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { pageLocalization } from './i18n/localization.js';
import { localeNames, sourceLocale, supportedLocales } from '#protocol/locales.js';
import { baseStyles } from './shared-styles.js';

export class LanguagePicker extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: inline-block; }
      .picker { display: inline-flex; gap: var(--rh-space-2, 0.5rem); align-items: center; font-size: var(--rh-text-sm, 0.875rem); }
      label { font-weight: var(--rh-weight-strong, 600); }
      select { min-block-size: 2.25rem; padding-block: var(--rh-space-1, 0.25rem); cursor: pointer; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const current = pageLocalization()?.getLocale() ?? sourceLocale;
    // The label beside the select, not around it: the select's name is then exactly "Language", not
    // "Language" plus the chosen option.
    return html`<div class="picker">
      <label for="language">${msg('Language')}</label>
      <select id="language" @change=${(e: Event) => void pageLocalization()?.choose((e.target as HTMLSelectElement).value)}>
        ${supportedLocales.map((l) => html`<option value=${l} lang=${l} ?selected=${l === current}>${localeNames[l]}</option>`)}
      </select>
    </div>`;
  }
}

if (!customElements.get('rh-language-picker')) customElements.define('rh-language-picker', LanguagePicker);

declare global {
  interface HTMLElementTagNameMap {
    'rh-language-picker': LanguagePicker;
  }
}
