// The whole sharer side of one session over any SessionLink: code → who is asking → Allow (pick a
// screen, share view-only) or Deny → chat → ended. The page never accepts input from the helper.
// Leaving the page is the transport's business (the page closes its link on pagehide, and the relay
// tells the helper the sharer left), so an explicit "End session" and a closed tab stay distinguishable.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '../../protocol/src/ack.js';
import { isTerminal } from '../../protocol/src/models.js';
import type { SessionEnded as SessionEndedInfo, SessionStateChange, Signal, TrustInfo } from '../../protocol/src/relay-events.js';
import type { SessionLink } from '../../protocol/src/session-link.js';
import type { Chat } from './chat.js';
import { LinkController } from './link-controller.js';
import { createSharerPeer, type SharerPeer } from './rtc/sharer-peer.js';
import { isValidCode, normalizeCode } from './security-code-input.js';
import { baseStyles } from './shared-styles.js';
import './chat.js';
import './policy-refusal.js';
import './session-ended.js';
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
    ended: { state: true },
    error: { state: true },
    codeProblem: { state: true },
    notice: { state: true },
    busy: { state: true },
    reconnecting: { state: true },
  };
  declare link: SessionLink | undefined;
  /** Pre-filled code (e.g. from ?passcode=); the user still chooses Connect. */
  declare code: string;
  declare iceServers: RTCIceServer[];
  declare phase: SharerPhase;
  declare trust: TrustInfo | undefined;
  declare ended: SessionEndedInfo | undefined;
  /** The last failed request, with the rule and remedy when policy refused it. */
  declare error: WireError | undefined;
  declare codeProblem: boolean;
  declare notice: string | undefined;
  declare busy: boolean;
  declare reconnecting: boolean;

  private peer: SharerPeer | undefined;
  private stream: MediaStream | undefined;
  private wasDisconnected = false;

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
    new LinkController(this, {
      state: (s) => this.onState(s),
      signal: (m) => this.onSignal(m.signal),
      chat: (m) => this.chat?.receive(m),
      ended: (e) => this.finish(e),
      connection: ({ connected }) => void this.onConnection(connected),
    });
    this.code = '';
    this.iceServers = [];
    this.phase = 'enter-code';
    this.codeProblem = false;
    this.busy = false;
    this.reconnecting = false;
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
    const res = await this.link.joinSession({ code });
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
    const res = await link.consent({ sessionId, allow: true });
    this.busy = false;
    if (!res.ok) {
      stream.getTracks().forEach((t) => t.stop());
      if (res.error.code === 'session-ended' || res.error.code === 'not-found') {
        this.finish({ sessionId, by: 'relay', reason: 'ended' });
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
      sendSignal: (signal) => link.sendSignal({ sessionId, signal }),
    });
    await this.peer.start();
  }

  private async deny(): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy) return;
    this.busy = true;
    const res = await link.consent({ sessionId, allow: false });
    this.busy = false;
    if (!res.ok && res.error.code !== 'session-ended') {
      this.error = res.error;
      return;
    }
    this.finish({ sessionId, by: 'sharer', reason: 'denied' });
  }

  private onState(s: SessionStateChange): void {
    if (s.sessionId !== this.sessionId || this.phase === 'ended') return;
    if (s.state === 'denied') this.finish({ sessionId: s.sessionId, by: 'sharer', reason: 'denied' });
    else if (s.state === 'expired') this.finish({ sessionId: s.sessionId, by: 'relay', reason: 'expired' });
  }

  private onSignal(signal: Signal): void {
    if (this.phase === 'ended') return;
    void this.peer?.handleSignal(signal);
  }

  private async onConnection(connected: boolean): Promise<void> {
    if (!connected) {
      this.wasDisconnected = true;
      this.reconnecting = this.phase !== 'ended' && this.sessionId !== undefined;
      return;
    }
    this.reconnecting = false;
    if (!this.wasDisconnected || !this.link || !this.sessionId || this.phase === 'ended') return;
    this.wasDisconnected = false;
    const res = await this.link.resumeSession({ sessionId: this.sessionId, afterSeq: this.chat?.lastSeq ?? 0 });
    if (!res.ok) {
      if (res.error.code === 'not-found' || res.error.code === 'session-ended') {
        this.finish({ sessionId: this.sessionId, by: 'relay', reason: 'disconnected' });
      } else this.error = res.error;
      return;
    }
    if (isTerminal(res.value.state)) {
      this.finish({ sessionId: this.sessionId, by: 'relay', reason: 'disconnected' });
      return;
    }
    for (const m of res.value.messages) this.chat?.receive(m);
  }

  private async endSession(): Promise<void> {
    const sessionId = this.sessionId;
    if (!this.link || !sessionId || this.phase === 'ended') return;
    this.stopMedia();
    const res = await this.link.endSession({ sessionId });
    if (!res.ok && res.error.code !== 'session-ended' && res.error.code !== 'not-found') this.error = res.error;
    this.finish({ sessionId, by: 'sharer', reason: 'ended' });
  }

  private stopMedia(): void {
    this.peer?.close();
    this.peer = undefined;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = undefined;
  }

  private finish(e: SessionEndedInfo): void {
    if (this.phase === 'ended') return;
    this.stopMedia();
    this.ended = e;
    this.phase = 'ended';
    this.reconnecting = false;
    this.dispatchEvent(new CustomEvent('rh-ended', { detail: e, bubbles: true, composed: true }));
  }

  private get chat(): Chat | null {
    return this.renderRoot.querySelector('rh-chat');
  }

  override render() {
    // Chat off for the tenant: no chat at all, not even an empty log.
    const chatOn = this.trust?.chatEnabled !== false;
    const showChat = chatOn && (this.phase === 'sharing' || (this.phase === 'ended' && this.ended?.reason !== 'denied'));
    return html`<div class="layout">
      ${this.reconnecting ? html`<p role="status">${msg('Connection lost. Reconnecting…')}</p>` : nothing}
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
      <div class="main">${this.renderPhase()}</div>
      <div class="side" ?hidden=${!showChat}>${chatOn ? this.renderChat() : nothing}</div>
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
        return html`<rh-session-ended .ended=${this.ended} .self=${'sharer'} .peerName=${this.trust?.peer.name}></rh-session-ended>`;
    }
  }

  private renderChat() {
    const link = this.link;
    const sessionId = this.sessionId ?? '';
    return html`<rh-chat
      ?disabled=${this.phase === 'ended'}
      .self=${'sharer'}
      .send=${link ? (req: { clientId: string; text: string }) => link.sendChat({ sessionId, ...req }) : undefined}
    ></rh-chat>`;
  }
}

if (!customElements.get('rh-sharer-session')) customElements.define('rh-sharer-session', SharerSession);

declare global {
  interface HTMLElementTagNameMap {
    'rh-sharer-session': SharerSession;
  }
}
