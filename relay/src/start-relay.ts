// Starts one relay node, in the manner of socket.io's createApplication(httpServer, components): the
// HTTPS server (local CA certificate) is bound first, so the public URL is known; then every part is
// built with the concrete values it needs — identity, device trust, admin, sessions, Socket.IO — and the
// Koa app (pages, admin API, device enrollment, identity) answers. Production (main.ts) and every test
// call this same function.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Middleware } from 'koa';
import { adminRoutes } from './admin/admin-routes.js';
import { mySessionsRoute } from './http/my-sessions-route.js';
import { createAdminService, type AdminService } from './admin/admin-service.js';
import { retentionIntervalMs } from './admin/retention.js';
import { publicUrlOf, type Config } from './config.js';
import { createDeviceTrust, enrollRoutes, type KeyStore } from './device-trust/index.js';
import { defaultTenantSettings, type DirectoryStore } from './directory/index.js';
import { createApp } from './http/create-app.js';
import { createIdentity, devicesApi, type IdentityKept, type TenantMfa } from './identity/index.js';
import { loadCatalogues, type Catalogues } from './identity/page-locale.js';
import { createConnectionLeases } from './limits/connection-leases.js';
import { createMemoryWindowCounter } from './limits/memory-window-counter.js';
import { createPolicyService } from './policy/policy-service.js';
import type { Authenticator, Clock, Log, ProfileFreshness, ReportLog, WindowCounter } from './ports.js';
import { createReportLog } from './reports/index.js';
import { createMemoryPersonIndex, type PersonIndexName } from './sessions/person-index.js';
import { createMemorySessionStore } from './sessions/memory-session-store.js';
import { createSessionService, defaultTombstoneMs, type SessionService } from './sessions/session-service.js';
import { createChatSetting, withSettingsWrites } from './sessions/chat-setting.js';
import { connectionCount, createOverloadProbe, shedTcp, type OverloadProbe } from './socket/overload.js';
import type { RelayFaults } from './socket/faults.js';
import type { SessionStore } from './sessions/session-store.js';
import { ensurePrivateDir, tightenTree } from './sqlite/private-files.js';
import { readCertificateFiles } from './tls/certificate-files.js';
import { ensureLocalCertificate } from './tls/local-ca.js';
import { scimRoutes } from './scim/scim-routes.js';
import { createRelayIo, createSocketServer } from './socket/create-socket-server.js';
import { createIceConfigSource } from './turn/ice-config.js';
import { createMemoryNodeLiveness, createRedisNodeLiveness } from './live/node-liveness.js';
import { defaultRedisPrefix, type RedisClient } from './live/redis-client.js';
import { createRedisSessionStore } from './live/redis-session-store.js';
import { createRedisPersonIndex } from './live/redis-person-index.js';
import { createRedisWindowCounter } from './live/redis-window-counter.js';
import { createBroadcastBarrier } from './socket/broadcast-barrier.js';
import { createInFlight } from './socket/in-flight.js';
import { waitForHandOver } from './live/hand-over.js';
import { createSessionRouting, sessionOfRoom } from './socket/session-routing.js';
import type { RelayServer } from './socket/types.js';
import { createRelayMetrics, type RelayMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/ops-routes.js';
import type { ReadinessCheck } from './ops/readiness.js';
import { recordingRequestIds } from './ops/recorded-refusals.js';
import { countedSessionStore, liveSessionsOfSharedStore } from './ops/live-sessions.js';
import { observeSocketEvents } from './ops/socket-events.js';
import { timedPort } from './ops/timed-port.js';

/** What the relay needs from the identity part (relay/src/identity). */
export interface IdentityPart extends Authenticator {
  routes: Middleware;
  /** Called with the webSessionKey of each web session that ends (signed out, expired), so the sockets
   * it authenticated go with it (absent: web sessions never end early). */
  onSignOut?(listener: (webSessionKey: string) => void): void;
  /** Profiles kept from outside (Graph), waited for at join (absent: the directory is all there is). */
  profiles?: ProfileFreshness;
  /** Who in a tenant signs in with a second factor and whom an administrator requires to, for the
   * admin view, in one read (absent: nobody). */
  mfaOfTenant?(tenantId: string): Promise<TenantMfa>;
  /** Requiring a second factor of a user, or no longer (absent: the identity part has none to require). */
  setMfaRequired?(tenantId: string, userId: string, required: boolean): Promise<void>;
  close(): Promise<void> | void;
}

export interface IdentityOptions {
  publicUrl: string;
  dataDir: string;
  directory: DirectoryStore;
  log: Log;
  clock: Clock;
  /** The CA that issued the relay's certificate, when the system does not trust it (undefined: it does). */
  caCertPath: string | undefined;
  /** Behind a TLS-terminating proxy (RH_TRUST_PROXY): trust its forwarded headers. */
  trustProxy: boolean;
  /** From RH_CONFIG: each tenant's identity source (undefined: the demo, all embedded). */
  tenants: Config['tenants'];
  /** CAs trusted beside the system's for outside identity providers and Graph. */
  outgoingCa: readonly string[];
  /** The XLIFF catalogues, read once at start: the sign-in pages' language and the admin API's. */
  catalogues: Catalogues;
  /** Several nodes: the provider's state, web sign-ins and sign-in limits live here (undefined: this node). */
  redis: RedisClient | undefined;
  /** Counts of wrong passwords and codes (a Redis window counter with several nodes; absent: the identity
   * part's own SQLite file). */
  signInCounter?: WindowCounter;
  /** Counts of started web sign-ins per address (shared with several nodes; absent: in memory). */
  webSignInCounter?: WindowCounter;
  /** Second factors and the provider's secrets in the shared PostgreSQL (absent: the data folder's). */
  kept?: IdentityKept | undefined;
}

/** The kept stores beside the directory and the reports, when they live in the shared PostgreSQL
 * (main.ts opens them on its pool). Kept, and closed after the relay, by their owner. */
export interface KeptStores extends IdentityKept {
  deviceKeys: KeyStore;
}

export interface RelayDeps {
  config: Config;
  directory: DirectoryStore;
  log: Log;
  clock: Clock;
  /** Several nodes (DESIGN §12): every piece of live state is kept here, and Socket.IO reaches the
   * other nodes through it. Undefined: in this process's memory (one node). Closed by its owner. */
  redis?: RedisClient;
  /** Live session state; in `redis` when given, else in memory (one node). */
  store?: SessionStore;
  /** Sliding-window counts for the join and create limits; in `redis` when given, else in memory (one node). */
  limits?: WindowCounter;
  /** The embedded provider by default. */
  createIdentity?: (opts: IdentityOptions) => Promise<IdentityPart>;
  /** The session reports; by default the hash-chained SQLite log in the data folder (closed with the relay). */
  reports?: ReportLog;
  /** The device keys, second factors and provider secrets outside the data folder (PostgreSQL, several
   * nodes). Absent: device-trust.db, identity/mfa.db and identity/secrets.json in the data folder. */
  kept?: KeptStores;
  /** CAs (PEM) trusted beside the system's for outgoing calls: NODE_EXTRA_CA_CERTS in main.ts, a test's
   * stand-in providers. Node drops NODE_EXTRA_CA_CERTS wherever a `ca` is given, so it is passed on here. */
  outgoingCa?: readonly string[];
  /** Tests only: whether the node counts as overloaded, in place of its capacity (socket/overload.ts). */
  overload?: OverloadProbe;
  /** Tests only: what a relay between the two browsers would do (socket/faults.ts). main.ts never sets
   * it, and no configuration can. */
  faults?: RelayFaults;
}

export interface Relay {
  /** The public origin, e.g. https://localhost:8443 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The CA that issued the served certificate when it is not a public one: the local CA by default. */
  readonly caCertPath: string | undefined;
  /** Reads the configured certificate files again (SIGHUP) and serves them to new connections; false,
   * logged, when there is nothing to reload or the files are bad (the old certificate stays). */
  reloadCertificate(): Promise<boolean>;
  /** For tests and diagnostics. */
  readonly io: RelayServer;
  readonly sessions: SessionService;
  readonly reports: ReportLog;
  readonly admin: AdminService;
  /** What /metrics serves. */
  readonly metrics: RelayMetrics;
  /** One node: every live session ends "by the relay" (both sides are told, the reports say so). With
   * Redis it drains instead: no new connections, this node's clients are moved (their transports close,
   * socket.io-client reconnects through the load balancer to another node and the pages resume), the
   * requests in flight finish, and the sessions go on elsewhere, neither ended nor recorded. Closes
   * everything but `redis`, whose owner closes it after. */
  close(): Promise<void>;
}

/** How long a stopping relay waits for requests in flight once its sockets are closed. */
const inFlightWaitMs = 5000;
/** How long a draining relay waits for its members to resume on other nodes (main.ts stops at 10 s). */
const handOverWaitMs = 4000;

export async function startRelay(deps: RelayDeps): Promise<Relay> {
  const { config, log, clock } = deps;
  // Owner-only kept data (sqlite/private-files.ts): what an earlier version left readable is tightened now.
  ensurePrivateDir(config.dataDir);
  const tightened = tightenTree(config.dataDir);
  if (tightened.length > 0) log.warn('data folder tightened to owner-only (0700 folders, 0600 files)', { dataDir: config.dataDir, count: tightened.length, paths: tightened.slice(0, 20) });
  const hosts = [config.host, ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])];
  // The organization's certificate when the configuration names one; else the local CA's (npm start).
  // Behind a TLS-terminating proxy (an organization's trustProxy without tls) the relay speaks plain HTTP.
  const cert = config.plainHttp ? undefined
    : config.tls ? await readCertificateFiles(config.tls) : await ensureLocalCertificate(config.dataDir, hosts);
  const tlsServer = cert && createServer({ key: cert.key, cert: cert.cert });
  const server: HttpServer = tlsServer ?? createHttpServer();
  // A request that arrives while the parts are built (a second or so) waits for them, then is answered
  // like any other: nobody sees a half-started relay, and nothing is refused for coming early.
  const early: Array<[IncomingMessage, ServerResponse]> = [];
  const holdEarly = (req: IncomingMessage, res: ServerResponse): void => {
    early.push([req, res]);
  };
  server.on('request', holdEarly);
  await listen(server, config.port, config.listenHost);
  const port = (server.address() as AddressInfo).port;
  const publicUrl = publicUrlOf(config, port);
  // Undone in reverse order by close(), also when a later part fails to start.
  const closers: (() => Promise<void> | void)[] = [() => closeServer(server), () => server.closeAllConnections()];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        log.error('closing a relay part failed', { error });
      }
    }
    closers.length = 0;
  };
  const metrics = createRelayMetrics();
  // Load shedding (socket/overload.ts): asked by the socket handshakes and session starts, and by the
  // sign-in forms, which refuse before a password is hashed. Made once the relay answers (below): the
  // start's own work (keys, providers) is not load to shed.
  let overload: OverloadProbe | undefined;
  // Every part reads the directory (SQLite or PostgreSQL: the database /readyz checks) through this, so
  // its calls are timed beside the other stores'.
  const directory = timedPort(deps.directory, 'directory', metrics);
  let closing: Promise<void> | undefined;

  try {
    // Read once: a relay without them stops here, not at a user's first page or admin call.
    const catalogues = loadCatalogues();
    const identity = await (deps.createIdentity ?? createIdentity)({
      publicUrl, dataDir: config.dataDir, directory, log, clock, caCertPath: cert?.caCertPath, trustProxy: config.trustProxy,
      busy: () => overload?.reason() !== undefined,
      tenants: config.tenants, outgoingCa: deps.outgoingCa ?? [], catalogues, redis: deps.redis,
      ...(deps.kept ? { kept: { mfa: deps.kept.mfa, loadSecrets: deps.kept.loadSecrets } } : {}),
      // Several nodes: wrong passwords and started sign-ins count the same on every node.
      ...(deps.redis ? {
        signInCounter: createRedisWindowCounter(deps.redis, { prefix: `${defaultRedisPrefix}sign-in:` }),
        webSignInCounter: createRedisWindowCounter(deps.redis, { prefix: `${defaultRedisPrefix}web-sign-in:` }),
      } : {}),
    });
    closers.push(() => identity.close());
    const keptReports = deps.reports ?? createReportLog({ dataDir: config.dataDir, clock });
    if (!deps.reports) closers.push(() => keptReports.close());
    const reports = timedPort(keptReports, 'reports', metrics);
    const deviceTrust = createDeviceTrust({
      dataDir: config.dataDir, directory, clock, log,
      compliancePolicy: (tenantId) => directory.compliancePolicy(tenantId),
      settings: async (tenantId) => (await directory.tenant(tenantId))?.settings ?? defaultTenantSettings,
      redis: deps.redis,
      ...(deps.kept ? { keys: deps.kept.deviceKeys } : {}),
    });
    closers.push(() => deviceTrust.close());
    // Read per chat message, cached; this node's own settings writes invalidate it at once.
    const chatSetting = createChatSetting(directory, clock);
    const admin = createAdminService({
      directory: withSettingsWrites(directory, (tenantId) => chatSetting.invalidate(tenantId)), reports, clock, log,
      reevaluateCompliance: (tenantId) => deviceTrust.reevaluate(tenantId),
      forgetDeviceKey: (tenantId, deviceId) => deviceTrust.forget(tenantId, deviceId),
      ...(identity.mfaOfTenant ? { mfaOfTenant: identity.mfaOfTenant.bind(identity) } : {}),
      ...(identity.setMfaRequired ? { setMfaRequired: identity.setMfaRequired.bind(identity) } : {}),
      publicUrl,
      // Without a configuration every tenant is the demo's, kept by the relay.
      identityType: (tenantId) => config.tenants?.find((t) => t.id === tenantId)?.identity.type ?? 'embedded',
    });

    let connectionsNow = (): number => 0;
    const probe = deps.overload ?? createOverloadProbe({
      capacity: config.capacity, connections: () => connectionsNow(), log, onSevere: shedTcp(server),
    });
    overload = probe;
    closers.push(() => probe.close());
    const app = createApp({
      webDistDir: config.webDistDir,
      publicUrl,
      routes: [
        adminRoutes({ service: admin, auth: identity, log, catalogues }), enrollRoutes({ enrollment: deviceTrust, auth: identity }),
        scimRoutes({ directory, tokens: config.scimTokens, clock, log, publicUrl }), identity.routes,
        devicesApi({ directory, auth: identity, reports }), mySessionsRoute({ auth: identity, reports, log }),
      ],
      ops: opsRoutes({
        metrics, metricsToken: config.metricsToken, trustProxy: config.trustProxy,
        draining: () => closing !== undefined,
        readinessChecks: () => readinessChecks(directory, deps.redis),
      }),
      trustProxy: config.trustProxy,
      log,
    });
    // Before Socket.IO attaches: it hands on every request that is not its own to the listeners it finds.
    const answer = app.callback();
    server.off('request', holdEarly).on('request', answer);
    for (const [req, res] of early.splice(0)) void answer(req, res);

    // Several nodes: an answer goes out once what its request broadcast is published to the others.
    const broadcasts = deps.redis ? createBroadcastBarrier(sessionOfRoom) : undefined;
    const io = createRelayIo(server, { pingIntervalMs: config.pingIntervalMs, pingTimeoutMs: config.pingTimeoutMs, redis: deps.redis, broadcasts });
    const inFlight = createInFlight(broadcasts && (() => broadcasts.published()));
    // Before the session handlers: every event gets its request id, timing and in-flight count first.
    observeSocketEvents(io, metrics, inFlight);
    // Several nodes: live state in Redis, and each node says it is alive there (node-liveness.ts).
    // Redis keeps an ended session at least as long as the service remembers it (sweep() in session-service.ts).
    const tombstoneMs = Math.max(defaultTombstoneMs, config.rateLimits.joinFailureWindowMs);
    const chatHeldBytes = config.personLimits.resumeChatHeldBytes;
    const keptStore = deps.store ?? (deps.redis ? createRedisSessionStore(deps.redis, { tombstoneMs, chatHeldBytes }) : createMemorySessionStore({ chatHeldBytes }));
    // Live sessions by state: counted as they change on one node, read from the shared store with several (ops/live-sessions.ts).
    const live = deps.redis ? { store: keptStore, counts: liveSessionsOfSharedStore(keptStore) } : countedSessionStore(keptStore);
    const store = timedPort(live.store, 'sessions', metrics);
    connectionsNow = connectionCount(io);
    metrics.setSources({ connections: connectionsNow, liveSessions: live.counts });
    const liveness = deps.redis ? await createRedisNodeLiveness(deps.redis, log) : createMemoryNodeLiveness();
    // Closed after the two below (closers run in reverse): a draining node stays alive for the others
    // until its clients were moved and their requests finished, so its members are not marked away
    // while they are still here.
    closers.push(() => liveness.close());
    // Draining: the members it spoke for are taken over by the nodes their clients reconnect to (when
    // there is another node to reconnect to; the last one leaves them to the next start).
    let othersAtDrain = false;
    if (deps.redis) closers.push(() => (othersAtDrain ? waitForHandOver(store, liveness.id, log, handOverWaitMs) : undefined));
    // After the sockets are gone: what they asked for is finished before the stores close.
    closers.push(async () => {
      if (!(await inFlight.idle(inFlightWaitMs))) log.warn('requests still in flight at shutdown', { count: inFlight.count });
    });
    // io.close() closes every socket's transport (the clients see "transport close" and reconnect on
    // their own: to another node when there are several) and the HTTPS server it is attached to. The
    // sockets' own disconnect reason is "server shutting down", which is not a member going away.
    closers.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));
    const routing = createSessionRouting(io, { store, liveness, broadcasts });
    const counter = timedPort(deps.limits ?? (deps.redis ? createRedisWindowCounter(deps.redis) : createMemoryWindowCounter()), 'limits', metrics);
    const { connectionsPerUser, connectionsPerAddress, connectionLeaseMs: leaseMs } = config.personLimits;
    const leases = createConnectionLeases({ counter, clock, log, limits: { connectionsPerUser, connectionsPerAddress, leaseMs } });
    closers.push(() => leases.close());
    // Shared by the nodes with the live state: an invitation made on one is listed on another, a member
    // of a session held on one is found by a disable handled on another.
    const personIndex = (name: PersonIndexName) => (deps.redis ? createRedisPersonIndex(deps.redis, name) : createMemoryPersonIndex());
    const sessions = createSessionService({
      store, liveness,
      limits: counter,
      directory, clock, log, notifier: routing, publicUrl,
      rateLimits: config.rateLimits, personLimits: config.personLimits,
      policy: createPolicyService(directory), reports: recordingRequestIds(reports, metrics), deviceTrust,
      compliancePolicy: (tenantId) => directory.compliancePolicy(tenantId),
      ...(identity.profiles ? { profiles: identity.profiles } : {}),
      reconnectGraceMs: config.reconnectGraceMs,
      codeLifetimeMs: config.codeLifetimeMs,
      chatSetting,
      invitationIndex: personIndex('invited'),
      memberIndex: personIndex('member'),
      currentRoles: async (tenantId, userId) => (await directory.user(tenantId, userId))?.roles,
      // UPNs are unique across tenants; the embedded directory's sign-in name is the email.
      findPerson: async (upnOrEmail) => {
        const u = await directory.userByUpn(upnOrEmail);
        return u && { tenantId: u.tenantId, userId: u.oid, upn: u.upn, name: u.name, roles: u.roles, active: u.active };
      },
    });
    const sockets = createSocketServer({
      io, sessions, routing, auth: identity, publicOrigin: publicUrl, log, clock,
      trustProxy: config.trustProxy, leases, capacity: config.capacity, overload: probe, faults: deps.faults,
      ice: createIceConfigSource(config, () => clock.now()),
    });
    closers.push(() => sockets.close());
    identity.onSignOut?.((webSessionKey) => sockets.webSessionEnded(webSessionKey));
    // A disabled or deleted user (admin view, SCIM): their sessions end with the reason, then their sockets go.
    directory.onUserDisabled((tenantId, userId) => {
      sessions.endForUser(tenantId, userId)
        .then((ended) => log.info('user disabled: sessions ended', { tenantId, userId, ended }))
        .catch((error: unknown) => log.error('ending a disabled user\'s sessions failed', { tenantId, userId, error }))
        .finally(() => sockets.userDisabled(tenantId, userId));
    });
    // One node: live sessions end by the relay, and are recorded so, before the sockets go. With Redis
    // they are not this node's to end: the other nodes (or this one restarted) carry them on.
    if (!deps.redis) closers.push(() => sessions.shutdown().catch((error: unknown) => log.error('recording live sessions at shutdown failed', { error })));
    // Sessions a node of an earlier version holds are not in the member index yet: read once, beside the
    // start (the node answers meanwhile; until it is done, a disable may miss such a session).
    if (deps.redis) {
      sessions.indexLive()
        .then((read) => log.info('live sessions indexed', { read }))
        .catch((error: unknown) => log.error('indexing live sessions failed', { error }));
    }

    const applyRetention = async () => {
      try {
        await admin.applyRetentionAll();
      } catch (error) {
        log.error('report retention failed', { error });
      }
    };
    // Applied before the relay answers, as at every start.
    await applyRetention();
    const retention = setInterval(() => void applyRetention(), retentionIntervalMs);
    retention.unref();
    const sweeper = setInterval(() => {
      sessions.sweep().catch((error: unknown) => log.error('session sweep failed', { error }));
    }, 1000);
    sweeper.unref();
    closers.push(() => {
      clearInterval(sweeper);
      clearInterval(retention);
    });

    /** Several nodes: the load balancer sends new connections elsewhere from the first moment (this
     * node stops listening; its open connections stay until closeAll closes them). */
    const drain = async (): Promise<void> => {
      // The nodes Socket.IO's adapter hears from (itself included), asked before it closes.
      const nodes = await io.of('/').adapter.serverCount();
      othersAtDrain = nodes > 1;
      log.info('relay draining', { sockets: io.of('/').sockets.size, inFlight: inFlight.count, nodes });
      server.close();
      await closeAll();
      log.info('relay drained');
    };

    log.info('relay listening', { url: publicUrl, port });
    const tls = config.tls;
    return {
      url: publicUrl, port, caCertPath: cert?.caCertPath, io, sessions, reports, admin, metrics,
      async reloadCertificate() {
        if (!tls || !tlsServer) {
          log.info('no certificate files to reload: the relay serves its local CA\'s certificate');
          return false;
        }
        try {
          const next = await readCertificateFiles(tls);
          // New handshakes get the new certificate; open connections (and the sessions on them) stay.
          tlsServer.setSecureContext({ key: next.key, cert: next.cert });
          log.info('tls certificate reloaded', { certFile: tls.certFile });
          return true;
        } catch (error) {
          // A bad file at reload must not take the relay down: it keeps serving the certificate it has.
          log.error('tls certificate not reloaded; the previous one stays', { error: error instanceof Error ? error.message : String(error) });
          return false;
        }
      },
      // Once: a second call (a test's cleanup after the test closed it) waits for the first.
      close: () => (closing ??= deps.redis ? drain() : closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes the server if it is still listening (io.close() closes it when Socket.IO was attached). */
function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** The kept data answers a trivial query (a tenant that cannot exist); Redis a PING, when there is one. */
function readinessChecks(directory: DirectoryStore, redis: RedisClient | undefined): ReadinessCheck[] {
  return [
    { name: 'database', probe: () => directory.tenant('readyz-probe') },
    ...(redis ? [{ name: 'redis', probe: () => redis.ping() }] : []),
  ];
}
