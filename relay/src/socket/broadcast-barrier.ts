// With several nodes, an emit to a room is published to Redis first and delivered afterwards, while
// the handler that caused it has already answered: a node that dies in between has told its client
// "done" (a chat message acknowledged) although the other member, on another node, is never pushed
// it — and that member, whose connection never dropped, has no reason to resume and catch up. The
// barrier lets an answer wait until every broadcast begun before it has been published, so an
// acknowledged message is in Redis for every node, as it would be in the one process of a single node.
import type { Namespace } from 'socket.io';

type Adapter = Namespace['adapter'];

export interface BroadcastBarrier {
  /** The adapter factory (Server's `adapter` option), with every broadcast tracked until published. */
  wrap<A extends Adapter>(factory: (nsp: never) => A): (nsp: never) => A;
  /** Resolves once every broadcast begun so far is published (or failed, which the adapter logs). */
  published(): Promise<void>;
}

export function createBroadcastBarrier(): BroadcastBarrier {
  const pending = new Set<Promise<unknown>>();
  return {
    wrap(factory) {
      // Socket.IO calls the factory with `new`: a function expression (not an arrow) that returns the
      // adapter, as the adapters' own createAdapter does.
      return function adapterWithBarrier(nsp) {
        const adapter = factory(nsp);
        const broadcast = adapter.broadcast.bind(adapter);
        adapter.broadcast = (packet, opts) => {
          // The cluster adapters return a promise that settles once the message is published; the
          // in-memory one returns nothing, and then there is nothing to wait for.
          const done = broadcast(packet, opts) as unknown;
          if (done instanceof Promise) {
            const tracked: Promise<unknown> = done.catch(() => undefined).finally(() => pending.delete(tracked));
            pending.add(tracked);
          }
        };
        return adapter;
      };
    },
    published: () => (pending.size === 0 ? Promise.resolve() : Promise.allSettled([...pending]).then(() => undefined)),
  };
}
