// A node past its capacity (issue 12) refuses what is new — connections, sessions created or joined —
// with `overloaded`, and the sessions it holds go on; a stalled event loop does not drop every socket
// by ping timeout.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { resumingAuthKey, type PeerStatus } from '#protocol';
import { createMemoryLog } from '#relay/log.js';
import { createForcedOverload, createOverloadProbe, shedTcp } from '#relay/socket/overload.js';
import { keepLoopBusy } from '../../support/busy-loop.js';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

const errorOf = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

/** One handshake, not tried again: 'connected', or the code it was refused with. */
async function handshakeOnce(t: TestRelay, how: Record<string, unknown> | ClientSocket): Promise<string> {
  const s = 'connect' in how && typeof how.connect === 'function' ? how as ClientSocket : t.socket(how as Record<string, unknown>);
  const outcome = await new Promise<string>((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e: Error & { data?: { code?: string } }) => resolve(e.data?.code ?? e.message));
    s.connect();
  });
  if (outcome !== 'connected') s.disconnect();
  return outcome;
}

async function sharingSession(helper: ClientSocket, sharer: ClientSocket): Promise<string> {
  const created = valueOf(await request(helper, 'session:create', {}));
  valueOf(await request(sharer, 'session:join', { code: created.code }));
  valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
  return created.sessionId;
}

describe('a relay past its capacity', function () {
  this.timeout(30_000);
  const overload = createForcedOverload();
  const pingIntervalMs = 4000;
  const pingTimeoutMs = 1000;
  let t: TestRelay;
  before(async () => {
    // Pings far apart against their timeout, so that the clients' own wait (interval + timeout) outlasts
    // the stall below; the clients share this process and its stalled loop, unlike real ones.
    t = await startTestRelay({ RH_PING_INTERVAL_MS: String(pingIntervalMs), RH_PING_TIMEOUT_MS: String(pingTimeoutMs), RH_RECONNECT_GRACE_MS: '30000' }, { overload });
    // Tokens first: past capacity a sign-in is refused too (test/relay/identity/sign-in-while-busy.test.ts).
    await Promise.all([t.token(demo.contosoHelper), t.token(demo.contosoSharer), t.token(demo.fabrikamHelper)]);
  });
  after(async () => t?.stop());
  afterEach(() => overload.set(false));

  it('refuses new connections, new sessions and joins with overloaded while a live session keeps chatting', async () => {
    const helper = await t.connect(demo.contosoHelper);
    const sharer = await t.connect(demo.contosoSharer);
    const sessionId = await sharingSession(helper, sharer);
    const waiting = valueOf(await request(helper, 'session:create', {}));

    overload.set(true);
    assert.equal(await handshakeOnce(t, { token: await t.token(demo.contosoSharer) }), 'overloaded');
    assert.equal(errorOf(await request(helper, 'session:create', {})), 'overloaded');
    assert.equal(errorOf(await request(sharer, 'session:join', { code: waiting.code })), 'overloaded');

    const arrived = next(sharer, 'chat:message', (m) => m.sessionId === sessionId && m.text === 'still here?');
    const sent = valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still here?' }));
    assert.equal((await arrived).seq, sent.seq);
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'yes' }));

    // Capacity back: the same requests go through.
    overload.set(false);
    assert.equal(await handshakeOnce(t, { token: await t.token(demo.contosoSharer) }), 'connected');
    valueOf(await request(sharer, 'session:join', { code: waiting.code }));
    valueOf(await request(helper, 'session:end', { sessionId }));
    helper.disconnect();
    sharer.disconnect();
  });

  it('lets a member whose connection dropped back into their live session, where anyone else is refused', async () => {
    const helper = await t.connect(demo.contosoHelper);
    const sharer = await t.connect(demo.contosoSharer);
    const sessionId = await sharingSession(helper, sharer);
    valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'before the drop' }));

    overload.set(true);
    const away = next(helper, 'session:peer', (p) => p.sessionId === sessionId && !p.present);
    sharer.disconnect();
    await away;
    // Without saying so, the sharer is refused as anyone new is; saying so, they are in.
    const sharerToken = await t.token(demo.contosoSharer);
    assert.equal(await handshakeOnce(t, { token: sharerToken }), 'overloaded');
    const back = t.socket({ token: sharerToken, [resumingAuthKey]: true });
    assert.equal(await handshakeOnce(t, back), 'connected');
    const present = next(helper, 'session:peer', (p) => p.sessionId === sessionId && p.present);
    const resumed = valueOf(await request(back, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(resumed.state, 'sharing');
    assert.deepEqual(resumed.messages.map((m) => m.text), ['before the drop'], 'the chat held for them');
    await present;
    const arrived = next(back, 'chat:message', (m) => m.sessionId === sessionId && m.text === 'welcome back');
    valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'welcome back' }));
    await arrived;
    // Back in their session, not let in to start another: that is still new work.
    assert.equal(errorOf(await request(back, 'session:create', {})), 'overloaded');

    // Someone in no live session who says they resume one is refused all the same, once they are known.
    const fabrikamToken = await t.token(demo.fabrikamHelper);
    assert.equal(await handshakeOnce(t, { token: fabrikamToken, [resumingAuthKey]: true }), 'overloaded');
    assert.ok(t.logLines.some((l) => l.includes('said to resume a session they are not in')), 'the refusal is logged');

    overload.set(false);
    valueOf(await request(helper, 'session:end', { sessionId }));
    helper.disconnect();
    back.disconnect();
  });

  it('keeps every socket and the session through an event-loop stall of twice the ping timeout: nobody is told the other went', async () => {
    // Half a ping interval apart, so that only the helper's heartbeat falls in the stall (a real client's
    // loop is not stalled with the relay's; these share it).
    const sharer = await t.connect(demo.contosoSharer);
    await new Promise((r) => setTimeout(r, pingIntervalMs / 2));
    const helper = await t.connect(demo.contosoHelper);
    const sessionId = await sharingSession(helper, sharer);
    const peers: PeerStatus[] = [];
    helper.on('session:peer', (p) => peers.push(p));
    sharer.on('session:peer', (p) => peers.push(p));

    // Right as the relay pings the helper, the loop is blocked (as by a burst of work) for twice the time
    // the pong is waited for: the pong sits unread meanwhile.
    const relaySocket = t.relay.io!.of('/').sockets.get(helper.id ?? '');
    assert.ok(relaySocket, 'the relay does not know the helper\'s socket');
    await new Promise<void>((resolve) => {
      const onPacket = (packet: { type: string }) => {
        if (packet.type !== 'ping') return;
        relaySocket.conn.off('packetCreate', onPacket);
        // After the ping is written and its timeout armed.
        setImmediate(() => {
          const until = Date.now() + 2 * pingTimeoutMs;
          while (Date.now() < until) { /* the stall */ }
          resolve();
        });
      };
      relaySocket.conn.on('packetCreate', onPacket);
    });
    // Another heartbeat on a loop that runs on time.
    await new Promise((r) => setTimeout(r, pingIntervalMs + pingTimeoutMs));
    assert.ok(helper.connected && sharer.connected, 'a socket was dropped');
    assert.deepEqual(peers, [], 'a member was reported away');
    const arrived = next(sharer, 'chat:message', (m) => m.sessionId === sessionId && m.text === 'after the stall');
    valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'after the stall' }));
    await arrived;
    valueOf(await request(helper, 'session:end', { sessionId }));
  });
});

