// What both session views do the same way around their own steps: listen to the link (through a
// LinkController), resume after the transport comes back, wire the chat, and end — at the relay, on a
// terminal state, or when the relay says so. The views keep what differs (creating or joining,
// consent, media) and are told about trust, state and signals of their session while it is live.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import { isTerminal, type SessionRole } from '#protocol/models.js';
import type { ColleagueStatus } from '#protocol/colleague.js';
import type { SessionReceipt } from '#protocol/receipt.js';
import type { PeerStatus, SessionEnded, SessionResumed, SessionStateChange, Signal, TrustInfo } from '#protocol/relay-events.js';
import type { Chat } from './chat.js';
import { formatTimeOfDay } from './i18n/format.js';
import { LinkController, type LinkHost } from './link-controller.js';
import './chat.js';
import './policy-refusal.js';
import './session-ended.js';

export interface SessionHost extends LinkHost, HTMLElement {
  /** The last failed request, with the rule and remedy when policy refused it. */
  error: WireError | undefined;
  /** Who is on the other end, once known. */
  readonly trust: TrustInfo | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** False when the view shows the peer's absence itself (the helper, over the last frame). */
  readonly showsPeerAway?: boolean;
}


export interface SessionHooks {
  role: SessionRole;
  trust?(t: TrustInfo): void;
  /** A state of a live session that does not end it (live, or as a resume answered it). */
  state?(s: SessionStateChange): void;
  /** `from`: whose peer connection the signal is for (the sharer has one per helper: 'helper' or
   * 'colleague'); absent from a relay that did not say, which means the helper. */
  signal(s: Signal, from?: SessionRole): void;
  /** The invited colleague's standing changed, or a resume answered it (issue 13, point 5). */
  colleague?(c: ColleagueStatus): void;
  /** The session is over on this side: show the end, let go of the media. Called once. */
  finished(e: SessionEnded): void;
  /** The other member went away, came back, paused or resumed sharing. */
  peer?(p: PeerStatus): void;
  /** The relay answered a resume (after a reload or a reconnect): the state, the pause, the peer. */
  resumed?(r: SessionResumed): void;
  /** On resume: whether this side has no working media connection any more (the sharer offers anew). */
  needsMediaRestart?(): boolean;
  /** Names the end's words need beyond the peer's (issue 13, point 5): the colleague the session was
   * handed over to, and for a colleague the helper who invited them (their peer is the sharer). */
  endNames?(): { colleagueName?: string | undefined; helperName?: string | undefined };
}

/** How the other side learns a terminal state, as this side shows it. */
const endOf: Partial<Record<SessionStateChange['state'], Pick<SessionEnded, 'by' | 'reason'>>> = {
  denied: { by: 'sharer', reason: 'denied' },
  expired: { by: 'relay', reason: 'expired' },
  refused: { by: 'relay', reason: 'refused' },
};

/** The relay no longer has the session live: nothing to end or resume there. */
export const gone = (e: WireError): boolean => e.code === 'session-ended' || e.code === 'not-found';

/** A LinkController that also knows what the events mean for the session's view.
 * @fires rh-ended (detail: SessionEnded), from the host */
export class SessionController extends LinkController {
  /** Set once the session is over; the host shows it. */
  ended: SessionEnded | undefined;
  /** The sharer's receipt of the ended session (it follows session:ended, whichever side ended first). */
  receipt: SessionReceipt | undefined;
  private readonly view: SessionHost;
  private readonly hooks: SessionHooks;
  /** The other member's presence, as the relay last told it. */
  peer: PeerStatus | undefined;
  /** The view's one polite live region says this (the last state change, in words). */
  announcement = '';
  private disconnected = false;
  private resumeDue = false;

  constructor(host: SessionHost, hooks: SessionHooks) {
    super(host);
    this.view = host;
    this.hooks = hooks;
    this.handlers = {
      'session:trust': (t) => {
        if (!this.ended) hooks.trust?.(t);
      },
      'session:state': (s) => this.onState(s),
      signal: (m) => {
        if (!this.ended) hooks.signal(m.signal, m.from);
      },
      'session:colleague': (c) => {
        if (!this.ended && c.sessionId === this.view.sessionId) hooks.colleague?.(c);
      },
      'chat:message': (m) => this.chat?.receive(m),
      'session:ended': (e) => this.finish(e),
      'session:receipt': (r) => {
        this.receipt = r;
        this.view.requestUpdate();
      },
      'session:peer': (p) => this.onPeer(p),
      connection: ({ connected }) => void this.onConnection(connected),
    };
    host.addController(this);
  }

