// The relay's only reader of process.env (and, through RH_CONFIG, of the operator's configuration
// file): validated once here, so a bad value stops the process with a message that names the variable
// or the key, instead of failing later somewhere deep.
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { limits } from '#protocol';
import { isDatabaseValue, isRedisUrl, OperatorConfigError, readOperatorConfig, type ConfiguredTenant } from './operator-config.js';
import { databaseUrlShown } from './pg/connect.js';

// The schemes RTCPeerConnection takes; the pages refuse anything else (protocol iceConfig), so the
// relay refuses it at start rather than hand out a configuration no page would use.
const iceUrl = z.string().regex(/^(stun|stuns|turn|turns):\S+$/, 'must be a stun:, stuns:, turn: or turns: URL');
const iceServer = z.strictObject({
  urls: z.union([iceUrl, z.array(iceUrl).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServer>;

const intFrom = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const boolFrom = (name: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${v}"` });
      return z.NEVER;
    });

/** How long a session waits for a member whose page or connection went: long enough for a reload, a
 * browser restart, a network change. */
export const defaultReconnectGraceMs = 120_000;
export const maxReconnectGraceMs = 30 * 60_000;

const envSchema = z.object({
  RH_PORT: intFrom('RH_PORT', 8443, 0, 65535),
  RH_HOST: z.string().min(1).default('localhost'),
  RH_PUBLIC_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      try {
        const u = new URL(v);
        if (u.protocol !== 'https:') throw new Error('not https');
        return u.origin;
      } catch {
        ctx.addIssue({ code: 'custom', message: `RH_PUBLIC_URL must be an https:// origin, got "${v}"` });
        return z.NEVER;
      }
    }),
  RH_DATA_DIR: z.string().min(1).default('./data/relay'),
  RH_WEB_DIST: z.string().min(1).default('dist/web'),
  RH_PING_INTERVAL_MS: intFrom('RH_PING_INTERVAL_MS', 3000, 500, 60_000),
  RH_PING_TIMEOUT_MS: intFrom('RH_PING_TIMEOUT_MS', 4000, 500, 60_000),
  RH_RECONNECT_GRACE_MS: intFrom('RH_RECONNECT_GRACE_MS', defaultReconnectGraceMs, 0, maxReconnectGraceMs),
  RH_CODE_LIFETIME_MS: intFrom('RH_CODE_LIFETIME_MS', limits.codeLifetimeMs, 30_000, 60 * 60_000),
  RH_JOIN_FAILURES_PER_USER: intFrom('RH_JOIN_FAILURES_PER_USER', 5, 1, 10_000),
  RH_JOIN_FAILURES_PER_ADDRESS: intFrom('RH_JOIN_FAILURES_PER_ADDRESS', 20, 1, 100_000),
  RH_CREATES_PER_USER: intFrom('RH_CREATES_PER_USER', 30, 1, 100_000),
  RH_JOIN_FAILURE_WINDOW_MS: intFrom('RH_JOIN_FAILURE_WINDOW_MS', 10 * 60_000, 1000, 24 * 3600_000),
  RH_TRUST_PROXY: boolFrom('RH_TRUST_PROXY', false),
  RH_REDIS_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      if (!isRedisUrl(v)) {
        ctx.addIssue({ code: 'custom', message: `RH_REDIS_URL must be a redis:// or rediss:// URL, got "${v}"` });
        return z.NEVER;
      }
      return v.trim();
    }),
  RH_DATABASE_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      // `sqlite` (the file's default word) and nothing both mean the data folder.
      if (v === undefined || v.trim() === '' || v.trim() === 'sqlite') return undefined;
      if (!isDatabaseValue(v)) {
        ctx.addIssue({ code: 'custom', message: `RH_DATABASE_URL must be sqlite or a postgres:// or postgresql:// URL, got "${v.includes('@') ? databaseUrlShown(v) : v.trim()}"` });
        return z.NEVER;
      }
      return v.trim();
    }),
  RH_CONNECTIONS_PER_USER: intFrom('RH_CONNECTIONS_PER_USER', 20, 1, 10_000),
  RH_CONNECTIONS_PER_ADDRESS: intFrom('RH_CONNECTIONS_PER_ADDRESS', 1000, 1, 1_000_000),
  RH_LIVE_SESSIONS_PER_HELPER: intFrom('RH_LIVE_SESSIONS_PER_HELPER', 10, 1, 10_000),
  RH_RESUME_PAGE_BYTES: intFrom('RH_RESUME_PAGE_BYTES', 32 * 1024, 1024, 1_048_576),
  RH_RESUME_HELD_BYTES: intFrom('RH_RESUME_HELD_BYTES', 256 * 1024, 4096, 16 * 1_048_576),
  RH_CONNECTION_LEASE_SECONDS: intFrom('RH_CONNECTION_LEASE_SECONDS', 60, 3, 3600),
  RH_MAX_CONNECTIONS: intFrom('RH_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
  RH_OVERLOAD_LAG_MS: intFrom('RH_OVERLOAD_LAG_MS', 200, 10, 60_000),
  RH_RESUMES_PER_SECOND: intFrom('RH_RESUMES_PER_SECOND', 50, 0, 10_000),
  RH_TURN_SECRET: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    if (v.trim().length < 16) {
      ctx.addIssue({ code: 'custom', message: 'RH_TURN_SECRET must be at least 16 characters' });
      return z.NEVER;
    }
    return v.trim();
  }),
  RH_TURN_URLS: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return [] as string[];
    const urls = v.split(',').map((u) => u.trim()).filter((u) => u !== '');
    const bad = urls.find((u) => !/^turns?:/.test(u));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `RH_TURN_URLS must be turn: or turns: URLs separated by commas, got "${bad}"` });
      return z.NEVER;
    }
    return urls;
  }),
  RH_TURN_TTL_SECONDS: intFrom('RH_TURN_TTL_SECONDS', 3600, 60, 86_400),
  RH_ICE_TRANSPORT_POLICY: z.enum(['all', 'relay'], { error: 'RH_ICE_TRANSPORT_POLICY must be all or relay' }).default('all'),
  RH_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'RH_LOG_LEVEL must be debug, info, warn or error' }).default('info'),
  RH_METRICS_TOKEN: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    if (v.trim().length < 16) {
      ctx.addIssue({ code: 'custom', message: 'RH_METRICS_TOKEN must be at least 16 characters' });
      return z.NEVER;
    }
    return v.trim();
  }),
  RH_ICE_SERVERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return [] as IceServer[];
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'RH_ICE_SERVERS must be JSON: an array of {urls, username?, credential?}' });
        return z.NEVER;
      }
      const r = z.array(iceServer).safeParse(parsed);
      if (!r.success) {
        ctx.addIssue({ code: 'custom', message: `RH_ICE_SERVERS: ${r.error.issues.map((i) => i.message).join('; ')}` });
        return z.NEVER;
      }
      return r.data;
    }),
});

