// A node past its capacity refuses new connections (overload.ts), but a member whose connection dropped
// is not new work: refused, they stay out of their own session until its reconnect grace ends it, which
// is the one thing shedding must not do (issue 12: "keeps existing sessions alive"). So a handshake that
// says it comes back to a live session (protocol's `resumingAuthKey`, sent by the pages and the console
// when they hold one) gets past the overload check, within an allowance: so many a second
// (capacity.resumesPerSecond), and while the node holds no more than a tenth over its connection capacity.
// The claim costs the node a token check and a look at the member index, bounded by that allowance, and
// is proven after the sign-in check: someone in no live session is refused `overloaded` as before.
import type { ExtendedError } from 'socket.io';
import { resumingAuthKey } from '#protocol';
import type { Capacity } from '../config.js';
import type { Log } from '../ports.js';
import { createTokenBucket } from './token-bucket.js';
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
  log: Log;
  now?: () => number;
}

export function createResumeAllowance(opts: ResumeAllowanceOptions): ResumeAllowance {
  const { capacity, log } = opts;
  const now = opts.now ?? Date.now;
  const perSecond = capacity.resumesPerSecond;
  // A second's worth at once: a dropped network brings its members back together.
  const bucket = createTokenBucket({ perSecond, burst: Math.max(1, perSecond) }, now);
  const headroom = Math.max(1, Math.ceil(capacity.maxConnections / 10));
  const admitted = new WeakSet<RelaySocket>();
  let refusedSinceLog = 0;
  let loggedAt = 0;
  return {
    admit(socket) {
      const auth = socket.handshake.auth as Record<string, unknown> | undefined;
      if (perSecond === 0 || auth?.[resumingAuthKey] !== true) return false;
      if (opts.connections() > capacity.maxConnections + headroom || !bucket.take()) return false;
      admitted.add(socket);
      return true;
    },
    async proveMembership(socket, next) {
      if (!admitted.has(socket)) return next();
      admitted.delete(socket);
      try {
        if (await opts.inLiveSession(socket.data.user)) return next();
      } catch (error) {
        log.error('checking a resuming member failed', { error });
      }
      refusedSinceLog++;
      if (now() - loggedAt >= 10_000) {
        log.warn('connections refused: overloaded, and said to resume a session they are not in', { refused: refusedSinceLog });
        loggedAt = now();
        refusedSinceLog = 0;
      }
      next(Object.assign(new Error('the relay is at capacity; try again in a moment'), { data: { code: 'overloaded' } }));
      setImmediate(() => socket.conn.close());
    },
  };
}
