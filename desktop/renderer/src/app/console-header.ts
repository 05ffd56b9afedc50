// The banner: product name, the signed-in user, Sign out.
import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { Account } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import '#ui/language-picker.js';

/** @fires rh-sign-out */
export class ConsoleHeader extends LitElement {
  static override properties = { account: { attribute: false } };
  declare account: Account | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; border-block-end: 1px solid #ccc; }
      header { display: flex; align-items: center; gap: 1em; padding: 0.5em 1em; }
      .product { font-weight: 700; margin-inline-end: auto; }
      .user { display: grid; text-align: end; }
      .tenant { font-size: 0.85em; color: #555; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const a = this.account;
    return html`<header>
      <span class="product">${msg('Remote Help')}</span>
      <rh-language-picker></rh-language-picker>
      ${a
        ? html`<span class="user" aria-label=${msg('Signed in as')}>
              <span dir="auto">${a.name}</span>
              <span class="tenant" dir="auto">${a.upn} · ${a.tenantName}</span>
            </span>
            <button @click=${() => this.dispatchEvent(new CustomEvent('rh-sign-out', { bubbles: true, composed: true }))}>
              ${msg('Sign out')}
            </button>`
        : ''}
    </header>`;
  }
}

if (!customElements.get('rh-console-header')) customElements.define('rh-console-header', ConsoleHeader);

declare global {
  interface HTMLElementTagNameMap {
    'rh-console-header': ConsoleHeader;
  }
  interface HTMLElementEventMap {
    'rh-sign-out': CustomEvent<void>;
  }
}
