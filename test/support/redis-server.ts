// A real redis-server (Debian's, installed by `npm run setup -- --test`) for the tests of several nodes:
// its own process on a free loopback port, no persistence, stopped by its PID. Each suite starts its own,
// so suites running side by side never see each other's keys.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connectRedis, type RedisClient } from '#relay/live/redis-client.js';
import { createMemoryLog } from '#relay/log.js';
import { freePort } from '#scripts/services/free-port.js';
import { redisServerBinary } from '#scripts/services/redis.js';

export { freePort, redisServerBinary };

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Stops it (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
}

/** Starts redis-server and resolves once it accepts connections (its "Ready to accept" line). */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(redisServerBinary, [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const ready = new Promise<boolean>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (/Ready to accept connections/.test(output)) resolve(true);
      });
      child.once('exit', () => resolve(false));
      child.once('error', () => resolve(false));
    });
    if (await ready) {
      return {
        url: `redis://127.0.0.1:${port}`, port, child,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = once(child, 'exit');
          child.kill('SIGTERM');
          await gone;
        },
      };
    }
    // Another process took the port between the probe and the start: draw again, a few times.
    if (attempt >= 4 || !/Address already in use/.test(output)) throw new Error(`redis-server did not start: ${output.slice(-2000)}`);
  }
}

/** For a suite at the top of its file: a redis-server and one relay connection to it, made before the
 * suite's tests and gone after them. Read `client` inside the tests (it exists only once `before` ran). */
export function useRedis(): { readonly client: RedisClient; readonly server: RedisServer } {
  let server: RedisServer | undefined;
  let client: RedisClient | undefined;
  before(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url, createMemoryLog());
  });
  after(async () => {
    client?.destroy();
    await server?.stop();
  });
  return {
    get client() {
      if (!client) throw new Error('useRedis: read the client inside a test');
      return client;
    },
    get server() {
      if (!server) throw new Error('useRedis: read the server inside a test');
      return server;
    },
  };
}
