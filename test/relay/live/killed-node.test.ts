// A relay node killed outright (SIGKILL) while it carries a session (DESIGN §12: a node that dies loses
// nothing another cannot continue). Node A is the relay's own entry point in its own process; node B
// runs here; both share the data folder and one real redis-server. Both members are on A when it is
// killed: no `disconnect` ever fires there and its grace timers are gone. Node B notices A's liveness
// key expire, marks the members away, takes the helper back on its resume, and ends the session when the
// sharer's grace runs out, with one report.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { loadConfig } from '#relay/config.js';
import { createDirectory, demoPassword, demoTenants, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { connectRedis, type RedisClient } from '#relay/live/redis-client.js';
import { createRedisSessionStore } from '#relay/live/redis-session-store.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';
import { startRelay, type Relay } from '#relay/start-relay.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { listening, startRelayMain, type ListeningRelay } from '../../support/relay-process.js';
import { connected, demo, next, request, valueOf, type ClientSocket } from '../../support/relay.js';
import { signInForToken } from '../../support/sign-in.js';
import { waitFor } from '../../support/wait.js';

describe('a relay node killed while it carries a session', function () {
  this.timeout(60_000);
  // Long enough for the helper to resume on node B, short enough for the test to wait for its end.
  const graceMs = 6000;
  let server: RedisServer;
  let dataDir: string;
  let a: ListeningRelay | undefined;
  let b: { relay: Relay; redis: RedisClient; directory: DirectoryStore } | undefined;
  let observer: RedisClient;
  let ca: string;
  const sockets: ClientSocket[] = [];

  before(async () => {
    server = await startRedisServer();
    dataDir = mkdtempSync(join(tmpdir(), 'rh-killed-'));
    const seeding = createDirectory({ dataDir });
    await seedDemoTenants(seeding);
    seeding.close();
    const env = { RH_DATA_DIR: dataDir, RH_REDIS_URL: server.url, RH_RECONNECT_GRACE_MS: String(graceMs), RH_WEB_DIST: join(dataDir, 'no-web') };
    a = await listening(startRelayMain(env));
    const log = createMemoryLog();
    const redis = await connectRedis(server.url, log);
    const directory = createDirectory({ dataDir });
    const config = loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_PUBLIC_URL: a.url, ...env });
    b = { relay: await startRelay({ config, directory, log, clock: systemClock, redis }), redis, directory };
    observer = await connectRedis(server.url, log);
    ca = readFileSync(b.relay.caCertPath!, 'utf8');
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    if (a && a.child.exitCode === null && a.child.signalCode === null) {
      a.child.kill('SIGKILL');
      await once(a.child, 'exit');
    }
    await b?.relay.close();
    b?.directory.close();
    b?.redis.destroy();
    observer?.destroy();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const connect = async (url: string, token: string): Promise<ClientSocket> => {
    const s: ClientSocket = io(url, { transports: ['websocket'], ca, auth: { token }, reconnection: false, autoConnect: false });
    sockets.push(s);
    return connected(s);
  };

  it('lets another node mark its members away, take them back, and end the session after the grace with one report', async () => {
    const nodeA = a!.url;
    const nodeB = `https://localhost:${b!.relay.port}`;
    const helperToken = await signInForToken(nodeA, demo.contosoHelper, demoPassword, ca);
    const sharerToken = await signInForToken(nodeA, demo.contosoSharer, demoPassword, ca);
    const helperOnA = await connect(nodeA, helperToken);
    const sharerOnA = await connect(nodeA, sharerToken);
    const created = valueOf(await request(helperOnA, 'session:create', {}));
    const { sessionId } = created;
    valueOf(await request(sharerOnA, 'session:join', { code: created.code }));
    valueOf(await request(sharerOnA, 'session:consent', { sessionId, allow: true }));
    const store = createRedisSessionStore(observer);
    const owners = (await store.get(sessionId))?.owners;
    assert.equal(owners?.helper?.node, owners?.sharer?.node, 'both members are on node A');

    a!.child.kill('SIGKILL');
    await once(a!.child, 'exit');

    // The helper's console reconnects to node B and resumes; node B finds the sharer away (now, or once
    // node A's liveness key has expired and its sweep has noticed).
    const helperOnB = await connect(nodeB, helperToken);
    const sharerAway = next(helperOnB, 'session:peer', (p) => p.sessionId === sessionId && p.role === 'sharer' && !p.present, 20_000);
    const ended = next(helperOnB, 'session:ended', (e) => e.sessionId === sessionId, 40_000);
    const resumed = valueOf(await request(helperOnB, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(resumed.state, 'sharing');
    if (resumed.peer?.present !== false) assert.equal((await sharerAway).away, 'connection');

    const end = await ended;
    assert.deepEqual({ by: end.by, reason: end.reason }, { by: 'sharer', reason: 'connection-lost' });
    await waitFor(async () => (await b!.relay.reports.list(demoTenants.contoso.id, {})).items.some((r) => r.sessionId === sessionId), 5000, 'no report');
    const reports = (await b!.relay.reports.list(demoTenants.contoso.id, {})).items.filter((r) => r.sessionId === sessionId);
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0]?.gaps?.filter((g) => g.role === 'sharer').map((g) => [g.reason, g.to]), [['connection', null]]);
  });
});
