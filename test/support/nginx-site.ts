// The production nginx site of deploy/nginx/remote-help.conf, as a test runs it: the file itself, with only
// what must differ on a test machine replaced — its ports (loopback, free ones), the server's name and
// certificate paths, and the relay's port. Each replaced text must be in the file exactly as written here,
// so an example that drifts from what the test runs fails the test instead of being silently skipped.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNginx, type NginxProcess } from './nginx-process.js';

export const nginxSiteExample = 'deploy/nginx/remote-help.conf';

export interface SitePlaces {
  httpsPort: number;
  httpPort: number;
  relayPort: number;
  certFile: string;
  keyFile: string;
  /** The host name people use: the certificate's. */
  serverName: string;
}

/** The example with the test's places; throws naming any expected text the example no longer has. */
export function renderSite(example: string, p: SitePlaces): string {
  const v6 = '# (IPv6 listener left out: a test machine may have no IPv6 loopback)';
  // [text in the example, what the test runs instead, how many times the example has it]
  const replacements: [string, string, number][] = [
    ['listen 443 ssl http2 default_server;', `listen 127.0.0.1:${p.httpsPort} ssl http2 default_server;`, 1],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${p.httpsPort} ssl http2;`, 1],
    ['listen 80 default_server;', `listen 127.0.0.1:${p.httpPort} default_server;`, 1],
    ['listen 80;', `listen 127.0.0.1:${p.httpPort};`, 1],
    ['listen [::]:443 ssl http2 default_server;', v6, 1],
    ['listen [::]:443 ssl http2;', v6, 1],
    ['listen [::]:80 default_server;', v6, 1],
    ['listen [::]:80;', v6, 1],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${p.relayPort};`, 1],
    ['/etc/letsencrypt/live/help.example.com/fullchain.pem', p.certFile, 1],
    ['/etc/letsencrypt/live/help.example.com/privkey.pem', p.keyFile, 1],
    // The name the test's certificate has (the HTTP and the HTTPS server).
    ['server_name help.example.com;', `server_name ${p.serverName};`, 2],
  ];
  let site = example;
  for (const [from, to, expected] of replacements) {
    const count = site.split(from).length - 1;
    if (count !== expected) throw new Error(`${nginxSiteExample}: expected "${from}" ${expected} time(s), found it ${count} times`);
    site = site.replaceAll(from, to);
  }
  return site;
}

/** What Debian's /etc/nginx/nginx.conf gives a site in sites-enabled, with every path in `dir`. */
export function mainConf(dir: string): string {
  return `daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 1024; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'remote-help.conf')};
}
`;
}

/** Starts nginx with the example site on the test's places; resolves once its HTTPS port accepts. */
export async function startExampleSite(p: SitePlaces, exampleFile = nginxSiteExample): Promise<NginxProcess> {
  const site = renderSite(readFileSync(exampleFile, 'utf8'), p);
  return startNginx((dir) => {
    // Beside nginx.conf, as sites-enabled/remote-help is included by Debian's.
    writeFileSync(join(dir, 'remote-help.conf'), site);
    return mainConf(dir);
  }, p.httpsPort, 'rh-proxy-');
}
