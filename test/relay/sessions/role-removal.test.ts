// An administrator takes a helper's role away: the helper's token still says the role for up to an hour,
// but the very next session he asks for is refused, as the admin API's own calls already are.
import assert from 'node:assert/strict';
import { demoUsers } from '#relay/directory/index.js';
import { adminCall, reportsOf } from '../../support/policy-calls.js';
import { demo, next, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

describe('a helper whose role is removed', function () {
  this.timeout(60_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay();
  });
  after(() => t.stop());

  it('is refused with permission-missing at the next create and precheck, on the same token and socket', async () => {
    const helper = await t.connect(demo.contosoHelper);
    const first = valueOf(await request(helper, 'session:create', {}));
    valueOf(await request(helper, 'session:end', { sessionId: first.sessionId }));

    const admin = await t.token(demo.contosoAdmin);
    valueOf((await adminCall(t, admin, 'assignRoles', { userId: demoUsers.contosoHelper.oid, roles: [] })).ack);

    const precheck = await request(helper, 'session:precheck', {});
    assert.equal(precheck.ok ? 'ok' : precheck.error.code, 'permission-missing');
    const refused = await request(helper, 'session:create', {});
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'permission-missing');
    // A new connection with the same (still valid) token fares no better.
    const again = await request(await t.connect(demo.contosoHelper), 'session:create', {});
    assert.equal(again.ok ? 'ok' : again.error.code, 'permission-missing');

    // Given back, the role counts again at once (the token still carries it).
    valueOf((await adminCall(t, admin, 'assignRoles', { userId: demoUsers.contosoHelper.oid, roles: ['Help Desk Operator'] })).ack);
    valueOf(await request(helper, 'session:create', {}));
  });

  it('between create and join: the sharer is refused with permission-missing, the helper is told why, and it is on the record', async () => {
    const admin = await t.token(demo.contosoAdmin);
    const helper = await t.connect(demo.contosoHelper);
    const created = valueOf(await request(helper, 'session:create', {}));
    const ended = next(helper, 'session:ended', (e) => e.sessionId === created.sessionId);

    valueOf((await adminCall(t, admin, 'assignRoles', { userId: demoUsers.contosoHelper.oid, roles: [] })).ack);
    try {
      const sharer = await t.connect(demo.contosoSharer);
      const joined = await request(sharer, 'session:join', { code: created.code });
      assert.equal(joined.ok ? 'ok' : joined.error.code, 'permission-missing');
      // The helper's page ends the session with the reason its own ended view words (ui/src/session-ended.ts).
      const e = await ended;
      assert.deepEqual([e.by, e.reason, e.code], ['relay', 'refused', 'permission-missing']);
      // Nothing of the session goes on: the code is spent and the helper cannot chat in it.
      const chat = await request(helper, 'chat:send', { sessionId: created.sessionId, clientId: '4d9f5d0c-1c52-4a33-9a58-3b1f0e5a7c21', text: 'hello?' });
      assert.equal(chat.ok ? 'ok' : chat.error.code, 'session-ended');
      const report = (await reportsOf(t, admin)).find((r) => r.sessionId === created.sessionId);
      assert.deepEqual([report?.outcome, report?.policy.step, report?.policy.refusal?.code], ['refused', 'join', 'permission-missing']);
    } finally {
      valueOf((await adminCall(t, admin, 'assignRoles', { userId: demoUsers.contosoHelper.oid, roles: ['Help Desk Operator'] })).ack);
    }
  });
});
