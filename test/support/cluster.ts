// Several relay nodes as an operator runs them (DESIGN §12), for the tests of issue 11: a real
// redis-server, N relay processes (relay/src/main.ts) sharing one data folder (the local CA, the
// provider's keys, and the kept data on SQLite) and RH_REDIS_URL — with `postgres`, the kept data in a
// throw-away PostgreSQL instead (RH_DATABASE_URL), the production layout — every one with the same
// public URL, the load balancer's, and nginx in front that fails over to a live node. Tests reach a node through the balancer (as users
// do) or pin a client to one node by its own port. A node can be killed, stopped (SIGTERM: it drains)
// and started again on its port, so the balancer finds it where it was. RH_DEBUG_NODES=1 passes the
// nodes' stderr through (with DEBUG=socket.io-redis-streams-adapter in `env`, the adapter's traffic).
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { demoPassword } from '#relay/directory/index.js';
import type { SessionReport, SessionRole } from '#protocol';
import { createPgReportLog, createReportLog, type ReportStore } from '#relay/reports/index.js';
import { createPgPool } from '#relay/sql/kept-db.js';
import { startLoadBalancer, type LoadBalancer } from './load-balancer.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';
import { connected, type ClientSocket } from './relay.js';
import { listening, startRelayMain, type ListeningRelay } from './relay-process.js';
import { signInForToken } from './sign-in.js';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export interface ClusterOptions {
  /** How many nodes (default 2). */
  nodes?: number;
  /** A shared Redis (default true); without it every node keeps its state in its own memory. */
  redis?: boolean;
  /** More RH_* for every node (e.g. a short RH_RECONNECT_GRACE_MS). */
  env?: Record<string, string>;
  /** Serve the built web pages (dist/web, `npm run build`) for a browser test; default none. */
  webPages?: boolean;
  /** The kept data (directory, reports) in a throw-away PostgreSQL every node names (RH_DATABASE_URL),
   * as in production; default false: SQLite in the shared data folder. */
  postgres?: boolean;
}

