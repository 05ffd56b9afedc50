// Counts the client requests this node is still working on (an event with an ack that has not been
// answered yet), so a draining node (SIGTERM with several nodes) lets them finish — a chat message
// stored, a consent recorded — before it closes the stores they write to. Every request of the
// protocol has an ack (session-handlers.ts answers each one, a refusal included), so "answered" is
// "done".
import type { RelayServer, RelaySocket } from './types.js';

export interface InFlight {
  /** Requests received and not answered yet. */
  readonly count: number;
  /** Resolves true once no request is in flight (at once when none is), or false after `maxMs`: a
   * request that is never answered (a socket refused before its listeners were set) must not hold a
   * stopping relay forever. */
  idle(maxMs: number): Promise<boolean>;
}

/** `beforeAnswer`: what every answer waits for before it is sent (the broadcasts the request caused
 * published to the other nodes, broadcast-barrier.ts); the request counts as in flight until then. */
export function trackInFlight(io: RelayServer, beforeAnswer?: () => Promise<void>): InFlight {
  let count = 0;
  const waiters: (() => void)[] = [];
  const done = (): void => {
    count--;
    if (count > 0) return;
    for (const w of waiters.splice(0)) w();
  };
  // Runs before the event's listener with the very argument list it will get: the ack is wrapped in
  // place, so the count goes down when the handler answers, however long that takes. One middleware for
  // every socket (it needs nothing of the socket), not a closure per connection.
  const counting: Parameters<RelaySocket['use']>[0] = (packet, next) => {
    const last = packet.length - 1;
    const ack = packet[last] as unknown;
    if (typeof ack === 'function') {
      count++;
      let answered = false;
      const answer = (args: unknown[]): void => {
        if (!answered) {
          answered = true;
          done();
        }
        (ack as (...a: unknown[]) => unknown)(...args);
      };
      packet[last] = (...args: unknown[]) => {
        if (!beforeAnswer) return answer(args);
        void beforeAnswer().then(() => answer(args));
      };
    }
    next();
  };
  io.on('connection', (socket) => socket.use(counting));
  return {
    get count() {
      return count;
    },
    idle(maxMs) {
      if (count <= 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), maxMs);
        timer.unref();
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
