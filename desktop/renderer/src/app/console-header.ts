// The product header: "Remote Help", the organization (its logo and name), the language picker, the
// signed-in person and Sign out. Signed out, the product name and the language picker only. The page's
// skip link comes first, in the "skip" slot: inside the banner, so it is the first Tab stop and in a landmark.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { Account, OrganizationLook } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/language-picker.js';

/** @fires rh-sign-out */
export class ConsoleHeader extends LitElement {
  static override properties = { account: { attribute: false }, look: { attribute: false } };
  declare account: Account | undefined;
  declare look: OrganizationLook | undefined;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: block; }
      header {
        display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
        gap: var(--rh-space-3) var(--rh-space-4);
        padding-block: var(--rh-space-2); padding-inline: var(--rh-space-4);
        background: var(--rh-color-surface); border-block-end: 1px solid var(--rh-color-border-subtle);
      }
      .rh-brand { display: flex; align-items: center; gap: var(--rh-space-3); margin: 0; }
      .rh-product { font-weight: 700; font-size: var(--rh-text-lg); }
      .rh-organization { display: inline-flex; align-items: center; gap: var(--rh-space-2); font-weight: var(--rh-weight-strong); }
      .rh-organization::before { content: ''; inline-size: 1px; block-size: 1.5em; background: var(--rh-color-border-subtle); }
      .rh-logo { block-size: 1.75rem; inline-size: auto; max-inline-size: 8rem; object-fit: contain; }
      .tools { display: flex; flex-wrap: wrap; align-items: center; gap: var(--rh-space-2) var(--rh-space-4); }
      .user { display: grid; text-align: end; line-height: 1.3; }
      .tenant { font-size: var(--rh-text-sm); color: var(--rh-color-text-muted); }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const a = this.account;
    const look = this.look;
    return html`<header>
      <slot name="skip"></slot>
      <p class="rh-brand">
        <span class="rh-product">${msg('Remote Help')}</span>
        ${look
          ? html`<span class="rh-organization">
              ${look.logo ? html`<img class="rh-logo" src=${look.logo} alt=${msg(str`${look.name} logo`)} />` : nothing}
              <span dir="auto">${look.name}</span>
            </span>`
          : nothing}
      </p>
      <div class="tools">
        <rh-language-picker></rh-language-picker>
        ${a
          ? html`<div class="user">
                <span class="visually-hidden">${msg('Signed in as')}</span>
                <span dir="auto">${a.name}</span>
                <span class="tenant" dir="auto">${a.upn}</span>
              </div>
              <button @click=${() => this.dispatchEvent(new CustomEvent('rh-sign-out', { bubbles: true, composed: true }))}>
                ${msg('Sign out')}
              </button>`
          : nothing}
      </div>
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
