// The whole helper side of one session over any SessionLink: code → trust screen → shared screen and
// chat → ended. The console (over the desktop API) and /rhh (over Socket.IO) both use it.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '../../protocol/src/ack.js';
import type { CreatedSession, SessionEnded as SessionEndedInfo, SessionStateChange, Signal, TrustInfo } from '../../protocol/src/relay-events.js';
import type { SessionLink } from '../../protocol/src/session-link.js';
import type { Chat } from './chat.js';
import { LinkController } from './link-controller.js';
import { createHelperPeer, type HelperPeer } from './rtc/helper-peer.js';
import { baseStyles } from './shared-styles.js';
import './chat.js';
import './policy-refusal.js';
import './security-code.js';
import './session-ended.js';
import './shared-screen.js';
import './trust-card.js';

export type HelperPhase = 'creating' | 'create-failed' | 'waiting' | 'trust' | 'sharing' | 'ended';
export type EndedEvent = CustomEvent<SessionEndedInfo>;

/** @fires rh-session-created (detail: CreatedSession) @fires rh-create-failed (detail: WireError)
 * @fires rh-ended (detail: SessionEnded) */
export class HelperSession extends LitElement {
  static override properties = {
    link: { attribute: false },
    deviceId: { attribute: false },
    created: { attribute: false },
    iceServers: { attribute: false },
    phase: { state: true },
    trust: { state: true },
    ended: { state: true },
    error: { state: true },
    stream: { state: true },
    reconnecting: { state: true },
    mediaFailed: { state: true },
  };
  declare link: SessionLink | undefined;
  /** The enrolled device the session is for; absent for an unenrolled device. */
  declare deviceId: string | undefined;
  /** A session already created by the caller; when absent the element creates one. */
  declare created: CreatedSession | undefined;
  declare iceServers: RTCIceServer[];
  declare phase: HelperPhase;
  declare trust: TrustInfo | undefined;
  declare ended: SessionEndedInfo | undefined;
  /** The last failed request, with the rule and remedy when policy refused it. */
  declare error: WireError | undefined;
  declare stream: MediaStream | null;
  declare reconnecting: boolean;
  declare mediaFailed: boolean;

  private started = false;
  private peer: HelperPeer | undefined;
  private wasDisconnected = false;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .layout { display: grid; gap: 1em; }
      .layout.sharing { grid-template-columns: minmax(0, 3fr) minmax(16em, 1fr); align-items: start; }
      @media (max-width: 800px) { .layout.sharing { grid-template-columns: 1fr; } }
      /* min-inline-size 0: a grid item's default min width is its content's, which let a long chat
         line or the person card push the side column past the window's edge. */
      .main, .side {
        display: grid; gap: 1em; align-content: start; min-inline-size: 0;
        /* Their one column must not grow to its widest content either (a long name, a device line). */
        grid-template-columns: minmax(0, 1fr);
      }
      .waiting { font-weight: 600; }
      .actions { display: flex; gap: 0.75em; flex-wrap: wrap; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    new LinkController(this, {
      trust: (t) => this.onTrust(t),
      state: (s) => this.onState(s),
      signal: (m) => this.onSignal(m.signal),
      chat: (m) => this.chat?.receive(m),
      ended: (e) => this.finish(e),
      connection: ({ connected }) => void this.onConnection(connected),
    });
    this.iceServers = [];
    this.phase = 'creating';
    this.stream = null;
    this.reconnecting = false;
    this.mediaFailed = false;
  }

  get sessionId(): string | undefined {
    return this.created?.sessionId;
  }

  protected override willUpdate(): void {
    if (!this.started && this.link) {
      this.started = true;
      if (this.created) this.phase = 'waiting';
      else void this.create();
    }
  }

  private async create(): Promise<void> {
    if (!this.link) return;
    this.phase = 'creating';
    this.error = undefined;
    const res = await this.link.createSession(this.deviceId ? { deviceId: this.deviceId } : {});
    if (!res.ok) {
      this.error = res.error;
      this.phase = 'create-failed';
      this.dispatchEvent(new CustomEvent('rh-create-failed', { detail: res.error, bubbles: true, composed: true }));
      return;
    }
    this.created = res.value;
    this.phase = 'waiting';
    this.dispatchEvent(new CustomEvent('rh-session-created', { detail: res.value, bubbles: true, composed: true }));
  }

  private onTrust(t: TrustInfo): void {
    if (t.sessionId !== this.sessionId || this.phase === 'ended') return;
    this.trust = t;
    if (this.phase === 'waiting' || this.phase === 'creating') this.phase = 'trust';
  }

  private onState(s: SessionStateChange): void {
    if (s.sessionId !== this.sessionId || this.phase === 'ended') return;
    if (s.state === 'sharing') this.phase = 'sharing';
    else if (s.state === 'denied') this.finish({ sessionId: s.sessionId, by: 'sharer', reason: 'denied' });
    else if (s.state === 'expired') this.finish({ sessionId: s.sessionId, by: 'relay', reason: 'expired' });
    else if (s.state === 'joined' && this.phase === 'waiting' && this.trust) this.phase = 'trust';
  }

