// Behind a TLS proxy (RH_TRUST_PROXY) every request arrives from the proxy: the sign-in limits must count
// the client the proxy names, so one noisy client does not lock everyone else out. Without the setting,
// the header is anyone's claim and is ignored.
import assert from 'node:assert/strict';
import { httpsRequest } from '../../support/https-fetch.js';
import { startTestRelay, type TestRelay } from '../../support/relay.js';

async function startSignIns(relay: TestRelay, forwardedFor: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await httpsRequest(`${relay.url}/auth/signin`, relay.caPem, {
      form: { email: 'helper@contoso.example', returnTo: '/rhh' },
      headers: { 'x-forwarded-for': forwardedFor },
    });
    statuses.push(res.status);
  }
  return statuses;
}

describe('the client address behind a proxy (HTTP)', () => {
  it('with RH_TRUST_PROXY, limits web sign-ins per forwarded client, not per proxy', async () => {
    const relay = await startTestRelay({ RH_TRUST_PROXY: 'true' });
    try {
      const noisy = await startSignIns(relay, '203.0.113.7', 31);
      assert.deepEqual(noisy.slice(0, 30), Array(30).fill(302), 'the first 30 sign-ins of one client start');
      assert.equal(noisy[30], 429, 'the 31st from the same client is refused');
      assert.deepEqual(await startSignIns(relay, '198.51.100.9', 1), [302], 'another client behind the same proxy still signs in');
      // The proxy's request id is kept, so its access log and the relay's lines name the same request;
      // one that could garble a log line is replaced.
      const idOf = async (id: string) => (await httpsRequest(`${relay.url}/auth/me`, relay.caPem, { headers: { 'x-request-id': id } })).headers['x-request-id'];
      assert.equal(await idOf('nginx-7f3a9c2e41b0'), 'nginx-7f3a9c2e41b0');
      const forged = await idOf('a"b\\c} {"level":"error"');
      assert.notEqual(forged, 'a"b\\c} {"level":"error"');
      assert.match(String(forged), /^[A-Za-z0-9_-]{16}$/);
    } finally {
      await relay.stop();
    }
  });

  it('without it, ignores X-Forwarded-For: a forged header does not buy fresh attempts', async () => {
    const relay = await startTestRelay();
    try {
      const statuses = [
        ...(await startSignIns(relay, '203.0.113.7', 30)),
        ...(await startSignIns(relay, '198.51.100.9', 1)),
      ];
      assert.equal(statuses[30], 429);
    } finally {
      await relay.stop();
    }
  });
});