export interface ClusterNode {
  readonly name: string;
  /** The node's own port, and its URL there (the certificate names localhost, as the balancer's URL). */
  readonly port: number;
  readonly directUrl: string;
  readonly running: boolean;
  /** Everything the current (or last) process wrote to stdout, its JSON log included. */
  output(): string;
  /** Starts the node's process (again) on its port and waits for it to listen. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the process to end: its exit code (null when a signal ended it). */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ConnectTo {
  /** A node to pin the client to; default the load balancer. */
  node?: ClusterNode;
  /** socket.io-client's own reconnection (default: true through the balancer, false to one node). */
  reconnection?: boolean;
}

export interface Cluster {
  /** The public URL every node announces: the load balancer's. */
  readonly url: string;
  readonly caPem: string;
  readonly dataDir: string;
  readonly nodes: readonly ClusterNode[];
  readonly redis: RedisServer | undefined;
  /** The nodes' PostgreSQL, with `postgres`. */
  readonly postgres: PostgresServer | undefined;
  readonly loadBalancer: LoadBalancer;
  /** A relay access token for a demo user, signed in on the first running node (cached per email). */
  token(email: string): Promise<string>;
  /** A connected socket for a demo user. */
  connect(email: string, to?: ConnectTo): Promise<ClientSocket>;
  /** The session's records where the nodes keep them — PostgreSQL, or the shared reports.db — read as
   * the admin API reads them. */
  reportsOf(tenantId: string, sessionId: string): Promise<SessionReport[]>;
  /** The node that last took this member of the session (created, joined or resumed there, by the
   * nodes' logs), if any. */
  whereIs(sessionId: string, role: SessionRole): ClusterNode | undefined;
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const count = opts.nodes ?? 2;
  const dataDir = mkdtempSync(join(tmpdir(), 'rh-cluster-'));
  const redis = opts.redis === false ? undefined : await startRedisServer();
  const postgres = opts.postgres ? await startPostgresServer({ database: 'remote_help' }).catch(async (e: unknown) => {
    await redis?.stop();
    throw e;
  }) : undefined;
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const loadBalancer = await startLoadBalancer(ports);
  const url = `https://localhost:${loadBalancer.port}`;
  const env = {
    RH_DATA_DIR: dataDir,
    RH_PUBLIC_URL: url,
    RH_WEB_DIST: opts.webPages ? join(root, 'dist', 'web') : join(dataDir, 'no-web'),
    ...(redis ? { RH_REDIS_URL: redis.url } : {}),
    ...(postgres ? { RH_DATABASE_URL: postgres.url } : {}),
    ...opts.env,
  };
  const nodes = ports.map((port, i) => clusterNode(String.fromCharCode(65 + i), port, env));
  const sockets: ClientSocket[] = [];
  const tokens = new Map<string, Promise<string>>();
  try {
    // One after the other: the first makes the local CA, the provider's keys and the demo tenants in
    // the shared folder; the others find them there.
    for (const node of nodes) await node.start();
  } catch (error) {
    await Promise.allSettled(nodes.filter((n) => n.running).map((n) => n.stop('SIGKILL')));
    await Promise.allSettled([loadBalancer.stop(), redis?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const caPem = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
  const firstRunning = (): ClusterNode => {
    const node = nodes.find((n) => n.running);
    if (!node) throw new Error('no node of the cluster is running');
    return node;
  };

  const token = (email: string): Promise<string> => {
    let t = tokens.get(email);
    // On one node: until the provider's sign-in state is shared, its steps must not be spread by the balancer.
    if (!t) tokens.set(email, (t = signInForToken(firstRunning().directUrl, email, demoPassword, caPem)));
    return t;
  };

  return {
    url, caPem, dataDir, nodes, redis, postgres, loadBalancer, token,
    async connect(email, to = {}) {
      const s: ClientSocket = io(to.node?.directUrl ?? url, {
        transports: ['websocket'],
        ca: caPem,
        autoConnect: false,
        forceNew: true,
        reconnection: to.reconnection ?? to.node === undefined,
        // Soon after a node goes: the test waits for the move, not for a back-off.
        reconnectionDelay: 200,
        reconnectionDelayMax: 1000,
        auth: { token: await token(email) },
      });
      sockets.push(s);
      return connected(s);
    },
    async reportsOf(tenantId, sessionId) {
      const pool = postgres ? createPgPool(postgres.url, 1) : undefined;
      let reports: ReportStore | undefined;
      try {
        reports = pool ? await createPgReportLog({ pool }) : createReportLog({ dataDir });
        return (await reports.list(tenantId, { limit: 500 })).items.filter((r) => r.sessionId === sessionId);
      } finally {
        await reports?.close();
        await pool?.end();
      }
    },
    whereIs(sessionId, role) {
      let latest: { node: ClusterNode; time: string } | undefined;
      for (const node of nodes) {
        for (const line of node.output().split('\n')) {
          if (!line.startsWith('{') || !line.includes(sessionId)) continue;
          const entry = JSON.parse(line) as { time: string; msg: string; sessionId?: string; role?: string };
          if (entry.sessionId !== sessionId || !tookMember(entry, role)) continue;
          if (!latest || entry.time >= latest.time) latest = { node, time: entry.time };
        }
      }
      return latest?.node;
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      await Promise.allSettled(nodes.filter((n) => n.running).map((n) => n.stop('SIGKILL')));
      await Promise.allSettled([loadBalancer.stop(), redis?.stop(), postgres?.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A log line that says the member's socket is on that node now. */
function tookMember(entry: { msg: string; role?: string }, role: SessionRole): boolean {
  if (entry.msg === 'session created') return role === 'helper';
  if (entry.msg === 'session joined') return role === 'sharer';
  return entry.msg === 'session resumed' && entry.role === role;
}

function clusterNode(name: string, port: number, env: Record<string, string>): ClusterNode {
  let current: ListeningRelay | undefined;
  let previousOutput = '';
  const running = () => current !== undefined && current.child.exitCode === null && current.child.signalCode === null;
  return {
    name,
    port,
    directUrl: `https://localhost:${port}`,
    get running() {
      return running();
    },
    output: () => previousOutput + (current?.output() ?? ''),
    async start() {
      if (running()) throw new Error(`node ${name} is running already`);
      previousOutput += current?.output() ?? '';
      const child = startRelayMain({ ...env, RH_PORT: String(port) });
      if (process.env['RH_DEBUG_NODES']) child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString()}`));
      current = await listening(child);
    },
    async stop(signal) {
      const child = current?.child;
      if (!child || !running()) throw new Error(`node ${name} is not running`);
      const gone = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill(signal);
      const [code, sig] = await gone;
      return { code, signal: sig };
    },
  };
}
