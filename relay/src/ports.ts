// Shapes the relay's parts hand each other. Built in main.ts / create-relay.ts, passed in, never imported as singletons.
import type { Device, PersonProfile } from '../../protocol/src/index.js';

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
}

/** The tenant directory: tenants, users (with profile), devices. SQLite by default. */
export interface Directory {
  tenant(tenantId: string): Tenant | undefined;
  tenantByDomain(domain: string): Tenant | undefined;
  /** The profile shown on the other side's trust screen, with the verified-domain check applied. */
  profile(tenantId: string, userId: string): PersonProfile | undefined;
  device(tenantId: string, deviceId: string): Device | undefined;
  /** Devices of a tenant changed after `after`, in (updatedAt, id) order, for the console's delta sync.
   * Keyset on both columns: many devices can share one updatedAt (a bulk import), and a page boundary
   * inside such a run must not skip any of them. */
  devicesChangedSince(tenantId: string, after: DeviceCursor | undefined, limit: number): Device[];
}

/** Position in the (updatedAt, id) order of a tenant's devices; id null means "strictly after updatedAt". */
export interface DeviceCursor {
  updatedAt: string;
  id: string | null;
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