export interface RateLimits {
  /** Failed joins (wrong, expired, used code, wrong tenant) one user may make per window. */
  joinFailuresPerUser: number;
  /** Failed joins from one client address per window (several users behind one NAT share it). */
  joinFailuresPerAddress: number;
  /** The window of both join failures and creates. */
  joinFailureWindowMs: number;
  /** Sessions one helper may open per window (each holds a code and memory for up to 10 minutes). */
  createsPerUser: number;
}

/** What one person, one address and one helper may hold at once, counted across nodes (issue 12). */
export interface PersonLimits {
  /** Socket connections one signed-in person may hold at once (tabs, windows, the console). */
  connectionsPerUser: number;
  /** Socket connections from one client address at once (many people behind one NAT share it). */
  connectionsPerAddress: number;
  /** Sessions one helper may have that have not ended. */
  liveSessionsPerHelper: number;
  /** The most chat text, in bytes of UTF-8, one `session:resume` answer carries; the rest comes in further pages. */
  resumeChatPageBytes: number;
  /** The most chat, in bytes, a session holds for resume: past it the oldest messages are dropped, and a
   * side that resumes from before them is told older messages are no longer available. */
  resumeChatHeldBytes: number;
  /** How long a node's count of one connection lasts unless the node renews it (it does, a third of the
   * way in): the connections of a node that died stop counting within this time. */
  connectionLeaseMs: number;
}

