// Two relay nodes behind one public address (DESIGN §12): the same data folder (one SQLite directory, one
// set of provider keys, one certificate) and one Redis, through each node's own client. A web sign-in
// started on node A is finished on node B, whose cookie both nodes accept; signing out on one node ends
// the session on the other. Requests are aimed at each node's own port, as a load balancer would send them.
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSessionInfo } from '#protocol';
import { loadConfig } from '#relay/config.js';
import { createDirectory, demoPassword, seedDemoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { connectRedis, type RedisClient } from '#relay/live/redis-client.js';
import { createMemoryLog } from '#relay/log.js';
import { systemClock } from '#relay/ports.js';
import { startRelay, type Relay } from '#relay/start-relay.js';
import { CookieJar, httpsRequest, parseForm, type HttpsResponse } from '../../support/https-fetch.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { connected, demo, type ClientSocket } from '../../support/relay.js';

interface Node { relay: Relay; redis: RedisClient; directory: DirectoryStore }

describe('a web sign-in across two relay nodes sharing Redis', function () {
  let server: RedisServer;
  let dataDir: string;
  let a: Node;
  let b: Node;
  let ca: string;
  let publicUrl: string;

  const startNode = async (env: Record<string, string>): Promise<Node> => {
    const config = loadConfig({ RH_PORT: '0', RH_HOST: 'localhost', RH_DATA_DIR: dataDir, RH_WEB_DIST: join(dataDir, 'no-web'), ...env });
    const log = createMemoryLog();
    const redis = await connectRedis(server.url, log);
    const directory = createDirectory({ dataDir });
    const relay = await startRelay({ config, directory, log, clock: systemClock, redis });
    return { relay, redis, directory };
  };
  const stopNode = async (node: Node | undefined): Promise<void> => {
    await node?.relay.close();
    node?.directory.close();
    node?.redis.destroy();
  };

  before(async () => {
    server = await startRedisServer();
    dataDir = mkdtempSync(join(tmpdir(), 'rh-nodes-'));
    const seeding = createDirectory({ dataDir });
    await seedDemoTenants(seeding);
    seeding.close();
    // Node A first: it makes the data folder's keys and certificate, which node B then reads. Both name
    // node A's origin as the public address, as both would name the load balancer's.
    a = await startNode({});
    publicUrl = a.relay.url;
    b = await startNode({ RH_PUBLIC_URL: publicUrl });
    ca = readFileSync(a.relay.caCertPath!, 'utf8');
  });
  after(async () => {
    await stopNode(b);
    await stopNode(a);
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The same address on this node's own port. */
  const on = (node: Node, url: string): string => {
    const u = new URL(url, publicUrl);
    u.port = String(node.relay.port);
    return u.href;
  };
  /** Follows redirects on one node. */
  const follow = async (node: Node, res: HttpsResponse, jar: CookieJar): Promise<{ res: HttpsResponse; url: string | undefined }> => {
    let url: string | undefined;
    for (let hops = 0; res.location && hops < 10; hops++) {
      url = on(node, res.location);
      res = await httpsRequest(url, ca, {}, jar);
    }
    return { res, url };
  };
  const me = async (node: Node, cookie: string): Promise<WebSessionInfo> =>
    JSON.parse((await httpsRequest(on(node, '/auth/me'), ca, { headers: { cookie } })).body) as WebSessionInfo;

  /** Starts on node A (the email step, the provider's authorize, its sign-in page); the sign-in page's
   * form is posted to node B, which also answers the provider's form_post callback. */
  const signInAcross = async (email: string): Promise<string> => {
    const jar = new CookieJar();
    const start = await httpsRequest(on(a, '/auth/signin?returnTo=%2Frh'), ca, {}, jar);
    const emailStep = parseForm(start.body, publicUrl)!;
    const authorize = await httpsRequest(on(a, emailStep.action), ca, { form: { ...emailStep.fields, email } }, jar);
    assert.ok(authorize.location, 'the email step sends the browser to the provider');
    const loginPage = await follow(a, authorize, jar);
    assert.match(loginPage.res.body, /name="password"/, 'node A shows the provider\'s sign-in page');
    const login = parseForm(loginPage.res.body, loginPage.url!)!;

    const posted = await httpsRequest(on(b, login.action), ca, { form: { email, password: demoPassword } }, jar);
    const answered = await follow(b, posted, jar);
    const callback = parseForm(answered.res.body, publicUrl);
    assert.ok(callback);
    assert.equal(new URL(callback.action).pathname, '/auth/callback', `the provider on node B answers with its form_post: ${answered.res.body.slice(0, 300)}`);
    const done = await httpsRequest(on(b, callback.action), ca, { form: callback.fields }, jar);
    assert.equal(done.status, 303, `node B's callback signs in: ${done.body.slice(0, 300)}`);
    assert.equal(new URL(done.location!).pathname, '/rh', 'back on the page the sign-in started from');
    return `rh_session=${jar.get('rh_session')}`;
  };

  it('starts on node A, finishes on node B, and the cookie is accepted by both', async () => {
    const cookie = await signInAcross(demo.contosoSharer);
    for (const node of [a, b]) {
      const info = await me(node, cookie);
      assert.equal(info.signedIn, true);
      assert.equal(info.signedIn && info.upn, demo.contosoSharer);
    }
    // The provider's state went to Redis, not to the shared data folder's SQLite.
    assert.equal(existsSync(join(dataDir, 'identity', 'provider.db')), false);
  });

  it('signs out on one node: the other no longer knows the session, and a page socket there is refused', async () => {
    const cookie = await signInAcross(demo.contosoHelper);
    const socketOnA = (): ClientSocket => io(a.relay.url, {
      transports: ['websocket'], ca, autoConnect: false, reconnection: false, forceNew: true,
      extraHeaders: { cookie, origin: publicUrl },
    });
    const before = await connected(socketOnA());
    before.disconnect();

    const out = await httpsRequest(on(b, '/auth/signout'), ca, { method: 'POST', headers: { cookie, origin: publicUrl } });
    assert.equal(out.status, 200);
    assert.deepEqual(await me(a, cookie), { signedIn: false });
    assert.deepEqual(await me(b, cookie), { signedIn: false });
    const refused = await connected(socketOnA()).then((s) => (s.disconnect(), undefined), (e: Error & { data?: { code?: string } }) => e);
    assert.equal(refused?.data?.code, 'unauthenticated');
  });

  it('keeps an account\'s tokens for its other session when one signs out, and removes them with the last', async () => {
    const first = await signInAcross(demo.contosoAdmin);
    const second = await signInAcross(demo.contosoAdmin);
    await httpsRequest(on(a, '/auth/signout'), ca, { method: 'POST', headers: { cookie: first, origin: publicUrl } });
    for (const node of [a, b]) assert.equal((await me(node, second)).signedIn, true);
    assert.equal(await cachedAccounts(demo.contosoAdmin), 1);

    await httpsRequest(on(b, '/auth/signout'), ca, { method: 'POST', headers: { cookie: second, origin: publicUrl } });
    assert.deepEqual(await me(a, second), { signedIn: false });
    assert.equal(await cachedAccounts(demo.contosoAdmin), 0, 'no tokens of the account are left in the shared cache');
  });

  /** How many of MSAL's cached accounts in Redis are this user's. */
  const cachedAccounts = async (upn: string): Promise<number> => {
    const blobs = await Promise.all((await a.redis.keys('rh:msal:*')).map((k) => a.redis.get(k)));
    return blobs.flatMap((blob) => Object.values((JSON.parse(blob ?? '{}') as { Account?: Record<string, { username?: string }> }).Account ?? {}))
      .filter((account) => account.username === upn).length;
  };
});
