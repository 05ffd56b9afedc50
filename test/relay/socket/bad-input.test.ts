import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { limits } from '#protocol';
import {
  connected, demo, httpsGet, next, rawRequest, request, startTestRelay, valueOf, type ClientSocket, type TestRelay,
} from '../../support/relay.js';

/** The code the relay answered with, or 'ok'. */
const codeOf = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

describe('bad input thrown at a live relay', function () {
  let relay: TestRelay;
  // A healthy session that must keep working through all of it.
  let goodHelper: ClientSocket;
  let goodSharer: ClientSocket;
  let goodSession: string;
  // The one throwing things, and a session of its own to aim at.
  let attacker: ClientSocket;
  let sharer2: ClientSocket;
  let ownSession: string;

  before(async () => {
    relay = await startTestRelay();
    [goodHelper, goodSharer, attacker, sharer2] = await Promise.all([
      relay.connect(demo.contosoAdmin), relay.connect(demo.contosoSharer), relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer),
    ]);
    const good = valueOf(await request(goodHelper, 'session:create', {}));
    goodSession = good.sessionId;
    valueOf(await request(goodSharer, 'session:join', { code: good.code }));
    valueOf(await request(goodSharer, 'session:consent', { sessionId: goodSession, allow: true }));
    const own = valueOf(await request(attacker, 'session:create', {}));
    ownSession = own.sessionId;
    // Consent before join: the helper is never the one to consent, and nobody has joined.
    assert.equal(codeOf(await request(attacker, 'session:consent', { sessionId: ownSession, allow: true })), 'forbidden');
    assert.equal(codeOf(await request(sharer2, 'session:consent', { sessionId: ownSession, allow: true })), 'forbidden');
    // Signals before anyone joined.
    assert.equal(codeOf(await request(attacker, 'signal:send', { sessionId: ownSession, signal: { candidate: { candidate: 'x' } } })), 'wrong-state');
    valueOf(await request(sharer2, 'session:join', { code: own.code }));
  });
  after(async () => relay?.stop());

  async function healthyStillWorks(label: string) {
    const text = `still fine after ${label}`;
    const arrived = next(goodHelper, 'chat:message', (m) => m.text === text);
    const sent = await request(goodSharer, 'chat:send', { sessionId: goodSession, clientId: randomUUID(), text });
    assert.equal(codeOf(sent), 'ok', `the healthy session broke after ${label}`);
    await arrived;
  }

  const long = 'x'.repeat(limits.chatTextMax + 1);
  const cases: { name: string; event: string; args: unknown[]; code: string }[] = [
    { name: 'a string payload', event: 'session:create', args: ['hello'], code: 'validation' },
    { name: 'a number payload', event: 'session:join', args: [42], code: 'validation' },
    { name: 'a null payload', event: 'session:join', args: [null], code: 'validation' },
    { name: 'an array payload', event: 'chat:send', args: [[1, 2, 3]], code: 'validation' },
    { name: 'no payload at all', event: 'session:end', args: [], code: 'validation' },
    { name: 'a wrong type', event: 'session:create', args: [{ deviceId: 5 }], code: 'validation' },
    { name: 'an extra key', event: 'session:create', args: [{ deviceId: 'x', admin: true }], code: 'validation' },
    { name: 'a code with a letter outside Crockford base32 (U)', event: 'session:join', args: [{ code: 'ABCDEFGU' }], code: 'validation' },
    { name: 'a short code', event: 'session:join', args: [{ code: 'abc' }], code: 'validation' },
    { name: 'a prototype-polluting key', event: 'session:join', args: [JSON.parse('{"code":"abcdefgh","__proto__":{"x":1}}')], code: 'validation' },
    { name: 'a clientId that is no UUID', event: 'chat:send', args: [{ sessionId: 'x', clientId: 'nope', text: 'hi' }], code: 'validation' },
    { name: 'an empty chat text', event: 'chat:send', args: [{ sessionId: 'x', clientId: randomUUID(), text: '' }], code: 'validation' },
    { name: 'a too-long chat text', event: 'chat:send', args: [{ sessionId: 'x', clientId: randomUUID(), text: long }], code: 'payload-too-large' },
    { name: 'a bogus signal', event: 'signal:send', args: [{ sessionId: 'x', signal: { description: { type: 'rollback', sdp: '' } } }], code: 'validation' },
    { name: 'a negative afterSeq', event: 'session:resume', args: [{ sessionId: 'x', afterSeq: -1 }], code: 'validation' },
    { name: 'an unknown event', event: 'session:hijack', args: [{ sessionId: 'x' }], code: 'unknown-event' },
    { name: 'an unknown event with no payload', event: 'admin', args: [], code: 'unknown-event' },
    { name: 'a session that does not exist', event: 'chat:send', args: [{ sessionId: 'no-such-session', clientId: randomUUID(), text: 'hi' }], code: 'not-found' },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.code}`, async () => {
      assert.equal(codeOf(await rawRequest(attacker, c.event, ...c.args)), c.code);
      await healthyStillWorks(c.name);
    });
  }

  it('refuses events aimed at a session the sender is not in', async () => {
    const signal = { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } };
    assert.equal(codeOf(await request(attacker, 'signal:send', { sessionId: goodSession, signal })), 'forbidden');
    assert.equal(codeOf(await request(attacker, 'chat:send', { sessionId: goodSession, clientId: randomUUID(), text: 'let me in' })), 'forbidden');
    assert.equal(codeOf(await request(attacker, 'session:end', { sessionId: goodSession })), 'forbidden');
    assert.equal(codeOf(await request(attacker, 'session:resume', { sessionId: goodSession, afterSeq: 0 })), 'forbidden');
    assert.equal(codeOf(await request(attacker, 'session:consent', { sessionId: goodSession, allow: false })), 'forbidden');
    await healthyStillWorks('events aimed at another session');
  });

  it('refuses events out of order: an offer with media before Allow, an offer from the helper, consent twice', async () => {
    const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' } };
    assert.equal(codeOf(await request(sharer2, 'signal:send', { sessionId: ownSession, signal: offer })), 'wrong-state');
    assert.equal(codeOf(await request(attacker, 'signal:send', { sessionId: ownSession, signal: offer })), 'forbidden');
    valueOf(await request(sharer2, 'session:consent', { sessionId: ownSession, allow: true }));
    assert.equal(codeOf(await request(sharer2, 'session:consent', { sessionId: ownSession, allow: true })), 'wrong-state');
    await healthyStillWorks('out-of-order events');
  });

  it('counts an unknown event with an ack as answered, so a stopping relay does not wait for it', async () => {
    const own = await startTestRelay();
    try {
      const s = await own.connect(demo.contosoHelper);
      assert.equal(codeOf(await rawRequest(s, 'session:hijack', { sessionId: 'x' })), 'unknown-event');
      s.disconnect();
    } finally {
      await own.stop();
    }
    const said = own.logLines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.ok(!said.includes('requests still in flight at shutdown'), 'the relay waited at its stop for an unknown event it had answered');
  });

  it('answers on the side channel when an event comes without an ack function', async () => {
    const unknown = next(attacker, 'error:event', (e) => e.event === 'nonsense');
    (attacker.emit as (e: string, ...a: unknown[]) => void)('nonsense', { a: 1 });
    assert.deepEqual(await unknown, { event: 'nonsense', code: 'unknown-event' });
    const noAck = next(attacker, 'error:event', (e) => e.event === 'chat:send');
    (attacker.emit as (e: string, ...a: unknown[]) => void)('chat:send', { sessionId: goodSession, clientId: randomUUID(), text: 'no ack' }, 'not a function');
    assert.deepEqual(await noAck, { event: 'chat:send', code: 'validation' });
    await healthyStillWorks('events without an ack');
  });

  it('drops a socket that sends more than the event size limit, and only that one', async () => {
    const big = await relay.connect(demo.contosoHelper);
    const gone = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    (big.emit as (e: string, ...a: unknown[]) => void)('chat:send', { sessionId: 'x', clientId: randomUUID(), text: 'y'.repeat(limits.eventBytesMax + 1) }, () => undefined);
    assert.equal(await gone, 'transport close');
    await healthyStillWorks('an oversized event');
  });

  it('refuses bad tokens at the handshake with unauthenticated', async () => {
    const real = await relay.token(demo.contosoHelper);
    const [header, payload, signature] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['Remote Help Administrator'], exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    const expired = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })).toString('base64url');
    // The second-to-last character is the one replaced, so it is the one compared (it was the last: 1 run in 64 "tampered" nothing).
    const flipped = `${signature!.slice(0, -2)}${signature!.at(-2) === 'A' ? 'B' : 'A'}${signature!.slice(-1)}`;
    const bad: [string, Record<string, unknown> | undefined][] = [
      ['no auth at all', undefined],
      ['an empty token', { token: '' }],
      ['a token that is not a string', { token: 42 }],
      ['garbage', { token: 'not-a-jwt' }],
      ['a tampered signature', { token: `${header}.${payload}.${flipped}` }],
      ['forged claims', { token: `${header}.${forged}.${signature}` }],
      ['expired claims', { token: `${header}.${expired}.${signature}` }],
      ['alg none', { token: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.` }],
    ];
    for (const [name, auth] of bad) {
      const s = relay.socket(auth);
      const error = await connected(s).then(() => undefined, (e: Error & { data?: { code?: string } }) => e);
      assert.ok(error, `${name} was let in`);
      assert.equal(error.data?.code, 'unauthenticated', name);
      s.close();
    }
    // A cookie that is not a session, and a cookie from a foreign page.
    for (const headers of [{ cookie: 'rh_session=forged', origin: relay.url }, { cookie: 'rh_session=forged', origin: 'https://evil.example' }]) {
      const s = relay.socket(undefined, { headers });
      const error = await connected(s).then(() => undefined, (e: Error & { data?: { code?: string } }) => e);
      assert.equal(error?.data?.code, 'unauthenticated');
      s.close();
    }
    await healthyStillWorks('bad tokens');
  });

  it('still serves pages and health, and never logged a code or chat text', async () => {
    assert.equal((await httpsGet(`${relay.url}/healthz`, relay.caPem)).status, 200);
    await healthyStillWorks('everything');
    const logged = relay.logLines.join('\n');
    assert.ok(!logged.includes('still fine after'), 'chat text reached the log');
  });
});
