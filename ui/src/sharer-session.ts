// The whole sharer side of one session over any SessionLink: code → who is asking, with the
// Verification code (the peer connection is opened at join, before consent) → Allow (pick a screen,
// share view-only, on that same connection), Deny, or Report (declines and tells the administrators) →
// chat → ended. The page never accepts input from the helper.
// Leaving the page is the transport's business (the page closes its link on pagehide, and the relay
// tells the helper the sharer left), so an explicit "End session" and a closed tab stay distinguishable.
// Only End session ends: Pause sharing stops the picture and keeps the session, and a page reloaded in
// the middle of a session comes back into it (`resumeFrom`), asking for the screen again.
// A colleague the helper invites (issue 13, point 5) gets a connection of their own and the sharer's
// own Allow or Deny (sharer-colleague.ts); the picture goes to both once allowed, and at hand-over the
// colleague's connection becomes the helper's.
import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import type { OrganizationLook } from '#protocol/policy.js';
import type { PeerStatus, SessionResumed, Signal, TrustInfo } from '#protocol/relay-events.js';
import type { SessionRole } from '#protocol/models.js';
import type { SessionLink } from '#protocol/session-link.js';
import { CommitBox } from './rtc/commit-box.js';
import { SharerConnection } from './rtc/sharer-connection.js';
import { SharerColleague } from './sharer-colleague.js';
import { forgetLiveSession, rememberLiveSession, type LiveSession } from './live-session.js';
import { isValidCode, normalizeCode } from './security-code-input.js';
import { gone, SessionController } from './session-controller.js';
import { baseStyles } from './shared-styles.js';
import './colleague-card.js';
import './person-card.js';
import './trust-card.js';
import './verification-code.js';

export type SharerPhase = 'enter-code' | 'joining' | 'resuming' | 'trust' | 'sharing' | 'ended';

/** @fires rh-ended (detail: SessionEnded) */
export class SharerSession extends LitElement {
  static override properties = {
    link: { attribute: false },
    code: { type: String },
    phase: { state: true },
    trust: { state: true },
    error: { state: true },
    codeProblem: { state: true },
    notice: { state: true },
    busy: { state: true },
    paused: { state: true },
    verification: { state: true },
    verificationFailed: { state: true },
    resumeFrom: { attribute: false },
    look: { attribute: false },
  };
  declare link: SessionLink | undefined;
  /** Pre-filled code (e.g. from ?passcode=); the user still chooses Connect. */
  declare code: string;
  declare phase: SharerPhase;
  declare trust: TrustInfo | undefined;
  /** The last failed request, with the rule and remedy when policy refused it. */
  declare error: WireError | undefined;
  declare codeProblem: boolean;
  declare notice: string | undefined;
  declare busy: boolean;
  /** Sharing is paused: the session goes on, no picture is sent. */
  declare paused: boolean;
  /** The Verification code of the peer connection there is ("123 456"), once both descriptions are set. */
  declare verification: string | undefined;
  /** The helper's connection answered with a certificate it had not committed to (someone in between):
   * no code, nothing sent on it, and Allow refused while it lasts. */
  declare verificationFailed: boolean;
  /** The session this tab was in before a reload: resumed instead of asking for a code. */
  declare resumeFrom: LiveSession | undefined;
  /** The organization's name and logo (the page's /auth/me), shown on the trust screen. */
  declare look: OrganizationLook | undefined;