/** What one node takes on before it sheds load: beyond either, new connections and new sessions are
 * refused with `overloaded`, and the sessions it holds go on. */
export interface Capacity {
  maxConnections: number;
  /** Event-loop delay, in ms, beyond which the node counts as overloaded. */
  overloadLagMs: number;
  /** Past capacity, the members coming back to a live session let in each second all the same (0: none). */
  resumesPerSecond: number;
}

/** The TURN REST API (coturn's `use-auth-secret`): short-lived credentials per session member. */
export interface TurnConfig {
  secret: string;
  urls: string[];
  ttlSeconds: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  port: number;
  /** The host name in the local certificate and in links when publicUrl is not set. */
  host: string;
  /** The address the HTTPS server listens on: RH_HOST without a configuration file (as before); with
   * one, `listen`, else every interface, so the publicUrl an operator names is reachable. */
  listenHost: string;
  /** Undefined: computed after listening as https://HOST:PORT (the port is known only then when 0). */
  publicUrl: string | undefined;
  dataDir: string;
  webDistDir: string;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** How long a session waits for a member whose page or connection went (RH_RECONNECT_GRACE_MS,
   * sessions.reconnectGraceSeconds); 0: the session ends at once. */
  reconnectGraceMs: number;
  /** How long a security code is accepted (RH_CODE_LIFETIME_MS; 10 minutes by default, DESIGN §5). */
  codeLifetimeMs: number;
  iceServers: IceServer[];
  /** Undefined: no TURN server of the relay's own (iceServers may still name one with fixed credentials). */
  turn: TurnConfig | undefined;
  /** 'relay': the pages use TURN relays only (RH_ICE_TRANSPORT_POLICY, iceTransportPolicy): no direct
   * or STUN path, so media never reveals a person's addresses to the other side, and a test can prove
   * the TURN path works. 'all' (default): the best path ICE finds. */
  iceTransportPolicy: 'all' | 'relay';
  rateLimits: RateLimits;
  personLimits: PersonLimits;
  capacity: Capacity;
  logLevel: LogLevel;
  /** Undefined: /metrics answers loopback clients only. */
  metricsToken: string | undefined;
  /** Live state in Redis (RH_REDIS_URL, `redis`): sessions, limits, sign-ins, Socket.IO across nodes.
   * Undefined: in this process's memory (one node). */
  redisUrl: string | undefined;
  /** The kept data (directory, reports, device keys, second factors, provider secrets) in PostgreSQL
   * (RH_DATABASE_URL, `database`), shared by several nodes. Undefined: SQLite files in dataDir. */
  databaseUrl: string | undefined;
  /** Behind a TLS-terminating proxy: the client address is the first X-Forwarded-For entry (for rate
   * limits and conditional-access IP rules), and the provider trusts X-Forwarded-Proto. */
  trustProxy: boolean;
  /** From RH_CONFIG: the organization's tenants, and only these exist. Undefined: the embedded demo. */
  tenants: ConfiguredTenant[] | undefined;
  /** Tenant id → the token its SCIM provisioning client sends (tenants[].scim.token); empty: no SCIM. */
  scimTokens: Record<string, string>;
  /** From RH_CONFIG: the certificate to serve. Undefined: the local CA's, made in the data folder. */
  tls: { certFile: string; keyFile: string; caFile: string | undefined } | undefined;
  /** From RH_CONFIG with trustProxy and no tls: the proxy ends TLS, the relay speaks plain HTTP to it. */
  plainHttp: boolean;
}

export class ConfigError extends Error {}

