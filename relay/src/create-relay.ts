// Builds one relay node from its parts: HTTPS (local CA certificate), the Koa app (pages, identity),
// Socket.IO, the session service. Production (main.ts) and every test call this same function.
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Middleware } from 'koa';
import type { Config } from './config.js';
import type { DirectoryStore } from './directory/index.js';
import { createApp } from './http/create-app.js';
import { createIdentity } from './identity/index.js';
import type { Clock, Log } from './ports.js';
import { createMemorySessionStore } from './sessions/memory-session-store.js';
import { createSessionService, type SessionService } from './sessions/session-service.js';
import type { SessionStore } from './sessions/session-store.js';
import { ensureLocalCertificate } from './tls/local-ca.js';
import { createSocketServer } from './socket/create-socket-server.js';
import { createSessionRouting } from './socket/session-routing.js';
import type { RelayServer, SocketAuthenticator } from './socket/types.js';

/** What the relay needs from the identity part (relay/src/identity). */
export interface IdentityPart extends SocketAuthenticator {
  routes: Middleware;
  close(): Promise<void> | void;
}

export interface IdentityOptions {
  publicUrl: string;
  dataDir: string;
  directory: DirectoryStore;
  log: Log;
  caCertPath: string;
}

export interface RelayDeps {
  config: Config;
  directory: DirectoryStore;
  log: Log;
  clock: Clock;
  /** Live session state; in memory by default (one node). */
  store?: SessionStore;
  /** The embedded provider by default. */
  createIdentity?: (opts: IdentityOptions) => Promise<IdentityPart>;
}

export interface Listening {
  /** The public origin, e.g. https://localhost:8443 (no trailing slash). */
  url: string;
  port: number;
  caCertPath: string;
}

export interface Relay {
  listen(): Promise<Listening>;
  close(): Promise<void>;
  /** For tests and diagnostics; undefined before listen. */
  readonly io: RelayServer | undefined;
  readonly sessions: SessionService;
}

export function createRelay(deps: RelayDeps): Relay {
  const { config, directory, log, clock } = deps;
  let publicUrl = config.publicUrl ?? '';
  let identity: IdentityPart | undefined;
  let server: HttpsServer | undefined;
  let sockets: ReturnType<typeof createSocketServer> | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  let io: RelayServer | undefined;
  const routing = createSessionRouting(() => {
    if (!io) throw new Error('socket server not started');
    return io;
  });
  const sessions = createSessionService({
    store: deps.store ?? createMemorySessionStore(),
    directory, clock, log, notifier: routing,
    publicUrl: () => publicUrl,
    rateLimits: config.rateLimits,
  });

  return {
    get io() {
      return io;
    },
    sessions,
    async listen() {
      const hosts = [config.host, ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])];
      const cert = await ensureLocalCertificate(config.dataDir, hosts);
      const app = createApp({
        webDistDir: config.webDistDir,
        publicUrl: () => publicUrl,
        identityRoutes: () => identity?.routes,
        log,
      });
      server = createServer({ key: cert.key, cert: cert.cert }, app.callback());
      sockets = createSocketServer({
        server,
        sessions,
        routing,
        auth: () => identity,
        publicOrigin: () => publicUrl,
        log,
        pingIntervalMs: config.pingIntervalMs,
        pingTimeoutMs: config.pingTimeoutMs,
        reconnectGraceMs: config.reconnectGraceMs,
      });
      io = sockets.io;
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(config.port, config.host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const port = (s.address() as AddressInfo).port;
      publicUrl = config.publicUrl ?? defaultPublicUrl(config.host, port);
      identity = await (deps.createIdentity ?? createIdentity)({ publicUrl, dataDir: config.dataDir, directory, log, caCertPath: cert.caCertPath });
      sweeper = setInterval(() => {
        sessions.sweep().catch((error: unknown) => log.error('session sweep failed', { error }));
      }, 1000);
      sweeper.unref();
      log.info('relay listening', { url: publicUrl, port });
      return { url: publicUrl, port, caCertPath: cert.caCertPath };
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      // io.close() disconnects every socket and closes the HTTPS server it is attached to.
      if (sockets) await sockets.close();
      server?.closeAllConnections();
      await identity?.close();
      identity = undefined;
    },
  };
}

/** A wildcard bind address is no name a browser can open: say localhost then. */
function defaultPublicUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `https://${name}:${port}`;
}
