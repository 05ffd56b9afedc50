// The helper's end of the connection: answers the sharer's offers receive-only and hands over the
// stream. The first offer comes at join (a data channel only: the Verification code); after Allow the
// sharer offers again on the same connection with its screen added.
// Its DTLS certificate is made first, one per connection, and the page sends the commit to it
// (`commit`, protocol/verification-code.ts) before the sharer offers: the sharer checks the answer
// against it, so a relay in between cannot choose its certificate after seeing the sharer's.
import type { Signal } from '#protocol/relay-events.js';
import { commitOf, fingerprintOf } from '#protocol/verification-code.js';
import { signalApplier, trickleCandidates, type SendSignal } from './signals.js';
import { negotiatedChannel, verificationOf, type Verification } from './verification.js';

export interface HelperPeer {
  handleSignal(signal: Signal): Promise<void>;
  /** Whether an offer is for this connection (a renegotiation: the sharer's certificate is the same)
   * rather than for a new one (the sharer's page made a new connection: another certificate). */
  isRenegotiation(offerSdp: string): boolean;
  /** The commit to this connection's certificate, to send to the sharer before its offer; undefined when
   * there is no connection (no ICE configuration, or no certificate could be made). */
  readonly commit: Promise<string | undefined>;
  close(): void;
}

export interface HelperPeerOptions {
  sessionId: string;
  /** The ICE servers and policy, asked of the relay as the first signal arrives (rtc/ice-config.ts): a
   * connection made ahead (its certificate committed to) asks only when used, so TURN credentials are fresh. */
  configuration: () => Promise<RTCConfiguration>;
  sendSignal: SendSignal;
  onStream: (stream: MediaStream) => void;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
  /** The Verification code of this connection, once both descriptions are set. */
  onVerification?: (v: Verification) => void;
}

/** Returns at once and makes the certificate; the connection is built when the first signal came and its
 * configuration with it, and the signals that arrive meanwhile are applied after, in their order. */
export function createHelperPeer(opts: HelperPeerOptions): HelperPeer {
  let closed = false;
  const certificate = newCertificate();
  let asked: (() => void) | undefined;
  const used = new Promise<void>((resolve) => (asked = resolve));
  /** The sharer's fingerprint in the first offer this connection took. */
  let sharerFingerprint: string | undefined;
  const ready = used.then(() => Promise.all([opts.configuration(), certificate])).then(([configuration, certificate]) => {
    if (closed) return undefined;
    const pc = new RTCPeerConnection({ ...configuration, certificates: [certificate] });
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
    // No configuration from the relay: no connection at all (fail closed, rtc/ice-config.ts); the caller tells the person.
  }, () => undefined);
  const commit = certificate.then((c) => {
    const fingerprint = fingerprintOfCertificate(c);
    return fingerprint ? commitOf(fingerprint) : undefined;
  }).catch(() => undefined);
  return {
    commit,
    handleSignal: (signal) => {
      if ('description' in signal && signal.description.type === 'offer') sharerFingerprint ??= fingerprintOf(signal.description.sdp);
      asked?.();
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

/** A fresh certificate for one connection (ECDSA P-256, what browsers make by default). */
function newCertificate(): Promise<RTCCertificate> {
  return RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams);
}

/** The certificate's SHA-256 fingerprint written as fingerprintOf() reads it from an SDP. */
function fingerprintOfCertificate(certificate: RTCCertificate): string | undefined {
  const f = certificate.getFingerprints().find((x) => x.algorithm?.toLowerCase() === 'sha-256');
  return f?.value ? `sha-256 ${f.value.toUpperCase()}` : undefined;
}