  /** "Connection lost" is worth saying while there is a session to lose: the helper's view is one from
   * its first moment (even getting a code needs the relay), the sharer's only once joined. */
  get reconnecting(): boolean {
    return this.disconnected && !this.ended && (this.hooks.role === 'helper' || this.view.sessionId !== undefined);
  }

  /** Chat off for the tenant: no chat at all, not even an empty log. */
  get chatOn(): boolean {
    return this.view.trust?.chatEnabled !== false;
  }

  get chat(): Chat | null {
    return this.view.renderRoot.querySelector('rh-chat');
  }

  /** Moves focus to where the person's attention must go next (the element matching `selector` in the
   * view, through its focusOutcome() when it has one), once the view has rendered. `onlyIfLost`: for a
   * change the other side made (it joined, it allowed), which moves the focus only when the new view took
   * away the control it was on (it is then on the page itself). */
  async focusOn(selector: string, opts: { onlyIfLost?: boolean } = {}): Promise<void> {
    await this.view.updateComplete;
    if (opts.onlyIfLost && document.activeElement && document.activeElement !== document.body) return;
    const el = this.view.renderRoot.querySelector<HTMLElement & { focusOutcome?: () => void }>(selector);
    if (el?.focusOutcome) el.focusOutcome();
    else el?.focus();
  }

  /** Says a state change to screen readers, through the view's one polite live region. */
  announce(text: string): void {
    this.announcement = text;
    this.view.requestUpdate();
  }

  /** The one polite live region of the view: every state change is said here, nowhere else. */
  renderLiveRegion() {
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
  }

  finish(e: SessionEnded): void {
    if (this.ended) return;
    this.announce(msg('The session has ended.'));
    this.ended = e;
    this.hooks.finished(e);
    this.view.requestUpdate();
    this.view.dispatchEvent(new CustomEvent('rh-ended', { detail: e, bubbles: true, composed: true }));
  }

  /** Ends the session at the relay. The view ends once the relay agreed (or had ended it already);
   * with `regardless` it ends even when the relay could not be told (the relay notices the socket). */
  async end(regardless = false): Promise<void> {
    const link = this.view.link;
    const sessionId = this.view.sessionId;
    if (!link || !sessionId || this.ended) return;
    const res = await link.request('session:end', { sessionId });
    const failed = !res.ok && !gone(res.error);
    if (!res.ok && failed) this.view.error = res.error;
    if (!failed || regardless) this.finish({ sessionId, by: this.hooks.role, reason: 'ended' });
  }

  private onState(s: SessionStateChange): void {
    if (this.ended) return;
    const end = endOf[s.state];
    if (end) this.finish({ sessionId: s.sessionId, ...end });
    else if (!isTerminal(s.state)) this.hooks.state?.(s);
  }

  private onPeer(p: PeerStatus): void {
    if (this.ended) return;
    // The helper and a colleague follow the sharer; the sharer the helper (a colleague's presence comes
    // in session:colleague). Another member's status would be read under the wrong name.
    if (this.hooks.role === 'sharer' ? p.role !== 'helper' : p.role !== 'sharer') return;
    const before = this.peer;
    this.peer = p;
    const name = this.view.trust?.peer.name ?? '';
    if (!p.present && before?.present !== false) this.announce(`${msg('Waiting for the other person to come back.')} ${this.peerAwayText()}`);
    else if (p.present && before?.present === false) this.announce(msg(str`${name} is back.`));
    else if (p.role === 'sharer' && p.paused !== (before?.paused ?? false)) {
      this.announce(p.paused ? msg(str`${name} paused sharing.`) : msg(str`${name} is sharing again.`));
    }
    this.hooks.peer?.(p);
    this.view.requestUpdate();
  }

  private async onConnection(connected: boolean): Promise<void> {
    const was = this.reconnecting;
    this.disconnected = !connected;
    if (this.reconnecting) this.announce(msg('The connection to the service was lost. Trying again.'));
    else if (was) this.announce(msg('Connected again.'));
    this.view.requestUpdate();
    if (!connected) {
      this.resumeDue = true;
      return;
    }
    if (!this.resumeDue) return;
    this.resumeDue = false;
    await this.resume();
  }

