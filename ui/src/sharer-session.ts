// The whole sharer side of one session over any SessionLink: code → who is asking → Allow (pick a
// screen, share view-only) or Deny → chat → ended. The page never accepts input from the helper.
// Leaving the page is the transport's business (the page closes its link on pagehide, and the relay
// tells the helper the sharer left), so an explicit "End session" and a closed tab stay distinguishable.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import type { TrustInfo } from '#protocol/relay-events.js';
import type { SessionLink } from '#protocol/session-link.js';
import { createSharerPeer, type SharerPeer } from './rtc/sharer-peer.js';
import { isValidCode, normalizeCode } from './security-code-input.js';
import { gone, SessionController } from './session-controller.js';
import { baseStyles } from './shared-styles.js';
import './trust-card.js';

export type SharerPhase = 'enter-code' | 'joining' | 'trust' | 'sharing' | 'ended';

/** @fires rh-ended (detail: SessionEnded) */
export class SharerSession extends LitElement {
  static override properties = {
    link: { attribute: false },
    code: { type: String },
    iceServers: { attribute: false },
    phase: { state: true },
    trust: { state: true },
    error: { state: true },
    codeProblem: { state: true },
    notice: { state: true },
    busy: { state: true },
  };
  declare link: SessionLink | undefined;
  /** Pre-filled code (e.g. from ?passcode=); the user still chooses Connect. */
  declare code: string;
  declare iceServers: RTCIceServer[];
  declare phase: SharerPhase;
  declare trust: TrustInfo | undefined;
  /** The last failed request, with the rule and remedy when policy refused it. */
  declare error: WireError | undefined;
  declare codeProblem: boolean;
  declare notice: string | undefined;
  declare busy: boolean;

  private readonly session: SessionController;
  private peer: SharerPeer | undefined;
  private stream: MediaStream | undefined;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .layout { display: grid; gap: 1em; }
      form { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: end; }
      label { display: grid; gap: 0.25em; font-weight: 600; }
      input {
        font: inherit; font-family: ui-monospace, monospace; font-size: 1.3em; letter-spacing: 0.1em;
        padding-block: 0.3em; padding-inline: 0.5em; inline-size: 10ch; direction: ltr;
      }
      .hint { margin: 0; color: #55555f; }
      .sharing-banner { font-weight: 600; color: #0d652d; }
      .actions { display: flex; gap: 0.75em; flex-wrap: wrap; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = new SessionController(this, {
      role: 'sharer',
      signal: (signal) => void this.peer?.handleSignal(signal),
      finished: () => {
        this.stopMedia();
        this.phase = 'ended';
      },
    });
    this.code = '';
    this.iceServers = [];
    this.phase = 'enter-code';
    this.codeProblem = false;
    this.busy = false;
  }

  get sessionId(): string | undefined {
    return this.trust?.sessionId;
  }

  private async connect(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.link || this.busy) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code');
    const code = normalizeCode(input?.value ?? this.code);
    this.error = undefined;
    if (!isValidCode(code)) {
      this.codeProblem = true;
      input?.focus();
      return;
    }
    this.codeProblem = false;
    this.code = code;
    this.busy = true;
    this.phase = 'joining';
    const res = await this.link.request('session:join', { code });
    this.busy = false;
    if (!res.ok) {
      this.error = res.error;
      this.phase = 'enter-code';
      return;
    }
    this.trust = res.value;
    this.phase = 'trust';
  }

  private async allow(): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy) return;
    this.busy = true;
    this.notice = undefined;
    this.error = undefined;
    // Ask for the screen first, inside the click: browsers only open the picker on a user gesture.
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      this.busy = false;
      this.notice = msg('No screen was chosen. Choose Allow to pick one, or Deny.');
      return;
    }
    const res = await link.request('session:consent', { sessionId, allow: true });
    this.busy = false;
    if (!res.ok) {
      stream.getTracks().forEach((t) => t.stop());
      if (gone(res.error)) {
        this.session.finish({ sessionId, by: 'relay', reason: 'ended' });
      } else this.error = res.error;
      return;
    }
    if (this.phase === 'ended') {
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    this.stream = stream;
    // Stopping from the browser's own "Stop sharing" bar ends the session.
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', () => void this.endSession());
    this.phase = 'sharing';
    this.peer = createSharerPeer({
      stream,
      iceServers: this.iceServers,
      sendSignal: (signal) => link.request('signal:send', { sessionId, signal }),
    });
    await this.peer.start();
  }

  private async deny(): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy) return;
    this.busy = true;
    const res = await link.request('session:consent', { sessionId, allow: false });
    this.busy = false;
    if (!res.ok && !gone(res.error)) {
      this.error = res.error;
      return;
    }
    this.session.finish({ sessionId, by: 'sharer', reason: 'denied' });
  }

  /** Stops sharing first, whatever the relay answers: the relay notices a sharer that is gone. */
  private async endSession(): Promise<void> {
    if (this.session.ended) return;
    this.stopMedia();
    await this.session.end(true);
  }

  private stopMedia(): void {
    this.peer?.close();
    this.peer = undefined;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = undefined;
  }

  override render() {
    const showChat = this.session.chatOn && (this.phase === 'sharing' || (this.phase === 'ended' && this.session.ended?.reason !== 'denied'));
    return html`<div class="layout">
      ${this.session.renderNotices()}
      ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
      <div class="main">${this.renderPhase()}</div>
      <div class="side" ?hidden=${!showChat}>${this.session.renderChat()}</div>
    </div>`;
  }

  private renderPhase() {
    const name = this.trust?.peer.name ?? '';
    switch (this.phase) {
      case 'enter-code':
      case 'joining':
        return html`<form @submit=${this.connect} novalidate>
            <label for="code">${msg('Security code')}</label>
            <input
              id="code"
              name="code"
              .value=${this.code}
              autocomplete="one-time-code"
              autocapitalize="off"
              spellcheck="false"
              maxlength="20"
              required
              aria-invalid=${this.codeProblem ? 'true' : 'false'}
              aria-describedby="code-hint"
            />
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Connect')}</button>
          </form>
          <p id="code-hint" class=${this.codeProblem ? 'error' : 'hint'} role=${this.codeProblem ? 'alert' : nothing}>
            ${this.codeProblem
              ? msg('A security code is 8 letters and digits. Check it and try again.')
              : msg('Enter the 8-character code your helper gave you.')}
          </p>`;
      case 'trust':
        return html`<rh-trust-card
            decide
            .busy=${this.busy}
            .person=${this.trust?.peer}
            .permission=${this.trust?.permission ?? 'view-screen'}
            .sessionId=${this.sessionId}
            .heading=${msg('Someone wants to see your screen')}
            @rh-allow=${() => void this.allow()}
            @rh-deny=${() => void this.deny()}
          >
            <p dir="auto">${msg(str`Allow ${name} to see your screen? They can only view it; they cannot control your device.`)}</p>
          </rh-trust-card>`;
      case 'sharing':
        return html`<p class="sharing-banner" role="status">${msg('You are sharing your screen')}</p>
          <p dir="auto">${msg(str`${name} can see your screen. They cannot control it.`)}</p>
          <div class="actions">
            <button @click=${() => void this.endSession()}>${msg('Stop sharing')}</button>
            <button class="danger" @click=${() => void this.endSession()}>${msg('End session')}</button>
          </div>`;
      case 'ended':
        return this.session.renderEnded();
    }
  }
}

if (!customElements.get('rh-sharer-session')) customElements.define('rh-sharer-session', SharerSession);

declare global {
  interface HTMLElementTagNameMap {
    'rh-sharer-session': SharerSession;
  }
}
