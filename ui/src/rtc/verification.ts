// What both ends of the connection add for the Verification code: the one data channel that makes the
// connection exist before any media (so DTLS runs and the fingerprints are in the descriptions at join),
// and the code read from the two descriptions once both are set.
import { verificationCodeOf } from '#protocol/verification-code.js';

/** The Verification code as both screens show it ("123 456"). */
export type Verification = string;

/** The same channel on both sides (negotiated, id 0): nothing is sent on it; it is what makes the offer
 * carry a transport before there is a picture. Neither side listens for a channel the other opens. */
export function negotiatedChannel(pc: RTCPeerConnection): RTCDataChannel {
  return pc.createDataChannel('verification', { negotiated: true, id: 0 });
}

/** The code of `pc` as this side sees it, or undefined while a description is missing or has no
 * fingerprint (the screen then keeps saying "Comparing…"). */
export function verificationOf(pc: RTCPeerConnection, sessionId: string, role: 'helper' | 'sharer'): Promise<Verification | undefined> {
  return verificationCodeOf(sessionId, role, pc.localDescription?.sdp, pc.remoteDescription?.sdp).catch(() => undefined);
}
