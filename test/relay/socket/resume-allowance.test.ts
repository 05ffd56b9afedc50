// Past capacity, a member coming back to a live session is let in within an allowance (so many a second,
// and a tenth over the connection capacity at most), and only once they are known to be in one.
import assert from 'node:assert/strict';
import { resumingAuthKey } from '#protocol';
import { createMemoryLog } from '#relay/log.js';
import { createResumeAllowance } from '#relay/socket/resume-allowance.js';
import type { RelaySocket } from '#relay/socket/types.js';

function handshakeOf(auth: Record<string, unknown>, userId = 'u1') {
  let closed = false;
  const socket = {
    handshake: { auth },
    data: { user: { tenantId: 'contoso', userId } },
    conn: { close: () => (closed = true) },
  } as unknown as RelaySocket;
  return { socket, closed: () => closed };
}

/** What proveMembership told the handshake: 'next', or the code of its refusal. */
async function proven(allowance: ReturnType<typeof createResumeAllowance>, socket: RelaySocket): Promise<string> {
  let outcome = '';
  await allowance.proveMembership(socket, (err) => (outcome = err ? String((err as { data?: { code?: string } }).data?.code) : 'next'));
  return outcome;
}

describe('the resume allowance past capacity', () => {
  let now = 0;
  let connections = 100;
  const members = new Set(['u1']);
  const allowance = (resumesPerSecond: number) => createResumeAllowance({
    capacity: { maxConnections: 100, resumesPerSecond }, connections: () => connections, log: createMemoryLog(),
    inLiveSession: async (user) => members.has(user.userId), now: () => now,
  });
  beforeEach(() => {
    now = 0;
    connections = 100;
  });

  it('lets in only a handshake that says it resumes, so many a second', () => {
    const a = allowance(3);
    assert.equal(a.admit(handshakeOf({ token: 't' }).socket), false, 'not said');
    assert.equal(a.admit(handshakeOf({ token: 't', [resumingAuthKey]: 'yes' }).socket), false, 'said, but not as true');
    const said = () => a.admit(handshakeOf({ token: 't', [resumingAuthKey]: true }).socket);
    assert.deepEqual([said(), said(), said(), said()], [true, true, true, false], 'three in the second');
    now += 1000;
    assert.deepEqual([said(), said(), said(), said()], [true, true, true, false], 'three more the next');
  });

  it('lets in no one past a tenth over the connection capacity, and no one at all at 0 a second', () => {
    const a = allowance(50);
    connections = 110;
    assert.equal(a.admit(handshakeOf({ [resumingAuthKey]: true }).socket), true);
    connections = 111;
    assert.equal(a.admit(handshakeOf({ [resumingAuthKey]: true }).socket), false);
    connections = 0;
    assert.equal(allowance(0).admit(handshakeOf({ [resumingAuthKey]: true }).socket), false);
  });

  it('refuses with overloaded, and closes, a handshake let in whose person is in no live session', async () => {
    const a = allowance(50);
    const member = handshakeOf({ [resumingAuthKey]: true }, 'u1');
    assert.ok(a.admit(member.socket));
    assert.equal(await proven(a, member.socket), 'next');
    const stranger = handshakeOf({ [resumingAuthKey]: true }, 'u2');
    assert.ok(a.admit(stranger.socket));
    assert.equal(await proven(a, stranger.socket), 'overloaded');
    await new Promise((r) => setImmediate(r));
    assert.ok(stranger.closed(), 'its connection is closed');
    // A handshake the node was not overloaded for is not asked.
    assert.equal(await proven(a, handshakeOf({}, 'u2').socket), 'next');
  });
});
