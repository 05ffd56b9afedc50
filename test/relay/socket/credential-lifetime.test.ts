import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { io } from 'socket.io-client';
import { demoPassword } from '#relay/directory/index.js';
import { sessionTtlMs } from '#relay/identity/web-sessions.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { connected, demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { webSignIn } from '../../support/sign-in.js';

function disconnected(s: ClientSocket): Promise<string> {
  return new Promise((resolve) => s.once('disconnect', (reason) => resolve(reason)));
}

describe('a socket keeps only as long as what it signed in with', function () {
  describe('web sessions', () => {
    let relay: TestRelay;
    before(async () => {
      relay = await startTestRelay();
    });
    after(async () => relay?.stop());

    const page = (cookie: string) => connected(relay.socket(undefined, { headers: { cookie, origin: relay.url } }));

    it('disconnects every tab of a web session when one of them signs out, and no other session', async () => {
      const [cookie, otherBrowser] = await Promise.all([
        webSignIn(relay.url, demo.contosoHelper, demoPassword, relay.caPem),
        webSignIn(relay.url, demo.contosoHelper, demoPassword, relay.caPem),
      ]);
      const [tab1, tab2, elsewhere] = await Promise.all([page(cookie), page(cookie), page(otherBrowser)]);
      const gone = [disconnected(tab1), disconnected(tab2)];

      const out = await httpsRequest(`${relay.url}/auth/signout`, relay.caPem, { method: 'POST', headers: { cookie, origin: relay.url } });
      assert.equal(out.status, 200);
      assert.deepEqual(await Promise.all(gone), ['io server disconnect', 'io server disconnect']);

      // The other browser's session is its own: still connected and answered.
      assert.ok(elsewhere.connected);
      valueOf(await request(elsewhere, 'session:create', {}));
      // And the signed-out cookie opens no socket any more.
      const again = await page(cookie).then(() => undefined, (e: Error & { data?: { code?: string } }) => e);
      assert.equal(again?.data?.code, 'unauthenticated');
    });
  });

  describe('access tokens', () => {
    let relay: TestRelay;
    /** The relay's clock runs this far ahead: a token then has only moments left. */
    let ahead = 0;
    before(async () => {
      relay = await startTestRelay({}, { clock: { now: () => Date.now() + ahead } });
    });
    after(async () => relay?.stop());

    it('closes a console socket when its token expires; the console comes back with a fresh token', async () => {
      const token = await relay.token(demo.contosoHelper);
      const expiresAt = decodeJwt(token).exp! * 1000;
      let handshakes = 0;
      const consoleSocket: ClientSocket = io(relay.url, {
        transports: ['websocket'], ca: relay.caPem, autoConnect: false, forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 100,
        // As the console does: the auth callback runs on every (re)connect and brings the current token.
        auth: (cb) => {
          handshakes++;
          cb({ token });
        },
      });
      try {
        ahead = expiresAt - Date.now() - 300; // the relay's "now" is 300 ms before this token's exp
        await connected(consoleSocket);
        const reason = await disconnected(consoleSocket);
        assert.equal(reason, 'transport close'); // a dropped line to the client: socket.io reconnects by itself
        ahead = 0; // the console's next token is valid for its full lifetime
        await new Promise<void>((resolve) => consoleSocket.once('connect', () => resolve()));
        assert.equal(handshakes, 2);
        valueOf(await request(consoleSocket, 'session:create', {}));
        assert.ok(relay.logLines.some((l) => l.includes('socket token expired')));
      } finally {
        ahead = 0;
        consoleSocket.disconnect();
      }
    });

    it('keeps the console\'s session across the renewal: the sharer sees it away a moment, then back', async () => {
      const token = await relay.token(demo.contosoHelper);
      const expiresAt = decodeJwt(token).exp! * 1000;
      const consoleSocket: ClientSocket = io(relay.url, {
        transports: ['websocket'], ca: relay.caPem, autoConnect: false, forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 100,
        auth: (cb) => cb({ token }),
      });
      const sharer = await relay.connect(demo.contosoSharer);
      try {
        // The relay's "now" is 3 s before this token's exp: time enough to create and join first.
        ahead = expiresAt - Date.now() - 3000;
        const away = next(sharer, 'session:peer', (p) => !p.present, 10_000);
        const reconnected = new Promise<void>((resolve) => consoleSocket.io.once('reconnect', () => resolve()));
        await connected(consoleSocket);
        const created = valueOf(await request(consoleSocket, 'session:create', {}));
        const sessionId = created.sessionId;
        valueOf(await request(sharer, 'session:join', { code: created.code }));
        assert.deepEqual([(await away).sessionId, (await away).away], [sessionId, 'connection']);
        ahead = 0;
        await reconnected;
        const back = next(sharer, 'session:peer', (p) => p.sessionId === sessionId && p.present);
        const resumed = valueOf(await request(consoleSocket, 'session:resume', { sessionId, afterSeq: 0 }));
        assert.equal(resumed.state, 'joined');
        await back;
        valueOf(await request(consoleSocket, 'session:end', { sessionId }));
      } finally {
        ahead = 0;
        consoleSocket.disconnect();
        sharer.disconnect();
      }
    });
  });

  describe('web sessions that expire', () => {
    let relay: TestRelay;
    /** The relay's clock runs this far ahead: a web session then has only moments left. */
    let ahead = 0;
    before(async () => {
      relay = await startTestRelay({}, { clock: { now: () => Date.now() + ahead } });
    });
    after(async () => relay?.stop());

    it('disconnects a page\'s socket when its web session expires, and the cookie opens none after', async () => {
      const cookie = await webSignIn(relay.url, demo.contosoSharer, demoPassword, relay.caPem);
      const signedInBy = Date.now();
      const page = () => connected(relay.socket(undefined, { headers: { cookie, origin: relay.url } }));
      try {
        // The session lives 12 hours from its callback: the relay's "now" is a moment before its end.
        ahead = signedInBy + sessionTtlMs - 1500 - Date.now();
        const tab = await page();
        assert.equal(await disconnected(tab), 'io server disconnect');
        assert.ok(relay.logLines.some((l) => l.includes('web session expired')));
        const again = await page().then(() => undefined, (e: Error & { data?: { code?: string } }) => e);
        assert.equal(again?.data?.code, 'unauthenticated');
      } finally {
        ahead = 0;
      }
    });
  });
});
