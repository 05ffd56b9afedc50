// Past capacity, a member coming back to a live session is let in within an allowance (so many a second,
// a few at a time from one address, a tenth over the connection capacity at most), and only once they
// are known to be in one; a claim that fails gives its place back.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { resumingAuthKey } from '#protocol';
import { createMemoryLog } from '#relay/log.js';
import { claimsInFlightPerAddress, createResumeAllowance } from '#relay/socket/resume-allowance.js';
import type { RelaySocket } from '#relay/socket/types.js';

class FakeConnection extends EventEmitter {
  closed = false;
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

/** A handshake as the middlewares see it: its auth, address and cookie, the user the sign-in check found,
 * and its connection (which the allowance closes after a refusal, and hears close). */
function handshakeOf(auth: Record<string, unknown>, opts: { userId?: string; address?: string; cookie?: string } = {}) {
  const conn = new FakeConnection();
  const socket = {
    handshake: { auth, address: opts.address ?? '192.0.2.1', headers: opts.cookie ? { cookie: opts.cookie } : {} },
    data: { user: { tenantId: 'contoso', userId: opts.userId ?? 'u1' } },
    conn,
  } as unknown as RelaySocket;
  return { socket, conn };
}

const claim = (extra: { userId?: string; address?: string } = {}) => handshakeOf({ token: 't', [resumingAuthKey]: true }, extra);

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
    capacity: { maxConnections: 100, resumesPerSecond }, connections: () => connections, log: createMemoryLog(), trustProxy: false,
    inLiveSession: async (user) => members.has(user.userId), now: () => now,
  });
  beforeEach(() => {
    now = 0;
    connections = 100;
  });

  it('lets in only a handshake that says it resumes and carries a credential, so many a second', async () => {
    const a = allowance(3);
    assert.equal(a.admit(handshakeOf({ token: 't' }).socket), false, 'not said');
    assert.equal(a.admit(handshakeOf({ token: 't', [resumingAuthKey]: 'yes' }).socket), false, 'said, but not as true');
    assert.equal(a.admit(handshakeOf({ [resumingAuthKey]: true }).socket), false, 'said, with no token or cookie');
    assert.equal(a.admit(handshakeOf({ token: '', [resumingAuthKey]: true }).socket), false, 'said, with an empty token');
    // Proven members, each from an address of their own: only the rate limits them.
    const said = async (i: number) => {
      const { socket } = claim({ address: `198.51.100.${i}` });
      return a.admit(socket) && (await proven(a, socket)) === 'next';
    };
    assert.deepEqual([await said(1), await said(2), await said(3), await said(4)], [true, true, true, false], 'three in the second');
    now += 1000;
    assert.deepEqual([await said(5), await said(6), await said(7), await said(8)], [true, true, true, false], 'three more the next');
    assert.equal(a.admit(handshakeOf({ [resumingAuthKey]: true }, { cookie: 'rh_session=x' }).socket), false, 'a cookie counts as a credential; the second is used up');
  });

  it('lets in no one past a tenth over the connection capacity, and no one at all at 0 a second', () => {
    const a = allowance(50);
    connections = 110;
    assert.equal(a.admit(claim().socket), true);
    connections = 111;
    assert.equal(a.admit(claim({ address: '198.51.100.9' }).socket), false);
    connections = 0;
    assert.equal(allowance(0).admit(claim().socket), false);
  });

  it('holds a few claims in flight from one address, and takes more once those are settled', async () => {
    const a = allowance(50);
    const held = Array.from({ length: claimsInFlightPerAddress }, () => claim());
    for (const h of held) assert.equal(a.admit(h.socket), true);
    assert.equal(a.admit(claim().socket), false, 'one more from the same address');
    assert.equal(a.admit(claim({ address: '198.51.100.7' }).socket), true, 'another address');
    assert.equal(await proven(a, held[0]!.socket), 'next');
    held[1]!.conn.close(); // refused at the sign-in check, or gone
    assert.equal(a.admit(claim().socket), true);
    assert.equal(a.admit(claim().socket), true);
    assert.equal(a.admit(claim().socket), false);
  });

  it('refuses with overloaded, and closes, a claim whose person is in no live session, and gives its place back', async () => {
    const a = allowance(1);
    const stranger = claim({ userId: 'u2' });
    assert.ok(a.admit(stranger.socket));
    assert.equal(a.admit(claim({ address: '198.51.100.8' }).socket), false, 'the one place is taken');
    assert.equal(await proven(a, stranger.socket), 'overloaded');
    await new Promise((r) => setImmediate(r));
    assert.ok(stranger.conn.closed, 'its connection is closed');
    // Its place is back: a member takes it, and keeps it once proven, closed or not.
    const member = claim({ address: '198.51.100.8' });
    assert.ok(a.admit(member.socket));
    assert.equal(await proven(a, member.socket), 'next');
    member.conn.close();
    assert.equal(a.admit(claim({ address: '198.51.100.9' }).socket), false, 'a proven claim does not give its place back');
    // A handshake the node was not overloaded for is not asked.
    assert.equal(await proven(a, handshakeOf({}, { userId: 'u2' }).socket), 'next');
  });
});
