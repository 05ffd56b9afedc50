// The whole helper side of one session over any SessionLink: code → trust screen → shared screen and
// chat → ended. The console (over the desktop API) and /rhh (over Socket.IO) both use it.
// It is also the invited colleague's view (issue 13, point 5): accepted → the sharer's trust card and the
// Verification code of its own connection, waiting to be allowed → the shared screen and the chat; and
// the helper's view again once the session is handed over to them.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import type {
  CreatedSession, PeerStatus, RequestOf, SessionEnded as SessionEndedInfo, SessionResumed, SessionStateChange, Signal, TrustInfo,
} from '#protocol/relay-events.js';
import type { OrganizationLook } from '#protocol/policy.js';
import type { ColleagueStatus, Invitation } from '#protocol/colleague.js';
import type { SessionLink } from '#protocol/session-link.js';
import { canRetryCreate } from './create-refusal.js';
import { forgetLiveSession, rememberLiveSession, type LiveSession } from './live-session.js';
import { createHelperPeer, type HelperPeer } from './rtc/helper-peer.js';
import { iceConfigFor, iceFailure } from './rtc/ice-config.js';
import { SessionController } from './session-controller.js';
import { baseStyles } from './shared-styles.js';
import { colleagueAwayText, colleagueStatusText } from './colleague-status.js';
import './invite-colleague.js';
import './security-code.js';
import './shared-screen.js';
import './trust-card.js';
import './verification-code.js';

/** 'accepting', 'accept-failed': an invited colleague's answer is on its way, or was refused. */
export type HelperPhase = 'creating' | 'create-failed' | 'accepting' | 'accept-failed' | 'resuming' | 'waiting' | 'trust' | 'sharing' | 'ended';
/** Who this view is in its session: the helper, or the colleague the helper invited (until handed over). */
export type HelperMember = 'helper' | 'colleague';
export type EndedEvent = CustomEvent<SessionEndedInfo>;

/** Creates its session when told to (`start()`), not by being put in the page; or, in a page reloaded
 * in the middle of one, resumes it (`resumeFrom`).
 * @fires rh-session-created (detail: CreatedSession) @fires rh-create-failed (detail: WireError)
 * @fires rh-create-refused (detail: WireError; a refusal Try again cannot fix: no Try again is shown)
 * @fires rh-ended (detail: SessionEnded)
 * @fires rh-accept-failed (detail: WireError; an invited colleague's Accept was refused: they stay invited)
 * @fires rh-handed-over (the colleague is the session's helper now) */
export class HelperSession extends LitElement {
  static override properties = {
    link: { attribute: false },
    created: { state: true },
    phase: { state: true },
    trust: { state: true },
    error: { state: true },
    stream: { state: true },
    mediaFailed: { state: true },
    sharerFailed: { state: true },
    sharerPaused: { state: true },
    verification: { state: true },
    resumeFrom: { attribute: false },
    remember: { type: Boolean },
    look: { attribute: false },
    member: { state: true },
    colleague: { state: true },
  };
  declare link: SessionLink | undefined;
  declare created: CreatedSession | undefined;
  declare phase: HelperPhase;
  declare trust: TrustInfo | undefined;
  /** The last failed request, with the rule and remedy when policy refused it. */
  declare error: WireError | undefined;
  declare stream: MediaStream | null;
  declare mediaFailed: boolean;
  /** The sharer's page made no connection for the screen, and said why (a `failed` signal): no ICE
   * configuration from the relay, or this side's answer broke the commit it had made. Until its next offer. */
  declare sharerFailed: 'ice-unavailable' | 'verification-mismatch' | undefined;
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
  /** The helper, or an invited colleague (acceptInvitation); a colleague the session was handed over to
   * is the helper. */
  declare member: HelperMember;
  /** The colleague as the relay last said: for the helper, the one they invited; for a colleague, themselves. */
  declare colleague: ColleagueStatus | undefined;

