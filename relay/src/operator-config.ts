// The operator's configuration file (DESIGN §11): RH_CONFIG names one YAML or JSON file, read and
// validated once at start. `${VAR}` anywhere in a value reads the environment, so secrets never sit in
// the file. Every problem is reported at once, each naming its key, and the relay does not start.
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { tenantBranding } from '#protocol';

/** The relay's own first path segments: a tenant's issuer path must not take one of them. */
const reservedIds = ['auth', 'api', 'assets', 'scim', 'healthz', 'readyz', 'metrics', 'rh', 'rhh', 'enroll', 'socket.io'];
/** Stable and URL-safe: it is part of the tenant's issuer, https://HOST/{id}/v2.0. */
const tenantId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1 to 64 letters, digits, - or _, starting with a letter or digit')
  .refine((id) => !reservedIds.includes(id.toLowerCase()), `must not be one of the relay's own paths (${reservedIds.join(', ')})`);
const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i, 'must be a domain name such as example.com');
const httpsUrl = z.string().refine((v) => {
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an https:// URL');
const secret = z.string().min(1, 'must not be empty');
/** What RTCPeerConnection takes as an ICE server URL (the pages refuse anything else). */
const iceUrl = z.string().regex(/^(stun|stuns|turn|turns):\S+$/, 'must be a stun:, stuns:, turn: or turns: URL');
/** What users reach: an https origin, with no path (the relay serves at the root). */
const publicOrigin = httpsUrl.refine((v) => {
  const u = new URL(v);
  return (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
}, 'must be an https:// origin without a path, such as https://help.example.com');
/** A value that may come from ${VAR}, which is always text: "8443" is read as 8443, "true" as true. */
const fromText = <T extends z.ZodType>(schema: T, kind: 'number' | 'boolean') =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    if (kind === 'number' && /^\d+$/.test(v.trim())) return Number(v.trim());
    if (kind === 'boolean' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
    return v;
  }, schema);

const embeddedIdentity = z.strictObject({ type: z.literal('embedded') });
const claimMap = z.strictObject({
  /** The sign-in name (a UPN or email): preferred_username by default, then email. */
  upn: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  jobTitle: z.string().min(1).optional(),
  company: z.string().min(1).optional(),
  picture: z.string().min(1).optional(),
  groups: z.string().min(1).optional(),
});
const roleMap = z.strictObject({ claim: z.string().min(1), map: z.record(z.string().min(1), z.string().min(1)) });
const oidcIdentity = z.strictObject({
  type: z.literal('oidc'),
  issuer: httpsUrl,
  clientId: z.string().min(1),
  clientSecret: secret,
  consoleClientId: z.string().min(1),
  audience: z.string().min(1),
  /** What the clients ask for: openid profile email by default (the provider's default resource gives the audience). */
  scopes: z.array(z.string().min(1)).min(1).optional(),
  claims: claimMap.optional(),
  roles: roleMap.optional(),
});
const entraIdentity = z.strictObject({
  type: z.literal('entra'),
  tenantId: z.string().uuid('must be the directory (tenant) ID, a GUID'),
  clientId: z.string().min(1),
  clientSecret: secret,
  consoleClientId: z.string().min(1),
  audience: z.string().min(1),
  authorityHost: httpsUrl.default('https://login.microsoftonline.com'),
  graphUrl: httpsUrl.default('https://graph.microsoft.com'),
  /** What the clients ask for: {audience}/session by default. */
  scopes: z.array(z.string().min(1)).min(1).optional(),
  /** Entra's sign-in name is preferred_username; claims may add what the tokens carry beyond it. */
  claims: claimMap.optional(),
  /** App role values to Remote Help roles; a value that is a role's id or name needs no entry. */
  roles: roleMap.optional(),
  /** Devices from Intune (Graph managedDevices, application permission DeviceManagementManagedDevices.Read.All):
   * listed every syncMinutes (default 15; 0 turns the sync off). */
  intune: z.strictObject({
    syncMinutes: fromText(z.number().int('must be a whole number of minutes').min(0).max(1440), 'number').optional(),
  }).optional(),
});

/** How often an Entra tenant's devices are listed from Intune, when its configuration does not say. */
export const defaultIntuneSyncMinutes = 15;

const tenant = z.strictObject({
  id: tenantId,
  name: z.string().min(1).max(200),
  verifiedDomains: z.array(domain).min(1, 'name at least one domain'),
  /** Initial values: once the tenant exists, its administrators change them in the console. */
  settings: z.strictObject({
    remoteHelp: z.boolean(),
    unenrolledHelp: z.boolean(),
    chat: z.boolean(),
    /** The organization's look on its pages: name, logo (a PNG, JPEG, WebP or SVG file of at most 64 KB,
     * relative to this file) and accent colour (#rrggbb). Read into `logo` at start. */
    branding: z.strictObject({
      organizationName: tenantBranding.shape.organizationName,
      logoFile: z.string().min(1),
      accentColor: tenantBranding.shape.accentColor,
    }).partial(),
  }).partial().default({}),
  identity: z.discriminatedUnion('type', [embeddedIdentity, oidcIdentity, entraIdentity], { error: 'type must be embedded, oidc or entra' }),
  /** SCIM provisioning at https://HOST/scim/v2, for requests that carry this token (Authorization: Bearer). */
  scim: z.strictObject({ token: z.string().min(32, 'must be at least 32 characters') }).optional(),
});
export type ConfiguredTenant = z.infer<typeof tenant> & {
  /** The branding's logo file, read at start as a data URL ('' without one). */
  logo?: string;
};

const operatorConfig = z.strictObject({
  publicUrl: publicOrigin.optional(),
  port: fromText(z.number().int().min(0).max(65535), 'number').optional(),
  /** The host name in the local certificate and in links when publicUrl is not given. */
  host: z.string().min(1).optional(),
  /** The address to listen on: every interface by default, so the publicUrl is reachable. */
  listen: z.string().min(1).optional(),
  tls: z.strictObject({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    /** The CA that issued certFile, when it is not one the system trusts (an internal PKI). */
    caFile: z.string().min(1).optional(),
  }).optional(),
  trustProxy: fromText(z.boolean(), 'boolean').optional(),
  dataDir: z.string().min(1).optional(),
  /** Where the kept data lives (DESIGN §12): sqlite (the data folder, one node) or a postgres:// URL (RH_DATABASE_URL). */
  database: z.string().refine((v) => isDatabaseValue(v), 'must be sqlite or a postgres:// or postgresql:// URL').optional(),
  /** Live state shared by several nodes (DESIGN §12): redis://host:port or rediss://… (RH_REDIS_URL). */
  redis: z.string().refine((v) => isRedisUrl(v), 'must be a redis:// or rediss:// URL').optional(),
  sessions: z.strictObject({
    /** How long a session waits for a member whose page or connection went before it ends (RH_RECONNECT_GRACE_MS). */
    reconnectGraceSeconds: fromText(z.number().int('must be a whole number of seconds').min(0).max(1800), 'number').optional(),
  }).optional(),
  /** What one person, one address and one helper may hold (RH_CONNECTIONS_PER_USER, …); counted across nodes. */
  limits: z.strictObject({
    connectionsPerUser: fromText(z.number().int().min(1).max(10_000), 'number').optional(),
    connectionsPerAddress: fromText(z.number().int().min(1).max(1_000_000), 'number').optional(),
    liveSessionsPerHelper: fromText(z.number().int().min(1).max(10_000), 'number').optional(),
    resumeChatPageBytes: fromText(z.number().int().min(1024).max(1_048_576), 'number').optional(),
    /** The chat a session holds for resume, in bytes; older messages are dropped past it (RH_RESUME_HELD_BYTES). */
    resumeChatHeldBytes: fromText(z.number().int().min(4096).max(16 * 1_048_576), 'number').optional(),
    /** How long a dead node's connections still count against the limits (RH_CONNECTION_LEASE_SECONDS). */
    connectionLeaseSeconds: fromText(z.number().int().min(3).max(3600), 'number').optional(),
  }).optional(),
  /** What one node takes on before it refuses new connections and sessions with `overloaded`. */
  capacity: z.strictObject({
    maxConnections: fromText(z.number().int().min(1).max(1_000_000), 'number').optional(),
    overloadLagMs: fromText(z.number().int().min(10).max(60_000), 'number').optional(),
    resumesPerSecond: fromText(z.number().int().min(0).max(10_000), 'number').optional(),
  }).optional(),
  /** STUN/TURN servers given to both pages as they are (RH_ICE_SERVERS). */
  iceServers: z.array(z.strictObject({
    urls: z.union([iceUrl, z.array(iceUrl).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  })).optional(),
  /** A TURN server with the TURN REST API's shared secret (coturn's use-auth-secret / static-auth-secret):
   * the relay gives each session member short-lived credentials for these urls (RH_TURN_SECRET, RH_TURN_URLS). */
  turn: z.strictObject({
    secret: z.string().min(16, 'must be at least 16 characters'),
    urls: z.array(z.string().regex(/^turns?:/, 'must be a turn: or turns: URL')).min(1),
    ttlSeconds: fromText(z.number().int().min(60).max(86_400), 'number').optional(),
  }).optional(),
  /** relay: the pages take TURN relays only, never a direct or STUN path (RH_ICE_TRANSPORT_POLICY;
   * default all). Needs a TURN server (turn, or iceServers with credentials). */
  iceTransportPolicy: z.enum(['all', 'relay']).optional(),
  /** The JSON log lines on standard output (RH_LOG_LEVEL). */
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']) }).partial().optional(),
  /** Prometheus metrics at /metrics: with a token, for requests that carry it (Authorization: Bearer);
   * without, for loopback clients only (RH_METRICS_TOKEN). */
  metrics: z.strictObject({ token: z.string().min(16, 'must be at least 16 characters') }).partial().optional(),
  tenants: z.array(tenant).min(1, 'name at least one tenant'),
}).superRefine((c, ctx) => {
  const seen = new Map<string, number>();
  c.tenants.forEach((t, i) => {
    if (seen.has(t.id.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['tenants', i, 'id'], message: `"${t.id}" is already the id of tenants[${seen.get(t.id.toLowerCase())}]` });
    else seen.set(t.id.toLowerCase(), i);
  });
  // One issuer, one tenant: a token is given to the tenant whose issuer signed it, so two tenants on one
  // issuer would each accept the other's people. Likewise a SCIM token names one tenant.
  const issuers = new Map<string, string>();
  const scimTokens = new Map<string, string>();
  c.tenants.forEach((t, i) => {
    const issuer = t.identity.type === 'oidc' ? t.identity.issuer
      : t.identity.type === 'entra' ? `${t.identity.authorityHost.replace(/\/+$/, '')}/${t.identity.tenantId.toLowerCase()}/v2.0` : undefined;
    if (issuer !== undefined) {
      const key = issuer.replace(/\/+$/, '').toLowerCase();
      const other = issuers.get(key);
      if (other) ctx.addIssue({ code: 'custom', path: ['tenants', i, 'identity'], message: `the identity provider ${issuer} is already the tenant ${other}'s: one issuer signs in one tenant` });
      else issuers.set(key, t.id);
    }
    if (t.scim) {
      const other = scimTokens.get(t.scim.token);
      if (other) ctx.addIssue({ code: 'custom', path: ['tenants', i, 'scim', 'token'], message: `the same token as the tenant ${other}'s: each tenant needs its own` });
      else scimTokens.set(t.scim.token, t.id);
    }
  });
  const owner = new Map<string, string>();
  for (const t of c.tenants) {
    for (const d of t.verifiedDomains) {
      const other = owner.get(d.toLowerCase());
      if (other && other !== t.id) ctx.addIssue({ code: 'custom', path: ['tenants'], message: `the domain ${d} is verified by both ${other} and ${t.id}` });
      owner.set(d.toLowerCase(), t.id);
    }
  }
});
export type OperatorConfig = z.infer<typeof operatorConfig>;

/** `sqlite`, or a PostgreSQL URL (several nodes share it). */
/** A Redis address the relay can connect to (the file's `redis`, RH_REDIS_URL). */
export function isRedisUrl(v: string): boolean {
  return /^rediss?:\/\/./.test(v.trim());
}

export function isDatabaseValue(v: string): boolean {
  const t = v.trim();
  return t === 'sqlite' || /^postgres(ql)?:\/\/./.test(t);
}

export class OperatorConfigError extends Error {}

const placeholder = '__rh_env_';

/** The placeholders in every string of the parsed document, from `env` (`$${X}` stands for a literal `${X}`). */
function expand(value: unknown, env: Record<string, string | undefined>, names: readonly string[], path: string, missing: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(new RegExp(`${placeholder}(\\d+)_`, 'g'), (_whole: string, n: string) => {
      const name = names[Number(n)] ?? '';
      if (name.startsWith('$')) return `\${${name.slice(1)}}`;
      const v = env[name];
      if (v === undefined) missing.push(`  - ${path}: the environment variable ${name} is not set`);
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expand(v, env, names, `${path}[${i}]`, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, env, names, path ? `${path}.${k}` : k, missing)]));
  }
  return value;
}

const keyPath = (path: PropertyKey[]): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(the file)';

export function readOperatorConfig(file: string, env: Record<string, string | undefined>): OperatorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OperatorConfigError(`RH_CONFIG: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // ${VAR} becomes a placeholder that is plain text to YAML before parsing (inside { } a bare ${X} would
  // end the value), and is read from the environment after it, so no variable can change the structure.
  const names: string[] = [];
  const held = text.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole: string, name: string) => {
    names.push(whole.startsWith('$$') ? `$${name}` : name);
    return `${placeholder}${names.length - 1}_`;
  });
  let doc: unknown;
  try {
    // YAML 1.2 reads JSON as well: one parser for both.
    doc = parse(held, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new OperatorConfigError(`RH_CONFIG: ${file} is not valid YAML or JSON:\n  ${(e as Error).message.split('\n')[0]}`);
  }
  const missing: string[] = [];
  const expanded = expand(doc, env, names, '', missing);
  const r = operatorConfig.safeParse(expanded);
  const unset = new Set(missing.map((m) => m.slice(4, m.indexOf(': '))));
  const schemaProblems = r.success ? [] : r.error.issues.flatMap((i) =>
    // An unknown key is named by itself, so a typo reads as the key it is.
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => `  - ${keyPath([...i.path, k])}: unknown key`)
      : [`  - ${keyPath(i.path)}: ${i.message}`]);
  // A key whose variable is not set is named once, for that reason.
  const problems = [...missing, ...schemaProblems.filter((p) => !unset.has(p.slice(4, p.indexOf(': '))))];
  if (problems.length || !r.success) throw new OperatorConfigError(`Invalid configuration in ${file}:\n${problems.join('\n')}`);
  const logoProblems: string[] = [];
  const tenants = r.data.tenants.map((t, i): ConfiguredTenant => {
    const logoFile = t.settings.branding?.logoFile;
    if (logoFile === undefined) return t;
    const logo = readLogo(resolve(dirname(file), logoFile));
    if (typeof logo !== 'string') logoProblems.push(`  - tenants[${i}].settings.branding.logoFile: ${logo.problem}`);
    return { ...t, logo: typeof logo === 'string' ? logo : '' };
  });
  if (logoProblems.length) throw new OperatorConfigError(`Invalid configuration in ${file}:\n${logoProblems.join('\n')}`);
  return { ...r.data, tenants };
}

const logoTypes: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.svg': 'image/svg+xml' };

/** A logo file as the data URL tenant settings hold, or what is wrong with it. */
function readLogo(path: string): string | { problem: string } {
  const type = logoTypes[extname(path).toLowerCase()];
  if (!type) return { problem: `${path} must be a .png, .jpg, .webp or .svg file` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { problem: `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const url = `data:${type};base64,${bytes.toString('base64')}`;
  return tenantBranding.shape.logo.safeParse(url).success ? url : { problem: `${path} is larger than 64 KB` };
}
