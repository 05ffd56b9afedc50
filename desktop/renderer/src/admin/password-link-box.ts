// A one-time set-password link for the administrator to hand over (Add user, Reset password): the link
// in a read-only field to select, a Copy button, and when it stops working. The password itself is
// never seen by the administrator: the person chooses it at the link. @fires rh-dismiss
import { LitElement, css, html, type PropertyValues } from 'lit';
import { formatDateTime } from '#ui/i18n/format.js';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { PasswordLink } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import { adminStyles } from './admin-styles.js';

export class PasswordLinkBox extends LitElement {
  static override properties = { link: { attribute: false }, announcement: { state: true } };
  declare link: PasswordLink | undefined;
  declare announcement: string;

  static override styles = [
    baseStyles,
    consoleStyles,
    adminStyles,
    css`
      :host { display: block; border: 1px solid var(--rh-color-border-subtle); border-radius: var(--rh-radius-md); padding: 0.75em 1em; background: var(--rh-color-accent-subtle); color: var(--rh-color-text); overflow-wrap: anywhere; }
      input { box-sizing: border-box; inline-size: 100%; font-family: ui-monospace, monospace; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.announcement = '';
  }

  override updated(changed: PropertyValues<this>): void {
    // A new link is what the administrator hands over next: focus moves to it (selected, ready to copy),
    // rather than staying on the body once the Add user dialog has closed.
    if (changed.has('link') && this.link) this.renderRoot.querySelector<HTMLInputElement>('#link')?.focus();
  }

  private async copy(): Promise<void> {
    if (!this.link) return;
    // Cleared first, so a second copy is announced again.
    this.announcement = '';
    await this.updateComplete;
    try {
      await navigator.clipboard.writeText(this.link.url);
      this.announcement = msg('Link copied');
    } catch {
      this.announcement = msg('Could not copy the link. Select it and copy it yourself.');
    }
  }

  override render() {
    const l = this.link;
    if (!l) return html``;
    const until = formatDateTime(l.expiresAt);
    return html`<div class="form">
      <label id="link-label" for="link">${msg(str`One-time link for ${l.upn}`)}</label>
      <input id="link" type="text" readonly dir="ltr" .value=${l.url} aria-describedby="link-hint"
        @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
      <p class="hint" id="link-hint">${msg(str`Give this link to ${l.upn} yourself (not by a shared mailbox). It works once, until ${until}; there they choose their own password.`)}</p>
      <div class="actions">
        <button class="primary" @click=${() => void this.copy()}>${msg('Copy link')}</button>
        <button @click=${() => this.dispatchEvent(new CustomEvent('rh-dismiss', { bubbles: true, composed: true }))}>${msg('Done')}</button>
        <span role="status" aria-live="polite">${this.announcement}</span>
      </div>
    </div>`;
  }
}

if (!customElements.get('rh-password-link')) customElements.define('rh-password-link', PasswordLinkBox);

declare global {
  interface HTMLElementTagNameMap {
    'rh-password-link': PasswordLinkBox;
  }
  interface HTMLElementEventMap {
    'rh-dismiss': CustomEvent<void>;
  }
}
