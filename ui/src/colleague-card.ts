// The invited colleague as the sharer meets them (issue 13, point 5): who wants to see the screen too
// and who invited them, their profile, the Verification code of THEIR connection (to compare aloud with
// the colleague, not with the helper), and Allow / Deny for them alone. Once allowed, a short line that
// says they see the screen too. The helper's own session is not decided here.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ColleagueStatus } from '#protocol/colleague.js';
import { baseStyles } from './shared-styles.js';
import './person-card.js';
import './verification-code.js';

export type ColleagueDecisionEvent = CustomEvent<{ userId: string }>;

/** @fires rh-colleague-allow @fires rh-colleague-deny (while the colleague is asking) */
export class ColleagueCard extends LitElement {
  static override properties = {
    colleague: { attribute: false },
    verification: { attribute: false },
    verificationFailed: { attribute: false },
    busy: { type: Boolean },
    sharing: { type: Boolean },
  };
  declare colleague: ColleagueStatus | undefined;
  /** Their connection's code ("123 456"), undefined while it is being set up. */
  declare verification: string | undefined;
  /** Their connection failed its check (rtc/sharer-peer.ts): a warning instead of the code, no Allow. */
  declare verificationFailed: boolean | undefined;
  /** A decision is being sent: the buttons wait. */
  declare busy: boolean;
  /** The screen is being sent now (not before Allow for the helper, not while paused). */
  declare sharing: boolean;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      section {
        display: grid; gap: var(--rh-space-3, 0.75rem); max-inline-size: 36em;
        border: 2px solid var(--rh-color-accent, currentColor); border-radius: var(--rh-radius-md, 8px); padding: var(--rh-space-3, 0.75rem);
      }
      section.allowed { border-width: 1px; border-color: var(--rh-color-border-subtle); gap: var(--rh-space-1, 0.25rem); }
      h2 { margin: 0; font-size: var(--rh-text-lg, 1.25rem); line-height: 1.3; }
      p { margin: 0; }
      .invited-by { color: var(--rh-color-text-muted); }
      .away { background: var(--rh-color-warning-subtle); border-inline-start: 4px solid var(--rh-color-warning); padding-inline: var(--rh-space-2, 0.5rem); }
      .seeing { font-weight: var(--rh-weight-strong, 600); }
      h2:focus:not(:focus-visible) { outline: none; }
      @media (forced-colors: active) {
        section, section.allowed { border-color: CanvasText; }
        .away { border-inline-start-color: CanvasText; }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
    this.sharing = false;
  }

  override render() {
    const c = this.colleague;
    if (!c) return nothing;
    const name = c.colleague.name;
    const away = c.present === false
      ? html`<p class="away" dir="auto">${msg(str`${name} is away: their page was closed or their connection dropped.`)}</p>`
      : nothing;
    if (c.state === 'allowed') {
      return html`<section class="allowed" aria-label=${msg(str`${name}, colleague`)}>
        <p class="seeing" dir="auto">${this.sharing
          ? msg(str`${name} can see your screen`)
          : msg(str`${name} may see your screen while you share it`)}</p>
        <p class="invited-by" dir="auto">${msg(str`Invited by ${c.invitedBy}`)}</p>
        <rh-person-card compact .person=${c.colleague}></rh-person-card>
        <rh-verification-code .code=${this.verification} .failed=${this.verificationFailed ?? false}></rh-verification-code>
        ${away}
      </section>`;
    }
    return html`<section class="asking" aria-labelledby="colleague-heading">
      <h2 id="colleague-heading" tabindex="-1" dir="auto">${msg(str`${name} also wants to see your screen`)}</h2>
      <p class="invited-by" dir="auto">${msg(str`Invited by ${c.invitedBy}`)}</p>
      <rh-person-card .person=${c.colleague}></rh-person-card>
      <p dir="auto">${msg(str`${c.invitedBy} asked ${name} to help too. Allow ${name} to see your screen? They can only view it. You decide for them alone: your session goes on either way.`)}</p>
      <rh-verification-code .code=${this.verification} .failed=${this.verificationFailed ?? false}></rh-verification-code>
      <p dir="auto">${msg(str`Ask ${name} to read their verification code aloud. It is not the helper's: if it is not the same as the one here, choose Deny.`)}</p>
      ${away}
      <div class="actions">
        <button type="button" class="primary" ?disabled=${this.busy || this.verificationFailed === true} aria-label=${msg(str`Allow ${name}`)}
          @click=${() => this.fire('rh-colleague-allow')}>${msg('Allow')}</button>
        <button type="button" ?disabled=${this.busy} aria-label=${msg(str`Deny ${name}`)}
          @click=${() => this.fire('rh-colleague-deny')}>${msg('Deny')}</button>
      </div>
    </section>`;
  }

  /** Focus to the question (its heading), so a screen reader reads who asks before the buttons. */
  focusOutcome(): void {
    this.renderRoot.querySelector<HTMLElement>('#colleague-heading')?.focus();
  }

  private fire(type: 'rh-colleague-allow' | 'rh-colleague-deny'): void {
    const userId = this.colleague?.colleague.userId ?? '';
    this.dispatchEvent(new CustomEvent(type, { detail: { userId }, bubbles: true, composed: true }));
  }
}

if (!customElements.get('rh-colleague-card')) customElements.define('rh-colleague-card', ColleagueCard);

declare global {
  interface HTMLElementTagNameMap {
    'rh-colleague-card': ColleagueCard;
  }
  interface HTMLElementEventMap {
    'rh-colleague-allow': ColleagueDecisionEvent;
    'rh-colleague-deny': ColleagueDecisionEvent;
  }
}
