// The end of a session, and why, from this side's point of view.
import { LitElement, css, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { SessionRole } from '#protocol/models.js';
import type { SessionEnded as SessionEndedInfo } from '#protocol/relay-events.js';
import { baseStyles } from './shared-styles.js';

export class SessionEnded extends LitElement {
  static override properties = {
    ended: { attribute: false },
    self: { attribute: false },
    peerName: { attribute: false },
  };
  declare ended: SessionEndedInfo | undefined;
  declare self: SessionRole | undefined;
  /** The other side's name, when known. */
  declare peerName: string | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      h2 { margin-block: 0 0.3em; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<section role="status">
      <h2>${msg('Session ended')}</h2>
      <p dir="auto">${this.reason()}</p>
    </section>`;
  }

  private reason(): string {
    const e = this.ended;
    if (!e) return '';
    const peer = this.peerName;
    const byMe = e.by === this.self;
    switch (e.reason) {
      case 'denied':
        if (byMe) return peer ? msg(str`You declined. ${peer} has been told.`) : msg('You declined the request.');
        return peer ? msg(str`${peer} declined the request.`) : msg('The request was declined.');
      case 'expired':
        return msg('The security code expired before anyone connected.');
      case 'left':
      case 'disconnected':
        if (byMe) return msg('You left the session.');
        return peer ? msg(str`${peer} left the session.`) : msg('The other person left the session.');
      case 'refused':
        // The person refused sees the rule and remedy in the join answer; this is the other side's view.
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
        if (byMe) return msg('You ended the session.');
        if (e.by === 'helper') return peer ? msg(str`${peer} (the helper) ended the session.`) : msg('The helper ended the session.');
        return peer ? msg(str`${peer} (the sharer) ended the session.`) : msg('The sharer ended the session.');
    }
  }
}

if (!customElements.get('rh-session-ended')) customElements.define('rh-session-ended', SessionEnded);

declare global {
  interface HTMLElementTagNameMap {
    'rh-session-ended': SessionEnded;
  }
}
