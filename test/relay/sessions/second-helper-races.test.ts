// The helper withdraws an invitation while the colleague's accept is attaching its socket (found in
// review): the accept must not tell everyone 'asking' from its stale record after 'withdrawn' was said.
import assert from 'node:assert/strict';
import type { ColleagueStatus } from '#protocol';
import { closeFixtureReports, colleague, helper, serviceUnderTest, sharer, value } from '../../fixtures/session-directory.js';

after(closeFixtureReports);
const here = { address: '127.0.0.1' };

describe('a second helper: a withdraw that overtakes the accept', () => {
  it('the last status the helper and the sharer hear is the final one (withdrawn), not asking', async () => {
    const t = serviceUnderTest({ reconnectGraceMs: 120_000 });
    const created = value(await t.sessions.create(helper, {}));
    value(await t.sessions.join(sharer, created.code, here));
    const sessionId = created.sessionId;
    value(await t.sessions.invite(helper, { sessionId, colleague: colleague.upn }));
    // While the accepting socket is being attached (a takeOver CAS and reads), the helper withdraws.
    const attach = async () => {
      value(await t.sessions.withdrawColleague(helper, sessionId));
      return true;
    };
    const answer = await t.sessions.answerInvite(colleague, { sessionId, accept: true }, here, attach);
    assert.equal(answer.ok ? 'ok' : answer.error.code, 'wrong-state', 'the overtaken accept is answered as an invitation no longer open');
    const last = (role: 'helper' | 'sharer') => (t.notifier.to(role, 'session:colleague').at(-1)?.payload as ColleagueStatus | undefined)?.state;
    const rec = await t.store.get(sessionId);
    assert.equal(rec?.colleagues?.at(-1)?.state, 'withdrawn');
    assert.equal(last('helper'), 'withdrawn', 'helper left with a stale status');
    assert.equal(last('sharer'), 'withdrawn', 'sharer shown a colleague asking who is out');
  });
});

describe('a second helper: listing invitations', () => {
  it('answers 20 lists a minute per person, then rate-limited (each list reads the sessions indexed for them)', async () => {
    const t = serviceUnderTest({ reconnectGraceMs: 120_000 });
    for (let i = 0; i < 20; i++) value(await t.sessions.invitations(colleague));
    const refused = await t.sessions.invitations(colleague);
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'rate-limited');
    // Another person is counted apart.
    value(await t.sessions.invitations(sharer));
  });
});
