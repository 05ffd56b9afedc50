// A node past its capacity refuses new connections (overload.ts), but a member whose connection dropped
// is not new work: refused, they stay out of their own session until its reconnect grace ends it, which
// is the one thing shedding must not do (issue 12: "keeps existing sessions alive"). So a handshake that
// says it comes back to a live session (protocol's `resumingAuthKey`, sent by the pages and the console
// when they hold one) gets past the overload check, within an allowance: so many a second
// (capacity.resumesPerSecond), a few at a time from one address, and while the node holds no more than a
// tenth over its connection capacity. The claim is proven after the sign-in check: someone in no live
// session is refused `overloaded` as before. A claim that fails (a bad credential, no live session, a
// connection gone before the proof) gives its place back, so false claims cannot use up the places of the
// members coming back; what they cost is bounded by the places in flight.
import type { ExtendedError } from 'socket.io';
import { resumingAuthKey } from '#protocol';
import type { Capacity } from '../config.js';
import { rateLimitBucket, socketClientAddress } from '../net/client-address.js';
import { countedWarning } from '../ops/counted-warning.js';
import type { Log } from '../ports.js';
import { refuseOverloaded } from './overload.js';
import { newBucket, takeToken } from './token-bucket.js';
import type { RelaySocket } from './types.js';

export interface ResumeAllowance {
  /** Whether this handshake, refused otherwise for overload, may go on as a member coming back. */
  admit(socket: RelaySocket): boolean;
  /** After the sign-in check: refuses a socket admitted by `admit` whose person is in no live session. */
  readonly proveMembership: (socket: RelaySocket, next: (err?: ExtendedError) => void) => Promise<void>;
}

export interface ResumeAllowanceOptions {
  capacity: Pick<Capacity, 'maxConnections' | 'resumesPerSecond'>;
  /** The connections this node holds now. */
  connections: () => number;
  inLiveSession: (user: RelaySocket['data']['user']) => Promise<boolean>;
  /** Take the client address from X-Forwarded-For (RH_TRUST_PROXY). */
  trustProxy: boolean;
  log: Log;
  now?: () => number;
}

/** Claims one address may have in flight (let in, not yet proven): a NAT's members come back a few at
 * a time, and one client cannot hold every place. */
export const claimsInFlightPerAddress = 4;

export function createResumeAllowance(opts: ResumeAllowanceOptions): ResumeAllowance {
  const { capacity, log } = opts;
  const now = opts.now ?? Date.now;
  const perSecond = capacity.resumesPerSecond;
  // A second's worth at once: a dropped network brings its members back together.
  const rate = { perSecond, burst: Math.max(1, perSecond) };
  const bucket = newBucket(rate, now());
  const headroom = Math.max(1, Math.ceil(capacity.maxConnections / 10));
  /** Each claim let in and not yet proven, with its address. */
  const inFlight = new WeakMap<RelaySocket, string>();
  const byAddress = new Map<string, number>();
  const warnRefused = countedWarning(log, 'connections refused: overloaded, and said to resume a session they are not in', { now });

  /** The claim is settled: its place in flight is freed, and given back to the bucket unless proven. */
  function settle(socket: RelaySocket, proven: boolean): void {
    const address = inFlight.get(socket);
    if (address === undefined) return;
    inFlight.delete(socket);
    const left = (byAddress.get(address) ?? 1) - 1;
    if (left > 0) byAddress.set(address, left);
    else byAddress.delete(address);
    if (!proven) bucket.tokens = Math.min(rate.burst, bucket.tokens + 1);
  }

  return {
    admit(socket) {
      const auth = socket.handshake.auth as Record<string, unknown> | undefined;
      if (perSecond === 0 || auth?.[resumingAuthKey] !== true) return false;
      // A claim with no credential at all is refused at the sign-in check anyway: it takes no place.
      const token = auth['token'];
      if (!(typeof token === 'string' && token.length > 0) && !socket.handshake.headers.cookie) return false;
      if (opts.connections() > capacity.maxConnections + headroom) return false;
      const address = rateLimitBucket(socketClientAddress(socket.handshake, opts.trustProxy));
      if ((byAddress.get(address) ?? 0) >= claimsInFlightPerAddress) return false;
      if (!takeToken(bucket, rate, now())) return false;
      inFlight.set(socket, address);
      byAddress.set(address, (byAddress.get(address) ?? 0) + 1);
      // Refused at the sign-in check, or gone before the proof: the connection closes unproven.
      socket.conn.once('close', () => settle(socket, false));
      return true;
    },
    async proveMembership(socket, next) {
      if (!inFlight.has(socket)) return next();
      let member = false;
      try {
        member = await opts.inLiveSession(socket.data.user);
      } catch (error) {
        log.error('checking a resuming member failed', { error });
      }
      settle(socket, member);
      if (member) return next();
      warnRefused();
      refuseOverloaded(socket, next);
    },
  };
}
