// Which relay nodes are alive (DESIGN §12: a node that dies loses nothing another cannot continue). A
// node killed outright never sees its sockets' `disconnect`, so its members would never be marked away:
// each node keeps a key `node:<id>` with a short TTL, refreshed well within it, and lists itself in
// `nodes`; a node listed whose key has expired is dead, and the session sweep on any node marks its
// members away (session-service.ts). One node alone is always alive: the memory version says so.
import { randomUUID } from 'node:crypto';
import type { Log } from '../ports.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';

export interface NodeLiveness {
  /** This process's id, new at every start. */
  readonly id: string;
  /** Whether other nodes exist: the session state is shared, and may outlive this node. */
  readonly shared: boolean;
  isAlive(node: string): Promise<boolean>;
  /** Whether every node alive at the last beat writes in each session the nodes its owners were on
   * (ChatAppend.nodes), as this version does. A node of an earlier version, during a rolling upgrade,
   * attaches sockets without saying so: until it is gone no emit is kept on one node (session-routing.ts). */
  everyNodeNamesItself(): boolean;
  /** Nodes seen alive once whose key has expired since (never this one). */
  deadNodes(): Promise<string[]>;
  /** A dead node whose members have all been dealt with: no longer listed. */
  forget(node: string): Promise<void>;
  /** Stops beating. The key goes at once, so the other nodes take this node's members over without
   * waiting for its TTL. */
  close(): Promise<void>;
}

export function createMemoryNodeLiveness(): NodeLiveness {
  return {
    id: randomUUID(),
    shared: false,
    everyNodeNamesItself: () => true,
    isAlive: async () => true,
    deadNodes: async () => [],
    forget: async () => {},
    close: async () => {},
  };
}

export interface RedisNodeLivenessOptions {
  prefix?: string;
  /** How long a node's key outlives its last beat: how soon a killed node is noticed. */
  ttlMs?: number;
  /** How often the key is refreshed: well within the TTL, so a busy event loop is not taken for death. */
  beatMs?: number;
  id?: string;
}

/** Beats once before it answers, so the node is alive before it serves anyone. */
export async function createRedisNodeLiveness(redis: RedisClient, log: Log, opts: RedisNodeLivenessOptions = {}): Promise<NodeLiveness> {
  const p = opts.prefix ?? defaultRedisPrefix;
  const ttlMs = opts.ttlMs ?? 5000;
  const beatMs = opts.beatMs ?? 1500;
  const id = opts.id ?? randomUUID();
  const nodeKey = (node: string) => `${p}node:${node}`;
  const nodesKey = `${p}nodes`;
  // The list of nodes expires too, a day after the last beat of any node.
  const listTtlMs = 24 * 60 * 60_000;

  // A node key's value says what its node does: '1' (earlier versions) only that it is alive, '2' also
  // that it names itself in the sessions it attaches (everyNodeNamesItself). Read at each beat, so a node
  // of an earlier version that starts is noticed within beatMs (before that, it has hardly begun to serve).
  const namesItself = '2';
  let allNameThemselves = false;
  const beat = async (): Promise<void> => {
    const [, , , listed] = await redis.multi()
      .set(nodeKey(id), namesItself, { expiration: { type: 'PX', value: ttlMs } })
      .sAdd(nodesKey, id)
      .pExpire(nodesKey, listTtlMs)
      .sMembers(nodesKey)
      .exec() as unknown as [unknown, unknown, unknown, string[]];
    const marks = listed.length ? await redis.mGet(listed.map(nodeKey)) : [];
    // An expired key (null) is a dead node: its sockets are gone with it.
    allNameThemselves = marks.every((m) => m === null || m === namesItself);
  };
  await beat();
  const timer = setInterval(() => {
    beat().catch((error: unknown) => log.warn('node liveness not refreshed', { node: id, error: error instanceof Error ? error.message : String(error) }));
  }, beatMs);
  timer.unref();

  const isAlive = async (node: string) => (await redis.exists(nodeKey(node))) === 1;
  return {
    id,
    shared: true,
    everyNodeNamesItself: () => allNameThemselves,
    isAlive,
    async deadNodes() {
      const nodes = (await redis.sMembers(nodesKey)).filter((n) => n !== id);
      const alive = await Promise.all(nodes.map(isAlive));
      return nodes.filter((_, i) => !alive[i]);
    },
    async forget(node) {
      await redis.sRem(nodesKey, node);
    },
    async close() {
      clearInterval(timer);
      await redis.del(nodeKey(id));
    },
  };
}
