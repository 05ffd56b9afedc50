// The Socket.IO streams adapter reads the next entries of its stream the moment a read answers. Under
// load each read then brings one or two entries: a round trip (a write and a read on the socket, the
// most costly part of a message on loopback) per message and per node, and as many for Redis. Paced,
// a read that follows one which brought entries waits `paceMs` first, so that it brings every entry of
// that time at once. A read after an idle one (blocked until something came) is not delayed: a lone
// message is delivered as soon as it is published. The cost: a message that comes within `paceMs` of
// another reaches the other nodes up to `paceMs` later.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from './redis-client.js';

/** The client to give the adapter: itself for every command, but its duplicates (the adapter makes
 * its stream reader with `duplicate()`) read paced. The original client is left as it was. */
export function withPacedStreamReads(client: RedisClient, paceMs: number): RedisClient {
  if (paceMs <= 0) return client;
  // node-redis's own idiom for a client with other options: an object on top of it, whose commands run
  // on the client underneath (they go through `_self`).
  const forAdapter = Object.create(client) as RedisClient;
  forAdapter.duplicate = ((...args: Parameters<RedisClient['duplicate']>) => paced(client.duplicate(...args) as RedisClient, paceMs)) as RedisClient['duplicate'];
  return forAdapter;
}

function paced(reader: RedisClient, paceMs: number): RedisClient {
  const read = reader.xRead.bind(reader);
  let broughtEntries = false;
  // An own property of this duplicate only, over the prototype's command (typed read-only there).
  Object.defineProperty(reader, 'xRead', {
    value: async (...args: Parameters<typeof read>) => {
      if (broughtEntries) await sleep(paceMs);
      const reply = await read(...args);
      // null: the blocking read timed out with nothing new.
      broughtEntries = reply !== null && reply !== undefined;
      return reply;
    },
  });
  return reader;
}
