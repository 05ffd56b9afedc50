// The language picker every page shows (DESIGN §9 "Language"): each language in its own name, the
// choice applied at once and remembered for the site (localization.ts).
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { pageLocalization } from './i18n/localization.js';
import { localeNames, sourceLocale, targetLocales } from './i18n/locales.js';
import { baseStyles } from './shared-styles.js';

export class LanguagePicker extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: inline-block; }
      label { display: inline-flex; gap: 0.4em; align-items: center; font-size: 0.9em; }
      select { font: inherit; padding-block: 0.2em; padding-inline: 0.4em; border-radius: 6px; border: 1px solid #5a5a66; background: Canvas; color: CanvasText; }
      select:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const current = pageLocalization()?.getLocale() ?? sourceLocale;
    return html`<label>
      <span>${msg('Language')}</span>
      <select @change=${(e: Event) => void pageLocalization()?.choose((e.target as HTMLSelectElement).value)}>
        ${[sourceLocale, ...targetLocales].map(
          (l) => html`<option value=${l} lang=${l} ?selected=${l === current}>${localeNames[l] ?? l}</option>`,
        )}
      </select>
    </label>`;
  }
}

if (!customElements.get('rh-language-picker')) customElements.define('rh-language-picker', LanguagePicker);

declare global {
  interface HTMLElementTagNameMap {
    'rh-language-picker': LanguagePicker;
  }
}
