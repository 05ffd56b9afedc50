// One live relay whose session state is in a real redis-server: the whole way of a session over real
// sockets (create, join, allow, chat, a dropped sharer away and back on a new socket with the messages
// it missed, the end and its report), with who speaks for each member kept in the shared record.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { demoTenants } from '#relay/directory/index.js';
import type { SessionStore } from '#relay/sessions/session-store.js';
import { redisBackend } from '../../support/live-backends.js';
import { demo, next, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

describe('a relay keeping its sessions in Redis', function () {
  this.timeout(20_000);
  const redis = redisBackend();
  let t: TestRelay;
  let store: SessionStore;
  before(async () => {
    await redis.start();
    store = (await redis.sessionStore()).value;
    t = await startTestRelay({ RH_RECONNECT_GRACE_MS: '30000' }, { store });
  });
  after(async () => {
    await t?.stop();
    await redis.stop();
  });

  it('carries a session through a dropped sharer who comes back on a new socket', async () => {
    const helper = await t.connect(demo.contosoHelper);
    const sharer = await t.connect(demo.contosoSharer);
    const created = valueOf(await request(helper, 'session:create', {}));
    const { sessionId } = created;
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    assert.equal((await store.get(sessionId))?.owners?.sharer?.socket, sharer.id);

    const away = next(helper, 'session:peer', (p) => p.sessionId === sessionId && !p.present);
    sharer.io.engine.close(); // the connection drops, the page does not say goodbye
    assert.equal((await away).away, 'connection');
    valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'are you there?' }));

    const again = await t.connect(demo.contosoSharer);
    const back = next(helper, 'session:peer', (p) => p.sessionId === sessionId && p.present);
    const resumed = valueOf(await request(again, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.deepEqual(resumed.messages.map((m) => [m.seq, m.text]), [[1, 'are you there?']]);
    await back;
    assert.equal((await store.get(sessionId))?.owners?.sharer?.socket, again.id, 'the new socket speaks for the sharer');

    const ended = next(again, 'session:ended', (e) => e.sessionId === sessionId);
    valueOf(await request(helper, 'session:end', { sessionId }));
    assert.equal((await ended).by, 'helper');
    const report = (await t.relay.reports.list(demoTenants.contoso.id, {})).items.filter((r) => r.sessionId === sessionId);
    assert.equal(report.length, 1);
    assert.deepEqual(report[0]?.gaps?.map((g) => [g.role, g.reason, g.to !== null]), [['sharer', 'connection', true]]);
    assert.deepEqual((await store.chatAfter(sessionId, 0)).messages, [], 'the chat went with the session');
    helper.disconnect();
    again.disconnect();
  });
});
