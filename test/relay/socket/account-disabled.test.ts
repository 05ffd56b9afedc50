// An administrator disables a user who is in a live session (admin view → admin API): the session ends
// at once on both sides with the reason account-disabled, the user's socket is closed, and their next
// handshake with the token they still hold is refused with account-disabled. Deleting does the same.
import assert from 'node:assert/strict';
import type { DirectoryUserView } from '#protocol';
import { demoUsers } from '#relay/directory/index.js';
import { adminCall } from '../../support/policy-calls.js';
import { connected, demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

describe('disabling a user in a live session', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;

  beforeEach(async () => {
    t = await startTestRelay();
    admin = await t.token(demo.contosoAdmin);
  });
  afterEach(async () => t?.stop());

  /** A helper and a sharer in a session that is sharing. */
  async function sharing(): Promise<{ helper: ClientSocket; sharer: ClientSocket; sessionId: string }> {
    const [helper, sharer] = await Promise.all([t.connect(demo.contosoHelper), t.connect(demo.contosoSharer)]);
    const created = valueOf(await request(helper, 'session:create', {}));
    const trust = next(helper, 'session:trust', (x) => x.sessionId === created.sessionId);
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    await trust;
    valueOf(await request(sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
    return { helper, sharer, sessionId: created.sessionId };
  }

  for (const [what, change] of [
    ['disabling', (userId: string) => adminCall<DirectoryUserView>(t, admin, 'setUserActive', { userId, active: false })],
    ['deleting', (userId: string) => adminCall(t, admin, 'deleteUser', { userId })],
  ] as const) {
    it(`${what} the sharer ends the session on both sides with account-disabled, and refuses their next handshake`, async () => {
      const { helper, sharer, sessionId } = await sharing();
      const helperEnded = next(helper, 'session:ended', (e) => e.sessionId === sessionId);
      const sharerEnded = next(sharer, 'session:ended', (e) => e.sessionId === sessionId);
      const sharerGone = new Promise((resolve) => sharer.once('disconnect', resolve));
      const res = await change(demoUsers.contosoSharer.oid);
      assert.ok(res.ack.ok, JSON.stringify(res.ack));

      const [h, s] = await Promise.all([helperEnded, sharerEnded]);
      assert.equal(h.reason, 'account-disabled');
      assert.equal(s.reason, 'account-disabled');
      assert.equal(h.by, 'sharer', 'the helper is told whose account it was');
      await sharerGone;
      assert.equal(helper.connected, true, 'the helper stays signed in');

      // The token is still within its hour; the directory says no.
      const again = await connected(t.socket({ token: await t.token(demo.contosoSharer) })).then(
        () => undefined, (e: Error & { data?: { code?: string } }) => e);
      assert.equal(again?.data?.code, 'account-disabled');

      const report = (await t.relay.reports.list(demoUsers.contosoSharer.tenantId, { offset: 0, limit: 5 })).items.find((r) => r.sessionId === sessionId);
      assert.equal(report?.endReason, 'account-disabled', 'the report says why the session ended');
    });
  }
});