  /**
   * Re-attaches to the session at the relay and brings the view up to date: after the transport came
   * back, or in a page reloaded in the middle of a session (the host knows its sessionId from the tab's
   * storage). The chat after what the view already has comes back in order, page after page; what the
   * relay no longer holds (a long chat's oldest messages) is said to be gone.
   */
  async resume(): Promise<void> {
    const link = this.view.link;
    const sessionId = this.view.sessionId;
    if (!link || !sessionId || this.ended) return;
    const res = await link.request('session:resume', {
      sessionId, afterSeq: this.chat?.lastSeq ?? 0, restartMedia: this.hooks.needsMediaRestart?.() ?? false,
    });
    if (!res.ok) {
      if (gone(res.error) || res.error.code === 'forbidden') this.finish({ sessionId, by: 'relay', reason: 'disconnected' });
      else this.view.error = res.error;
      return;
    }
    if (res.value.trust && !this.ended) this.hooks.trust?.(res.value.trust);
    this.onState({ sessionId, state: res.value.state });
    // Ended while away, by whoever: the relay's session:ended went to a socket that was gone.
    if (isTerminal(res.value.state)) this.finish({ sessionId, by: 'relay', reason: 'disconnected' });
    if (this.ended) return;
    if (res.value.peer) this.onPeer(res.value.peer);
    if (res.value.colleague) this.hooks.colleague?.(res.value.colleague);
    this.hooks.resumed?.(res.value);
    await this.view.updateComplete;
    await this.receiveHistory(sessionId, res.value);
  }

  /** The chat a resume answered, and the pages after it (the relay answers one page at a time). */
  private async receiveHistory(sessionId: string, page: SessionResumed): Promise<void> {
    // Bounded by what the relay holds for a session; the cap only stops a relay that never says "no more".
    for (let pages = 0; pages < 1000; pages++) {
      if (page.chatDroppedBefore) this.chat?.olderDropped(page.chatDroppedBefore);
      for (const m of page.messages) this.chat?.receive(m);
      const last = page.messages.at(-1);
      if (!page.moreChat || !last || this.ended || !this.view.link) return;
      const next = await this.view.link.request('session:resume', { sessionId, afterSeq: last.seq });
      if (!next.ok) return;
      page = next.value;
    }
  }

  /** Whether the other member is away (page reloaded or closed, connection dropped) right now. */
  get peerAway(): boolean {
    return !this.ended && this.peer !== undefined && !this.peer.present;
  }

  /** "Nils left the page…" while the other member is away, for the status line and the screen overlay. */
  peerAwayText(): string {
    const p = this.peer;
    if (!p || p.present) return '';
    const name = this.view.trust?.peer.name || (p.role === 'helper' ? msg('The helper') : msg('The person you are helping'));
    const until = p.graceEndsAt ? formatTimeOfDay(p.graceEndsAt) : '';
    const why = p.away === 'left'
      ? msg(str`${name} left the page (reloaded or closed it).`)
      : msg(str`The connection to ${name} dropped.`);
    return until ? `${why} ${msg(str`The session waits for them until ${until}.`)}` : why;
  }

  /** The live region, the connection banners and the last refusal, at the top of the view. */
  renderNotices() {
    const error = this.view.error;
    return html`${this.renderLiveRegion()}
      ${this.reconnecting ? html`<p class="connection-lost">${msg('Connection lost. Reconnecting…')}</p>` : nothing}
      ${this.peerAway && this.view.showsPeerAway !== false
        ? html`<div class="peer-away"><strong>${msg('Reconnecting…')}</strong> <span dir="auto">${this.peerAwayText()}</span></div>`
        : nothing}
      <rh-policy-refusal .error=${error} ?hidden=${!error}></rh-policy-refusal>`;
  }

  /** Always at the same place in the host's template, so the thread survives every change of view and
   * no message is dropped; read-only once the session is over. */
  renderChat() {
    if (!this.chatOn) return nothing;
    const link = this.view.link;
    const sessionId = this.view.sessionId ?? '';
    return html`<rh-chat
      ?disabled=${this.ended !== undefined}
      .self=${this.hooks.role}
      .send=${link ? (req: { clientId: string; text: string }) => link.request('chat:send', { sessionId, ...req }) : undefined}
    ></rh-chat>`;
  }

  renderEnded() {
    const names = this.hooks.endNames?.() ?? {};
    return html`<rh-session-ended .ended=${this.ended} .self=${this.hooks.role} .peerName=${this.view.trust?.peer.name}
      .colleagueName=${names.colleagueName} .helperName=${names.helperName}
      .receipt=${this.receipt}></rh-session-ended>`;
  }
}