  private onSignal(signal: Signal): void {
    if (this.phase === 'ended' || !this.link) return;
    if (!this.peer) {
      const link = this.link;
      const sessionId = this.sessionId ?? '';
      this.peer = createHelperPeer({
        iceServers: this.iceServers,
        sendSignal: (s) => link.sendSignal({ sessionId, signal: s }),
        onStream: (stream) => {
          this.stream = stream;
          this.mediaFailed = false;
          // The offer is only sent after consent, so media means sharing even if the state
          // event is still on its way.
          if (this.phase === 'trust' || this.phase === 'waiting') this.phase = 'sharing';
        },
        onConnectionState: (state) => (this.mediaFailed = state === 'failed'),
      });
    }
    void this.peer.handleSignal(signal);
  }

  private async onConnection(connected: boolean): Promise<void> {
    if (!connected) {
      this.wasDisconnected = true;
      this.reconnecting = this.phase !== 'ended';
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
    if (res.value.trust) this.onTrust(res.value.trust);
    this.onState({ sessionId: this.sessionId, state: res.value.state });
    if (res.value.state === 'ended') this.finish({ sessionId: this.sessionId, by: 'relay', reason: 'disconnected' });
    await this.updateComplete;
    for (const m of res.value.messages) this.chat?.receive(m);
  }

  private async endSession(): Promise<void> {
    const sessionId = this.sessionId;
    if (!this.link || !sessionId) return;
    const res = await this.link.endSession({ sessionId });
    if (!res.ok && res.error.code !== 'session-ended' && res.error.code !== 'not-found') {
      this.error = res.error;
      return;
    }
    this.finish({ sessionId, by: 'helper', reason: 'ended' });
  }

  private finish(e: SessionEndedInfo): void {
    if (this.phase === 'ended') return;
    this.ended = e;
    this.phase = 'ended';
    this.reconnecting = false;
    this.peer?.close();
    this.peer = undefined;
    this.stream = null;
    this.dispatchEvent(new CustomEvent('rh-ended', { detail: e, bubbles: true, composed: true }));
  }

  private get chat(): Chat | null {
    return this.renderRoot.querySelector('rh-chat');
  }

  override render() {
    // Chat off for the tenant: no chat at all, not even an empty log.
    const chatOn = this.trust?.chatEnabled !== false;
    const showChat = chatOn && (this.phase === 'sharing' || this.phase === 'ended');
    // While sharing the side column also holds who is on the other end and End session.
    const showSide = this.phase === 'sharing' || showChat;
    return html`<div class="layout ${this.phase === 'sharing' ? 'sharing' : ''}">
      <div class="main">
        ${this.reconnecting ? html`<p role="status">${msg('Connection lost. Reconnecting…')}</p>` : nothing}
        <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
        ${this.renderPhase()}
      </div>
      <div class="side" ?hidden=${!showSide}>
        ${this.phase === 'sharing' ? this.renderTrust() : nothing}
        ${this.phase === 'sharing' ? this.renderEndButton() : nothing}
        ${chatOn ? this.renderChat() : nothing}
      </div>
    </div>`;
  }

  private renderPhase() {
    const name = this.trust?.peer.name ?? '';
    switch (this.phase) {
      case 'creating':
        return html`<p role="status">${msg('Getting a security code…')}</p>`;
      case 'create-failed':
        return html`<div class="actions"><button @click=${() => void this.create()}>${msg('Try again')}</button></div>`;
      case 'waiting':
        return html`<rh-security-code .session=${this.created}></rh-security-code>
          <p role="status">${msg('Waiting for the person you are helping to enter the code…')}</p>
          ${this.renderEndButton()}`;
      case 'trust':
        return html`${this.renderTrust()}
          <p class="waiting" role="status" dir="auto">${msg(str`Waiting for ${name} to allow…`)}</p>
          ${this.renderEndButton()}`;
      case 'sharing':
        return html`<rh-shared-screen .stream=${this.stream}></rh-shared-screen>
          ${this.stream ? nothing : html`<p role="status">${msg('Connecting to the shared screen…')}</p>`}
          ${this.mediaFailed ? html`<p class="error" role="alert">${msg('The screen connection failed.')}</p>` : nothing}`;
      case 'ended':
        return html`<rh-session-ended .ended=${this.ended} .self=${'helper'} .peerName=${this.trust?.peer.name}></rh-session-ended>`;
    }
  }

  private renderTrust() {
    return html`<rh-trust-card
      .person=${this.trust?.peer}
      .warnings=${this.trust?.warnings ?? []}
      .device=${this.trust?.device}
      .permission=${this.trust ? (this.trust.permission ?? 'view-screen') : undefined}
      .heading=${msg('The person you are helping')}
    ></rh-trust-card>`;
  }

  private renderEndButton() {
    return html`<div class="actions">
      <button class="danger" @click=${() => void this.endSession()}>${msg('End session')}</button>
    </div>`;
  }

  /** Always at the same place in the template, so the thread survives every change of view and no
   * message is dropped; it is shown while sharing (and read-only afterwards). */
  private renderChat() {
    const link = this.link;
    const sessionId = this.sessionId ?? '';
    return html`<rh-chat
      ?disabled=${this.phase === 'ended'}
      .self=${'helper'}
      .send=${link ? (req: { clientId: string; text: string }) => link.sendChat({ sessionId, ...req }) : undefined}
    ></rh-chat>`;
  }
}

if (!customElements.get('rh-helper-session')) customElements.define('rh-helper-session', HelperSession);

declare global {
  interface HTMLElementTagNameMap {
    'rh-helper-session': HelperSession;
  }
  interface HTMLElementEventMap {
    'rh-ended': EndedEvent;
    'rh-session-created': CustomEvent<CreatedSession>;
    'rh-create-failed': CustomEvent<WireError>;
  }
}
