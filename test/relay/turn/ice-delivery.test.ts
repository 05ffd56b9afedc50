// session:ice over a live relay: who gets TURN credentials, what they look like, and that a member who
// comes back later gets fresh ones.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IceConfig } from '#protocol';
import { createIceConfigSource } from '#relay/turn/ice-config.js';
import { turnMemberId } from '#relay/turn/turn-credentials.js';
import { demo, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

const secret = 'turn-shared-secret-0123456789';
const turnUrls = ['turn:turn.test.example:3478?transport=udp', 'turns:turn.test.example:443?transport=tcp'];
const stun = { urls: 'stun:stun.test.example:3478' };

function turnEntry(config: IceConfig) {
  const entry = config.iceServers.find((s) => s.username !== undefined);
  assert.ok(entry, `no TURN server with credentials in ${JSON.stringify(config)}`);
  return { ...entry, expiry: Number(entry.username?.split(':')[0]), memberId: entry.username?.split(':')[1] };
}

describe('ICE servers for the pages (session:ice)', function () {
  let relay: TestRelay;
  let offsetMs = 0;
  const clock = { now: () => Date.now() + offsetMs };

  before(async () => {
    relay = await startTestRelay({
      RH_TURN_SECRET: secret, RH_TURN_URLS: turnUrls.join(','), RH_TURN_TTL_SECONDS: '600',
      RH_ICE_SERVERS: JSON.stringify([stun]), RH_ICE_TRANSPORT_POLICY: 'relay',
    }, { clock });
  });
  after(async () => relay?.stop());

  it('gives each member the configured servers and the TURN server with its own credentials, valid for the TTL', async () => {
    const helper = await relay.connect(demo.contosoHelper);
    const sharer = await relay.connect(demo.contosoSharer);
    const created = valueOf(await request(helper, 'session:create', {}));
    const { sessionId } = created;
    valueOf(await request(sharer, 'session:join', { code: created.code }));

    const before = Math.floor(clock.now() / 1000);
    const forHelper = valueOf(await request(helper, 'session:ice', { sessionId }));
    const forSharer = valueOf(await request(sharer, 'session:ice', { sessionId }));
    for (const [who, config] of [['helper', forHelper], ['sharer', forSharer]] as const) {
      assert.equal(config.iceTransportPolicy, 'relay', `${who}: the policy the operator set`);
      assert.deepEqual(config.iceServers[0], stun, `${who}: the configured STUN server, as configured`);
      const turn = turnEntry(config);
      assert.deepEqual(turn.urls, turnUrls);
      assert.equal(turn.memberId, turnMemberId(sessionId, who), `${who}: the username names the member, not the person`);
      assert.ok(!turn.username?.includes('contoso'), `${who}: the username "${turn.username}" names the person`);
      assert.ok(turn.expiry >= before + 600 && turn.expiry <= before + 602, `${who}: expires at ${turn.expiry}, not ${before} + 600 s`);
      assert.equal(turn.credential, createHmac('sha1', secret).update(turn.username ?? '').digest('base64'), `${who}: a password coturn would accept`);
    }
    assert.notEqual(turnEntry(forHelper).username, turnEntry(forSharer).username);
    helper.disconnect();
    sharer.disconnect();
  });

  it('answers not-found to anyone whose connection is not in the session, the other tenant included', async () => {
    const helper = await relay.connect(demo.contosoHelper);
    const created = valueOf(await request(helper, 'session:create', {}));
    const stranger = await relay.connect(demo.fabrikamHelper);
    const sameUserOtherSocket = await relay.connect(demo.contosoHelper);
    for (const [who, socket] of [['another tenant\'s helper', stranger], ['the helper\'s other connection', sameUserOtherSocket]] as const) {
      const res = await request(socket, 'session:ice', { sessionId: created.sessionId });
      assert.equal(res.ok ? 'credentials' : res.error.code, 'not-found', `${who} got TURN credentials for a session it is not in`);
    }
    const bad = await request(stranger, 'session:ice', { sessionId: '' } as never);
    assert.equal(bad.ok ? 'answered' : bad.error.code, 'validation');
    for (const s of [helper, stranger, sameUserOtherSocket]) s.disconnect();
  });

  it('gives a member who comes back later (resume on a new connection) credentials that expire from then', async () => {
    const helper = await relay.connect(demo.contosoHelper);
    const created = valueOf(await request(helper, 'session:create', {}));
    const first = turnEntry(valueOf(await request(helper, 'session:ice', { sessionId: created.sessionId })));
    helper.disconnect();
    offsetMs += 120_000;
    const back = await relay.connect(demo.contosoHelper);
    valueOf(await request(back, 'session:resume', { sessionId: created.sessionId, afterSeq: 0 }));
    const again = turnEntry(valueOf(await request(back, 'session:ice', { sessionId: created.sessionId })));
    assert.ok(again.expiry - first.expiry >= 120, `the new credentials expire at ${again.expiry}, only ${again.expiry - first.expiry} s after the old ones`);
    assert.equal(again.memberId, first.memberId, 'the same member');
    back.disconnect();
  });
});

describe('ICE servers where nothing is configured', () => {
  it('gives no servers and policy all (one host needs none)', () => {
    const source = createIceConfigSource({ iceServers: [], turn: undefined, iceTransportPolicy: 'all' }, () => Date.now());
    assert.deepEqual(source('some-session', 'sharer'), { iceServers: [], iceTransportPolicy: 'all' });
  });
});
