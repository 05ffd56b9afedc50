// The code and link the helper passes to the sharer: the code in two groups of four (easier to read out),
// with a one-click copy of the code and of the link, and how long it stays valid. Near the end and
// after it, a warning and "Get a new code" (the host ends this session and creates a new one).
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { groupSecurityCode, type CreatedSession } from '#protocol/relay-events.js';
import { baseStyles } from './shared-styles.js';

export type NewCodeEvent = CustomEvent<{ sessionId: string }>;

/** From this much time left the helper is warned and offered a new code. */
const warnBeforeMs = 60_000;

export class SecurityCode extends LitElement {
  static override properties = {
    session: { attribute: false },
    now: { attribute: false },
    announcement: { state: true },
    tick: { state: true },
  };
  declare session: CreatedSession | undefined;
  /** The clock the countdown reads (tests inject one). */
  declare now: () => number;
  declare announcement: string;
  /** Bumped every second so the countdown renders again. */
  declare private tick: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .code-label { display: block; font-weight: var(--rh-weight-strong, 600); }
      /* A code is Latin letters and digits, read left to right in every language. */
      output {
        display: inline-block; font-family: var(--rh-font-mono, ui-monospace, monospace); font-size: var(--rh-text-2xl, 2rem);
        letter-spacing: 0.15em; margin-block: var(--rh-space-1, 0.25rem); direction: ltr; unicode-bidi: isolate;
        background: var(--rh-color-surface-raised); border: 1px solid var(--rh-color-border-subtle);
        border-radius: var(--rh-radius-md, 8px); padding-block: var(--rh-space-1, 0.25rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      /* Expired: struck through and said in words below (not by the look alone). */
      output.expired { text-decoration: line-through; color: var(--rh-color-text-muted); }
      .countdown { font-variant-numeric: tabular-nums; font-weight: var(--rh-weight-strong, 600); }
      .link { overflow-wrap: anywhere; }
      .link a { direction: ltr; unicode-bidi: isolate; }
      .copy, .renew { display: flex; flex-wrap: wrap; gap: var(--rh-space-2, 0.5rem); }
      .renew { margin-block: var(--rh-space-2, 0.5rem); }
      p { margin-block: var(--rh-space-2, 0.5rem); }
      @media (forced-colors: active) {
        output { border-color: CanvasText; }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.announcement = '';
    this.now = Date.now;
    this.tick = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer ??= setInterval(() => this.tick++, 1000);
  }

  /** Focus to the code (read out as "Security code, 7KQ2 M9XD"): what the helper must pass on next. */
  async focusOutcome(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('output')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const left = Date.parse(s.expiresAt) - this.now();
    const expired = left <= 0;
    const nearEnd = !expired && left <= warnBeforeMs;
    return html`
      <div>
        <span class="code-label" id="code-label">${msg('Security code')}</span>
        <output aria-labelledby="code-label" tabindex="-1" class=${expired ? 'expired' : ''}>${groupSecurityCode(s.code)}</output>
      </div>
      ${expired
        ? nothing
        : // A timer is no live region (aria-live off): read when reached, never announced every second.
          html`<p>
            <span class="countdown" role="timer">${msg(str`Expires in ${formatCountdown(left)}.`)}</span>
            ${msg('It can be used once.')}
          </p>`}
      ${expired || nearEnd ? this.renderRenew(s, expired) : nothing}
      <p>${msg('Give the code to the person you are helping, or send them this link:')}</p>
      <p class="link"><a href=${s.link} dir="ltr" target="_blank" rel="noopener noreferrer">${s.link}</a></p>
      <div class="copy">
        <button type="button" ?disabled=${expired} @click=${() => void this.copy(s.code, msg('Code copied'))}>${msg('Copy code')}</button>
        <button type="button" ?disabled=${expired} @click=${() => void this.copy(s.link, msg('Link copied'))}>${msg('Copy link')}</button>
      </div>
      <span role="status" aria-live="polite">${this.announcement}</span>
    `;
  }

  private renderRenew(s: CreatedSession, expired: boolean) {
    // One alert element for both texts: its change to "expired" is announced too.
    return html`<div class="renew-box">
      <p class="error" role="alert">${expired ? msg('This code has expired.') : msg('The code expires in less than a minute.')}</p>
      <div class="renew">
        <button type="button" class="primary" @click=${() => this.newCode(s)}>${msg('Get a new code')}</button>
      </div>
    </div>`;
  }

  private newCode(s: CreatedSession): void {
    this.dispatchEvent(new CustomEvent('rh-new-code', { detail: { sessionId: s.sessionId }, bubbles: true, composed: true }));
  }

  private async copy(text: string, done: string): Promise<void> {
    // Clear first so the same announcement is read again on a second copy.
    this.announcement = '';
    await this.updateComplete;
    try {
      await navigator.clipboard.writeText(text);
      this.announcement = done;
    } catch {
      this.announcement = msg('Could not copy. Select the text and copy it yourself.');
    }
  }
}

/** "9:41", "0:05", "1:02:03": whole seconds rounded up, so 0:00 is shown only once it has expired. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

if (!customElements.get('rh-security-code')) customElements.define('rh-security-code', SecurityCode);

declare global {
  interface HTMLElementTagNameMap {
    'rh-security-code': SecurityCode;
  }
  interface HTMLElementEventMap {
    'rh-new-code': NewCodeEvent;
  }
}
