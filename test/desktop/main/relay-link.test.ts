// Desktop main's socket to the relay, against a real Socket.IO server on port 0 standing in for the
// relay: a refused handshake (a stale token) is tried again with a fresh token on the next request,
// and what the relay pushes reaches the renderer under the relay's own event names, checked.
import assert from 'node:assert/strict';
import type { Server, Socket as ServerSocket } from 'socket.io';
import { ok, resumingAuthKey, type Ack, type DesktopEvent } from '#protocol';
import { createRelayLink, type RelayLink } from '#desktop/main/relay-link.js';
import { startStandInRelay, type StandInRelay } from '../../support/stand-in-relay.js';

describe('desktop main\u2019s relay link', () => {
  let standIn: StandInRelay;
  let relay: Server;
  let relayUrl: string;
  let link: RelayLink | undefined;

  beforeEach(async () => {
    standIn = await startStandInRelay();
    ({ io: relay, url: relayUrl } = standIn);
  });
  afterEach(async () => {
    link?.disconnect();
    await standIn.close();
  });

  it('answers unauthenticated before it was connected', async () => {
    link = createRelayLink({ relayUrl, ca: undefined, accessToken: async () => 'x', emit: () => undefined });
    const res = await link.request('session:end', { sessionId: 's1' });
    assert.equal(!res.ok && res.error.code, 'unauthenticated');
  });

  it('after a refused handshake, connects again with a fresh token on the next request', async () => {
    const tokens = ['stale', 'fresh'];
    const seenTokens: string[] = [];
    relay.use((socket, next) => {
      const token = String((socket.handshake.auth as { token?: unknown }).token);
      seenTokens.push(token);
      next(token === 'fresh' ? undefined : new Error('unauthenticated'));
    });
    relay.on('connection', (socket) => socket.on('session:end', (_req: unknown, ack: (res: unknown) => void) => ack(ok(null))));
    // The client closes its connection once it has taken the refusal in: then the link knows.
    const refusalTakenIn = new Promise<void>((resolve) => relay.engine.once('connection', (raw: { once(e: 'close', l: () => void): void }) => raw.once('close', resolve)));
    const events: DesktopEvent[] = [];
    link = createRelayLink({ relayUrl, ca: undefined, accessToken: async () => tokens.shift() ?? 'none', emit: (e) => events.push(e) });
    link.connect();
    await refusalTakenIn;
    assert.deepEqual(seenTokens, ['stale']);
    assert.equal(link.connected(), false);

    assert.deepEqual(await link.request('session:end', { sessionId: 's1' }), ok(null));
    assert.deepEqual(seenTokens, ['stale', 'fresh']);
    assert.equal(link.connected(), true);
    assert.deepEqual(events, [{ type: 'connection', payload: { connected: true } }]);
  });

  it('answers too-many-connections while the relay refuses this person\u2019s connections, without knocking again on every request', async () => {
    let handshakes = 0;
    relay.use((_socket, next) => {
      handshakes++;
      next(Object.assign(new Error('too many connections'), { data: { code: 'too-many-connections' } }));
    });
    const refusalTakenIn = new Promise<void>((resolve) => relay.engine.once('connection', (raw: { once(e: 'close', l: () => void): void }) => raw.once('close', resolve)));
    link = createRelayLink({ relayUrl, ca: undefined, accessToken: async () => 'token', emit: () => undefined });
    link.connect();
    await refusalTakenIn;
    for (let i = 0; i < 5; i++) {
      const res: Ack<null> = await link.request('session:end', { sessionId: 's1' });
      assert.equal(!res.ok && res.error.code, 'too-many-connections', 'the console can say why');
    }
    assert.equal(handshakes, 1, 'five requests, no new handshake while the pause lasts');
  });

  it('after overloaded at the handshake, connects again by itself after a wait, and tells the console meanwhile', async () => {
    let refusals = 2;
    relay.use((_socket, next) => {
      if (refusals-- > 0) return next(Object.assign(new Error('at capacity'), { data: { code: 'overloaded' } }));
      next();
    });
    const waits: number[] = [];
    let over = 0;
    const toldOver = new Promise<void>((resolve) => {
      link = createRelayLink({
        relayUrl, ca: undefined, accessToken: async () => 'token', emit: () => undefined, overloadBackoff: { baseMs: 20, maxMs: 100 },
        onOverloaded: (ms) => waits.push(ms),
        onOverloadOver: () => {
          over++;
          resolve();
        },
      });
    });
    link!.connect();
    await toldOver;
    assert.equal(waits.length, 2);
    assert.ok(waits.every((ms) => ms <= 100));
    // Once in, the console's status line is told the waiting is over, once.
    assert.ok(link!.connected());
    assert.equal(over, 1);
  });

  it('says at each handshake whether the console is in a live session: after a create, until its end', async () => {
    const said: unknown[] = [];
    relay.use((socket, next) => {
      said.push((socket.handshake.auth as Record<string, unknown>)[resumingAuthKey]);
      next();
    });
    const sockets: ServerSocket[] = [];
    relay.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('session:create', (_req: unknown, ack: (res: unknown) => void) =>
        ack(ok({ sessionId: 's1', code: '12345678', link: 'https://relay.example/rh?passcode=12345678', expiresAt: new Date().toISOString() })));
    });
    const connections: boolean[] = [];
    const connectedTimes = (n: number) => new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (connections.filter(Boolean).length < n) return;
        clearInterval(check);
        resolve();
      }, 10);
    });
    const ended = new Promise<void>((resolve) => {
      link = createRelayLink({
        relayUrl, ca: undefined, accessToken: async () => 'token',
        emit: (e) => {
          if (e.type === 'connection') connections.push(e.payload.connected);
          if (e.type === 'session:ended') resolve();
        },
      });
    });
    link!.connect();
    await connectedTimes(1);
    assert.ok((await link!.request('session:create', {})).ok);
    // The network drops (the relay closes the transport): the link reconnects by itself, in a session.
    sockets.at(-1)!.conn.close();
    await connectedTimes(2);
    sockets.at(-1)!.emit('session:ended', { sessionId: 's1', by: 'sharer', reason: 'left' });
    await ended;
    sockets.at(-1)!.conn.close();
    await connectedTimes(3);
    assert.deepEqual(said, [false, true, false]);
  });

  it('passes the relay\u2019s events on under their own names, and drops a malformed one', async () => {
    relay.on('connection', (socket) => {
      socket.emit('session:ended', { sessionId: 's1', by: 'sharer', reason: 'gone fishing' });
      socket.emit('session:state', { sessionId: 's1' });
      socket.emit('session:ended', { sessionId: 's1', by: 'sharer', reason: 'left' });
    });
    const events: DesktopEvent[] = [];
    const ended = new Promise<void>((resolve) => {
      link = createRelayLink({
        relayUrl, ca: undefined, accessToken: async () => 't',
        emit: (e) => {
          events.push(e);
          if (e.type === 'session:ended') resolve();
        },
      });
    });
    link!.connect();
    await ended;
    assert.deepEqual(events, [
      { type: 'connection', payload: { connected: true } },
      { type: 'session:ended', payload: { sessionId: 's1', by: 'sharer', reason: 'left' } },
    ]);
  });
});