describe('the overload probe', () => {
  it('counts a node holding more connections than its capacity as overloaded, and not at or below it', () => {
    let connections = 3;
    const probe = createOverloadProbe({ capacity: { maxConnections: 2, overloadLagMs: 200 }, connections: () => connections, log: createMemoryLog() });
    try {
      assert.equal(probe.reason(), 'connections');
      connections = 2;
      assert.equal(probe.reason(), undefined);
    } finally {
      probe.close();
    }
  });

  it('counts an event loop running late as overloaded, one far behind as severe (TCP shed), and takes work again once the hold is over', async () => {
    const severe: boolean[] = [];
    const log = createMemoryLog();
    const probe = createOverloadProbe({
      capacity: { maxConnections: 100, overloadLagMs: 50 }, connections: () => 0, log,
      sampleMs: 100, holdMs: 1000, onSevere: (on) => severe.push(on),
    });
    try {
      assert.equal(probe.reason(), undefined);
      // Behind all the time for 1.5 s (not one pause, which the window's mean forgives): turns of 300 ms
      // of work, each timer a whole turn late; the mean delay is far past 50 ms, and past 4 × 50 ms.
      const busy = keepLoopBusy(300);
      await new Promise((r) => setTimeout(r, 1500));
      await busy.stop();
      assert.equal(probe.reason(), 'event-loop');
      assert.deepEqual(severe, [true], 'told to stop taking TCP connections');
      assert.ok(log.lines.some((l) => l.includes('relay overloaded: refusing new connections and sessions')), log.lines.join('\n'));
      // Calm again: the hold runs out and the node takes work (and TCP connections) again.
      const deadline = Date.now() + 10_000;
      while ((probe.reason() !== undefined || severe.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(probe.reason(), undefined);
      assert.deepEqual(severe, [true, false]);
    } finally {
      probe.close();
    }
  });
});

describe('shedding TCP when the relay is far behind', () => {
  it('closes new connections as they come while the ones open stay, and takes new ones again after', async () => {
    const server = createServer((c) => c.on('data', (d) => c.write(d)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const open = async (): Promise<Socket> => {
      const c = connect(port, '127.0.0.1');
      await once(c, 'connect');
      return c;
    };
    const shed = shedTcp(server);
    try {
      const existing = await open();
      shed(true);
      await new Promise((r) => setTimeout(r, 50)); // getConnections answers asynchronously
      const refused = await open();
      await once(refused, 'close');
      existing.write('still here');
      assert.equal(String((await once(existing, 'data'))[0]), 'still here');
      shed(false);
      const again = await open();
      again.write('back');
      assert.equal(String((await once(again, 'data'))[0]), 'back');
      for (const c of [existing, again]) c.destroy();
    } finally {
      server.close();
    }
  });
});
