// Short-lived TURN credentials by the TURN REST API (draft-uberti-behave-turn-rest), the scheme coturn
// checks with `use-auth-secret` / `static-auth-secret`: the username carries its own expiry, and the
// password is the HMAC of the username under the secret the relay and the TURN server share. The TURN
// server needs no call to the relay, and a leaked pair stops working at its expiry.
import { createHash, createHmac } from 'node:crypto';

export interface TurnCredentials {
  /** `${expiryUnixSeconds}:${memberId}` */
  username: string;
  /** base64(HMAC-SHA1(secret, username)) */
  credential: string;
  /** When coturn stops accepting the pair for new allocations (epoch ms). */
  expiresAt: number;
}

/** The id after the expiry in the username: it names one member of one session without naming the
 * person (the username reaches the TURN server's logs), and an operator who knows the session id can
 * still find that session's allocations there (`turnMemberId(sessionId, role)`). */
export function turnMemberId(sessionId: string, role: string): string {
  return createHash('sha256').update(`${sessionId}:${role}`).digest('base64url').slice(0, 22);
}

export function turnCredentials(secret: string, memberId: string, nowMs: number, ttlSeconds: number): TurnCredentials {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${memberId}`;
  return {
    username,
    credential: createHmac('sha1', secret).update(username).digest('base64'),
    expiresAt: expiry * 1000,
  };
}
