// Follow-ups to the second helper (issue 13, point 5) over the live relay: a colleague who comes back
// after a short drop says, in their own resume, whether they need a new connection, and the sharer hears
// exactly that (as with the helper's restartMedia); and a colleague disabled in the directory while only
// invited has their invitation closed at once, with the reason, on the helper's side and on their own
// other connections, while the session goes on.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DirectoryUserView, Invitation } from '#protocol';
import { demoUsers } from '#relay/directory/index.js';
import { adminCall } from '../../support/policy-calls.js';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

const financeHelper = 'finance.helper@contoso.example';

describe('a second helper: coming back, and a disabled invitee', function () {
  let relay: TestRelay;
  let helper: ClientSocket;
  let sharer: ClientSocket;

  before(async () => {
    relay = await startTestRelay({ RH_RECONNECT_GRACE_MS: '30000' });
    [helper, sharer] = await Promise.all([relay.connect(demo.contosoHelper), relay.connect(demo.contosoSharer)]);
  });
  after(async () => relay?.stop());

  /** `deviceId`: bound to that device (a Finance device is in the Finance Support role's scope). */
  async function sharing(deviceId?: string): Promise<string> {
    const created = valueOf(await request(helper, 'session:create', deviceId ? { deviceId } : {}));
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
    return created.sessionId;
  }

  it('tells the sharer whether a returning colleague needs a new connection, as the colleague\'s resume says', async () => {
    const sessionId = await sharing();
    valueOf(await request(helper, 'session:invite', { sessionId, colleague: demoUsers.contosoAdmin.upn }));
    let colleague = await relay.connect(demo.contosoAdmin);
    valueOf(await request(colleague, 'session:invite-answer', { sessionId, accept: true }));
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));

    for (const restartMedia of [false, true]) {
      const away = next(sharer, 'session:colleague', (c) => c.sessionId === sessionId && c.present === false);
      colleague.disconnect();
      assert.equal((await away).restartMedia, undefined, 'going away says nothing of a new connection');
      colleague = await relay.connect(demo.contosoAdmin);
      const back = next(sharer, 'session:colleague', (c) => c.sessionId === sessionId && c.present === true);
      const resumed = valueOf(await request(colleague, 'session:resume', { sessionId, afterSeq: 0, restartMedia }));
      assert.equal(resumed.trust?.role, 'colleague');
      const status = await back;
      assert.equal(status.state, 'allowed');
      assert.equal(status.restartMedia, restartMedia, `the sharer hears restartMedia ${restartMedia}`);
    }
    valueOf(await request(sharer, 'session:end', { sessionId }));
  });

  it('closes an open invitation when the invited colleague is disabled: the helper sees why, their other connection hears it closed, the session goes on', async () => {
    // The sharer's Finance laptop: within the Finance Support role's scope.
    const sessionId = await sharing(`${demoUsers.contosoSharer.tenantId.slice(0, 8)}-dev-0001`);
    const invitee = await relay.connect(financeHelper);
    const opened = next(invitee, 'session:invitation', (i) => i.sessionId === sessionId && i.open);
    valueOf(await request(helper, 'session:invite', { sessionId, colleague: financeHelper }));
    await opened;

    const closedForHelper = next(helper, 'session:colleague', (c) => c.sessionId === sessionId && c.state !== 'invited');
    const closedForInvitee = new Promise<Invitation>((resolve) => invitee.on('session:invitation', (i) => {
      if (i.sessionId === sessionId && !i.open) resolve(i);
    }));
    const admin = await relay.token(demo.contosoAdmin);
    const res = await adminCall<DirectoryUserView>(relay, admin, 'setUserActive', { userId: demoUsers.contosoFinanceHelper.oid, active: false });
    assert.ok(res.ack.ok, JSON.stringify(res.ack));

    const status = await closedForHelper;
    assert.equal(status.state, 'withdrawn');
    assert.equal(status.closedBecause, 'account-disabled', 'the helper is told why the invitation closed');
    assert.equal((await closedForInvitee).open, false);

    // The session goes on, and the helper may invite someone else.
    const chat = valueOf(await request(helper, 'chat:send', { sessionId, clientId: randomUUID(), text: 'still here' }));
    assert.equal(chat.text, 'still here');
    const again = valueOf(await request(helper, 'session:invite', { sessionId, colleague: demoUsers.contosoAdmin.upn }));
    assert.equal(again.state, 'invited');
    valueOf(await request(sharer, 'session:end', { sessionId }));

    const report = (await relay.relay.reports.list(demoUsers.contosoHelper.tenantId, { offset: 0, limit: 10 })).items.find((r) => r.sessionId === sessionId);
    assert.deepEqual(report?.colleagues?.map((c) => [c.upn, c.state, c.closedBecause ?? null]),
      [[financeHelper, 'withdrawn', 'account-disabled'], [demoUsers.contosoAdmin.upn, 'invited', null]]);
  });
});
