// The key a client is counted under for sign-in limits.
import assert from 'node:assert/strict';
import { rateLimitBucket as clientAddress } from '#relay/net/client-address.js';

describe('client address for limits', () => {
  it('keeps an IPv4 address and unwraps an IPv4-mapped one', () => {
    assert.equal(clientAddress('203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddress('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('counts an IPv6 client by its /64, however the address is written', () => {
    assert.equal(clientAddress('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(clientAddress('2001:0db8:0001:0002:ffff:ffff:ffff:fffe'), '2001:db8:1:2::/64');
    assert.equal(clientAddress('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientAddress('::1'), '0:0:0:0::/64');
    assert.equal(clientAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });

  it('names a missing address', () => {
    assert.equal(clientAddress(undefined), 'unknown');
    assert.equal(clientAddress(''), 'unknown');
  });
});
