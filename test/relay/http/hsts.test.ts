// HSTS: a browser that reached the relay once over HTTPS never tries plain http:// again, where a
// network attacker could answer in its place. Every answer carries it, on the relay's own TLS and
// behind a TLS-terminating proxy (the relay speaks HTTP, its users HTTPS).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createApp } from '#relay/http/create-app.js';
import { httpsGet, startTestRelay } from '../../support/relay.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('Strict-Transport-Security', () => {
  it('is on every answer of a relay serving HTTPS: pages, health, errors (thrown ones too), the identity provider', async () => {
    const relay = await startTestRelay();
    try {
      for (const path of ['/healthz', '/rh', '/no-such-page', '/auth/signin', '/auth/me']) {
        const res = await httpsGet(`${relay.url}${path}`, relay.caPem);
        assert.equal(res.headers['strict-transport-security'], 'max-age=31536000', path);
      }
      // An error thrown while answering (koa-static's 400 for a path it cannot decode): Koa drops every
      // header set before it, and the security headers still go out with the answer.
      const thrown = await httpsGet(`${relay.url}/assets/%E0%A4%A`, relay.caPem);
      assert.equal(thrown.status, 400);
      assert.equal(thrown.headers['strict-transport-security'], 'max-age=31536000');
      assert.equal(thrown.headers['x-content-type-options'], 'nosniff');
      assert.equal(thrown.headers['x-frame-options'], 'DENY');
      assert.equal(thrown.headers['referrer-policy'], 'no-referrer');
    } finally {
      await relay.stop();
    }
  });

  it('is sent behind a TLS proxy too, where the relay itself speaks plain HTTP', async () => {
    const app = createApp({ webDistDir: tmpdir(), publicUrl: 'https://help.example.com', routes: [], trustProxy: true, log: silent });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
