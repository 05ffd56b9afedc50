// A loopback port nobody listens on now, from the kernel: for the services and nodes the demo and the
// tests start (a later start that loses the port to another process says so and draws again).
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Whether `port` can be listened on at `host` now (a default port another program may hold). */
export async function portIsFree(port: number, host = 'localhost'): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
