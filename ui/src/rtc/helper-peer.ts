// The helper's end of the media: answers the sharer's offer receive-only and hands over the stream.
import type { Signal } from '#protocol/relay-events.js';
import { signalApplier, trickleCandidates, type SendSignal } from './signals.js';

export interface HelperPeer {
  handleSignal(signal: Signal): Promise<void>;
  close(): void;
}

export interface HelperPeerOptions {
  /** The ICE servers and policy, asked of the relay as the first offer arrives (rtc/ice-config.ts). */
  configuration: Promise<RTCConfiguration>;
  sendSignal: SendSignal;
  onStream: (stream: MediaStream) => void;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
}

/** Returns at once; the connection is built when its configuration has come, and the signals that
 * arrive meanwhile are applied after, in their order. */
export function createHelperPeer(opts: HelperPeerOptions): HelperPeer {
  let closed = false;
  const ready = opts.configuration.then((configuration) => {
    if (closed) return undefined;
    const pc = new RTCPeerConnection(configuration);
    pc.addEventListener('connectionstatechange', () => opts.onConnectionState?.(pc.connectionState));
    pc.addEventListener('track', (e) => opts.onStream(e.streams[0] ?? new MediaStream([e.track])));
    trickleCandidates(pc, opts.sendSignal);
    const apply = signalApplier(pc, async (d) => {
      if (d.type !== 'offer') return;
      await pc.setRemoteDescription(d);
      // Nothing flows from the helper: every transceiver the offer made is receive-only.
      for (const t of pc.getTransceivers()) t.direction = 'recvonly';
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      const local = pc.localDescription;
      if (local) await opts.sendSignal({ description: { type: 'answer', sdp: local.sdp } });
    });
    return { pc, apply };
    // No configuration from the relay: no connection at all (fail closed, rtc/ice-config.ts); the caller tells the person.
  }, () => undefined);
  return {
    handleSignal: (signal) => ready.then((p) => p?.apply(signal)),
    close: () => {
      closed = true;
      void ready.then((p) => p?.pc.close());
    },
  };
}
