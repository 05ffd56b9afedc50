import assert from 'node:assert/strict';
import { socketClientAddress as clientAddress, firstForwardedFor } from '#relay/net/client-address.js';

describe('client address of a socket', () => {
  const handshake = (xff?: string | string[]) => ({ address: '::ffff:10.0.0.1', headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

  it('takes the first X-Forwarded-For entry only when the proxy is trusted', () => {
    assert.equal(clientAddress(handshake('203.0.113.9, 10.1.2.3'), true), '203.0.113.9');
    assert.equal(clientAddress(handshake('203.0.113.9, 10.1.2.3'), false), '::ffff:10.0.0.1');
    assert.equal(clientAddress(handshake(), true), '::ffff:10.0.0.1');
  });

  it('reads ports, brackets and mapped addresses, and ignores what is no address', () => {
    assert.equal(firstForwardedFor({ 'x-forwarded-for': '203.0.113.9:51234' }), '203.0.113.9');
    assert.equal(firstForwardedFor({ 'x-forwarded-for': '[2001:db8::7]:443, 10.0.0.1' }), '2001:db8::7');
    assert.equal(firstForwardedFor({ 'x-forwarded-for': '2001:db8::7' }), '2001:db8::7');
    assert.equal(firstForwardedFor({ 'x-forwarded-for': '::ffff:198.51.100.4' }), '198.51.100.4');
    assert.equal(firstForwardedFor({ 'x-forwarded-for': ['198.51.100.5', '10.0.0.1'] }), '198.51.100.5');
    assert.equal(firstForwardedFor({ 'x-forwarded-for': 'unknown, 10.0.0.1' }), undefined);
    assert.equal(firstForwardedFor({ 'x-forwarded-for': '' }), undefined);
    // Garbage from a trusted proxy falls back to the socket's own address, never to nothing.
    assert.equal(clientAddress({ address: '10.0.0.1', headers: { 'x-forwarded-for': '<script>' } }, true), '10.0.0.1');
  });
});
