// The relay lets go of the upgrade request once a Socket.IO connection is made on a transport (memory,
// issue 12). A client that disconnects its Socket.IO session and connects again on the same WebSocket
// would then be seen without headers: behind a proxy, at the proxy's address (conditional-access IP
// ranges, limits per address) and with no user agent. So a second CONNECT on one transport is refused;
// socket.io-client never sends one (it opens a new transport).
import assert from 'node:assert/strict';
import { Socket as EngineSocket, type SocketOptions } from 'engine.io-client';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';

/** The next Socket.IO packet the relay sends on this transport (Engine.IO message, Socket.IO text encoding). */
function nextPacket(engine: EngineSocket): Promise<string> {
  return new Promise((resolve) => engine.once('message', (data) => resolve(String(data))));
}

describe('one Socket.IO connection per transport', function () {
  this.timeout(30_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay();
  });
  after(async () => t?.stop());

  it('connects once on a WebSocket, and refuses a second connect on the same one with a code', async () => {
    const token = await t.token(demo.contosoHelper);
    const engine = new EngineSocket(t.url, { transports: ['websocket'], path: '/socket.io/', ca: t.caPem } as Partial<SocketOptions> as SocketOptions);
    await new Promise<void>((resolve, reject) => {
      engine.once('open', () => resolve());
      engine.once('error', reject);
    });
    try {
      let reply = nextPacket(engine);
      engine.send(`0${JSON.stringify({ token })}`); // CONNECT to "/"
      assert.match(await reply, /^0\{"sid":/, 'the first connect is accepted');
      engine.send('1'); // DISCONNECT
      reply = nextPacket(engine);
      engine.send(`0${JSON.stringify({ token })}`);
      const refused = await reply;
      assert.match(refused, /^4/, `a CONNECT_ERROR, got ${refused}`);
      assert.equal((JSON.parse(refused.slice(1)) as { data?: { code?: string } }).data?.code, 'validation');
    } finally {
      engine.close();
    }
  });
});
