// The whole helper side of one session over any SessionLink: code → trust screen → shared screen and
// chat → ended. The console (over the desktop API) and /rhh (over Socket.IO) both use it.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import type {
  CreatedSession, PeerStatus, RequestOf, SessionEnded as SessionEndedInfo, SessionResumed, SessionStateChange, Signal, TrustInfo,
} from '#protocol/relay-events.js';
import type { OrganizationLook } from '#protocol/policy.js';
import type { SessionLink } from '#protocol/session-link.js';
import { canRetryCreate } from './create-refusal.js';
import { forgetLiveSession, rememberLiveSession, type LiveSession } from './live-session.js';
import { createHelperPeer, type HelperPeer } from './rtc/helper-peer.js';
import { iceConfigFor, iceFailure } from './rtc/ice-config.js';
import { SessionController } from './session-controller.js';
import { baseStyles } from './shared-styles.js';
import './security-code.js';
import './shared-screen.js';
import './trust-card.js';
import './verification-code.js';

export type HelperPhase = 'creating' | 'create-failed' | 'resuming' | 'waiting' | 'trust' | 'sharing' | 'ended';
export type EndedEvent = CustomEvent<SessionEndedInfo>;

/** Creates its session when told to (`start()`), not by being put in the page; or, in a page reloaded
 * in the middle of one, resumes it (`resumeFrom`).
 * @fires rh-session-created (detail: CreatedSession) @fires rh-create-failed (detail: WireError)
 * @fires rh-create-refused (detail: WireError; a refusal Try again cannot fix: no Try again is shown)
 * @fires rh-ended (detail: SessionEnded) */
export class HelperSession extends LitElement {
  static override properties = {
    link: { attribute: false },
    created: { state: true },
    phase: { state: true },
    trust: { state: true },
    error: { state: true },
    stream: { state: true },
    mediaFailed: { state: true },
    sharerPaused: { state: true },
    verification: { state: true },
    resumeFrom: { attribute: false },
    remember: { type: Boolean },
    look: { attribute: false },
  };
  declare link: SessionLink | undefined;
  declare created: CreatedSession | undefined;
  declare phase: HelperPhase;
  declare trust: TrustInfo | undefined;
  /** The last failed request, with the rule and remedy when policy refused it. */
  declare error: WireError | undefined;
  declare stream: MediaStream | null;
  declare mediaFailed: boolean;
  /** The sharer paused sharing: the picture stays on its last frame, marked so. */
  declare sharerPaused: boolean;
  /** The Verification code of the peer connection there is ("123 456"), once both descriptions are set. */
  declare verification: string | undefined;
  /** The session this tab was in before a reload (the page read it from the tab's storage). */
  declare resumeFrom: LiveSession | undefined;
  /** Keep the live session in the tab's storage, so a reload comes back into it (the web helper). */
  declare remember: boolean;
  /** The organization's name and logo (the page's /auth/me), shown on the trust screen. */
  declare look: OrganizationLook | undefined;

