// Shapes the relay's parts hand each other. Built in main.ts / start-relay.ts, passed in, never imported as singletons.
import type {
  Ack, CaRule, CompliancePolicy, Device, DeviceProof, DirectoryUserView, Page, PersonProfile, ReportQuery,
  ReportReview, RoleDefinition, SessionReport, TenantBranding,
} from '#protocol';

/** Who a verified access token says the caller is. Nothing else is trusted. */
export interface AuthUser {
  tenantId: string;
  /** The `oid` claim: the user's id in the tenant directory. */
  userId: string;
  upn: string;
  name: string;
  /** The `roles` claim. */
  roles: string[];
  /** The `amr` claim (e.g. ['pwd'], ['pwd','mfa']). */
  amr: string[];
}

/** Who is calling, from a Bearer access token (the console, agents) or the web pages' session cookie:
 * the one authenticator the HTTP routes and the sockets ask. The identity part implements it. */
export interface Authenticator {
  verifyAccessToken(token: string): Promise<Ack<AuthUser>>;
  userFromCookie(cookieHeader: string | undefined): Promise<Ack<AuthUser>>;
  /** The web session a cookie names, undefined when it names none; what was authenticated by it ends
   * with it (absent: web sessions never end early). */
  webSession?(cookieHeader: string | undefined): WebSessionRef | undefined;
  /** The client id of the tenant's console app (DESIGN §11 consoleClientId): a verified token issued to
   * it says a session was started from the console (absent: no token is taken as the console's). */
  consoleClientId?(tenantId: string): string | undefined;
}

/** A web session as a socket authenticated by it sees it. */
export interface WebSessionRef {
  /** Its opaque name (not the cookie), known from the cookie alone, before any I/O: a socket joins the
   * session's room under it first, then asks whether the session lives, so a sign-out on any node either
   * comes before the answer (the socket is refused) or finds the socket in the room. */
  key: string;
  /** When the session ends (the relay's clock, ms); undefined when it has ended (signed out, expired). */
  expiresAt(): Promise<number | undefined>;
}

export interface Tenant {
  id: string;
  name: string;
  verifiedDomains: string[];
  settings: TenantSettings;
}

export interface TenantSettings {
  remoteHelpEnabled: boolean;
  allowUnenrolled: boolean;
  chatEnabled: boolean;
  /** Signed-in users may enroll their browser as a device. */
  allowEnrollment: boolean;
  /** Reports older than this many days are deleted (0 = keep forever). */
  reportRetentionDays: number;
  /** The organization's name, logo and accent colour on its pages ('' = the product's own). */
  branding: TenantBranding;
}

/** The tenant directory: tenants, users (with profile), devices. SQLite by default. Every method answers
 * a Promise: several nodes keep the directory in PostgreSQL, which is reached asynchronously. */
export interface Directory {
  tenant(tenantId: string): Promise<Tenant | undefined>;
  tenantByDomain(domain: string): Promise<Tenant | undefined>;
  /** Whether the user is still allowed to act: not disabled or deleted since their token was checked. */
  isActive(tenantId: string, userId: string): Promise<boolean>;
  /** The profile shown on the other side's trust screen, with the verified-domain check applied. */
  profile(tenantId: string, userId: string): Promise<PersonProfile | undefined>;
  device(tenantId: string, deviceId: string): Promise<Device | undefined>;
  /** Changes to a tenant's devices after `after`, in the order they were written, for the console's delta sync. */
  devicesChangedSince(tenantId: string, after: DeviceCursor | undefined, limit: number): Promise<DeviceChanges>;
  /** How many changes (devices and removals) lie after `after`: the console's progress percentage. */
  countChangesSince(tenantId: string, after: DeviceCursor | undefined): Promise<number>;
}

/** One page of a tenant's device changes, oldest first: devices added or changed, ids removed. */
export interface DeviceChanges {
  devices: Device[];
  removed: string[];
  /** The position of the page's last change (undefined for an empty page). */
  last: DeviceCursor | undefined;
  /** The page is full: more changes may follow. */
  more: boolean;
}

/** A position in the changes to a tenant's devices. */
export interface DeviceCursor {
  /** The directory's change number: every write of a device or a removal takes the next one, so a
   * cursor never misses a later change, whatever clock the writer had. */
  seq: number;
}

/** Profiles kept from outside the relay (Microsoft Graph for Entra tenants). A session waits for them
 * a bounded time, then goes on with what the directory has and says the profile is incomplete. */
export interface ProfileFreshness {
  /** Resolves once these users' profiles are fresh, or after maxWaitMs: the userIds still not fresh. */
  settle(users: readonly { tenantId: string; userId: string }[], maxWaitMs: number): Promise<Set<string>>;
}