/** The file's values, as the environment variables they stand for: set variables still win (§11). */
function fileDefaults(file: ReturnType<typeof readOperatorConfig>, fileDir: string): Record<string, string | undefined> {
  return {
    RH_PUBLIC_URL: file.publicUrl,
    RH_PORT: file.port?.toString(),
    RH_HOST: file.host,
    RH_DATA_DIR: file.dataDir === undefined ? undefined : resolve(fileDir, file.dataDir),
    RH_TRUST_PROXY: file.trustProxy?.toString(),
    RH_REDIS_URL: file.redis,
    RH_DATABASE_URL: file.database,
    RH_CONNECTIONS_PER_USER: file.limits?.connectionsPerUser?.toString(),
    RH_CONNECTIONS_PER_ADDRESS: file.limits?.connectionsPerAddress?.toString(),
    RH_LIVE_SESSIONS_PER_HELPER: file.limits?.liveSessionsPerHelper?.toString(),
    RH_RESUME_PAGE_BYTES: file.limits?.resumeChatPageBytes?.toString(),
    RH_RESUME_HELD_BYTES: file.limits?.resumeChatHeldBytes?.toString(),
    RH_CONNECTION_LEASE_SECONDS: file.limits?.connectionLeaseSeconds?.toString(),
    RH_MAX_CONNECTIONS: file.capacity?.maxConnections?.toString(),
    RH_OVERLOAD_LAG_MS: file.capacity?.overloadLagMs?.toString(),
    RH_RESUMES_PER_SECOND: file.capacity?.resumesPerSecond?.toString(),
    RH_ICE_SERVERS: file.iceServers === undefined ? undefined : JSON.stringify(file.iceServers),
    RH_TURN_SECRET: file.turn?.secret,
    RH_TURN_URLS: file.turn?.urls.join(','),
    RH_TURN_TTL_SECONDS: file.turn?.ttlSeconds?.toString(),
    RH_ICE_TRANSPORT_POLICY: file.iceTransportPolicy,
    RH_LOG_LEVEL: file.log?.level,
    RH_METRICS_TOKEN: file.metrics?.token,
    RH_RECONNECT_GRACE_MS: file.sessions?.reconnectGraceSeconds === undefined ? undefined : String(file.sessions.reconnectGraceSeconds * 1000),
  };
}

/** Only the variables that hold a value: an empty one does not hide the file's. */
const withValue = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));

