// The glue between RTCPeerConnection and the relay's `signal` messages: candidates are trickled as
// they appear, and remote signals are applied strictly in arrival order.
import type { Ack } from '#protocol/ack.js';
import type { Signal } from '#protocol/relay-events.js';

export type SendSignal = (signal: Signal) => Promise<Ack<null>>;

export function trickleCandidates(pc: RTCPeerConnection, send: SendSignal): void {
  pc.addEventListener('icecandidate', (e) => {
    // null marks the end of gathering; an empty candidate string is the same, neither is sent.
    if (!e.candidate || !e.candidate.candidate) return;
    const c = e.candidate.toJSON();
    void send({
      candidate: {
        candidate: c.candidate ?? '',
        sdpMid: c.sdpMid ?? null,
        sdpMLineIndex: c.sdpMLineIndex ?? null,
        usernameFragment: c.usernameFragment ?? null,
      },
    });
  });
}

/** Runs signal handlers one after another, and holds candidates until a remote description is set
 * (they may arrive before the offer or answer has been applied). */
export function signalApplier(pc: RTCPeerConnection, onDescription: (d: RTCSessionDescriptionInit) => Promise<void>) {
  let chain: Promise<void> = Promise.resolve();
  const early: RTCIceCandidateInit[] = [];
  const apply = async (signal: Signal): Promise<void> => {
    if ('description' in signal) {
      await onDescription(signal.description);
      for (const c of early.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
      return;
    }
    if (!('candidate' in signal)) return; // a commit is the page's business, not the connection's
    const candidate: RTCIceCandidateInit = { candidate: signal.candidate.candidate };
    if (signal.candidate.sdpMid != null) candidate.sdpMid = signal.candidate.sdpMid;
    if (signal.candidate.sdpMLineIndex != null) candidate.sdpMLineIndex = signal.candidate.sdpMLineIndex;
    if (signal.candidate.usernameFragment != null) candidate.usernameFragment = signal.candidate.usernameFragment;
    if (!pc.remoteDescription) early.push(candidate);
    // A bad candidate from the peer must not break the connection; the others may still work.
    else await pc.addIceCandidate(candidate).catch(() => undefined);
  };
  return (signal: Signal): Promise<void> => {
    chain = chain.then(() => apply(signal)).catch(() => undefined);
    return chain;
  };
}
