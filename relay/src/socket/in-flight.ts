// Counts the client requests this node is still working on (an event with an ack that has not been
// answered yet), so a draining node (SIGTERM with several nodes) lets them finish — a chat message
// stored, a consent recorded — before it closes the stores they write to. Every request of the
// protocol has an ack (session-handlers.ts answers each one, a refusal included), so "answered" is
// "done".
//
// It is not a middleware of its own: ops/socket-events.ts wraps each event's ack once, for the metrics
// and for this count together (one closure and one middleware step per event, not two: issue 12).

type Answer = (res: unknown) => void;

export interface InFlight {
  /** Requests received and not answered yet. */
  readonly count: number;
  /** Resolves true once no request is in flight (at once when none is), or false after `maxMs`: a
   * request that is never answered (a socket refused before its listeners were set) must not hold a
   * stopping relay forever. */
  idle(maxMs: number): Promise<boolean>;
  /** A request arrived: it is in flight until the answer this returns is called (the first call
   * counts), which then waits for `beforeAnswer` and sends through `ack`. */
  arrived(ack: Answer): Answer;
}

/** `beforeAnswer`: what every answer waits for before it is sent (the broadcasts the request caused
 * published to the other nodes, broadcast-barrier.ts); the request counts as in flight until then. */
export function createInFlight(beforeAnswer?: () => Promise<void>): InFlight {
  let count = 0;
  const waiters: (() => void)[] = [];
  const done = (): void => {
    count--;
    if (count > 0) return;
    for (const w of waiters.splice(0)) w();
  };
  return {
    get count() {
      return count;
    },
    arrived(ack) {
      count++;
      let answered = false;
      const answer = (res: unknown): void => {
        if (!answered) {
          answered = true;
          done();
        }
        ack(res);
      };
      return beforeAnswer ? (res) => void beforeAnswer().then(() => answer(res)) : answer;
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
