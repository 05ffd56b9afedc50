// Issue 11's figures for several nodes: the cost of crossing nodes (join and chat acknowledgement with
// the helper on node A and the sharer on node B, against both on node A), and how long a helper whose
// node is killed (SIGKILL) waits until its chat works again on the other node. Real processes: a
// redis-server, a PostgreSQL, two relay nodes, nginx in front (test/support/cluster.ts): the production layout.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startCluster, type Cluster, type ClusterNode } from '#test/support/cluster.js';
import { liveSessionAcross } from '#test/support/cluster-session.js';
import { demo, next, request, valueOf, type ClientSocket } from '#test/support/relay.js';
import { measure, type BenchResult } from './stats.js';

/** Join acknowledgements and chat acknowledgements of `sessions` sessions, sharer on `sharerNode`. */
async function pairTimings(cluster: Cluster, helperNode: ClusterNode, sharerNode: ClusterNode, sessions: number, messages: number) {
  const helper = await cluster.connect(demo.contosoHelper, { node: helperNode });
  const sharer = await cluster.connect(demo.contosoSharer, { node: sharerNode });
  const join: number[] = [];
  const chat: number[] = [];
  try {
    for (let i = 0; i < sessions; i++) {
      const created = valueOf(await request(helper, 'session:create', {}));
      const t0 = performance.now();
      valueOf(await request(sharer, 'session:join', { code: created.code }));
      join.push(performance.now() - t0);
      if (i === 0) {
        const sharing = next(helper, 'session:state', (c) => c.sessionId === created.sessionId && c.state === 'sharing', 15_000);
        valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
        await sharing;
        for (let m = 0; m < messages; m++) {
          const from: ClientSocket = m % 2 === 0 ? helper : sharer;
          const to: ClientSocket = m % 2 === 0 ? sharer : helper;
          const seen = next(to, 'chat:message', (x) => x.sessionId === created.sessionId && x.text === `m${m}`, 15_000);
          const t1 = performance.now();
          valueOf(await request(from, 'chat:send', { sessionId: created.sessionId, clientId: randomUUID(), text: `m${m}` }));
          chat.push(performance.now() - t1);
          await seen;
          await paced();
        }
      }
      valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
      await paced();
    }
  } finally {
    helper.disconnect();
    sharer.disconnect();
  }
  return { join: join.map(round), chat: chat.map(round) };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Under each socket's event budget (50 a second): a latency figure, not a flood. */
const paced = (): Promise<void> => new Promise((r) => setTimeout(r, 25));

export async function clusterBench(joins = 25, messages = 200, kills = 5): Promise<BenchResult> {
  // A long grace, and join limits that the repeated joins of one user never reach.
  const cluster = await startCluster({ nodes: 2, postgres: true, env: { RH_CREATES_PER_USER: '10000', RH_JOIN_FAILURES_PER_USER: '10000', RH_CONNECTIONS_PER_USER: '1000' } });
  try {
    const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
    const one = await pairTimings(cluster, a, a, joins, messages);
    process.stdout.write(`  one node: join p50 ${measure('', one.join).median} ms, chat ack p50 ${measure('', one.chat).median} ms\n`);
    const cross = await pairTimings(cluster, a, b, joins, messages);
    process.stdout.write(`  across nodes: join p50 ${measure('', cross.join).median} ms, chat ack p50 ${measure('', cross.chat).median} ms\n`);

    const failover: number[] = [];
    for (let run = 0; run < kills; run++) {
      const s = await liveSessionAcross(cluster);
      const dead = s.nodeOf(s.helper);
      const resumes = s.helper.resumes.length;
      const t0 = performance.now();
      await dead.stop('SIGKILL');
      // Chat works again when a message from the helper is acknowledged and reaches the sharer.
      const seen = next(s.sharer.socket, 'chat:message', (m) => m.sessionId === s.sessionId && m.text === `back ${run}`, 30_000);
      await s.helper.say(`back ${run}`);
      await seen;
      // And the session taken back on the other node (its resume answered), as the page does at once.
      const resumed = await s.helper.resumed(resumes + 1);
      if (!resumed.ok) throw new Error(`the helper could not resume: ${resumed.error.code}`);
      failover.push(Math.round(performance.now() - t0));
      process.stdout.write(`  SIGKILL of the helper's node ${run + 1}/${kills}: resumed and chat working again after ${failover.at(-1)} ms\n`);
      valueOf(await request(s.helper.socket, 'session:end', { sessionId: s.sessionId }));
      s.helper.socket.disconnect();
      s.sharer.socket.disconnect();
      await dead.start();
    }
    return {
      name: 'cluster',
      description: 'Two relay nodes on one Redis and one PostgreSQL behind nginx: join and chat ack with both members on one node and across nodes; SIGKILL of the helper\'s node → its chat works again',
      measures: [
        measure('join ack, one node', one.join),
        measure('join ack, across nodes', cross.join),
        measure('chat ack, one node', one.chat),
        measure('chat ack, across nodes', cross.chat),
        measure('helper\'s node SIGKILLed → chat working again', failover),
      ],
      notes: [
        `${joins} joins and ${messages} chat messages (taking turns, each seen by the other side before the next, 25 ms apart to stay within each socket's 50 events/s) per placement; socket.io-clients pinned to a node by its own port`,
        'failover: from the SIGKILL to the helper\'s session:resume answered and a message from it acknowledged and pushed to the sharer; the helper\'s client reconnects through nginx (reconnection delay 200 ms, at most 1 s) and resumes on the other node; the screen is peer to peer and never went through the relay',
        'both nodes, redis-server, nginx and the clients share this machine\'s 2 cores',
      ],
    };
  } finally {
    await cluster.stop();
  }
}
