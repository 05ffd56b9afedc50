// What the console's main process makes of the requests and events it carries, for the handshake's
// "I come back to a live session" (relay/src/socket/resume-allowance.ts).
import assert from 'node:assert/strict';
import { fail, ok, type SessionResumed } from '#protocol';
import { createLiveSessionHint } from '#desktop/main/live-session-hint.js';

const resumed = (state: SessionResumed['state']) => ok({ state, trust: null, messages: [], peer: null, paused: false } as SessionResumed);

describe('the console\u2019s live-session hint', () => {
  it('is in a session resumed live or accepted as a colleague, and out of one ended, refused or resumed ended', () => {
    const hint = createLiveSessionHint();
    assert.equal(hint.any(), false);
    hint.answered('session:resume', { sessionId: 's1', afterSeq: 0 }, resumed('sharing'));
    assert.equal(hint.any(), true);
    hint.answered('session:resume', { sessionId: 's1', afterSeq: 0 }, resumed('ended'));
    assert.equal(hint.any(), false, 'resumed, but it had ended');
    hint.answered('session:invite-answer', { sessionId: 's2', accept: false }, ok(null));
    assert.equal(hint.any(), false, 'a declined invitation');
    hint.answered('session:invite-answer', { sessionId: 's2', accept: true }, ok({} as never));
    assert.equal(hint.any(), true, 'an accepted one');
    hint.answered('chat:send', { sessionId: 's2', clientId: 'c', text: 'x' }, fail('session-ended', 'the session has ended'));
    assert.equal(hint.any(), false, 'the relay said it had ended');
    hint.answered('session:resume', { sessionId: 's3', afterSeq: 0 }, resumed('joined'));
    hint.answered('session:resume', { sessionId: 's3', afterSeq: 0 }, fail('relay-unreachable', 'no answer'));
    assert.equal(hint.any(), true, 'no answer says nothing of the session');
    hint.pushed({ type: 'session:ended', payload: { sessionId: 's3', by: 'relay', reason: 'ended' } });
    assert.equal(hint.any(), false);
  });
});