export function loadConfig(env: Record<string, string | undefined>): Config {
  let file: ReturnType<typeof readOperatorConfig> | undefined;
  // Paths in the file are read from the file's own folder, wherever the relay is started from.
  const fileDir = env['RH_CONFIG']?.trim() ? dirname(resolve(env['RH_CONFIG'])) : '.';
  if (env['RH_CONFIG']?.trim()) {
    try {
      file = readOperatorConfig(resolve(env['RH_CONFIG']), env);
    } catch (e) {
      if (e instanceof OperatorConfigError) throw new ConfigError(e.message);
      throw e;
    }
  }
  const r = envSchema.safeParse(file ? { ...withValue(fileDefaults(file, fileDir)), ...withValue(env) } : env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  - ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new ConfigError(`Invalid relay configuration:\n${lines.join('\n')}`);
  }
  const e = r.data;
  // An organization serves its own certificate, or sits behind a proxy that does: the local CA is the
  // demo's (npm start), and a browser would warn about it.
  if (e.RH_TURN_SECRET && e.RH_TURN_URLS.length === 0) {
    throw new ConfigError('Invalid relay configuration:\n  - RH_TURN_URLS: name the TURN server (turn:host:3478, turns:host:443?transport=tcp) the secret is for');
  }
  // Relay-only with no TURN server to relay through: no screen would ever reach the helper.
  const namesTurn = e.RH_ICE_SERVERS.some((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).some((u) => /^turns?:/.test(u)));
  if (e.RH_ICE_TRANSPORT_POLICY === 'relay' && !e.RH_TURN_SECRET && !namesTurn) {
    throw new ConfigError('Invalid relay configuration:\n  - RH_ICE_TRANSPORT_POLICY: relay needs a TURN server (turn, or a turn: URL in iceServers)');
  }
  const plainHttp = !!file && !file.tls && e.RH_TRUST_PROXY;
  if (file && !file.tls && !e.RH_TRUST_PROXY) {
    throw new ConfigError('Invalid relay configuration:\n  - tls: give certFile and keyFile, or set trustProxy: true behind a TLS-terminating proxy (the local CA is for the demo, npm start, only)');
  }
  if (plainHttp && !e.RH_PUBLIC_URL) {
    throw new ConfigError('Invalid relay configuration:\n  - publicUrl: behind a proxy, name the https:// address people reach');
  }
  return {
    port: e.RH_PORT,
    host: e.RH_HOST,
    // Plain HTTP is for the proxy beside it: on the loopback only, unless the operator says otherwise.
    listenHost: env['RH_LISTEN']?.trim() || file?.listen || (plainHttp ? '127.0.0.1' : file ? '0.0.0.0' : e.RH_HOST),
    plainHttp,
    publicUrl: e.RH_PUBLIC_URL,
    dataDir: resolve(e.RH_DATA_DIR),
    webDistDir: resolve(e.RH_WEB_DIST),
    pingIntervalMs: e.RH_PING_INTERVAL_MS,
    pingTimeoutMs: e.RH_PING_TIMEOUT_MS,
    reconnectGraceMs: e.RH_RECONNECT_GRACE_MS,
    codeLifetimeMs: e.RH_CODE_LIFETIME_MS,
    iceServers: e.RH_ICE_SERVERS,
    turn: e.RH_TURN_SECRET ? { secret: e.RH_TURN_SECRET, urls: e.RH_TURN_URLS, ttlSeconds: e.RH_TURN_TTL_SECONDS } : undefined,
    iceTransportPolicy: e.RH_ICE_TRANSPORT_POLICY,
    personLimits: {
      connectionsPerUser: e.RH_CONNECTIONS_PER_USER,
      connectionsPerAddress: e.RH_CONNECTIONS_PER_ADDRESS,
      liveSessionsPerHelper: e.RH_LIVE_SESSIONS_PER_HELPER,
      resumeChatPageBytes: e.RH_RESUME_PAGE_BYTES,
      resumeChatHeldBytes: e.RH_RESUME_HELD_BYTES,
      connectionLeaseMs: e.RH_CONNECTION_LEASE_SECONDS * 1000,
    },
    capacity: { maxConnections: e.RH_MAX_CONNECTIONS, overloadLagMs: e.RH_OVERLOAD_LAG_MS, resumesPerSecond: e.RH_RESUMES_PER_SECOND },
    logLevel: e.RH_LOG_LEVEL,
    metricsToken: e.RH_METRICS_TOKEN,
    trustProxy: e.RH_TRUST_PROXY,
    redisUrl: e.RH_REDIS_URL,
    databaseUrl: e.RH_DATABASE_URL,
    tenants: file?.tenants,
    scimTokens: Object.fromEntries((file?.tenants ?? []).flatMap((t) => (t.scim ? [[t.id, t.scim.token]] : []))),
    tls: file?.tls
      ? { certFile: resolve(fileDir, file.tls.certFile), keyFile: resolve(fileDir, file.tls.keyFile), caFile: file.tls.caFile ? resolve(fileDir, file.tls.caFile) : undefined }
      : undefined,
    rateLimits: {
      joinFailuresPerUser: e.RH_JOIN_FAILURES_PER_USER,
      joinFailuresPerAddress: e.RH_JOIN_FAILURES_PER_ADDRESS,
      joinFailureWindowMs: e.RH_JOIN_FAILURE_WINDOW_MS,
      createsPerUser: e.RH_CREATES_PER_USER,
    },
  };
}

/** The origin users reach: publicUrl when set, else the host and port the relay listens on (a wildcard
 * bind address is no name a browser can open: localhost then). */
export function publicUrlOf(config: Pick<Config, 'publicUrl' | 'host'>, port: number): string {
  if (config.publicUrl) return config.publicUrl;
  const { host } = config;
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `https://${name}:${port}`;
}
