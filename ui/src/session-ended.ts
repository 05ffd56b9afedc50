// The end of a session from this side's point of view: who ended it and why, when, how long the
// screen was shared, and what the person can do next.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { SessionRole } from '#protocol/models.js';
import type { SessionReceipt } from '#protocol/receipt.js';
import type { SessionEnded as SessionEndedInfo } from '#protocol/relay-events.js';
import { formatDuration, formatTimeOfDay } from './i18n/format.js';
import { baseStyles } from './shared-styles.js';
import './session-receipt.js';

export type NewSessionEvent = CustomEvent<{ sessionId: string | undefined }>;

export class SessionEnded extends LitElement {
  static override properties = {
    ended: { attribute: false },
    self: { attribute: false },
    peerName: { attribute: false },
    colleagueName: { attribute: false },
    helperName: { attribute: false },
    receipt: { attribute: false },
  };
  declare ended: SessionEndedInfo | undefined;
  declare self: SessionRole | undefined;
  /** The other side's name, when known. */
  declare peerName: string | undefined;
  /** The helper's colleague (issue 13, point 5): whom the session was handed over to. */
  declare colleagueName: string | undefined;
  /** For a colleague: the helper who invited them (their peer is the sharer). */
  declare helperName: string | undefined;
  /** The sharer's receipt, once the relay sent it (it follows the end by a moment). */
  declare receipt: SessionReceipt | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .card { max-inline-size: 36rem; }
      h2 { margin-block: 0 var(--rh-space-2, 0.5rem); font-size: var(--rh-text-lg, 1.25rem); }
      p { margin-block: var(--rh-space-1, 0.25rem); }
      .at, .lasted { color: var(--rh-color-text-muted); }
      .next { margin-block-start: var(--rh-space-4, 1rem); }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const e = this.ended;
    const at = e?.at ? new Date(e.at) : undefined;
    const since = e?.sharingSince ? new Date(e.sharingSince) : undefined;
    const lasted = at && since && !isNaN(at.getTime()) && !isNaN(since.getTime()) ? at.getTime() - since.getTime() : undefined;
    return html`<section class="card">
        <h2 tabindex="-1">${msg('Session ended')}</h2>
        <p dir="auto" class="reason">${this.reason()}</p>
        ${at && !isNaN(at.getTime()) ? html`<p class="at">${msg(str`Ended at ${formatTimeOfDay(at)}`)}</p>` : nothing}
        ${lasted !== undefined && lasted >= 0 ? html`<p class="lasted">${msg(str`Lasted ${formatDuration(lasted)}`)}</p>` : nothing}
        ${this.self === 'sharer' && this.receipt ? html`<rh-session-receipt .receipt=${this.receipt}></rh-session-receipt>` : nothing}
        ${this.renderNext()}
      </section>`;
  }

  private renderNext() {
    if (this.self === 'sharer' && this.ended?.reason === 'reported') {
      // Whoever asked may still call or write: what to do (and not do) now, calmly.
      return html`<div class="next reported">
        <p>${msg("Your organization's administrators have been told, and they can see who asked.")}</p>
        <ul>
          <li>${msg('Do not give a code, a password or any other information to whoever asked, even if they call or write again.')}</li>
          <li>${msg('Do not share your screen with them.')}</li>
          <li>${msg('If you do need help, contact your IT support through a channel you already know, such as the phone number or portal your organization gave you.')}</li>
        </ul>
        <p>${msg('You can close this tab.')}</p>
      </div>`;
    }
    if (this.self === 'sharer') return html`<p class="next">${msg('You can close this tab.')}</p>`;
    if (this.self === 'helper') {
      return html`<div class="next">
        <button type="button" class="primary" @click=${this.newSession}>${msg('New session')}</button>
      </div>`;
    }
    return nothing;
  }

  private readonly newSession = (): void => {
    const detail = { sessionId: this.ended?.sessionId };
    this.dispatchEvent(new CustomEvent('rh-new-session', { detail, bubbles: true, composed: true }));
  };

  /** Moves keyboard and screen-reader focus to the "Session ended" heading, e.g. when the session
   * view is replaced by this one and the focused button is gone. */
  async focusOutcome(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private reason(): string {
    const e = this.ended;
    if (!e) return '';
    const byMe = e.by === this.self;
    const helper = this.helperName;
    const colleague = this.colleagueName;
    // Who went, by name: for a colleague the peer on the card is the sharer, and the helper is who
    // invited them, so an end by the helper names the helper (not the sharer).
    const peer = this.self === 'colleague' ? (e.by === 'helper' ? helper : e.by === 'sharer' ? this.peerName : undefined) : this.peerName;
    switch (e.reason) {
      case 'handed-over':
        return colleague ? msg(str`You handed the session over to ${colleague}.`) : msg('You handed the session over to your colleague.');
      case 'removed':
        return helper ? msg(str`${helper} removed you from the session.`) : msg('The helper removed you from the session.');
      case 'denied':
        if (this.self === 'colleague') {
          return peer ? msg(str`${peer} did not allow you to join.`) : msg('The person you are helping did not allow you to join.');
        }
        if (byMe) return peer ? msg(str`You declined. ${peer} has been told.`) : msg('You declined the request.');
        return peer ? msg(str`${peer} declined the request.`) : msg('The request was declined.');
      case 'reported':
        // Only the sharer is ever told 'reported' (the relay tells the helper 'denied').
        return msg('You declined the request and reported it.');
      case 'expired':
        return msg('The security code expired before anyone connected.');
      case 'left':
        // The page was closed (or reloaded, or navigated away) and did not come back within the grace.
        if (byMe) return msg('You left the session.');
        return peer
          ? msg(str`${peer} left the session and did not come back.`)
          : msg('The other person left the session and did not come back.');
      case 'connection-lost':
        // A colleague's own connection takes only them out: the session goes on for the others.
        if (byMe && this.self === 'colleague') return msg('Your connection was lost for too long, so you are no longer in the session.');
        if (byMe) return msg('Your connection was lost for too long, so the session ended.');
        return peer
          ? msg(str`The connection to ${peer} was lost and did not come back.`)
          : msg('The connection to the other person was lost and did not come back.');
      case 'disconnected':
        // The page's own conclusion when a resume finds the session over or unknown: the relay lost it
        // (restarted without shared state) or ended it while this side was away. Nobody "left".
        if (e.by === 'relay') return msg('The service no longer has this session: it ended while you were disconnected, or the service restarted.');
        if (byMe) return msg('You left the session.');
        return peer ? msg(str`${peer} left the session.`) : msg('The other person left the session.');
      case 'refused':
        // The person refused sees the rule and remedy in the join answer; this is the other side's view.
        // The helper's own role, taken away while the code waited, is the helper's to fix, not a rule.
        if (e.code === 'permission-missing' && this.self === 'helper') {
          return msg('Your organization removed the role that lets you give remote help, so the other person could not join. Ask your administrator.');
        }
        return peer
          ? msg(str`Your organization's access policy did not allow ${peer} to join this session.`)
          : msg("Your organization's access policy did not allow the other person to join this session.");
      case 'account-disabled':
        if (byMe) return msg('Your account was disabled by your organization, so the session ended.');
        return peer
          ? msg(str`The session ended: your organization disabled the account of ${peer}.`)
          : msg("The session ended: your organization disabled the other person's account.");
      case 'ended':
      default:
        if (e.by === 'relay') return msg('The session was ended by the service.');
        // A colleague's own end takes only them out: the session goes on for the others.
        if (byMe) return this.self === 'colleague' ? msg('You left the session.') : msg('You ended the session.');
        if (e.by === 'colleague') return colleague ? msg(str`${colleague} ended the session.`) : msg('Your colleague ended the session.');
        if (e.by === 'helper') {
          // A colleague's peer is the sharer: the helper is who invited them.
          const peer = this.self === 'colleague' ? helper : this.peerName;
          return peer ? msg(str`${peer} (the helper) ended the session.`) : msg('The helper ended the session.');
        }
        return peer ? msg(str`${peer} (the sharer) ended the session.`) : msg('The sharer ended the session.');
    }
  }
}

if (!customElements.get('rh-session-ended')) customElements.define('rh-session-ended', SessionEnded);

declare global {
  interface HTMLElementTagNameMap {
    'rh-session-ended': SessionEnded;
  }
  interface HTMLElementEventMap {
    'rh-new-session': NewSessionEvent;
  }
}
