// An administrator takes a helper's role away: the helper's token still says the role for up to an hour,
// but the very next session he asks for is refused, as the admin API's own calls already are.
import assert from 'node:assert/strict';
import { demoUsers } from '#relay/directory/index.js';
import { adminCall } from '../../support/policy-calls.js';
import { demo, request, startTestRelay, valueOf, type TestRelay } from '../../support/relay.js';

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
});
