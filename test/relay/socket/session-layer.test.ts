// The session layer over the live relay where timing is the enemy: a burst of joins on one socket, a
// member whose socket goes away while its request is still being decided, a socket flooding events,
// and the client address behind a TLS-terminating proxy.
import assert from 'node:assert/strict';
import type { Ack, CaRule } from '#protocol';
import { ConfigError, loadConfig } from '#relay/config.js';
import type { RelaySocket } from '#relay/socket/types.js';
import { connected, demo, gatedStore, next, rawRequest, request, startTestRelay, valueOf, whyEnded, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { waitFor } from '../../support/wait.js';
import { adminCall, caRule, errorCode } from '../../support/policy-calls.js';

const outcome = (ack: Ack<unknown>) => (ack.ok ? 'ok' : ack.error.code);
function tally(acks: Ack<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of acks) counts[outcome(a)] = (counts[outcome(a)] ?? 0) + 1;
  return counts;
}

/** The relay's end of a client socket, to wait until the relay itself has seen it go. */
function serverSide(t: TestRelay, client: ClientSocket): RelaySocket {
  const s = t.relay.io.of('/').sockets.get(client.id ?? '');
  assert.ok(s, 'the relay does not know this socket');
  return s as RelaySocket;
}
async function disconnectAndWait(t: TestRelay, client: ClientSocket): Promise<void> {
  const server = serverSide(t, client);
  const gone = new Promise<void>((resolve) => server.once('disconnect', () => resolve()));
  client.disconnect();
  await gone;
}

