// A process whose event loop is behind all the time, as an overloaded relay's is: turns of `turnMs` of
// synchronous work, with the loop let through between them (timers fire, each a whole turn late; I/O is
// served), until stopped. Not one long pause, which the relay's overload probe forgives by design.

export interface BusyLoop {
  /** Ends the turns; resolves once the last one is over. */
  stop(): Promise<void>;
}

export function keepLoopBusy(turnMs: number): BusyLoop {
  let busy = true;
  const turns = (async () => {
    while (busy) {
      const until = Date.now() + turnMs;
      while (Date.now() < until) { /* the loop, busy */ }
      await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    async stop() {
      busy = false;
      await turns;
    },
  };
}
