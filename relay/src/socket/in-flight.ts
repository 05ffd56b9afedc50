// Counts the client requests this node is still working on (an event with an ack that has not been
// answered yet), so a draining node (SIGTERM with several nodes) lets them finish — a chat message
// stored, a consent recorded — before it closes the stores they write to. Every request of the
// protocol has an ack (session-handlers.ts answers each one, a refusal included), so "answered" is
// "done".
import type { RelayServer } from './types.js';

export interface InFlight {
  /** Requests received and not answered yet. */
  readonly count: number;
  /** Resolves true once no request is in flight (at once when none is), or false after `maxMs`: a
   * request that is never answered (a socket refused before its listeners were set) must not hold a
   * stopping relay forever. */
  idle(maxMs: number): Promise<boolean>;
}

export function trackInFlight(io: RelayServer): InFlight {
  let count = 0;
  const waiters: (() => void)[] = [];
  const done = (): void => {
    count--;
    if (count > 0) return;
    for (const w of waiters.splice(0)) w();
  };
  io.on('connection', (socket) => {
    // Runs before the event's listener with the very argument list it will get: the ack is wrapped in
    // place, so the count goes down when the handler answers, however long that takes.
    socket.use((packet, next) => {
      const last = packet.length - 1;
      const ack = packet[last] as unknown;
      if (typeof ack === 'function') {
        count++;
        let answered = false;
        packet[last] = (...args: unknown[]) => {
          if (!answered) {
            answered = true;
            done();
          }
          return (ack as (...a: unknown[]) => unknown)(...args);
        };
      }
      next();
    });
  });
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
