// The sharer's side of an invited colleague (issue 13, point 5): what the relay says of them
// (session:colleague, from `asking` on), their own peer connection (opened when they ask, so both pages
// show that connection's Verification code before the sharer decides), the sharer's Allow or Deny on
// them, the picture on their connection once allowed, and their connection becoming the helper's at
// hand-over. The sharer session view owns one and renders its card (colleague-card.ts).
import { msg, str } from '@lit/localize';
import type { WireError } from '#protocol/ack.js';
import type { ColleagueStatus } from '#protocol/colleague.js';
import type { Signal } from '#protocol/relay-events.js';
import type { SessionLink } from '#protocol/session-link.js';
import { CommitBox } from './rtc/commit-box.js';
import { SharerConnection } from './rtc/sharer-connection.js';
import { gone } from './session-controller.js';

export interface SharerColleagueHost {
  readonly link: SessionLink | undefined;
  readonly sessionId: string | undefined;
  /** Whether the session has ended on this side (nothing more is opened). */
  readonly over: boolean;
  /** The picture the helper gets now: undefined while not sharing or paused. */
  picture(): MediaStream | undefined;
  announce(text: string): void;
  requestUpdate(): void;
  /** A request about the colleague failed: shown as the view's refusal. */
  failed(error: WireError): void;
  /** The session was handed over: `connection` (the colleague's, going on) is the helper's from now on. */
  handedOver(connection: SharerConnection | undefined): void;
}

/** States in which the colleague has a connection of their own to the sharer. */
const connected = (s: ColleagueStatus['state']): boolean => s === 'asking' || s === 'allowed';

export class SharerColleague {
  /** The colleague while the sharer has something to show of them (asking or allowed); undefined otherwise. */
  status: ColleagueStatus | undefined;
  /** Their connection: the code while asking, the picture once allowed. */
  connection: SharerConnection | undefined;
  /** The colleague's commits to their next connection's certificate (the sharer's view moves them to the
   * helper's at hand-over). */
  commits = new CommitBox();
  /** A decision on them is being sent. */
  busy = false;

  constructor(private readonly host: SharerColleagueHost) {}

  /** The colleague's Verification code, once both descriptions of their connection are set. */
  get verification(): string | undefined {
    return this.connection?.verification;
  }

  /** Their connection answered with a certificate they had not committed to: someone is in between. */
  get verificationFailed(): boolean {
    return this.connection?.mismatch ?? false;
  }

  get allowed(): boolean {
    return this.status?.state === 'allowed';
  }

  /** The relay said where the colleague stands (pushed, or in a resume's answer). */
  update(c: ColleagueStatus): void {
    const before = this.status;
    const name = c.colleague.name;
    if (c.state === 'handed-over') {
      const connection = this.connection;
      this.connection = undefined;
      this.status = undefined;
      this.host.handedOver(connection);
      this.host.announce(msg(str`${name} is your helper now. ${c.invitedBy} left the session.`));
      this.host.requestUpdate();
      return;
    }
    if (!connected(c.state)) {
      // The sharer only hears of a colleague who accepted; an end of one it never saw says nothing.
      if (before) this.host.announce(this.goneText(c));
      this.close();
      this.status = undefined;
      this.host.requestUpdate();
      return;
    }
    this.status = c;
    // Back after being away: a new connection only when their page asks for one in its resume (reloaded,
    // or its connection broke: restartMedia, as the helper's); one that still works is kept, and so is
    // its Verification code. A commit from the page before is then for nothing: the new page sends its own.
    if (c.restartMedia === true) this.commits.drop();
    if (!this.connection || this.connection.broken || c.restartMedia === true) this.open();
    else if (c.state === 'allowed') void this.sendPicture(this.host.picture());
    if (before?.state !== c.state) {
      this.host.announce(c.state === 'asking'
        ? msg(str`${name}, invited by ${c.invitedBy}, also wants to see your screen. Choose Allow or Deny for them.`)
        : msg(str`${name} can see your screen too.`));
    } else if (before.present !== false && c.present === false) {
      this.host.announce(msg(str`${name} left the page or lost the connection.`));
    } else if (before.present === false && c.present !== false) {
      this.host.announce(msg(str`${name} is back.`));
    }
    this.host.requestUpdate();
  }

  /** The relay names no colleague any more (a resume's answer): whatever was shown of one goes. */
  none(): void {
    const before = this.status;
    if (!before) return;
    this.close();
    this.status = undefined;
    this.host.announce(msg(str`${before.colleague.name} left the session.`));
    this.host.requestUpdate();
  }

  /** A signal from the colleague's page, for their connection. */
  signal(signal: Signal): void {
    void this.connection?.handleSignal(signal);
  }

  /** Allow or Deny the colleague (session:consent with member 'colleague'). */
  async decide(allow: boolean): Promise<void> {
    const link = this.host.link;
    const sessionId = this.host.sessionId;
    const asking = this.status;
    if (!link || !sessionId || !asking || asking.state !== 'asking' || this.busy) return;
    if (allow && this.verificationFailed) return; // fail closed: their connection has someone in between
    this.busy = true;
    this.host.requestUpdate();
    const res = await link.request('session:consent', {
      sessionId, allow, member: 'colleague',
      colleague: { tenantId: asking.colleague.tenantId, userId: asking.colleague.userId, invitedAt: asking.invitedAt },
    });
    this.busy = false;
    if (!res.ok) {
      if (!gone(res.error)) this.host.failed(res.error);
      this.host.requestUpdate();
      return;
    }
    // The relay's session:colleague says the same; whichever comes first acts, the second changes nothing.
    if (this.status?.colleague.userId === asking.colleague.userId && this.status.state === 'asking') {
      this.update({ ...this.status, state: allow ? 'allowed' : 'denied' });
    }
  }

  /** The helper's picture changed (sharing started or resumed, another window): an allowed colleague
   * gets the same. Undefined: paused, nothing is sent. */
  async picture(stream: MediaStream | undefined): Promise<void> {
    if (!this.allowed || !this.connection) return;
    if (!stream) await this.connection.replaceTrack(null);
    else await this.sendPicture(stream);
  }

  /** Lets go of their connection (the session ended, or the colleague is out). */
  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  /** A new connection; with the picture when they are allowed to see it (the relay refuses media before). */
  private open(stream = this.allowed ? this.host.picture() : undefined): void {
    const link = this.host.link;
    const sessionId = this.host.sessionId;
    if (!link || !sessionId || this.host.over) return;
    this.connection?.close();
    const connection = new SharerConnection({
      link, sessionId, to: 'colleague', commit: this.commits.take(), ...(stream ? { stream } : {}),
      onChange: (c) => {
        if (c !== this.connection) return;
        if (c.iceError) this.host.failed(c.iceError);
        this.host.requestUpdate();
      },
    });
    this.connection = connection;
  }

  private async sendPicture(stream: MediaStream | undefined): Promise<void> {
    const connection = this.connection;
    if (!stream || !connection) return;
    if (!(await connection.share(stream)) && this.connection === connection) this.open(stream);
  }

  private goneText(c: ColleagueStatus): string {
    const name = c.colleague.name;
    switch (c.state) {
      case 'denied':
        return msg(str`You denied ${name}. They saw nothing of your screen.`);
      case 'withdrawn':
        return msg(str`${c.invitedBy} removed ${name} from the session.`);
      default:
        return msg(str`${name} left the session.`);
    }
  }
}
