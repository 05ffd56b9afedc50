// With several nodes, an emit to a room is published to Redis first and delivered afterwards, while
// the handler that caused it has already answered: a node that dies in between has told its client
// "done" (a chat message acknowledged) although the other member, on another node, is never pushed
// it — and that member, whose connection never dropped, has no reason to resume and catch up. The
// barrier lets an answer wait until every broadcast begun before it has been published, so an
// acknowledged message is in Redis for every node, as it would be in the one process of a single node.
//
// It also knows what is still being published for each scope (a session's rooms). The cluster adapter
// (socket.io-adapter's ClusterAdapter) delivers a broadcast, and moves sockets between rooms
// (socketsJoin, socketsLeave, disconnectSockets), on this node only once its publish is done, so these
// take effect here in the order they were begun. An emit kept on this node (io.local:
// session-routing.ts) publishes nothing and would overtake them — a colleague removed just before a
// message would still get it — so it is kept here only when nothing of its session is on the way.
import type { Namespace } from 'socket.io';

type Adapter = Namespace['adapter'];

export interface BroadcastBarrier {
  /** The adapter factory (Server's `adapter` option), with every broadcast and room change tracked until published. */
  wrap<A extends Adapter>(factory: (nsp: never) => A): (nsp: never) => A;
  /** Resolves once every broadcast begun so far is published (or failed, which the adapter logs). */
  published(): Promise<void>;
  /** Whether a broadcast or room change touching the rooms of this scope is still being published. */
  busy(scope: string): boolean;
}

/** `scopeOf`: the scope a room belongs to (undefined: none). */
export function createBroadcastBarrier(scopeOf: (room: string) => string | undefined = () => undefined): BroadcastBarrier {
  const pending = new Set<Promise<unknown>>();
  const busyScopes = new Map<string, number>();
  /** Follows what the cluster adapter returns: a promise that settles once published (and in effect
   * here); the in-memory adapter returns nothing, and then there is nothing to wait for. */
  function track(done: unknown, ...roomSets: (Iterable<string> | undefined)[]): void {
    if (!(done instanceof Promise)) return;
    const scopes = new Set<string>();
    for (const rooms of roomSets) for (const r of rooms ?? []) {
      const scope = scopeOf(r);
      if (scope !== undefined) scopes.add(scope);
    }
    for (const s of scopes) busyScopes.set(s, (busyScopes.get(s) ?? 0) + 1);
    const tracked: Promise<unknown> = done.catch(() => undefined).finally(() => {
      pending.delete(tracked);
      for (const s of scopes) {
        const left = (busyScopes.get(s) ?? 1) - 1;
        if (left > 0) busyScopes.set(s, left);
        else busyScopes.delete(s);
      }
    });
    pending.add(tracked);
  }
  return {
    wrap(factory) {
      // Socket.IO calls the factory with `new`: a function expression (not an arrow) that returns the
      // adapter, as the adapters' own createAdapter does.
      return function adapterWithBarrier(nsp) {
        const adapter = factory(nsp);
        const { broadcast, addSockets, delSockets, disconnectSockets } = adapter;
        // An emit kept on this node (io.local) publishes nothing: nothing to wait for.
        adapter.broadcast = (packet, opts) => (opts.flags?.local ? void broadcast.call(adapter, packet, opts) : track(broadcast.call(adapter, packet, opts), opts.rooms));
        adapter.addSockets = (opts, rooms) => track(addSockets.call(adapter, opts, rooms), opts.rooms, rooms);
        adapter.delSockets = (opts, rooms) => track(delSockets.call(adapter, opts, rooms), opts.rooms, rooms);
        adapter.disconnectSockets = (opts, close) => track(disconnectSockets.call(adapter, opts, close), opts.rooms);
        return adapter;
      };
    },
    published: () => (pending.size === 0 ? Promise.resolve() : Promise.allSettled([...pending]).then(() => undefined)),
    busy: (scope) => busyScopes.has(scope),
  };
}
