// A load balancer in front of several relay nodes, as an operator would put one: Debian's nginx with
// its stream module (installed by `npm run setup -- --test`), passing TLS through untouched (the nodes
// serve the local CA's certificate for `localhost`), round robin, and on to the next node when one
// refuses the connection (a node killed or draining). Its own configuration, pid and logs in a temp
// folder; started and stopped by its PID.
import { join } from 'node:path';
import { nginxBinary, startNginx } from './nginx-process.js';
import { freePort } from './redis-server.js';

export { nginxBinary };
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
  const port = await freePort();
  const nginx = await startNginx((dir) => nginxConf(dir, port, nodePorts), port, 'rh-lb-');
  return { port, accessLog: () => nginx.read('access.log'), stop: () => nginx.stop() };
}