export interface Log {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Device trust (DESIGN §6): enrolled browsers hold a non-extractable key; at join they prove it. */
export interface DeviceTrust {
  /** A fresh, single-use challenge bound to this user, valid for a short time. */
  challenge(user: AuthUser): Promise<string>;
  /** Checks the signature with the key registered for proof.deviceId in the user's tenant, consumes the
   * challenge (a replay fails), and answers the device id. Any failure: `device-proof-invalid`. */
  verifyProof(user: AuthUser, proof: DeviceProof): Promise<Ack<{ deviceId: string }>>;
}

/** A report before the log has numbered and chained it. */
export type NewReport = Omit<SessionReport, 'seq' | 'id' | 'prevHash' | 'hash' | 'review'>;

/** The session reports: append-only and hash-chained (DESIGN §6). SQLite by default, PostgreSQL for several
 * nodes: every method answers a Promise, since a shared database is reached over the network. */
export interface ReportLog {
  append(entry: NewReport): Promise<SessionReport>;
  list(tenantId: string, query: ReportQuery): Promise<Page<SessionReport>>;
  exportCsv(tenantId: string, query: Omit<ReportQuery, 'offset' | 'limit'>): Promise<string>;
  /** Reported sessions of the tenant that no administrator has marked reviewed. */
  newReportCount(tenantId: string): Promise<number>;
  /** Marks the tenant's reported session `reportId` reviewed (kept beside the chain, not in it); the first
   * review stays. Null when the tenant has no such reported session. */
  markReviewed(tenantId: string, reportId: string, review: ReportReview): Promise<ReportReview | null>;
  /** A device's latest records (sessions and refusals), newest first. */
  recentForDevice(tenantId: string, deviceId: string, limit: number): Promise<SessionReport[]>;
  /** The records whose sharer is exactly `upn` in this tenant, newest first (reports/sharer-history.ts). */
  /** The sessions whose sharer is this person (by UPN, then by stable id: reports/sharer-history.ts), newest first. */
  sessionsOfSharer(tenantId: string, sharer: { upn: string; userId: string }, page: { offset: number; limit: number }): Promise<Page<SessionReport>>;
  /** Walks the whole chain; names the first record that does not match. */
  verify(): Promise<{ intact: boolean; checked: number; firstBadSeq: number | null; problem: string | null }>;
  /** Deletes a tenant's records older than `before` (ISO) without breaking verification; answers how many. */
  applyRetention(tenantId: string, before: string): Promise<number>;
  close(): Promise<void>;
}

/** The tenant's policy data (DESIGN §6): role definitions, conditional-access rules, compliance policy,
 * groups, settings. Read at decision time, so an admin's change applies to the next session. SQLite by
 * default; asynchronous like the Directory. A check and its write belong in one method (saveRole). */
export interface PolicyStore {
  roles(tenantId: string): Promise<RoleDefinition[]>;
  /** Adds or replaces by id; a built-in role keeps its name and built-in flag (`conflict` otherwise). */
  saveRole(tenantId: string, role: RoleDefinition): Promise<Ack<RoleDefinition>>;
  deleteRole(tenantId: string, id: string): Promise<Ack<null>>;
  rules(tenantId: string): Promise<CaRule[]>;
  /** Grows on every change of the tenant's rules: compiled rules are cached against it. */
  rulesRevision(tenantId: string): Promise<number>;
  saveRule(tenantId: string, rule: CaRule): Promise<Ack<CaRule>>;
  deleteRule(tenantId: string, id: string): Promise<Ack<null>>;
  compliancePolicy(tenantId: string): Promise<CompliancePolicy>;
  setCompliancePolicy(tenantId: string, policy: CompliancePolicy): Promise<void>;
  /** `branding` absent: kept as it is. */
  updateSettings(tenantId: string, settings: Omit<TenantSettings, 'branding'> & { branding?: TenantBranding }): Promise<Ack<TenantSettings>>;
  userGroups(tenantId: string, userId: string): Promise<string[]>;
  users(tenantId: string, search: string): Promise<DirectoryUserView[]>;
  setUserRoles(tenantId: string, userId: string, roles: string[]): Promise<Ack<DirectoryUserView>>;
  groups(tenantId: string): Promise<{ deviceGroups: string[]; userGroups: string[] }>;
}

/** One sliding-window limit: at most `limit` events under `key` within the window. */
export interface WindowLimit {
  key: string;
  limit: number;
}

export type WindowHit =
  /** Counted; `remaining`: how many more events the tightest key takes in this window. */
  | { allowed: true; remaining: number; ticket: string }
  /** Nothing counted; `key`: the first key (in the order given) at its limit; `retryAfterMs`: until its
   * oldest event leaves the window. */
  | { allowed: false; key: string; retryAfterMs: number };

/**
 * Sliding-window counts for rate limits: failed sign-ins, join and create attempts, started web
 * sign-ins. Every call is one atomic step: a check and a later separate count would let many concurrent
 * attempts all pass the check first. In memory on one node; a shared implementation serves several
 * (Redis: one Lua script of ZREMRANGEBYSCORE, ZCARD and ZADD per key). A window is (now - windowMs, now].
 */
export interface WindowCounter {
  /** When every key has fewer than its limit events in the window, counts one event at `now` under
   * each and answers a ticket; otherwise counts nothing. */
  hit(limits: readonly WindowLimit[], windowMs: number, now: number): Promise<WindowHit>;
  /** Events under `key` in the window ending at `now`. */
  count(key: string, windowMs: number, now: number): Promise<number>;
  /** Takes back the events of one hit: the attempt turned out not to count (e.g. a join that succeeded). */
  refund(ticket: string): Promise<void>;
  /** Moves the events of one hit to `now`, for another window (a connection's lease renewed): counted
   * once all along, never twice. False when they are gone already (refunded, or their window ended). */
  renew(ticket: string, windowMs: number, now: number): Promise<boolean>;
  /** Forgets every event under `key`. */
  clear(key: string): Promise<void>;
}
