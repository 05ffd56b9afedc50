// The sharer's end of the media: it offers one send-only video transceiver and accepts nothing back
// (no data channel, no remote tracks): view only.
import type { Signal } from '#protocol/relay-events.js';
import { signalApplier, trickleCandidates, type SendSignal } from './signals.js';

export interface SharerPeer {
  /** Creates and sends the offer. The peer exists before, so an early answer is never lost. */
  start(): Promise<void>;
  handleSignal(signal: Signal): Promise<void>;
  /** Sends another track (another screen or window) without a new offer, or nothing at all (null:
   * paused, the helper's picture stays on the last frame). */
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
  close(): void;
}

export interface SharerPeerOptions {
  stream: MediaStream;
  /** The ICE servers and policy, asked of the relay for this connection (rtc/ice-config.ts). */
  configuration: Promise<RTCConfiguration>;
  sendSignal: SendSignal;
  onConnectionState?: (state: RTCPeerConnectionState) => void;
}

/** Returns at once; the connection is built when its configuration has come, and every call made
 * meanwhile waits for it, in its order. */
export function createSharerPeer(opts: SharerPeerOptions): SharerPeer {
  let closed = false;
  const ready = opts.configuration.then((configuration) => {
    if (closed) return undefined;
    const pc = new RTCPeerConnection(configuration);
    // Refuse anything the helper might try to open towards this page.
    pc.addEventListener('datachannel', (e) => e.channel.close());
    pc.addEventListener('connectionstatechange', () => opts.onConnectionState?.(pc.connectionState));
    trickleCandidates(pc, opts.sendSignal);
    for (const track of opts.stream.getVideoTracks()) {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [opts.stream] });
    }
    const apply = signalApplier(pc, async (d) => {
      // The sharer always offers; an offer from the helper is ignored.
      if (d.type !== 'answer' || pc.signalingState !== 'have-local-offer') return;
      await pc.setRemoteDescription(d);
    });
    return { pc, apply };
    // No configuration from the relay: no connection at all (fail closed, rtc/ice-config.ts); the caller tells the person.
  }, () => undefined);
  return {
    start: async () => {
      const p = await ready;
      if (!p) return;
      const offer = await p.pc.createOffer();
      await p.pc.setLocalDescription(offer);
      const local = p.pc.localDescription;
      if (local) await opts.sendSignal({ description: { type: 'offer', sdp: local.sdp } });
    },
    handleSignal: (signal) => ready.then((p) => p?.apply(signal)),
    replaceTrack: async (track) => {
      const p = await ready;
      if (!p) return;
      for (const t of p.pc.getTransceivers()) if (t.sender) await t.sender.replaceTrack(track);
    },
    close: () => {
      closed = true;
      void ready.then((p) => p?.pc.close());
    },
  };
}