  private readonly session: SessionController;
  /** What the last start() asked for, for Try again. */
  private createRequest: RequestOf<'session:create'> = {};
  private starting: Promise<void> | undefined;
  private startWhenLinked = false;
  private peer: HelperPeer | undefined;
  private resumeStarted = false;

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
      .waiting { font-weight: var(--rh-weight-strong, 600); margin: 0; }
      .main > rh-trust-card { max-inline-size: 40rem; }
      .card.code { max-inline-size: 40rem; display: grid; gap: var(--rh-space-3, 0.75rem); }
      .card.code > p { margin: 0; }
      .connection-lost, .peer-away {
        margin: 0; background: var(--rh-color-warning-subtle); border-inline-start: 4px solid var(--rh-color-warning);
        border-radius: var(--rh-radius-sm, 4px); padding-block: var(--rh-space-2, 0.5rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      @media (forced-colors: active) {
        .connection-lost, .peer-away { border-inline-start-color: CanvasText; }
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = new SessionController(this, {
      role: 'helper',
      trust: (t) => this.onTrust(t),
      state: (s) => this.onState(s),
      signal: (s) => this.onSignal(s),
      peer: (p) => this.onPeer(p),
      resumed: (r) => this.onResumed(r),
      needsMediaRestart: () => !this.peer || this.mediaFailed,
      finished: () => this.finished(),
    });
    this.phase = 'creating';
    this.stream = null;
    this.mediaFailed = false;
    this.sharerPaused = false;
    this.remember = false;
    this.addEventListener('rh-new-code', () => void this.renew());
  }

  get sessionId(): string | undefined {
    return this.created?.sessionId;
  }

  /** Ends the session at the relay, as End session does (the console's leave guards call it); the view
   * ends even when the relay could not be told (it notices the helper gone). */
  end(): Promise<void> {
    return this.session.end(true);
  }

  /** The picture's state under its overlay (DESIGN §9 "Reconnecting…" while the sharer is away). */
  get screenStatus(): 'live' | 'reconnecting' | 'paused' {
    if (this.session.peerAway) return 'reconnecting';
    return this.sharerPaused ? 'paused' : 'live';
  }

  /** The sharer's absence is shown over the last frame while sharing, as a notice line before. */
  get showsPeerAway(): boolean {
    return this.phase !== 'sharing';
  }

  /** A new code for the same request: the new session is created first (so the old one's end is not
   * taken for this view's end), then the old one is ended at the relay. */
  private async renew(): Promise<void> {
    const link = this.link;
    const old = this.created;
    if (!link || this.starting || this.session.ended) return;
    this.created = undefined;
    this.starting = this.create(link, this.createRequest).finally(() => (this.starting = undefined));
    await this.starting;
    if (!this.created) {
      this.created = old; // no new code: the old one stays, with its countdown
      this.phase = 'waiting';
      return;
    }
    if (old) void link.request('session:end', { sessionId: old.sessionId });
  }

  private onPeer(p: PeerStatus): void {
    if (p.role !== 'sharer') return;
    this.sharerPaused = p.paused;
  }

  private onResumed(r: SessionResumed): void {
    this.sharerPaused = r.paused ?? false;
    if (r.state === 'created') this.phase = 'waiting';
    else if (r.state === 'joined') this.phase = this.trust ? 'trust' : 'waiting';
    else if (r.state === 'sharing') this.phase = 'sharing';
  }

  /** Creates the session (for an enrolled device when `deviceId` is given) and shows its code. Once:
   * a second call while the first is under way waits for it; a call before the link is set is kept
   * and runs as soon as it is. */
  start(req: RequestOf<'session:create'> = {}): Promise<void> {
    this.createRequest = req;
    if (this.created) return Promise.resolve();
    if (!this.link) {
      this.startWhenLinked = true;
      return Promise.resolve();
    }
    this.starting ??= this.create(this.link, req).finally(() => (this.starting = undefined));
    return this.starting;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The sharer joined or allowed: the code or the trust screen the focus was on is gone.
    if (changed.has('phase') && this.phase === 'trust') void this.session.focusOn('rh-trust-card', { onlyIfLost: true });
    if (changed.has('phase') && this.phase === 'sharing') void this.session.focusOn('rh-shared-screen', { onlyIfLost: true });
    if (changed.has('link') && this.link && this.startWhenLinked) {
      this.startWhenLinked = false;
      void this.start(this.createRequest);
    }
    // A reloaded page: back into its session (code, trust screen or shared screen) without a new code.
    if (this.resumeFrom?.created && this.link && !this.resumeStarted && !this.created) {
      this.resumeStarted = true;
      this.created = this.resumeFrom.created;
      this.phase = 'resuming';
      void this.session.resume();
    }
  }

  private async create(link: SessionLink, req: RequestOf<'session:create'>): Promise<void> {
    this.phase = 'creating';
    this.error = undefined;
    const res = await link.request('session:create', req);
    if (!res.ok) {
      this.error = res.error;
      this.phase = 'create-failed';
      this.dispatchEvent(new CustomEvent('rh-create-failed', { detail: res.error, bubbles: true, composed: true }));
      if (!canRetryCreate(res.error.code)) this.dispatchEvent(new CustomEvent('rh-create-refused', { detail: res.error, bubbles: true, composed: true }));
      return;
    }
    this.created = res.value;
    if (this.remember) {
      rememberLiveSession('helper', { sessionId: res.value.sessionId, created: res.value, ...(req.deviceId !== undefined ? { deviceId: req.deviceId } : {}) });
    }
    this.phase = 'waiting';
    this.dispatchEvent(new CustomEvent('rh-session-created', { detail: res.value, bubbles: true, composed: true }));
    this.session.announce(msg('Security code ready. Give it to the person you are helping.'));
    void this.session.focusOn('rh-security-code');
  }

  private onTrust(t: TrustInfo): void {
    this.trust = t;
    if (this.phase === 'waiting' || this.phase === 'creating') {
      this.phase = 'trust';
      this.session.announce(msg(str`${t.peer.name} entered the code. Waiting for them to allow.`));
    }
  }

  private onState(s: SessionStateChange): void {
    if (s.state === 'sharing' && this.phase !== 'sharing') {
      this.session.announce(msg(str`${this.trust?.peer.name ?? ''} allowed. You can see their screen.`));
    }
    if (s.state === 'sharing') this.phase = 'sharing';
    else if (s.state === 'joined' && this.phase === 'waiting' && this.trust) this.phase = 'trust';
  }

  private onSignal(signal: Signal): void {
    if (!this.link) return;
    // An offer with another certificate is a new connection from the sharer (its page reloaded, or ours
    // did and it offered again): the old one is let go, and its code with it; the last frame stays on
    // screen until the new picture comes. The same certificate: the sharer added its screen (Allow).
    if (this.peer && 'description' in signal && signal.description.type === 'offer' && !this.peer.isRenegotiation(signal.description.sdp)) {
      this.peer.close();
      this.peer = undefined;
      this.verification = undefined;
    }
    if (!this.peer) {
      const link = this.link;
      const sessionId = this.sessionId ?? '';
      const configuration = iceConfigFor(link, sessionId);
      const peer = createHelperPeer({
        sessionId,
        configuration,
        sendSignal: (s) => link.request('signal:send', { sessionId, signal: s }),
        onStream: (stream) => {
          this.stream = stream;
          this.mediaFailed = false;
          if (this.error?.code === 'ice-unavailable') this.error = undefined;
          // The relay forwards an offer with media only after consent, so media means sharing even
          // if the state event is still on its way.
          if (this.phase === 'trust' || this.phase === 'waiting') this.phase = 'sharing';
        },
        onConnectionState: (state) => {
          this.mediaFailed = state === 'failed';
          // Only the sharer can offer: a resume that says "no media here" has the relay ask it to.
          if (this.mediaFailed) void this.session.resume();
        },
        onVerification: (code) => {
          if (this.peer === peer) this.verification = code;
        },
      });
      this.peer = peer;
      // Without the relay's ICE answer there is no connection (fail closed): said, and the peer let go,
      // so a resume tells the relay this side has no media and the sharer offers on a new connection,
      // which asks again (the sharer's offer on this one would wait for an answer forever).
      configuration.catch((error: unknown) => {
        this.error = iceFailure(error);
        if (this.peer !== peer) return;
        peer.close();
        this.peer = undefined;
        this.verification = undefined;
        void this.session.resume();
      });
    }
    void this.peer.handleSignal(signal);
  }

  private finished(): void {
    if (this.remember) forgetLiveSession('helper');
    void this.session.focusOn('rh-session-ended');
    this.phase = 'ended';
    this.peer?.close();
    this.peer = undefined;
    this.verification = undefined;
    this.stream = null;
  }

  override render() {
    const showChat = this.session.chatOn && (this.phase === 'sharing' || this.phase === 'ended');
    // While sharing the side column holds End session and the chat first (in view on a 1366×768
    // screen), then who is on the other end.
    const showSide = this.phase === 'sharing' || showChat;
    return html`<div class="layout ${this.phase === 'sharing' ? 'sharing' : ''}">
      <div class="main">
        ${this.session.renderNotices()}
        ${this.renderPhase()}
      </div>
      <div class="side" ?hidden=${!showSide}>
        ${this.phase === 'sharing' ? this.renderEndButton() : nothing}
        ${this.session.renderChat()}
        ${this.phase === 'sharing' ? this.renderTrust() : nothing}
      </div>
    </div>`;
  }

  private renderPhase() {
    const name = this.trust?.peer.name ?? '';
    switch (this.phase) {
      case 'creating':
        return html`<p>${msg('Getting a security code…')}</p>`;
      case 'resuming':
        return html`<p>${msg('Getting back into your session…')}</p>`;
      case 'create-failed':
        // Try again only where a retry can help; a refusal that would answer the same shows what the
        // page puts in the "refused" slot (its alternatives), and the page hears rh-create-refused.
        return this.error && !canRetryCreate(this.error.code)
          ? html`<slot name="refused"></slot>`
          : html`<div class="actions"><button type="button" @click=${() => void this.start(this.createRequest)}>${msg('Try again')}</button></div>`;
      case 'waiting':
        return html`<section class="card code">
          <rh-security-code .session=${this.created}></rh-security-code>
          <p>${msg('Waiting for the person you are helping to enter the code…')}</p>
          ${this.renderEndButton()}
        </section>`;
      case 'trust':
        return html`${this.renderTrust()}
          <p class="waiting" dir="auto">${msg(str`Waiting for ${name} to allow…`)}</p>
          ${this.renderEndButton()}`;
      case 'sharing':
        return html`<rh-shared-screen
            .stream=${this.stream}
            .status=${this.screenStatus}
            .statusText=${this.screenStatus === 'reconnecting'
              ? this.session.peerAwayText()
              : this.screenStatus === 'paused' ? msg(str`${name} paused sharing. The session goes on; you can still chat.`) : ''}
          ></rh-shared-screen>
          ${this.stream ? nothing : html`<p>${msg('Connecting to the shared screen…')}</p>`}
          ${this.mediaFailed ? html`<p class="error" role="alert">${msg('The screen connection failed.')}</p>` : nothing}`;
      case 'ended':
        return this.session.renderEnded();
    }
  }

  private renderTrust() {
    return html`<rh-trust-card
      .person=${this.trust?.peer}
      .warnings=${this.trust?.warnings ?? []}
      .device=${this.trust?.device}
      .permission=${this.trust ? (this.trust.permission ?? 'view-screen') : undefined}
      .purpose=${this.trust}
      .heading=${msg('The person you are helping')}
      .organizationName=${this.look?.name}
      .organizationLogo=${this.look?.logo}
    ><rh-verification-code .code=${this.verification} .side=${'helper'}></rh-verification-code></rh-trust-card>`;
  }

  private renderEndButton() {
    return html`<div class="actions">
      <button type="button" class="danger" @click=${() => void this.session.end()}>${msg('End session')}</button>
    </div>`;
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
    'rh-create-refused': CustomEvent<WireError>;
  }
}
