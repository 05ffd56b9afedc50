// The console's sign-in: email → the tenant's sign-in page (opened by the shell, or by this page in
// the console host) → back here when main holds the tokens.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { Account, ErrorCode } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import type { DesktopClient } from '../api-client.js';

/** What went wrong, said for sign-in: a domain no organization has set up (the relay's realm lookup
 * answers not-found, which elsewhere means a session), and a cancelled sign-in with the way back. */
export function signInErrorMessage(code: ErrorCode, email: string): string {
  if (code === 'not-found') {
    const domain = email.split('@')[1] ?? email;
    return msg(str`No organization is set up for ${domain}. Check the email address.`);
  }
  if (code === 'sign-in-cancelled') return msg('Sign-in was cancelled. Enter your email and choose Sign in to try again.');
  return errorMessage(code);
}

/**
 * Never stuck: while the sign-in window is awaited, Sign in stays usable (a new attempt replaces the
 * one waiting), the sign-in page can be opened again, and Cancel sign-in gives it up. A window on
 * another site cannot be watched from here (the provider's pages cut the opener off), nor can the
 * system browser from Electron, so the way out is offered rather than guessed.
 * @fires rh-signed-in (detail: Account)
 */
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
  /** The last failure, and the email it was for (its message may name the domain). */
  declare error: { code: ErrorCode; email: string } | undefined;
  declare authUrl: string | undefined;
  declare popupBlocked: boolean;

  /** Counts attempts, so the answer of one that was replaced or cancelled is not taken for the current one's. */
  private attempt = 0;

  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: grid; place-items: center; min-block-size: 70vh; }
      form { display: grid; gap: 0.75em; inline-size: min(24em, 90vw); }
      label { font-weight: 600; }
      input { font: inherit; padding: 0.45em; }
            .waiting { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: center; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.phase = 'idle';
    this.popupBlocked = false;
  }

  private get emailBox(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>('#email');
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.client || this.phase === 'starting') return;
    const email = this.emailBox?.value.trim() ?? '';
    const attempt = ++this.attempt;
    this.error = undefined;
    this.phase = 'starting';
    const begun = await this.client.beginSignIn({ email });
    if (attempt !== this.attempt) return;
    if (!begun.ok) {
      this.fail(begun.error.code, email);
      return;
    }
    this.authUrl = begun.value.authUrl;
    this.popupBlocked = false;
    if (!begun.value.opened) {
      // Still inside the click's user activation, so the browser lets the window open.
      const w = window.open(begun.value.authUrl, '_blank');
      this.popupBlocked = !w;
    }
    this.phase = 'waiting';
    const done = await this.client.completeSignIn();
    if (attempt !== this.attempt) return;
    if (!done.ok) {
      this.fail(done.error.code, email);
      return;
    }
    this.dispatchEvent(new CustomEvent<Account>('rh-signed-in', { detail: done.value, bubbles: true, composed: true }));
  }

  private fail(code: ErrorCode, email: string): void {
    this.error = { code, email };
    this.phase = 'idle';
    this.popupBlocked = false;
    this.authUrl = undefined;
  }

  private async cancel(): Promise<void> {
    if (!this.client || this.phase !== 'waiting') return;
    // The waiting attempt's answer (sign-in-cancelled) is not waited for: this says it at once.
    this.attempt++;
    this.fail('sign-in-cancelled', '');
    await this.client.cancelSignIn();
    await this.updateComplete;
    this.emailBox?.focus();
  }

  override render() {
    const starting = this.phase === 'starting';
    return html`<form @submit=${(e: SubmitEvent) => void this.submit(e)} aria-labelledby="title">
      <h1 id="title">${msg('Sign in to Remote Help')}</h1>
      <label for="email">${msg('Email')}</label>
      <input id="email" name="email" type="email" autocomplete="username" required dir="auto" ?disabled=${starting} />
      <button class="primary" type="submit" ?disabled=${starting}>${msg('Sign in')}</button>
      ${this.phase === 'waiting'
        ? html`<p role="status">${this.popupBlocked
            ? msg('The sign-in window did not open. Open the sign-in page to continue.')
            : msg('Continue in the sign-in window. If you closed it, open the sign-in page again, or cancel sign-in.')}</p>
            <div class="waiting">
              ${this.authUrl
                ? html`<a href=${this.authUrl} target="_blank" rel="noopener noreferrer">${msg('Open the sign-in page')}</a>`
                : nothing}
              <button type="button" @click=${() => void this.cancel()}>${msg('Cancel sign-in')}</button>
            </div>`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${signInErrorMessage(this.error.code, this.error.email)}</p>` : nothing}
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
