// Builds one relay node from its parts: HTTPS (local CA certificate), the Koa app (pages, identity,
// admin API, device enrollment), Socket.IO, the session service with its policy, device trust and
// reports. Production (main.ts) and every test call this same function.
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Middleware } from 'koa';
import { adminRoutes } from './admin/admin-routes.js';
import { createAdminService, type AdminService } from './admin/admin-service.js';
import { retentionIntervalMs } from './admin/retention.js';
import type { Config } from './config.js';
import { createDeviceTrust } from './device-trust/index.js';
import { defaultTenantSettings, type DirectoryStore } from './directory/index.js';
import { createApp } from './http/create-app.js';
import { createIdentity } from './identity/index.js';
import { createPolicyService } from './policy/policy-service.js';
import type { Clock, Log, ReportLog } from './ports.js';
import { createReportLog } from './reports/index.js';
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
  /** Called with the webSessionKey of each web session that ends (signed out, expired), so the sockets
   * it authenticated go with it (absent: web sessions never end early). */
  onSignOut?(listener: (webSessionKey: string) => void): void;
  /** Whether a user signs in with a second factor, for the admin view (absent: nobody does). */
  mfaEnrolled?(tenantId: string, userId: string): boolean;
  close(): Promise<void> | void;
}

export interface IdentityOptions {
  publicUrl: string;
  dataDir: string;
  directory: DirectoryStore;
  log: Log;
  caCertPath: string;
  /** Behind a TLS-terminating proxy (RH_TRUST_PROXY): trust its forwarded headers. */
  trustProxy: boolean;
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
  /** The session reports; by default the hash-chained SQLite log in the data folder (closed with the relay). */
  reports?: ReportLog;
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
  readonly reports: ReportLog;
  readonly admin: AdminService;
}

export function createRelay(deps: RelayDeps): Relay {
  const { config, directory, log, clock } = deps;
  let publicUrl = config.publicUrl ?? '';
  let identity: IdentityPart | undefined;
  let server: HttpsServer | undefined;
  let sockets: ReturnType<typeof createSocketServer> | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let retention: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  const reports = deps.reports ?? createReportLog({ dataDir: config.dataDir, clock });
  const policy = createPolicyService(directory);
  const deviceTrust = createDeviceTrust({
    dataDir: config.dataDir, directory, clock, log,
    compliancePolicy: (tenantId) => directory.compliancePolicy(tenantId),
    settings: (tenantId) => directory.tenant(tenantId)?.settings ?? defaultTenantSettings,
    auth: () => identity,
  });
  const admin = createAdminService({
    directory, reports, clock, log,
    reevaluateCompliance: (tenantId) => deviceTrust.reevaluate(tenantId),
    mfaEnrolled: (tenantId, userId) => identity?.mfaEnrolled?.(tenantId, userId) ?? false,
  });
  const relayRoutes = [adminRoutes({ service: admin, auth: () => identity, log }), deviceTrust.routes];

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
    policy, reports, deviceTrust,
    compliancePolicy: (tenantId) => directory.compliancePolicy(tenantId),
  });
  let composedRoutes: Middleware | undefined;

  return {
    get io() {
      return io;
    },
    sessions,
    reports,
    admin,
    async listen() {
      const hosts = [config.host, ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])];
      const cert = await ensureLocalCertificate(config.dataDir, hosts);
      const app = createApp({
        webDistDir: config.webDistDir,
        publicUrl: () => publicUrl,
        identityRoutes: () => composedRoutes,
        trustProxy: config.trustProxy,
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
        clock,
        trustProxy: config.trustProxy,
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
      identity = await (deps.createIdentity ?? createIdentity)({
        publicUrl, dataDir: config.dataDir, directory, log, caCertPath: cert.caCertPath, trustProxy: config.trustProxy,
      });
      identity.onSignOut?.((webSessionKey) => sockets?.webSessionEnded(webSessionKey));
      composedRoutes = chain([...relayRoutes, identity.routes]);
      const applyRetention = () => {
        try {
          admin.applyRetentionAll();
        } catch (error) {
          log.error('report retention failed', { error });
        }
      };
      applyRetention();
      retention = setInterval(applyRetention, retentionIntervalMs);
      retention.unref();
      sweeper = setInterval(() => {
        sessions.sweep().catch((error: unknown) => log.error('session sweep failed', { error }));
      }, 1000);
      sweeper.unref();
      log.info('relay listening', { url: publicUrl, port });
      return { url: publicUrl, port, caCertPath: cert.caCertPath };
    },
    close() {
      // Once: a second call (a test's cleanup after the test closed it) waits for the first.
      closing ??= closeOnce();
      return closing;
    },
  };

  async function closeOnce(): Promise<void> {
    if (sweeper) clearInterval(sweeper);
    if (retention) clearInterval(retention);
    // Live sessions end by the relay, and are recorded so, before the sockets go.
    await sessions.shutdown().catch((error: unknown) => log.error('recording live sessions at shutdown failed', { error }));
    // io.close() disconnects every socket and closes the HTTPS server it is attached to.
    if (sockets) await sockets.close();
    server?.closeAllConnections();
    await identity?.close();
    identity = undefined;
    composedRoutes = undefined;
    deviceTrust.close();
    if (!deps.reports) reports.close();
  }
}

/** Runs Koa middlewares one after another, each passing on to the next when it does not answer. */
function chain(middlewares: Middleware[]): Middleware {
  return (ctx, next) => {
    const step = (i: number): Promise<unknown> => (i < middlewares.length ? Promise.resolve(middlewares[i]!(ctx, () => step(i + 1))) : next());
    return step(0);
  };
}

/** A wildcard bind address is no name a browser can open: say localhost then. */
function defaultPublicUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `https://${name}:${port}`;
}
