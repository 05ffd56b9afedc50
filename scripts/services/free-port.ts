// A loopback port nobody listens on now, for the services and nodes the demo and the tests start (a
// later start that loses the port to another process says so and draws again).
//
// Drawn at random from outside the kernel's ephemeral range: a port the kernel hands out (listen(0), or
// the local end of any outgoing connection) can be taken again by anything on the machine between the
// probe and the real start, and on a busy machine it was (a cluster node's port became a Redis
// client's local port: EADDRINUSE). Outside that range only another draw like this one can collide.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const drawFloor = 10_000;
const drawCeiling = 65_535;
const draws = 50;

/** The kernel's ephemeral port range (Linux), or the IANA default elsewhere. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch { /* not Linux */ }
  return [49_152, 65_535];
}

function drawPort(): number | undefined {
  const [low, high] = ephemeralRange();
  const below = Math.max(0, Math.min(low, drawCeiling + 1) - drawFloor);
  const above = Math.max(0, drawCeiling - Math.max(high, drawFloor - 1));
  const span = below + above;
  if (span <= 0) return undefined;
  const n = Math.floor(Math.random() * span);
  return n < below ? drawFloor + n : Math.max(high, drawFloor - 1) + 1 + (n - below);
}

async function kernelPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function freePort(): Promise<number> {
  for (let i = 0; i < draws; i++) {
    const port = drawPort();
    if (port === undefined) break;
    if (await portIsFree(port, '127.0.0.1')) return port;
  }
  return kernelPort();
}

/** Whether `port` can be listened on at `host` now (a default port another program may hold). */
export async function portIsFree(port: number, host = 'localhost'): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