  private readonly session: SessionController;
  /** What the last start() asked for, for Try again. */
  private createRequest: RequestOf<'session:create'> = {};
  private starting: Promise<void> | undefined;
  private startWhenLinked = false;
  private peer: HelperPeer | undefined;
  /** The next connection, its certificate made and committed to, waiting for the sharer's offer. */
  private nextPeer: HelperPeer | undefined;
  private resumeStarted = false;
  /** The session an invited colleague accepted (a helper's comes with its code). */
  private joinedSessionId: string | undefined;
  /** A colleague asks for the chat once, when allowed (the relay sent them none before). */
  private chatFetched = false;

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
      /* Slotted into the sharer's trust card, above the Verification code: who asked this colleague in. */
      .invited-by { margin: 0; font-weight: var(--rh-weight-strong, 600); }
      .main > rh-trust-card, .main > rh-invite-colleague { max-inline-size: 40rem; }
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
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the hooks read the member at each use
    const view = this;
    this.session = new SessionController(this, {
      // Read at each use: a colleague's view becomes the helper's on hand-over.
      get role() {
        return view.member;
      },
      colleague: (c) => this.onColleague(c),
      endNames: () => ({ colleagueName: this.colleague?.colleague.name, helperName: this.trust?.invitedBy?.name }),
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
    this.member = 'helper';
    this.addEventListener('rh-colleague-changed', (e) => this.onColleague(e.detail));
    this.addEventListener('rh-new-code', () => void this.renew());
  }

  get sessionId(): string | undefined {
    return this.created?.sessionId ?? this.joinedSessionId;
  }

  /** The invited colleague's Accept (the page mounted this view for it): answered once this view listens
   * to the session, so the sharer's offer for the colleague's connection cannot come before it does. */
  async acceptInvitation(invitation: Invitation): Promise<void> {
    const link = this.link;
    if (!link || this.joinedSessionId || this.created) return;
    this.member = 'colleague';
    this.joinedSessionId = invitation.sessionId;
    this.phase = 'accepting';
    this.error = undefined;
    const res = await link.request('session:invite-answer', { sessionId: invitation.sessionId, accept: true });
    if (!res.ok || !res.value) {
      this.error = res.ok ? undefined : res.error;
      this.phase = 'accept-failed';
      const detail = res.ok ? { code: 'wrong-state' as const, message: 'no trust info' } : res.error;
      this.dispatchEvent(new CustomEvent('rh-accept-failed', { detail, bubbles: true, composed: true }));
      return;
    }
    this.trust = res.value;
    if (this.phase === 'accepting') this.phase = 'trust';
    this.sendCommit(); // the sharer opens the colleague's connection once it holds this
    if (this.remember) rememberLiveSession('helper', { sessionId: invitation.sessionId, member: 'colleague' });
    this.session.announce(msg(str`Waiting for ${res.value.peer.name} to allow you.`));
    void this.session.focusOn('rh-trust-card');
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
    // Back (a reloaded page has no commit of ours): the commit again, for the connection it will open.
    if (p.present) this.sendCommit();
  }

  private onResumed(r: SessionResumed): void {
    this.sharerPaused = r.paused ?? false;
    // Back in (this page reloaded, or lost its connection): the sharer opens a new one once committed to.
    if (r.state !== 'created') this.sendCommit();
    // A colleague sees the screen only once allowed, whatever the session's state (a reloaded colleague's
    // page learns it here; the resume brought the chat so far, if any).
    if (this.member === 'colleague') {
      if (this.phase === 'resuming') this.phase = this.colleague?.state === 'allowed' ? 'sharing' : 'trust';
      return;
    }
    // A helper the session was handed over to, reloaded: no code to show, the trust screen or the screen.
    if (this.phase === 'resuming' && !this.created) this.phase = r.state === 'sharing' ? 'sharing' : 'trust';
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
    // A reloaded page: back into its session (code, trust screen or shared screen) without a new code;
    // or a colleague's (or a helper's it was handed over to: no code) into the session they joined.
    const from = this.resumeFrom;
    if (from && this.link && !this.resumeStarted && !this.created && !this.joinedSessionId && (from.created || from.member || !from.deviceId)) {
      this.resumeStarted = true;
      if (from.created) this.created = from.created;
      else this.joinedSessionId = from.sessionId;
      if (from.member === 'colleague') this.member = 'colleague';
      // The resume answers the chat so far: allowed, a colleague needs no second one.
      this.chatFetched = true;
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
    // A colleague keeps who invited them when the relay says it again (a resume, the hand-over).
    this.trust = this.trust?.invitedBy && !t.invitedBy ? { ...t, invitedBy: this.trust.invitedBy } : t;
    // The relay answers a resume as to the helper: the session was handed over while this page was away
    // (the push went to a socket that was gone). The resume under way brings the helper's view.
    if (this.member === 'colleague' && t.role === 'helper') this.becomeHelper();
    // The sharer joined (or the relay says who it is again): it waits for this commit to offer.
    this.sendCommit();
    if (this.member === 'colleague') return;
    if (this.phase === 'waiting' || this.phase === 'creating') {
      this.phase = 'trust';
      this.session.announce(msg(str`${t.peer.name} entered the code. Waiting for them to allow.`));
    }
  }

  private onState(s: SessionStateChange): void {
    if (this.member === 'colleague') return;
    if (s.state === 'sharing' && this.phase !== 'sharing') {
      this.session.announce(msg(str`${this.trust?.peer.name ?? ''} allowed. You can see their screen.`));
    }
    if (s.state === 'sharing') this.phase = 'sharing';
    else if (s.state === 'joined' && this.phase === 'waiting' && this.trust) this.phase = 'trust';
  }

  /** The colleague's standing changed: said in words to the helper; for the colleague themselves, allowed
   * opens the screen and the chat, and a hand-over makes them the helper. */
  private onColleague(c: ColleagueStatus): void {
    const before = this.colleague;
    this.colleague = c;
    const sharer = this.trust?.peer.name ?? '';
    if (this.member === 'colleague') {
      if (c.state === 'allowed' && before?.state !== 'allowed' && this.phase !== 'resuming') {
        this.phase = 'sharing';
        this.session.announce(msg(str`${sharer} allowed you. You can see their screen.`));
        void this.fetchChat();
      } else if (c.state === 'handed-over') {
        this.becomeHelper();
        this.phase = 'sharing';
        // The relay has this socket as the helper now: the helper's resume (state, presence, chat).
        void this.session.resume();
      }
      return;
    }
    if (before?.state !== c.state) this.session.announce(colleagueStatusText(c, sharer));
    else if (before.present !== c.present) {
      this.session.announce(c.present === false ? colleagueAwayText(c) : msg(str`${c.colleague.name} is back.`));
    }
  }

  /** The session was handed over to this colleague: from now on this view is the helper's. */
  private becomeHelper(): void {
    this.member = 'helper';
    this.colleague = undefined;
    if (this.remember && this.sessionId) rememberLiveSession('helper', { sessionId: this.sessionId });
    this.session.announce(msg('The session was handed over to you. You are the helper now.'));
    this.dispatchEvent(new CustomEvent('rh-handed-over', { detail: { sessionId: this.sessionId }, bubbles: true, composed: true }));
  }

  /** The chat before the colleague was allowed, which the relay gives them on a resume. */
  private async fetchChat(): Promise<void> {
    if (this.chatFetched) return;
    this.chatFetched = true;
    await this.updateComplete;
    await this.session.resume();
  }

  private onSignal(signal: Signal): void {
    if (!this.link || 'commit' in signal) return; // commits go to the sharer only
    if ('failed' in signal) {
      this.sharerFailed = signal.failed;
      if (signal.failed === 'verification-mismatch') this.verification = undefined;
      return;
    }
    // An offer with another certificate is a new connection from the sharer (its page reloaded, or ours
    // did and it offered again): the old one is let go, and its code with it; the last frame stays on
    // screen until the new picture comes. The same certificate: the sharer added its screen (Allow).
    // The new one is the connection made ahead, whose commit the sharer waited for; the next one is made
    // and committed to at once, for whatever new connection comes after.
    if ('description' in signal && signal.description.type === 'offer' && !this.peer?.isRenegotiation(signal.description.sdp)) {
      this.sharerFailed = undefined;
      this.peer?.close();
      this.verification = undefined;
      this.peer = this.nextPeer ?? this.newPeer(this.link);
      this.nextPeer = undefined;
      this.sendCommit();
    }
    void this.peer?.handleSignal(signal);
  }

  /** Sends the sharer the commit to the next connection's certificate (made now when there is none):
   * the sharer offers only once it holds one (protocol/verification-code.ts). Again whenever the sharer
   * may lack it: it joined or came back, this page came back, a connection was taken. */
  private sendCommit(): void {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.phase === 'ended') return;
    const next = (this.nextPeer ??= this.newPeer(link));
    void next.commit.then((commit) => {
      if (commit && this.nextPeer === next) void link.request('signal:send', { sessionId, signal: { commit } });
    });
  }

  private newPeer(link: SessionLink): HelperPeer {
    const sessionId = this.sessionId ?? '';
    const peer: HelperPeer = createHelperPeer({
      sessionId,
      configuration: () => {
        const configuration = iceConfigFor(link, sessionId);
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
        return configuration;
      },
      sendSignal: (s) => link.request('signal:send', { sessionId, signal: s }),
      onStream: (stream) => {
        this.stream = stream;
        this.mediaFailed = false;
        this.sharerFailed = undefined;
        if (this.error?.code === 'ice-unavailable') this.error = undefined;
        // The relay forwards an offer with media only after consent, so media means sharing even
        // if the state event is still on its way.
        if (this.phase === 'trust' || this.phase === 'waiting') this.phase = 'sharing';
      },
      onConnectionState: (state) => {
        if (this.peer !== peer) return;
        this.mediaFailed = state === 'failed';
        // Only the sharer can offer: a resume that says "no media here" has the relay ask it to.
        if (this.mediaFailed) void this.session.resume();
      },
      onVerification: (code) => {
        if (this.peer === peer) this.verification = code;
      },
    });
    return peer;
  }

  private finished(): void {
    if (this.remember) forgetLiveSession('helper');
    void this.session.focusOn('rh-session-ended');
    this.phase = 'ended';
    this.peer?.close();
    this.peer = undefined;
    this.nextPeer?.close();
    this.nextPeer = undefined;
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
        ${this.phase === 'sharing' ? html`${this.renderInvite()}${this.renderTrust()}` : nothing}
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
      case 'accepting':
        return html`<p>${msg('Joining the session…')}</p>`;
      case 'accept-failed':
        return html`<p>${msg('You could not join this session.')}</p>`;
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
          <p class="waiting" dir="auto">${this.member === 'colleague' ? msg(str`Waiting for ${name} to allow you`) : msg(str`Waiting for ${name} to allow…`)}</p>
          ${this.renderEndButton()}
          ${this.renderInvite()}`;
      case 'sharing':
        return html`<rh-shared-screen
            .stream=${this.stream}
            .status=${this.screenStatus}
            .statusText=${this.screenStatus === 'reconnecting'
              ? this.session.peerAwayText()
              : this.screenStatus === 'paused' ? msg(str`${name} paused sharing. The session goes on; you can still chat.`) : ''}
          ></rh-shared-screen>
          ${this.stream ? nothing : html`<p>${msg('Connecting to the shared screen…')}</p>`}
          ${this.mediaFailed ? html`<p class="error" role="alert">${msg('The screen connection failed.')}</p>` : nothing}
          ${this.renderSharerFailed()}`;
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
    >${this.member === 'colleague' && this.trust?.invitedBy
      ? html`<p class="invited-by" dir="auto">${msg(str`Invited by ${this.trust.invitedBy.name}`)}</p>`
      : nothing}<rh-verification-code .code=${this.verification} .side=${'helper'} .failed=${this.sharerFailed === 'verification-mismatch'}></rh-verification-code>
      ${this.phase === 'sharing' ? nothing : this.renderSharerFailed()}</rh-trust-card>`;
  }

  /** Why no picture comes, when the sharer's page said its connection could not be made: on the trust
   * screen, or while sharing beside the screen (the card is in the side column then). A verification
   * mismatch is said once, by the code's own warning on the card. */
  private renderSharerFailed() {
    if (this.sharerFailed !== 'ice-unavailable') return nothing;
    const name = this.trust?.peer.name || msg('The person you are helping');
    return html`<p class="error" role="alert" dir="auto">${msg(str`${name}'s page could not connect the screen: the Remote Help service did not send it the settings your organization requires. Ask them to reload the page.`)}</p>`;
  }

  /** The helper's Invite a colleague, once the sharer has joined (the relay refuses it before). */
  private renderInvite() {
    if (this.member !== 'helper' || this.session.ended) return nothing;
    return html`<rh-invite-colleague .link=${this.link} .sessionId=${this.sessionId} .status=${this.colleague}
      .sharerName=${this.trust?.peer.name ?? ''}></rh-invite-colleague>`;
  }

  /** End session for the helper; Leave for a colleague (the session goes on without them). */
  private renderEndButton() {
    return html`<div class="actions">
      <button type="button" class="danger" @click=${() => void this.session.end()}>${this.member === 'colleague' ? msg('Leave') : msg('End session')}</button>
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
    'rh-accept-failed': CustomEvent<WireError>;
    'rh-handed-over': CustomEvent<{ sessionId: string | undefined }>;
  }
}
