// How a page asks the relay for its ICE servers and policy (ui/src/rtc/ice-config.ts): the relay's
// policy is kept as given (relay-only stays relay-only), a passing refusal is asked past, and a lasting
// one ends in `ice-unavailable`, never in a configuration the relay did not give.
import assert from 'node:assert/strict';
import { fail, ok, type Ack, type ErrorCode } from '#protocol';
import type { SessionLink } from '#protocol/session-link.js';
import { iceConfigFor, iceFailure } from '#ui/rtc/ice-config.js';

type IceAnswer = Ack<{ iceServers: RTCIceServer[]; iceTransportPolicy: 'all' | 'relay' }>;

/** A link that answers session:ice from `answers` in turn, and counts the asks. */
function linkAnswering(answers: IceAnswer[]): SessionLink & { asks: number } {
  const link = {
    asks: 0,
    request: (async () => {
      link.asks++;
      return answers.shift() ?? fail('internal', 'no more answers');
    }) as unknown as SessionLink['request'],
    on: () => () => undefined,
  };
  return link;
}
const turn = { urls: ['turns:turn.example:443?transport=tcp'], username: '1700000000:s1', credential: 'x' };
const refused = (code: ErrorCode): IceAnswer => fail(code, 'refused');
const quick = { sleep: async () => undefined };

describe('asking the relay for ICE servers', () => {
  it('keeps a relay-only policy as the relay gives it, after a passing refusal', async () => {
    const link = linkAnswering([refused('not-found'), ok({ iceServers: [turn], iceTransportPolicy: 'relay' })]);
    assert.deepEqual(await iceConfigFor(link, 's1', quick), { iceServers: [turn], iceTransportPolicy: 'relay' });
    assert.equal(link.asks, 2);
  });

  it('fails closed with ice-unavailable after three refusals, and at once for an ended session', async () => {
    const link = linkAnswering([refused('internal'), refused('relay-unreachable'), refused('internal'), ok({ iceServers: [], iceTransportPolicy: 'all' })]);
    const failed = await iceConfigFor(link, 's1', quick).then(() => undefined, iceFailure);
    assert.equal(failed?.code, 'ice-unavailable');
    assert.equal(link.asks, 3);
    const ended = linkAnswering([refused('session-ended'), ok({ iceServers: [], iceTransportPolicy: 'all' })]);
    assert.equal((await iceConfigFor(ended, 's1', quick).then(() => undefined, iceFailure))?.code, 'ice-unavailable');
    assert.equal(ended.asks, 1);
  });
});
