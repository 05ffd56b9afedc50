// The API the console renderer uses to reach desktop main. Typed once here; carried two ways:
// Electron IPC (preload + ipcMain with a sender check) and the console host's WebSocket.
// Adding a method = one line in DesktopApi, one in desktopApiSchemas, one implementation in main.
import { z } from 'zod';
import type { Ack } from './ack.js';
import { clientEventSchemas, type AckOf, type RelayEvent, type RequestOf } from './relay-events.js';
import { deviceOwnerships, type Device, type Page, type PersonProfile } from './models.js';
import type { ErrorCode } from './errors.js';
import type { LinkEvent } from './session-link.js';
import { adminCall, type AdminMethod, type AdminResult } from './admin-api.js';
import type { OrganizationLook } from './policy.js';
import { supportedLocales, type Locale } from './locales.js';

export interface Account {
  upn: string;
  name: string;
  tenantId: string;
  tenantName: string;
  /** The organization's name, logo and accent colour, from the realm lookup at sign-in. */
  look?: OrganizationLook;
  roles: string[];
  profile: PersonProfile | null;
}

export interface ConsoleStatus {
  shell: 'electron' | 'console-host';
  relayUrl: string;
  account: Account | null;
  /** Connected to the relay's Socket.IO endpoint. */
  relayConnected: boolean;
  /** Set when the device inventory file could not be used at start (damaged, not an inventory, or from a
   * newer console): it was moved to `movedTo` and a new, empty inventory was started, which the next sync
   * fills again. Absent otherwise. */
  /** When the signed-in tenant's inventory last finished a sync (ISO), so a reloaded page can say so. */
  lastSyncedAt?: string;
  inventoryNotice?: { code: 'inventory-recovered'; movedTo: string; reason: 'not-sqlite' | 'truncated' | 'corrupt' | 'foreign' | 'newer' };
  /** The operating system's preferred languages (Electron's app.getPreferredSystemLanguages()), which the
   * console follows before the picker's choice is known; absent in the console host (the browser's own). */
  systemLanguages?: string[];
}

/** The columns of Devices > All devices, each one a sort key. */
export const deviceSortKeys = ['name', 'managedBy', 'ownership', 'compliance', 'platform', 'osVersion', 'primaryUser', 'lastCheckIn'] as const;
export type DeviceSortKey = (typeof deviceSortKeys)[number];

/** How a device came to be in the inventory, as the Enrollment filter offers it. */
export const enrollmentFilters = ['any', 'intune', 'approved', 'pending', 'import'] as const;
export type EnrollmentFilter = (typeof enrollmentFilters)[number];

