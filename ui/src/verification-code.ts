// The Verification code on both trust screens (and in the helper's and sharer's session view when the
// connection was made again while sharing): six digits from the connection's two DTLS fingerprints
// (protocol/verification-code.ts). The same code on both screens means nobody sits between the two
// browsers; the two people compare it aloud. Until both descriptions are set it says "Comparing…", and
// after a while without a code, what to do about it (a page gone quiet on the other side, signals lost):
// "Comparing…" alone would wait forever.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseStyles } from './shared-styles.js';

export class VerificationCode extends LitElement {
  static override properties = {
    code: { attribute: false },
    side: { attribute: false },
    failed: { attribute: false },
    slowAfterMs: { attribute: false },
    slow: { state: true },
  };
  /** "123 456", or undefined while the connection is being set up. */
  declare code: string | undefined;
  /** Whose screen: the sharer is told to have the helper read theirs aloud and what to do if it
   * differs; the helper to read it aloud. None: the code alone (the session view's side panel). */
  declare side: 'helper' | 'sharer' | undefined;
  /** The sharer's check of the helper's commitment failed (protocol/verification-code.ts): the
   * connection has someone in between. A warning instead of a code, whatever `code` says; on the
   * helper's screen, as the sharer's page told it (a `failed` signal). */
  declare failed: boolean | undefined;
  /** How long "Comparing…" may go on before the hint of what to do (both descriptions normally come
   * within a couple of seconds of the join, TURN included). */
  declare slowAfterMs: number;
  /** "Comparing…" has lasted `slowAfterMs`. */
  declare slow: boolean;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .label { display: block; font-weight: var(--rh-weight-strong, 600); }
      /* Digits, read left to right in every language. */
      output {
        display: inline-block; font-family: var(--rh-font-mono, ui-monospace, monospace); font-size: var(--rh-text-xl, 1.5rem);
        letter-spacing: 0.15em; margin-block: var(--rh-space-1, 0.25rem); direction: ltr; unicode-bidi: isolate;
        background: var(--rh-color-surface-raised); border: 1px solid var(--rh-color-border-subtle);
        border-radius: var(--rh-radius-md, 8px); padding-block: var(--rh-space-1, 0.25rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      output.pending { font-family: inherit; font-size: inherit; letter-spacing: normal; color: var(--rh-color-text-muted); }
      p { margin: 0; }
      .failed {
        background: var(--rh-color-danger-subtle, var(--rh-color-warning-subtle)); border-inline-start: 4px solid var(--rh-color-danger, var(--rh-color-warning));
        border-radius: var(--rh-radius-sm, 4px); padding-block: var(--rh-space-2, 0.5rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      @media (forced-colors: active) {
        output { border-color: CanvasText; }
        .failed { border-inline-start-color: CanvasText; }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.slowAfterMs = 20_000;
    this.slow = false;
  }

  private get comparing(): boolean {
    return !this.code && !this.failed;
  }

  protected override willUpdate(): void {
    if (!this.comparing) this.slow = false;
  }

  /** The clock of "Comparing…" runs while there is no code (and no failure), from when the code went. */
  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('code') && !changed.has('failed') && !changed.has('slowAfterMs')) return;
    if (!this.comparing || changed.has('slowAfterMs')) this.stopSlowClock();
    if (this.comparing) this.slowTimer ??= setTimeout(() => (this.slow = true), this.slowAfterMs);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Taken off the page and put back (a re-render): the clock starts again with the next update.
    this.requestUpdate('slowAfterMs');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopSlowClock();
  }

  private stopSlowClock(): void {
    clearTimeout(this.slowTimer);
    this.slowTimer = undefined;
  }

  override render() {
    if (this.failed) {
      return html`<div class="failed" role="alert">
        <span class="label">${msg('Verification code')}</span>
        <p><strong>${msg('This connection could not be verified.')}</strong>
          ${this.side === 'sharer'
            ? msg('Someone may be in between. Nothing of your screen is sent on this connection. Choose Report or Deny.')
            : this.side === 'helper'
              ? msg('The page of the person you are helping found that someone may be in between. Their screen is not sent on this connection. End the session and start a new one.')
              // A colleague's card: Deny is the one way to refuse them (Report is for the session).
              : msg('Someone may be in between. Nothing of your screen is sent on this connection. Choose Deny.')}</p>
      </div>`;
    }
    const code = this.code;
    // A screen reader reads "123 456" as two numbers; the hidden copy spells the digits one by one.
    const spoken = code ? [...code.replace(/\s/g, '')].join(' ') : '';
    return html`<div>
        <span class="label" id="verification-label">${msg('Verification code')}</span>
        <output aria-labelledby="verification-label" class=${code ? 'code' : 'pending'}>${code
          ? html`<span aria-hidden="true">${code}</span><span class="visually-hidden">${spoken}</span>`
          : msg('Comparing…')}</output>
        ${!code && this.slow ? html`<p class="slow" role="status">${this.side === 'sharer'
          ? msg('No code yet. If none comes, ask the helper to reload their page, or choose Deny.')
          : this.side === 'helper'
            ? msg('No code yet. If none comes, ask the person you are helping to reload their page.')
            : msg('No code yet: the connection is still being set up.')}</p>` : nothing}
      </div>
      ${this.side === 'sharer'
        ? html`<p>${msg('Ask the helper to read their verification code aloud. If it is not the same as the one here, choose Report or Deny.')}</p>`
        : this.side === 'helper'
          ? html`<p>${msg('Read this code aloud to the person you are helping. It must be the same on their screen.')}</p>`
          : nothing}`;
  }
}

if (!customElements.get('rh-verification-code')) customElements.define('rh-verification-code', VerificationCode);

declare global {
  interface HTMLElementTagNameMap {
    'rh-verification-code': VerificationCode;
  }
}
