// The IP-range check of the rule editor: what an admin may type, one CIDR per line.
import assert from 'node:assert/strict';
import { invalidCidrs, isCidr, lines } from '#desktop/renderer/src/admin/cidr.js';

describe('CIDR check in the rule editor', () => {
  it('accepts IPv4 and IPv6 ranges and single addresses', () => {
    for (const ok of ['10.0.0.0/8', '192.168.1.0/24', '0.0.0.0/0', '203.0.113.7', '2001:db8::/32', '::1', '::/0', 'fe80::1:2:3:4/64', '::ffff:192.0.2.1/128', '1:2:3:4:5:6:7:8/128']) {
      assert.ok(isCidr(ok), ok);
    }
  });
  it('refuses what is not a range', () => {
    for (const bad of ['', '10.0.0/8', '256.0.0.0/8', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/1', '2001:db8::/129', '1::2::3', '1:2:3:4:5:6:7:8:9', 'office', '10.0.0.0/-1', 'gggg::/16']) {
      assert.equal(isCidr(bad), false, bad);
    }
  });
  it('reads one range per line, ignoring blank lines and spaces', () => {
    assert.deepEqual(lines(' 10.0.0.0/8 \n\n\r\n2001:db8::/32\n'), ['10.0.0.0/8', '2001:db8::/32']);
    assert.deepEqual(invalidCidrs('10.0.0.0/8\n300.1.1.1/33\nhome'), ['300.1.1.1/33', 'home']);
  });
});
