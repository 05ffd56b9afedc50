// The console's sign-in: email → the tenant's sign-in page (opened by the shell, or by this page in
// the console host) → back here when main holds the tokens.
import { LitElement, css, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { Account, ErrorCode } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import type { DesktopClient } from '../api-client.js';

/** @fires rh-signed-in (detail: Account) */
export class SignInScreen extends LitElement {
  static override properties = {
    client: { attribute: false },
    phase: { state: true },
    error: { state: true },
    authUrl: { state: true },
    popupBlocked: { state: true },
  };
  declare client: DesktopClient | undefined;
  declare phase: 'idle' | 'starting' | 'waiting';
  declare error: ErrorCode | undefined;
  declare authUrl: string | undefined;
  declare popupBlocked: boolean;

  static override styles = [
    baseStyles,
    css`
      :host { display: grid; place-items: center; min-block-size: 70vh; }
      form { display: grid; gap: 0.75em; inline-size: min(24em, 90vw); }
      label { font-weight: 600; }
      input { font: inherit; padding: 0.45em; }
      .error { color: #b3261e; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.phase = 'idle';
    this.popupBlocked = false;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.client || this.phase !== 'idle') return;
    const email = (this.renderRoot.querySelector('#email') as HTMLInputElement).value.trim();
    this.error = undefined;
    this.phase = 'starting';
    const begun = await this.client.beginSignIn({ email });
    if (!begun.ok) {
      this.error = begun.error.code;
      this.phase = 'idle';
      return;
    }
    this.authUrl = begun.value.authUrl;
    if (!begun.value.opened) {
      // Still inside the click's user activation, so the browser lets the window open.
      const w = window.open(begun.value.authUrl, '_blank');
      this.popupBlocked = !w;
    }
    this.phase = 'waiting';
    const done = await this.client.completeSignIn();
    if (!done.ok) {
      this.error = done.error.code;
      this.phase = 'idle';
      this.popupBlocked = false;
      return;
    }
    this.dispatchEvent(new CustomEvent<Account>('rh-signed-in', { detail: done.value, bubbles: true, composed: true }));
  }

  override render() {
    const busy = this.phase !== 'idle';
    return html`<form @submit=${(e: SubmitEvent) => void this.submit(e)} aria-labelledby="title">
      <h1 id="title">${msg('Sign in to Remote Help')}</h1>
      <label for="email">${msg('Email')}</label>
      <input id="email" name="email" type="email" autocomplete="username" required dir="auto" ?disabled=${busy} />
      <button class="primary" type="submit" ?disabled=${busy}>${msg('Sign in')}</button>
      ${this.phase === 'waiting'
        ? html`<p role="status">${msg('Continue in the sign-in window…')}</p>
            ${this.popupBlocked && this.authUrl
              ? html`<p><a href=${this.authUrl} target="_blank" rel="noopener noreferrer">${msg('Open the sign-in page')}</a></p>`
              : nothing}`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}
    </form>`;
  }
}

if (!customElements.get('rh-sign-in-screen')) customElements.define('rh-sign-in-screen', SignInScreen);

declare global {
  interface HTMLElementTagNameMap {
    'rh-sign-in-screen': SignInScreen;
  }
  interface HTMLElementEventMap {
    'rh-signed-in': CustomEvent<Account>;
  }
}
