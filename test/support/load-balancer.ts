// A load balancer in front of several relay nodes, as an operator would put one: Debian's nginx with
// its stream module (installed by `npm run setup -- --test`), passing TLS through untouched (the nodes
// serve the local CA's certificate for `localhost`), round robin, and on to the next node when one
// refuses the connection (a node killed or draining). Its own configuration, pid and logs in a temp
// folder; started and stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';
import { waitFor } from './wait.js';

export const nginxBinary = '/usr/sbin/nginx';
export const nginxStreamModule = '/usr/lib/nginx/modules/ngx_stream_module.so';

export interface LoadBalancer {
  readonly port: number;
  /** Every connection it passed on: the client's port and the node's address, one line each. */
  accessLog(): string;
  stop(): Promise<void>;
}

/** The configuration: nothing of the machine's own nginx (no include, its own paths). */
export function nginxConf(dir: string, listenPort: number, nodePorts: readonly number[]): string {
  return `load_module ${nginxStreamModule};
daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 1024; }
stream {
  log_format relays '$remote_port $upstream_addr $status';
  access_log ${join(dir, 'access.log')} relays;
  upstream relays {
    # A node that refused once is skipped for a second; with one left, it takes everything.
${nodePorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${listenPort};
    proxy_pass relays;
    proxy_connect_timeout 1s;
    proxy_next_upstream on;
    proxy_next_upstream_tries ${nodePorts.length};
    # The sockets ping every few seconds; a long idle allowance is only for a paused test.
    proxy_timeout 10m;
  }
}
`;
}

/** Starts nginx on a free loopback port and resolves once it accepts connections. */
export async function startLoadBalancer(nodePorts: readonly number[]): Promise<LoadBalancer> {
  const dir = mkdtempSync(join(tmpdir(), 'rh-lb-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(dir, port, nodePorts));
  // -e: the startup error log too, before the configuration's is read (else /var/log/nginx).
  const child: ChildProcess = spawn(nginxBinary, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const read = (file: string): string => {
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${output}${read('error.log')}`);
      return accepts(port);
    }, 10_000, 'the load balancer never listened');
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    accessLog: () => read('access.log'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit');
        child.kill('SIGTERM'); // nginx's fast shutdown: the master ends its workers and exits
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
