// One of the sharer's peer connections, with what the page shows of it: whose it is (the helper's, or
// the invited colleague's: issue 13, point 5), its Verification code, and whether it broke. The sharer
// has one per helper; the colleague's becomes the helper's at hand-over, so `to` (where its signals
// go) can change while the connection itself, and the picture on it, go on.
import type { WireError } from '#protocol/ack.js';
import type { AckOf, Signal } from '#protocol/relay-events.js';
import type { SessionLink } from '#protocol/session-link.js';
import { iceConfigFor, iceFailure } from './ice-config.js';
import { createSharerPeer, type SharerPeer } from './sharer-peer.js';
import type { Verification } from './verification.js';

/** The member on the other end of one of the sharer's connections. */
export type SharerTarget = 'helper' | 'colleague';

export interface SharerConnectionOptions {
  link: SessionLink;
  sessionId: string;
  to: SharerTarget;
  /** The picture to send from the first offer on; none: the connection carries only the code. */
  stream?: MediaStream;
  /** The member's commit for this connection (CommitBox.take): the offer waits for it. */
  commit: Promise<string>;
  /** Something the page shows changed: the code, broken, the ICE refusal, or a broken commitment. */
  onChange: (connection: SharerConnection) => void;
}

export class SharerConnection {
  /** Where its signals go: the colleague's connection goes `to: 'helper'` once the session is theirs. */
  to: SharerTarget;
  /** "123 456" once both descriptions are set. */
  verification: Verification | undefined;
  /** The answer's certificate is not the one the member committed to: someone is in between. No code
   * is shown and nothing is sent on this connection (it is closed). */
  mismatch = false;
  /** Failed or closed under us (a long network drop), or never made: a new one is needed to share. */
  broken = false;
  /** Why it was never made: the relay gave no ICE configuration (fail closed, ice-config.ts). */
  iceError: WireError | undefined;
  /** Let go (close()): it no longer speaks to the other page. */
  private closed = false;
  /** Told of every change; whoever owns the connection now (the colleague's owner hands it to the helper's). */
  onChange: (connection: SharerConnection) => void;
  private readonly peer: SharerPeer;

  constructor(opts: SharerConnectionOptions) {
    const { link, sessionId } = opts;
    this.to = opts.to;
    this.onChange = opts.onChange;
    const configuration = iceConfigFor(link, sessionId);
    // The other member's page is told why no picture comes (best effort: a relay that gave no ICE
    // configuration may not take this either; their page then keeps saying it is connecting).
    // Not for a connection already let go (a new one replaced it while its ICE asks were failing): the
    // helper's page would say no picture comes beside the new connection's picture.
    const tellFailed = (failed: 'ice-unavailable' | 'verification-mismatch'): void => {
      if (!this.closed) void this.send(link, sessionId, { failed }).catch(() => undefined);
    };
    this.peer = createSharerPeer({
      sessionId,
      ...(opts.stream ? { stream: opts.stream } : {}),
      configuration,
      commit: opts.commit,
      onMismatch: () => {
        this.mismatch = true;
        this.verification = undefined;
        this.onChange(this);
        tellFailed('verification-mismatch');
      },
      sendSignal: (signal) => this.send(link, sessionId, signal),
      onConnectionState: (state) => {
        this.broken = state === 'failed' || state === 'closed';
        this.onChange(this);
      },
      onVerification: (code) => {
        this.verification = code;
        this.onChange(this);
      },
    });
    configuration.catch((error: unknown) => {
      this.broken = true;
      this.iceError = iceFailure(error);
      this.onChange(this);
      tellFailed('ice-unavailable');
    });
    void this.peer.start();
  }

  /** A signal to the member on the other end; the helper's go without `to`, as before there were two connections. */
  private send(link: SessionLink, sessionId: string, signal: Signal): Promise<AckOf<'signal:send'>> {
    return link.request('signal:send', this.to === 'helper' ? { sessionId, signal } : { sessionId, signal, to: this.to });
  }

  handleSignal(signal: Signal): Promise<void> {
    return this.peer.handleSignal(signal);
  }

  /** See SharerPeer.share: false when there is no connection to share on (make a new one). */
  share(stream: MediaStream): Promise<boolean> {
    return this.peer.share(stream);
  }

  replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    return this.peer.replaceTrack(track);
  }

  close(): void {
    this.closed = true;
    this.peer.close();
  }
}