export const deviceQuery = z.strictObject({
  /** Contains-search over device name, primary user and serial number, case-insensitive. */
  search: z.string().max(200).default(''),
  compliance: z.enum(['any', 'compliant', 'noncompliant', 'unknown']).default('any'),
  /** An OS as deviceFilters().platforms lists it; '' = any. */
  platform: z.string().max(50).default(''),
  ownership: z.enum(['any', ...deviceOwnerships]).default('any'),
  enrollment: z.enum(enrollmentFilters).default('any'),
  sort: z.enum(deviceSortKeys).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type DeviceQuery = z.input<typeof deviceQuery>;

export interface SyncResult {
  changed: number;
  removed: number;
  total: number;
  syncedAt: string;
  /** Stopped by cancelSync(): what was applied stays (whole pages only), the next sync resumes there. */
  cancelled: boolean;
}

/** Pushed by main while a sync runs (DesktopEvent 'inventory:sync'), and once when it ends. */
export interface SyncProgress {
  state: 'syncing' | 'done' | 'cancelled' | 'failed';
  /** Devices received so far in this sync (added, changed and removed). */
  received: number;
  /** How many changes the relay said this sync would bring, when it said (for the percentage). */
  expected: number | null;
  /** Devices in the inventory now. */
  total: number;
  trigger: 'sign-in' | 'interval' | 'manual';
  error?: ErrorCode;
}

/** One past session on a device, from the relay's reports (metadata only). */
export interface DeviceSession {
  sessionId: string;
  helperName: string;
  helperUpn: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string;
}

export interface DesktopApi {
  getStatus(): Promise<Ack<ConsoleStatus>>;
  /** Starts auth code + PKCE for the tenant of `email`. Electron opens the system browser itself
   * (opened: true); the console host returns the URL for the page to open. */
  beginSignIn(req: { email: string }): Promise<Ack<{ authUrl: string; opened: boolean }>>;
  /** Resolves when the loopback redirect has arrived and tokens are held by main. */
  completeSignIn(): Promise<Ack<Account>>;
  /** Gives up the sign-in under way (its window closed, or the user cancelled): its completeSignIn
   * answers sign-in-cancelled. Answers whether one was under way. */
  cancelSignIn(): Promise<Ack<{ cancelled: boolean }>>;
  signOut(): Promise<Ack<null>>;
  syncDevices(): Promise<Ack<SyncResult>>;
  /** Stops a running sync after the page being applied; answers whether one was running. */
  cancelSync(): Promise<Ack<{ cancelled: boolean }>>;
  listDevices(q: DeviceQuery): Promise<Ack<Page<Device>>>;
  /** The values the list's filters offer (the OSes present in the inventory). */
  deviceFilters(): Promise<Ack<{ platforms: string[] }>>;
  getDevice(req: { id: string }): Promise<Ack<Device>>;
  /** That device's recent sessions, newest first, from the relay's reports. */
  deviceSessions(req: { id: string }): Promise<Ack<DeviceSession[]>>;
  /** One relay request (SessionLink.request), forwarded by main over its socket under the relay's event name. */
  relay<E extends RelayEvent>(call: RelayCall<E>): Promise<AckOf<E>>;
  /** One tenant-admin call (AdminApi), forwarded by main to the relay with the signed-in user's token. */
  admin<K extends AdminMethod>(call: { method: K; args: unknown }): Promise<AdminResult<K>>;
  /** The console's language, told by the renderer at start and at every change: main asks the relay
   * for its messages (the admin API's refusals, a file's problems) in it. */
  setLocale(req: { locale: Locale }): Promise<Ack<null>>;
}

export type DesktopMethod = keyof DesktopApi;

export interface RelayCall<E extends RelayEvent = RelayEvent> {
  event: E;
  req: RequestOf<E>;
}

/** Any relay request, checked by its event's own schema (a union keyed on `event`). */
export const relayCall = z.discriminatedUnion(
  'event',
  Object.entries(clientEventSchemas).map(([event, req]) => z.strictObject({ event: z.literal(event), req })) as unknown as [
    z.ZodObject<{ event: z.ZodLiteral<string>; req: z.ZodType }>,
  ],
) as unknown as z.ZodType<{ [E in RelayEvent]: RelayCall<E> }[RelayEvent]>;

/** Argument schemas by method: every transport validates with these before calling main. */
export const desktopApiSchemas = {
  getStatus: z.tuple([]),
  beginSignIn: z.tuple([z.strictObject({ email: z.string().email().max(320) })]),
  completeSignIn: z.tuple([]),
  cancelSignIn: z.tuple([]),
  signOut: z.tuple([]),
  syncDevices: z.tuple([]),
  cancelSync: z.tuple([]),
  listDevices: z.tuple([deviceQuery]),
  deviceFilters: z.tuple([]),
  getDevice: z.tuple([z.strictObject({ id: z.string().min(1).max(100) })]),
  deviceSessions: z.tuple([z.strictObject({ id: z.string().min(1).max(100) })]),
  relay: z.tuple([relayCall]),
  admin: z.tuple([adminCall]),
  setLocale: z.tuple([z.strictObject({ locale: z.enum(supportedLocales) })]),
} satisfies Record<DesktopMethod, z.ZodTuple>;

export const desktopMethods = Object.keys(desktopApiSchemas) as DesktopMethod[];

/** Events main pushes to the renderer: the relay's events under their own names, plus the relay connection state. */
export type DesktopEvent =
  | LinkEvent
  | { type: 'inventory:sync'; payload: SyncProgress }
  /** The relay refused as `overloaded` and main waits to ask again (true), or the waiting is over (false). */
  | { type: 'relay:overloaded'; payload: { waiting: boolean } };

/** Channel names on both transports. */
export const desktopChannels = { invoke: 'rh:invoke', event: 'rh:event' } as const;
