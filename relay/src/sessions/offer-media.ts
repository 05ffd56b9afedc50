// Whether an SDP offer asks to send audio or video. Before the sharer allows, its page opens the peer
// connection with a data channel only (the Verification code); any media section before Allow is
// refused, so a page that skips the trust screen still cannot send a picture.

/** True when any media section (`m=` line) is not a data channel (`m=application`). */
export function carriesMedia(sdp: string): boolean {
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('m=')) continue;
    const kind = line.slice(2).split(' ', 1)[0];
    if (kind !== 'application') return true;
  }
  return false;
}
