// The helper's end of the connection: answers the sharer's offers receive-only and hands over the
// stream. The first offer comes at join (a data channel only: the Verification code); after Allow the
// sharer offers again on the same connection with its screen added.
import type { Signal } from '#protocol/relay-events.js';
import { fingerprintOf } from '#protocol/verification-code.js';
import { signalApplier, trickleCandidates, type SendSignal } from './signals.js';
import { negotiatedChannel, verificationOf, type Verification } from './verification.js';

export interface HelperPeer {
  handleSignal(signal: Signal): Promise<void>;
  /** Whether an offer is for this connection (a renegotiation: the sharer's certificate is the same)
   * rather than for a new one (the sharer's page made a new connection: another certificate). */
  isRenegotiation(offerSdp: string): boolean;
  close(): void;
}

export interface HelperPeerOptions {
  sessionId: string;
  /** The ICE servers and policy, asked of the relay as the first offer arrives (rtc/ice-config.ts). */
  configuration: Promise<RTCConfiguration>;
  sendSignal: SendSignal;
  onStream: (stream: MediaStream) => void;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
  /** The Verification code of this connection, once both descriptions are set. */
  onVerification?: (v: Verification) => void;
}

/** Returns at once; the connection is built when its configuration has come, and the signals that
 * arrive meanwhile are applied after, in their order. */
export function createHelperPeer(opts: HelperPeerOptions): HelperPeer {
  let closed = false;
  /** The sharer's fingerprint in the first offer this connection took. */
  let sharerFingerprint: string | undefined;
  const ready = opts.configuration.then((configuration) => {
    if (closed) return undefined;
    const pc = new RTCPeerConnection(configuration);
    pc.addEventListener('connectionstatechange', () => opts.onConnectionState?.(pc.connectionState));
    pc.addEventListener('track', (e) => opts.onStream(e.streams[0] ?? new MediaStream([e.track])));
    trickleCandidates(pc, opts.sendSignal);
    negotiatedChannel(pc);
    const apply = signalApplier(pc, async (d) => {
      if (d.type !== 'offer' || pc.signalingState !== 'stable') return;
      await pc.setRemoteDescription(d);
      // Nothing flows from the helper: every transceiver the offer made is receive-only.
      for (const t of pc.getTransceivers()) t.direction = 'recvonly';
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      const local = pc.localDescription;
      if (local) await opts.sendSignal({ description: { type: 'answer', sdp: local.sdp } });
      const v = await verificationOf(pc, opts.sessionId, 'helper');
      if (v && !closed) opts.onVerification?.(v);
    });
    return { pc, apply };
  });
  return {
    handleSignal: (signal) => {
      if ('description' in signal && signal.description.type === 'offer') sharerFingerprint ??= fingerprintOf(signal.description.sdp);
      return ready.then((p) => p?.apply(signal));
    },
    isRenegotiation: (offerSdp) => {
      const f = fingerprintOf(offerSdp);
      return f !== undefined && f === sharerFingerprint;
    },
    close: () => {
      closed = true;
      void ready.then((p) => p?.pc.close());
    },
  };
}
