// The helper's end of the media: answers the sharer's offer receive-only and hands over the stream.
import type { Signal } from '#protocol/relay-events.js';
import { signalApplier, trickleCandidates, type SendSignal } from './signals.js';

export interface HelperPeer {
  handleSignal(signal: Signal): Promise<void>;
  close(): void;
}

export interface HelperPeerOptions {
  iceServers: RTCIceServer[];
  sendSignal: SendSignal;
  onStream: (stream: MediaStream) => void;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
}

export function createHelperPeer(opts: HelperPeerOptions): HelperPeer {
  const pc = new RTCPeerConnection({ iceServers: opts.iceServers });
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
  return { handleSignal: apply, close: () => pc.close() };
}
