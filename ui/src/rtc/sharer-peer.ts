// The sharer's end of the connection. It is opened at join, before consent, with one negotiated data
// channel and no media, so both pages can show the Verification code (DTLS fingerprints, protocol/
// verification-code.ts) while the sharer decides. Allow then adds one send-only video transceiver to this
// same connection and offers again. Nothing comes back: no remote tracks, no channel the helper opens.
// The first offer waits for the other side's commit to its certificate, and every answer must keep it
// (protocol/verification-code.ts): an answer that does not is a certificate put in between; the
// connection is closed before DTLS runs with it, and the page is told (no code, no picture).
import type { Signal } from '#protocol/relay-events.js';
import { answerKeepsCommit } from '#protocol/verification-code.js';
import { signalApplier, trickleCandidates, type SendSignal } from './signals.js';
import { negotiatedChannel, verificationOf, type Verification } from './verification.js';

export interface SharerPeer {
  /** Creates and sends the first offer. The peer exists before, so an early answer is never lost. */
  start(): Promise<void>;
  handleSignal(signal: Signal): Promise<void>;
  /** Sends `stream`'s picture: on the video transceiver there is (no new offer), or on a new one added to
   * this connection (a new offer on the same connection: the code stays). False when this peer has no
   * connection (the relay gave no ICE configuration): the caller makes a new one. */
  share(stream: MediaStream): Promise<boolean>;
  /** Sends another track (another screen or window) without a new offer, or nothing at all (null:
   * paused, the helper's picture stays on the last frame). */
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
  close(): void;
}

export interface SharerPeerOptions {
  sessionId: string;
  /** The picture to send from the first offer on (a connection made again while sharing); none at join. */
  stream?: MediaStream;
  /** The ICE servers and policy, asked of the relay for this connection (rtc/ice-config.ts). */
  configuration: Promise<RTCConfiguration>;
  sendSignal: SendSignal;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
  /** The Verification code of this connection, once both descriptions are set. */
  onVerification?: (v: Verification) => void;
  /** The other side's commit to its certificate (rtc/commit-box.ts): the first offer waits for it. */
  commit: Promise<string>;
  /** An answer's fingerprint is not the one committed to: the connection is closed, nothing is sent. */
  onMismatch?: () => void;
}

/** Resolves when no offer is outstanding (or the connection closed): offers go one at a time. */
function whenStable(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (pc.signalingState !== 'stable' && pc.signalingState !== 'closed') return;
      pc.removeEventListener('signalingstatechange', check);
      resolve();
    };
    pc.addEventListener('signalingstatechange', check);
    check();
  });
}

/** Returns at once; the connection is built when its configuration has come, and every call made
 * meanwhile waits for it, in its order. */
export function createSharerPeer(opts: SharerPeerOptions): SharerPeer {
  let closed = false;
  let offers: Promise<void> = Promise.resolve();
  const ready = opts.configuration.then((configuration) => {
    if (closed) return undefined;
    const pc = new RTCPeerConnection(configuration);
    // Refuse anything the helper might try to open towards this page.
    pc.addEventListener('datachannel', (e) => e.channel.close());
    pc.addEventListener('connectionstatechange', () => opts.onConnectionState?.(pc.connectionState));
    trickleCandidates(pc, opts.sendSignal);
    negotiatedChannel(pc);
    if (opts.stream) addVideo(pc, opts.stream);
    const apply = signalApplier(pc, async (d) => {
      // The sharer always offers; an offer from the helper is ignored.
      if (d.type !== 'answer' || pc.signalingState !== 'have-local-offer') return;
      if (!(await answerKeepsCommit(d.sdp ?? '', await opts.commit))) {
        closed = true;
        pc.close();
        opts.onMismatch?.();
        return;
      }
      if (closed) return;
      await pc.setRemoteDescription(d);
      const v = await verificationOf(pc, opts.sessionId, 'sharer');
      if (v && !closed) opts.onVerification?.(v);
    });
    return { pc, apply };
    // No configuration from the relay: no connection at all (fail closed, rtc/ice-config.ts); the caller tells the person.
  }, () => undefined);

  /** One offer after the other: a renegotiation waits for the answer to the one before. */
  const offer = (): Promise<void> => {
    offers = offers.then(async () => {
      const p = await ready;
      if (!p || closed) return;
      // Not before the other side is bound to its certificate: then what it answers cannot depend on ours.
      await opts.commit;
      await whenStable(p.pc);
      if (closed || p.pc.signalingState === 'closed') return;
      await p.pc.setLocalDescription(await p.pc.createOffer());
      const local = p.pc.localDescription;
      if (local) await opts.sendSignal({ description: { type: 'offer', sdp: local.sdp } });
    }).catch(() => undefined);
    return offers;
  };

  return {
    start: offer,
    handleSignal: (signal) => ready.then((p) => p?.apply(signal)),
    share: async (stream) => {
      const p = await ready;
      if (!p || closed) return false;
      const track = stream.getVideoTracks()[0] ?? null;
      const video = p.pc.getTransceivers().find((t) => t.sender.track?.kind === 'video' || t.receiver.track.kind === 'video');
      if (video) {
        await video.sender.replaceTrack(track);
        return true;
      }
      addVideo(p.pc, stream);
      await offer();
      return true;
    },
    replaceTrack: async (track) => {
      const p = await ready;
      if (!p) return;
      for (const t of p.pc.getTransceivers()) if (t.receiver.track.kind === 'video') await t.sender.replaceTrack(track);
    },
    close: () => {
      closed = true;
      void ready.then((p) => p?.pc.close());
    },
  };
}

function addVideo(pc: RTCPeerConnection, stream: MediaStream): void {
  for (const track of stream.getVideoTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
}
