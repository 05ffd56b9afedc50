import assert from 'node:assert/strict';
import { turnCredentials, turnMemberId } from '#relay/turn/turn-credentials.js';

describe('TURN credentials (the TURN REST API coturn checks with use-auth-secret)', () => {
  it('makes the username from the expiry and the member id, and the password as coturn computes it', () => {
    // The vector was computed apart from this code:
    //   echo -n "1700000000:abc" | openssl dgst -sha1 -hmac "0123456789abcdef-secret" -binary | base64
    const c = turnCredentials('0123456789abcdef-secret', 'abc', 1_699_999_400_000, 600);
    assert.equal(c.username, '1700000000:abc', 'the username is the expiry in Unix seconds, a colon and the id');
    assert.equal(c.credential, 'k4NkELNjCcLsBNu/e7eSzxiCBWw=');
    assert.equal(c.expiresAt, 1_700_000_000_000);
  });

  it('gives the two members of a session different ids that name neither the session nor the person', () => {
    const sessionId = 'a1b2c3d4-session';
    const helper = turnMemberId(sessionId, 'helper');
    const sharer = turnMemberId(sessionId, 'sharer');
    assert.notEqual(helper, sharer);
    assert.equal(turnMemberId(sessionId, 'helper'), helper, 'the same member gets the same id: an operator can find it in the TURN log');
    for (const id of [helper, sharer]) {
      assert.match(id, /^[A-Za-z0-9_-]{22}$/, `"${id}" is not a short URL-safe id (a colon would break the username)`);
      assert.ok(!id.includes(sessionId.slice(0, 8)), 'the session id shows through');
    }
  });
});
