// The configuration of one new peer connection, asked of the relay each time (session:ice): its TURN
// credentials are made for this member and expire, so a connection built after a reconnect gets fresh
// ones. The answer also carries the organization's ICE policy: `relay` means the screen may only travel
// through its TURN servers, never on a direct path between the two browsers.
//
// So a relay that does not answer fails closed: the page asks again a few times (the socket may be
// between a reconnect and its resume, when the relay does not yet know it holds the session), then gives
// up with `ice-unavailable` and makes no connection at all. Falling back to "no servers, any path", as
// this file once did, would quietly undo a relay-only policy exactly when something is wrong; the page
// cannot tell that policy without the answer, so it never guesses.
import type { WireError } from '#protocol/ack.js';
import type { SessionLink } from '#protocol/session-link.js';

/** The waits before each ask: at once, then after 0.5 s and 1.5 s (2 s in all before giving up). */
export const iceAskWaitsMs: readonly number[] = [0, 500, 1500];

/** Why no peer connection was made; what the page shows (the refusal's own code is in the message, for support). */
export class IceUnavailable extends Error {
  readonly error: WireError;
  constructor(last: WireError | undefined) {
    super(`no ICE configuration from the relay${last ? ` (${last.code})` : ''}`);
    this.error = { code: 'ice-unavailable', message: this.message };
  }
}

export interface IceAskOptions {
  waitsMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** The relay's ICE servers and policy for this member; rejects with IceUnavailable when it would not say. */
export async function iceConfigFor(link: SessionLink, sessionId: string, opts: IceAskOptions = {}): Promise<RTCConfiguration> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: WireError | undefined;
  for (const wait of opts.waitsMs ?? iceAskWaitsMs) {
    if (wait > 0) await sleep(wait);
    const res = await link.request('session:ice', { sessionId });
    if (res.ok) return { iceServers: res.value.iceServers, iceTransportPolicy: res.value.iceTransportPolicy };
    last = res.error;
    // An ended session will not answer later either.
    if (res.error.code === 'session-ended') break;
  }
  throw new IceUnavailable(last);
}

/** The page's refusal for a failed ask (anything else thrown is a bug, shown as `internal`). */
export function iceFailure(error: unknown): WireError {
  return error instanceof IceUnavailable ? error.error : { code: 'internal', message: String(error) };
}