describe('the session layer under pressure', function () {
  describe('join limits', () => {
    let t: TestRelay;
    before(async () => (t = await startTestRelay()));
    after(async () => t?.stop());

    it('answers 50 simultaneous wrong codes on one socket with at most the limit of code-invalid, the rest rate-limited', async () => {
      const sharer = await t.connect(demo.contosoSharer);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => request(sharer, 'session:join', { code: `zz${String(i).padStart(6, '0')}` })));
      assert.deepEqual(tally(results), { 'code-invalid': 5, 'rate-limited': 45 });
      sharer.disconnect();
    });
  });

  describe('a member gone before the answer', () => {
    it('ends a session whose sharer left while the join was being decided: the helper is told', async () => {
      const gate = gatedStore('claimCode');
      const t = await startTestRelay({}, { store: gate.store });
      try {
        const helper = await t.connect(demo.contosoHelper);
        const sharer = await t.connect(demo.contosoSharer);
        const created = valueOf(await request(helper, 'session:create', {}));
        const held = gate.arm();
        const ended = next(helper, 'session:ended', (e) => e.sessionId === created.sessionId);
        sharer.emit('session:join', { code: created.code }, () => undefined);
        await held.reached;
        await disconnectAndWait(t, sharer);
        held.release();
        assert.deepEqual(whyEnded(await ended), { sessionId: created.sessionId, by: 'sharer', reason: 'left' });
      } finally {
        await t.stop();
      }
    });

    it('ends a session whose helper left while it was being created, instead of leaving it open', async () => {
      const gate = gatedStore('insert');
      const t = await startTestRelay({}, { store: gate.store });
      try {
        const helper = await t.connect(demo.contosoHelper);
        const held = gate.arm();
        helper.emit('session:create', {}, () => undefined);
        await held.reached;
        await disconnectAndWait(t, helper);
        held.release();
        await waitFor(() => t.logLines.some((l) => l.includes('session ended')), 5000, 'the session created for a gone helper never ended');
        assert.deepEqual(await gate.store.liveSessions(), []);
      } finally {
        await t.stop();
      }
    });
  });

  describe('a socket flooding events', () => {
    let t: TestRelay;
    before(async () => (t = await startTestRelay()));
    after(async () => t?.stop());

    it('answers rate-limited past its budget, stays connected, and is served again once it slows down', async () => {
      const s = await t.connect(demo.contosoSharer);
      const flood = await Promise.all(Array.from({ length: 300 }, () => rawRequest(s, 'signal:send', { sessionId: 'nope', signal: { candidate: { candidate: '' } } })));
      const counts = tally(flood);
      assert.ok((counts['rate-limited'] ?? 0) > 0, `no event was refused: ${JSON.stringify(counts)}`);
      assert.ok((counts['not-found'] ?? 0) >= 100, `the burst allowance was not served: ${JSON.stringify(counts)}`);
      assert.equal(s.connected, true);
      // The bucket refills: a request a moment later is decided again.
      await waitFor(async () => outcome(await rawRequest(s, 'signal:send', { sessionId: 'nope', signal: { candidate: { candidate: '' } } })) === 'not-found',
        5000, 'the socket was never served again');
      s.disconnect();
    });
  });

  describe('the client address behind a proxy (RH_TRUST_PROXY)', () => {
    const blockDocNet = caRule({ name: 'Block TEST-NET-3', appliesTo: 'helper', conditions: { ipRanges: ['203.0.113.0/24'] }, grant: 'block' });
    const viaProxy = { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' };

    async function createThroughProxy(t: TestRelay): Promise<Ack<unknown>> {
      valueOf((await adminCall<CaRule>(t, await t.token(demo.contosoAdmin), 'saveRule', blockDocNet)).ack);
      const helper = await connected(t.socket({ token: await t.token(demo.contosoHelper) }, { headers: viaProxy }));
      const created = await request(helper, 'session:create', {});
      helper.disconnect();
      return created;
    }

    it('is the first X-Forwarded-For entry when the proxy is trusted: its conditional-access IP rule applies', async () => {
      const t = await startTestRelay({ RH_TRUST_PROXY: 'true' });
      try {
        assert.equal(errorCode(await createThroughProxy(t)), 'policy-blocked');
        // Without the header the socket's own address (loopback) is used.
        const direct = await t.connect(demo.contosoHelper);
        valueOf(await request(direct, 'session:create', {}));
      } finally {
        await t.stop();
      }
    });

    it('is the socket\'s own address by default: the header is anyone\'s claim and changes nothing', async () => {
      const t = await startTestRelay();
      try {
        assert.equal(errorCode(await createThroughProxy(t)), 'ok');
      } finally {
        await t.stop();
      }
    });

    it('keeps join failures apart per forwarded address when trusted', async () => {
      const t = await startTestRelay({ RH_TRUST_PROXY: 'true', RH_JOIN_FAILURES_PER_ADDRESS: '2', RH_JOIN_FAILURES_PER_USER: '100' });
      try {
        const from = async (address: string) => connected(t.socket({ token: await t.token(demo.contosoSharer) }, { headers: { 'x-forwarded-for': address } }));
        const a = await from('198.51.100.1');
        const b = await from('198.51.100.2');
        for (let i = 0; i < 2; i++) assert.equal(errorCode(await request(a, 'session:join', { code: 'zzzzzzzz' })), 'code-invalid');
        assert.equal(errorCode(await request(a, 'session:join', { code: 'zzzzzzzz' })), 'rate-limited');
        assert.equal(errorCode(await request(b, 'session:join', { code: 'zzzzzzzz' })), 'code-invalid');
      } finally {
        await t.stop();
      }
    });

    it('is read as a boolean, false unless set', () => {
      assert.equal(loadConfig({}).trustProxy, false);
      assert.equal(loadConfig({ RH_TRUST_PROXY: 'true' }).trustProxy, true);
      assert.equal(loadConfig({ RH_TRUST_PROXY: '0' }).trustProxy, false);
      assert.throws(() => loadConfig({ RH_TRUST_PROXY: 'yes please' }), (e: unknown) => e instanceof ConfigError && /RH_TRUST_PROXY/.test(e.message));
    });
  });
});
