// The ports the tests and the demo draw for their services: outside the kernel's ephemeral range, so
// no outgoing connection on a busy machine can take one between the draw and the start (a CI run lost a
// cluster node's port that way: EADDRINUSE).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from '#scripts/services/free-port.js';

describe('free ports for the services the tests start', () => {
  it('draws ports outside the ephemeral range that can be listened on', async () => {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number];
    const ports = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const port = await freePort();
      assert.ok(port < low || port > high, `port ${port} is in the ephemeral range ${low}-${high}`);
      ports.add(port);
    }
    // Drawn, not one fixed port.
    assert.ok(ports.size > 30, `${ports.size} different ports in 40 draws`);
    const server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