  private readonly session: SessionController;
  /** The helper's connection. */
  private peer: SharerConnection | undefined;
  /** The helper's commits to their next connection's certificate (their connection offers only with one). */
  private commits = new CommitBox();
  /** The invited colleague, from the moment they ask to see the screen. */
  private readonly colleague: SharerColleague;
  private stream: MediaStream | undefined;
  private resumeStarted = false;
  /** The peer connection failed or closed under us (a long network drop): offered anew on resume. */
  private mediaBroken = false;

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .layout { display: grid; gap: var(--rh-space-4, 1rem); max-inline-size: 40rem; }
      .main { display: grid; gap: var(--rh-space-3, 0.75rem); }
      .main > *, rh-trust-card > p { margin-block: 0; }
      .card > * + * { margin-block-start: var(--rh-space-3, 0.75rem); }
      .entry form { display: grid; gap: var(--rh-space-1, 0.25rem); }
      .entry label { font-weight: var(--rh-weight-strong, 600); }
      .entry .row { display: flex; flex-wrap: wrap; gap: var(--rh-space-2, 0.5rem); align-items: stretch; }
      /* A code is Latin letters and digits, read left to right in every language. */
      input#code {
        font-family: var(--rh-font-mono, ui-monospace, monospace); font-size: var(--rh-text-lg, 1.25rem); letter-spacing: 0.1em;
        inline-size: 12ch; direction: ltr; unicode-bidi: isolate; text-align: start;
      }
      .hint { margin: 0; }
      .sharing-banner { font-weight: var(--rh-weight-strong, 600); color: var(--rh-color-success); font-size: var(--rh-text-lg, 1.25rem); }
      .paused-banner { font-weight: var(--rh-weight-strong, 600); color: var(--rh-color-warning); font-size: var(--rh-text-lg, 1.25rem); }
      .caution {
        background: var(--rh-color-warning-subtle); border-inline-start: 4px solid var(--rh-color-warning);
        border-radius: var(--rh-radius-sm, 4px); padding-block: var(--rh-space-2, 0.5rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      .helper-card {
        justify-self: start; display: grid; gap: var(--rh-space-1, 0.25rem); max-inline-size: 32em;
        border: 1px solid var(--rh-color-border-subtle); border-radius: var(--rh-radius-md, 8px); padding: var(--rh-space-3, 0.75rem);
      }
      .helper-label { font-size: var(--rh-text-sm, 0.875rem); color: var(--rh-color-text-muted); }
      .connection-lost, .peer-away {
        margin: 0; background: var(--rh-color-warning-subtle); border-inline-start: 4px solid var(--rh-color-warning);
        border-radius: var(--rh-radius-sm, 4px); padding-block: var(--rh-space-2, 0.5rem); padding-inline: var(--rh-space-3, 0.75rem);
      }
      @media (forced-colors: active) {
        .caution, .connection-lost, .peer-away { border-inline-start-color: CanvasText; }
        .helper-card { border-color: CanvasText; }
      }
      h2:focus:not(:focus-visible), p:focus:not(:focus-visible) { outline: none; }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    // Getters: the colleague reads the view's link, session and end as they are at each moment.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const view = this;
    this.colleague = new SharerColleague({
      get link() { return view.link; },
      get sessionId() { return view.sessionId; },
      get over() { return view.session.ended !== undefined; },
      picture: () => (this.phase === 'sharing' && !this.paused ? this.stream : undefined),
      announce: (text) => this.session.announce(text),
      requestUpdate: () => this.requestUpdate(),
      failed: (error) => (this.error = error),
      handedOver: (connection) => this.handedOver(connection),
    });
    this.session = new SessionController(this, {
      role: 'sharer',
      signal: (signal, from) => this.onSignal(signal, from),
      trust: (t) => (this.trust = t),
      colleague: (c) => {
        const asked = this.colleague.status?.state === 'asking';
        this.colleague.update(c);
        // A new question: to it, unless the person is busy with a control (typing in the chat).
        if (!asked && this.colleague.status?.state === 'asking') void this.session.focusOn('rh-colleague-card', { onlyIfLost: true });
      },
      peer: (p) => this.onPeer(p),
      resumed: (r) => {
        // The session was handed over to the colleague while this page was away (the push went to a
        // socket that was gone): the resume names them as the helper. Their connection is the helper's now.
        const was = this.colleague.status;
        if (!r.colleague && was?.state === 'allowed' && r.trust?.peer.userId === was.colleague.userId) this.colleague.update({ ...was, state: 'handed-over' });
        // Gone while this page was away (withdrawn, left): the resume no longer names them.
        else if (!r.colleague) this.colleague.none();
        void this.onResumed(r);
      },
      needsMediaRestart: () => !this.peer || this.mediaBroken,
      finished: () => {
        forgetLiveSession('sharer');
        this.stopMedia();
        this.phase = 'ended';
        void this.session.focusOn('rh-session-ended');
      },
    });
    this.code = '';
    this.phase = 'enter-code';
    this.codeProblem = false;
    this.busy = false;
    this.paused = false;
    this.verificationFailed = false;
  }

  get sessionId(): string | undefined {
    return this.trust?.sessionId ?? this.resumeFrom?.sessionId;
  }

  protected override updated(): void {
    // A reloaded page: back into its session as soon as there is a link to ask over.
    if (this.resumeFrom && this.link && !this.resumeStarted) {
      this.resumeStarted = true;
      this.phase = 'resuming';
      void this.session.resume();
    }
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
      void this.session.focusOn('#code');
      return;
    }
    this.trust = res.value;
    rememberLiveSession('sharer', { sessionId: res.value.sessionId, code });
    this.phase = 'trust';
    this.openPeer();
    this.session.announce(msg(str`${res.value.peer.name} wants to see your screen. Choose Allow or Deny.`));
    void this.session.focusOn('rh-trust-card');
  }

  private async allow(): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy) return;
    // Fail closed: a connection someone sits in the middle of gets no picture.
    if (this.verificationFailed) {
      this.notice = verificationFailedText();
      return;
    }
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
    this.phase = 'sharing';
    this.session.announce(msg('Sharing started: the helper can see your screen.'));
    await this.share(stream);
    void this.session.focusOn('.sharing-banner');
  }

  /** Sends `stream` to the helper: on the peer connection there is (opened at join: the screen is added
   * to it), or on a new one (after a reload, after the helper came back without media). The browser's
   * own "Stop sharing" pauses. */
  private async share(stream: MediaStream): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId) return;
    if (this.stream && this.stream !== stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = stream;
    for (const track of stream.getVideoTracks()) {
      track.addEventListener('ended', () => {
        if (this.stream !== stream || this.session.ended) return;
        void this.pause(msg('You stopped sharing from the browser. Choose Resume sharing to pick a screen again, or End session.'));
      });
    }
    // An allowed colleague gets the same picture, on their own connection.
    void this.colleague.picture(stream);
    // A peer left without a connection (its ICE ask failed while Allow was pressed) shares nothing: a new one.
    if (!this.peer || this.mediaBroken || !(await this.peer.share(stream))) this.openPeer(stream);
  }

  /** A new peer connection, sending `stream` from its first offer when given. Its Verification code is
   * new too: shown on the trust screen, or in the sharing view once sharing started. */
  private openPeer(stream?: MediaStream): void {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.session.ended) return;
    this.peer?.close();
    this.mediaBroken = false;
    this.verification = undefined;
    this.verificationFailed = false;
    if (this.error?.code === 'ice-unavailable') this.error = undefined;
    this.peer = new SharerConnection({
      link, sessionId, to: 'helper', commit: this.commits.take(), ...(stream ? { stream } : {}), onChange: (c) => this.onConnectionChange(c),
    });
  }

  /** The helper's connection set its code, broke, or was never made (no ICE configuration: fail closed,
   * said, and a later restart asks again). */
  private onConnectionChange(c: SharerConnection): void {
    if (this.peer !== c) return;
    this.verification = c.verification;
    this.verificationFailed = c.mismatch;
    this.mediaBroken = c.broken;
    if (c.iceError) {
      this.peer = undefined;
      this.error = c.iceError;
    }
  }

  /** A signal for one of the sharer's connections: the colleague's, or (from a relay that did not say
   * whose) the helper's. */
  private onSignal(signal: Signal, from?: SessionRole): void {
    if ('commit' in signal) (from === 'colleague' ? this.colleague.commits : this.commits).put(signal.commit);
    else if (from === 'colleague') this.colleague.signal(signal);
    else void this.peer?.handleSignal(signal);
  }

  /** The colleague is the helper now (session:trust names them): their connection, and the picture on it,
   * go on as the helper's; the former helper's connection closes. */
  private handedOver(connection: SharerConnection | undefined): void {
    // The former helper's presence is theirs (away, say): the new one is there (the relay hands over
    // only to a colleague who is).
    this.session.peer = undefined;
    this.peer?.close();
    this.peer = connection;
    // Their commits come as the helper's from now on; one they sent for a next connection stays good.
    this.commits = this.colleague.commits;
    this.colleague.commits = new CommitBox();
    this.verification = connection?.verification;
    this.verificationFailed = connection?.mismatch ?? false;
    this.mediaBroken = !connection || connection.broken;
    if (connection) {
      connection.to = 'helper';
      connection.onChange = (c) => this.onConnectionChange(c);
    }
  }

  /** A new peer connection (the old one failed, or the helper lost it): on the trust screen for the code,
   * while sharing with the stream there is (none while paused: Resume sharing adds it). */
  private restartMedia(): void {
    this.peer?.close();
    this.peer = undefined;
    if (this.phase === 'trust') this.openPeer();
    else if (this.phase === 'sharing') this.openPeer(this.stream && !this.paused ? this.stream : undefined);
  }

  /** Stops sending the picture, keeps the session (the helper is told by the relay). */
  private async pause(notice?: string): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.session.ended) return;
    // Stop the picture first: the person expects it gone the moment they choose Pause.
    await Promise.all([this.peer?.replaceTrack(null), this.colleague.picture(undefined)]);
    this.paused = true;
    this.notice = notice;
    this.session.announce(notice ? `${msg('Sharing paused.')} ${notice}` : msg('Sharing paused.'));
    const res = await link.request('session:pause', { sessionId, paused: true });
    if (!res.ok && !gone(res.error)) this.error = res.error;
    void this.session.focusOn('.paused-banner');
  }

  /** Sends the screen again; asks for one (the picker) when there is none any more. With `pick`, asks
   * for another screen or window even when the current one still runs. */
  private async resumeSharing(pick = false): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy || this.session.ended) return;
    this.busy = true;
    this.error = undefined;
    try {
      const live = this.stream?.getVideoTracks().some((t) => t.readyState === 'live');
      if (pick || !live) {
        let stream: MediaStream;
        try {
          stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
        } catch {
          this.notice = msg('No screen was chosen. Choose Resume sharing to pick one.');
          return;
        }
        await this.share(stream);
      } else if (this.peer && this.stream) {
        // On its transceiver, or added (a connection made while paused); a peer without a connection: a new one.
        void this.colleague.picture(this.stream);
        if (!(await this.peer.share(this.stream))) this.openPeer(this.stream);
      } else if (this.stream) {
        await this.share(this.stream); // the helper lost its connection while paused: a new one
      }
      if (this.paused) {
        const res = await link.request('session:pause', { sessionId, paused: false });
        if (!res.ok && !gone(res.error)) this.error = res.error;
      }
      this.paused = false;
      this.notice = undefined;
      this.session.announce(msg('Sharing again: the helper can see your screen.'));
      void this.session.focusOn('.sharing-banner');
    } finally {
      this.busy = false;
    }
  }

  /** The helper came back without a media connection (reloaded): offer the screen on a new one. */
  private onPeer(p: PeerStatus): void {
    if (p.role !== 'helper' || !p.present || !p.restartMedia) return;
    // Their page lost its connection or was reloaded: a commit it sent before is for nothing now; the
    // next one (sent once it is back, after this) is for the new connection.
    this.commits.drop();
    this.restartMedia();
  }

  /** Back in the session after a reload: the trust screen again, or the sharing view asking for the screen. */
  private async onResumed(r: SessionResumed): Promise<void> {
    if (r.state === 'joined') {
      this.phase = 'trust';
      if (!this.peer || this.mediaBroken) this.openPeer();
      void this.session.focusOn('rh-trust-card');
      return;
    }
    if (r.state !== 'sharing') return;
    this.phase = 'sharing';
    this.paused = r.paused ?? false;
    if (this.stream) {
      if (this.mediaBroken) this.restartMedia();
      return;
    }
    if (this.paused) {
      this.openPeer(); // no picture yet, but the code of the new connection for the side panel
      return;
    }
    // The picture went with the old page. Browsers that allow it open the picker at once; others need
    // a click, so the session waits paused with Resume sharing.
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      if (this.session.ended) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      await this.share(stream);
    } catch {
      if (!this.peer) this.openPeer();
      await this.pause(msg('The page was reloaded. Choose Resume sharing to show your screen again.'));
    }
  }

  /** Deny, or Report ("I didn't expect this"): declines the same way, and the administrators are told. */
  private async deny(report = false): Promise<void> {
    const link = this.link;
    const sessionId = this.sessionId;
    if (!link || !sessionId || this.busy) return;
    this.busy = true;
    const res = await link.request('session:consent', report ? { sessionId, allow: false, report: true } : { sessionId, allow: false });
    this.busy = false;
    if (!res.ok && !gone(res.error)) {
      this.error = res.error;
      return;
    }
    this.session.finish({ sessionId, by: 'sharer', reason: report ? 'reported' : 'denied' });
  }

  /** Stops sharing first, whatever the relay answers: the relay notices a sharer that is gone. */
  // (Only End session comes here: pausing and the browser's own Stop sharing keep the session.)
  private async endSession(): Promise<void> {
    if (this.session.ended) return;
    this.stopMedia();
    await this.session.end(true);
  }

  private stopMedia(): void {
    this.colleague.close();
    this.peer?.close();
    this.peer = undefined;
    this.verification = undefined;
    this.verificationFailed = false;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = undefined;
  }

  override render() {
    const showChat = this.session.chatOn && (this.phase === 'sharing' || (this.phase === 'ended' && this.session.ended?.reason !== 'denied' && this.session.ended?.reason !== 'reported'));
    return html`<div class="layout">
      ${this.session.renderNotices()}
      ${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}
      <div class="main">${this.renderPhase()}</div>
      <div class="side" ?hidden=${!showChat}>${this.session.renderChat()}</div>
    </div>`;
  }

  private renderPhase() {
    const name = this.trust?.peer.name ?? '';
    switch (this.phase) {
      case 'resuming':
        return html`<p>${msg('Getting back into your session…')}</p>`;
      case 'enter-code':
      case 'joining':
        return html`<section class="card entry">
          <form @submit=${this.connect} novalidate>
            <label for="code">${msg('Security code')}</label>
            <div class="row">
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
            </div>
          </form>
          <p id="code-hint" class=${this.codeProblem ? 'error' : 'hint'} role=${this.codeProblem ? 'alert' : nothing}>
            ${this.codeProblem
              ? msg('A security code is 8 letters and digits. Check it and try again.')
              : msg('Enter the 8-character code your helper gave you.')}
          </p>
          ${this.error?.attemptsLeft !== undefined
            ? html`<p class="attempts">${this.error.attemptsLeft === 1
                ? msg('1 attempt left before you have to wait.')
                : msg(str`${this.error.attemptsLeft} attempts left before you have to wait.`)}</p>`
            : nothing}
          </section>`;
      case 'trust':
        return html`<rh-trust-card
            decide
            .busy=${this.busy}
            .person=${this.trust?.peer}
            .permission=${this.trust?.permission ?? 'view-screen'}
            .purpose=${this.trust}
            .sessionId=${this.sessionId}
            .heading=${msg('Someone wants to see your screen')}
            .organizationName=${this.look?.name}
            .organizationLogo=${this.look?.logo}
            @rh-allow=${() => void this.allow()}
            @rh-deny=${() => void this.deny()}
            @rh-report=${() => void this.deny(true)}
          >
            <p dir="auto">${msg(str`Allow ${name} to see your screen? They can only view it; they cannot control your device.`)}</p>
            <p class="caution">${msg('Allow only someone you expected to help you. They will see everything on the screen or window you share, including messages and notifications that appear on it.')}</p>
            <rh-verification-code .code=${this.verification} .failed=${this.verificationFailed} .side=${'sharer'}></rh-verification-code>
            <p>${msg("Not expecting this? Choose Report: the request is declined and your organization's administrators are told.")}</p>
          </rh-trust-card>
          ${this.renderColleague()}`;
      case 'sharing':
        return html`${this.colleague.status?.state === 'asking' ? this.renderColleague() : nothing}
          <section class="card sharing">${this.paused
            ? html`<p class="paused-banner" tabindex="-1">${msg('Sharing is paused')}</p>
                <p dir="auto">${msg(str`${name} no longer sees your screen. The session goes on: you can still chat.`)}</p>`
            : html`<p class="sharing-banner" tabindex="-1">${msg('You are sharing your screen')}</p>
                <p dir="auto">${msg(str`${name} can see your screen. They cannot control it.`)}</p>`}
          <div class="helper-card">
            <span class="helper-label">${msg('Seeing your screen:')}</span>
            <rh-person-card compact .person=${this.trust?.peer}></rh-person-card>
            <rh-verification-code .code=${this.verification} .failed=${this.verificationFailed}></rh-verification-code>
          </div>
          ${this.colleague.status?.state === 'allowed' ? this.renderColleague() : nothing}
          <div class="actions">
            ${this.paused
              ? html`<button class="primary" ?disabled=${this.busy} @click=${() => void this.resumeSharing()}>${msg('Resume sharing')}</button>`
              : html`<button ?disabled=${this.busy} @click=${() => void this.pause()}>${msg('Pause sharing')}</button>`}
            <button ?disabled=${this.busy} @click=${() => void this.resumeSharing(true)}>${msg('Share another screen or window')}</button>
            <button class="danger" @click=${() => void this.endSession()}>${msg('End session')}</button>
          </div></section>`;
      case 'ended':
        return this.session.renderEnded();
    }
  }

  /** Allow or Deny on the colleague; the buttons go with the question, so the focus goes back to the
   * view (the sharing banner, or the helper's trust card) instead of being lost. */
  private async decideColleague(allow: boolean): Promise<void> {
    await this.colleague.decide(allow);
    if (this.colleague.status?.state === 'asking') return; // refused: still asking, the buttons are there
    void this.session.focusOn(this.phase === 'sharing' ? (this.paused ? '.paused-banner' : '.sharing-banner') : 'rh-trust-card', { onlyIfLost: true });
  }

  /** The colleague's card: the question while they ask, a line with their code once allowed. */
  private renderColleague() {
    const c = this.colleague.status;
    if (!c) return nothing;
    return html`<rh-colleague-card
      .colleague=${c}
      .verification=${this.colleague.verification}
      .verificationFailed=${this.colleague.verificationFailed}
      .busy=${this.colleague.busy}
      .sharing=${this.phase === 'sharing' && !this.paused}
      @rh-colleague-allow=${() => void this.decideColleague(true)}
      @rh-colleague-deny=${() => void this.decideColleague(false)}
    ></rh-colleague-card>`;
  }
}

/** Said when Allow is chosen on a connection that failed its check (rh-verification-code says why). */
function verificationFailedText(): string {
  return msg('Your screen cannot be shared on this connection: it could not be verified. Choose Report or Deny.');
}

if (!customElements.get('rh-sharer-session')) customElements.define('rh-sharer-session', SharerSession);

declare global {
  interface HTMLElementTagNameMap {
    'rh-sharer-session': SharerSession;
  }
}
