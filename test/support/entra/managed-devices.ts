// Intune's managed devices as the Graph stand-in serves them: GET /v1.0/deviceManagement/managedDevices
// with $select and $top, pages linked by @odata.nextLink (the request's other options kept, an opaque
// $skiptoken added), app-only tokens that carry DeviceManagementManagedDevices.Read.All (or ReadWrite.All),
// and Intune's own error bodies (a JSON document inside error.message).
//   list            https://learn.microsoft.com/graph/api/intune-devices-manageddevice-list?view=graph-rest-1.0
//   managedDevice   https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice?view=graph-rest-1.0
//   paging          https://learn.microsoft.com/graph/paging
//   throttling      https://learn.microsoft.com/graph/throttling
// Graph documents no delta function for managedDevices (https://learn.microsoft.com/graph/delta-query-overview
// lists the resources that have one), so none is served here either: a request for .../managedDevices/delta
// gets the 400 Graph gives for a segment it does not know.
// The skip token holds an offset into the tenant's devices in the order they were added: a device removed
// between two pages moves the rest forward by one, so the next page skips one device — the behaviour
// of $skip paging, which the paging page says some APIs use, and which a sync must survive.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, type StandInRequest } from '../stand-in-https.js';
import { createFailureQueue } from './failure-queue.js';

/** A managedDevice as a test describes it; what it leaves out gets Intune's usual value. */
export interface ManagedDeviceRecord {
  id: string;
  deviceName: string;
  operatingSystem?: string;
  osVersion?: string;
  userPrincipalName?: string;
  complianceState?: 'unknown' | 'compliant' | 'noncompliant' | 'conflict' | 'error' | 'inGracePeriod' | 'configManager';
  complianceGracePeriodExpirationDateTime?: string;
  managedDeviceOwnerType?: 'unknown' | 'company' | 'personal';
  serialNumber?: string;
  manufacturer?: string;
  model?: string;
  enrolledDateTime?: string;
  lastSyncDateTime?: string;
  deviceCategoryDisplayName?: string;
}

export interface ManagedDevicesStandIn {
  /** Replaces the tenant's devices (the listing's order is this order). */
  set(tenantId: string, devices: readonly ManagedDeviceRecord[]): void;
  /** Adds a device at the end of the listing, or replaces the one with its id where it stands. */
  put(tenantId: string, device: ManagedDeviceRecord): void;
  update(tenantId: string, id: string, patch: Partial<Omit<ManagedDeviceRecord, 'id'>>): void;
  remove(tenantId: string, id: string): void;
  all(tenantId: string): ManagedDeviceRecord[];
  /** The most devices a page holds whatever $top asks (Intune's is 1000). */
  setPageSize(n: number): void;
  /** The next n managedDevices requests answer 429 TooManyRequests with Retry-After. */
  throttleNext(n: number, retryAfterSeconds: number): void;
  /** The next n managedDevices requests answer this status (503, 500…), with Retry-After when given. */
  failNext(n: number, status: number, retryAfterSeconds?: number): void;
  /** Runs fn just before the managedDevices request `after` requests from now is answered (0: the next
   * one), before any failure queued for it: a change between two pages, or a failure on page 3. */
  beforeRequest(after: number, fn: () => void): void;
  /** managedDevices requests answered so far (any status). */
  requestCount(): number;
}

/** The application permissions that allow the list, least privileged first. */
export const managedDevicePermissions = ['DeviceManagementManagedDevices.Read.All', 'DeviceManagementManagedDevices.ReadWrite.All'];

/** managedDevice's v1.0 properties: a $select naming anything else is refused, as Graph refuses it. */
const properties = new Set([
  'id', 'userId', 'deviceName', 'managedDeviceOwnerType', 'deviceActionResults', 'enrolledDateTime', 'lastSyncDateTime',
  'operatingSystem', 'complianceState', 'jailBroken', 'managementAgent', 'osVersion', 'easActivated', 'easDeviceId',
  'easActivationDateTime', 'azureADRegistered', 'deviceEnrollmentType', 'activationLockBypassCode', 'emailAddress',
  'azureADDeviceId', 'deviceRegistrationState', 'deviceCategoryDisplayName', 'isSupervised', 'exchangeLastSuccessfulSyncDateTime',
  'exchangeAccessState', 'exchangeAccessStateReason', 'remoteAssistanceSessionUrl', 'remoteAssistanceSessionErrorDetails',
  'isEncrypted', 'userPrincipalName', 'model', 'manufacturer', 'imei', 'complianceGracePeriodExpirationDateTime', 'serialNumber',
  'phoneNumber', 'androidSecurityPatchLevel', 'userDisplayName', 'configurationManagerClientEnabledFeatures', 'wiFiMacAddress',
  'deviceHealthAttestationState', 'subscriberCarrier', 'meid', 'totalStorageSpaceInBytes', 'freeStorageSpaceInBytes',
  'managedDeviceName', 'partnerReportedThreatState',
]);

/** What Intune sends for a date it does not have, and for "not in a grace period". */
const never = '0001-01-01T00:00:00Z';
const noGracePeriod = '9999-12-31T23:59:59.9999999Z';

export interface DeviceRouteContext {
  /** https://127.0.0.1:PORT of the Graph stand-in. */
  url: string;
  /** The token's tenant and roles, or why it was refused. */
  token: { ok: true; tid: string; roles: string[] } | { ok: false; message: string };
  /** Graph's error answer (request-id headers, innerError). */
  fail(status: number, code: string, message: string, retryAfter?: number): void;
  /** Graph's JSON answer headers (content type, request ids). */
  headers: Record<string, string>;
}

export function createManagedDevices(): ManagedDevicesStandIn & {
  /** Whether this stand-in answers the path (the Graph stand-in routes it here before anything else). */
  handles(path: string): boolean;
  route(req: StandInRequest, res: ServerResponse, ctx: () => Promise<DeviceRouteContext>): Promise<void>;
} {
  const tenants = new Map<string, Map<string, ManagedDeviceRecord>>();
  let pageSize = 1000;
  let served = 0;
  const failures = createFailureQueue();
  const hooks = new Map<number, (() => void)[]>();
  const devicesOf = (tid: string): Map<string, ManagedDeviceRecord> => {
    let t = tenants.get(tid);
    if (!t) tenants.set(tid, (t = new Map()));
    return t;
  };

  const full = (d: ManagedDeviceRecord): Record<string, unknown> => ({
    id: d.id,
    userId: d.userPrincipalName ? randomUUIDFor(d.userPrincipalName) : '',
    deviceName: d.deviceName,
    managedDeviceOwnerType: d.managedDeviceOwnerType ?? 'company',
    enrolledDateTime: d.enrolledDateTime ?? '2024-01-15T09:30:00Z',
    lastSyncDateTime: d.lastSyncDateTime ?? never,
    operatingSystem: d.operatingSystem ?? 'Windows',
    complianceState: d.complianceState ?? 'compliant',
    jailBroken: 'Unknown',
    managementAgent: 'mdm',
    osVersion: d.osVersion ?? '10.0.22631.3447',
    azureADRegistered: true,
    deviceEnrollmentType: 'windowsAzureADJoin',
    emailAddress: d.userPrincipalName ?? '',
    azureADDeviceId: d.id,
    deviceRegistrationState: 'registered',
    deviceCategoryDisplayName: d.deviceCategoryDisplayName ?? 'Unknown',
    isSupervised: false,
    isEncrypted: true,
    userPrincipalName: d.userPrincipalName ?? '',
    model: d.model ?? '',
    manufacturer: d.manufacturer ?? '',
    complianceGracePeriodExpirationDateTime: d.complianceGracePeriodExpirationDateTime ?? noGracePeriod,
    serialNumber: d.serialNumber ?? '',
    userDisplayName: '',
    managedDeviceName: `${(d.userPrincipalName ?? 'user').split('@')[0]}_${d.operatingSystem ?? 'Windows'}_1/15/2024_9:30 AM`,
    partnerReportedThreatState: 'unknown',
  });

  /** Intune's 403: the Graph error whose message is Intune's own JSON document, as Intune sends it. */
  const intuneMessage = (message: string, url: string) => JSON.stringify({
    _version: 3,
    Message: `${message} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${randomUUID()} - Url: ${url}`,
    CustomApiErrorPhrase: '', RetryAfter: null, ErrorSourceService: '', HttpHeaders: '{}',
  }, null, 2).replace(/\n/g, '\r\n');

  return {
    handles: (path) => path === '/v1.0/deviceManagement/managedDevices' || path.startsWith('/v1.0/deviceManagement/managedDevices/'),

    async route(req, res, context) {
      const index = served++;
      for (const fn of hooks.get(index) ?? []) fn();
      hooks.delete(index);
      const ctx = await context();
      const failure = failures.take();
      if (failure) return ctx.fail(failure.status, failure.code, failure.message, failure.retryAfter);
      if (!ctx.token.ok) return ctx.fail(401, 'InvalidAuthenticationToken', ctx.token.message);
      const path = req.url.pathname;
      if (req.method !== 'GET' || path !== '/v1.0/deviceManagement/managedDevices') {
        const segment = path.split('/').filter(Boolean).pop() ?? '';
        return ctx.fail(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
      }
      const { roles, tid } = ctx.token;
      if (!roles.some((r) => managedDevicePermissions.includes(r))) {
        return ctx.fail(403, 'Forbidden', intuneMessage(
          `Application is not authorized to perform this operation. Application must have one of the following scopes: ${managedDevicePermissions.join(', ')}`,
          `${ctx.url}${path}`));
      }
      const select = req.url.searchParams.get('$select')?.split(',').map((p) => p.trim()).filter(Boolean);
      const unknown = select?.find((p) => !properties.has(p));
      if (unknown) return ctx.fail(400, 'BadRequest', `Could not find a property named '${unknown}' on type 'microsoft.graph.managedDevice'.`);
      const topParam = req.url.searchParams.get('$top');
      const top = topParam === null ? pageSize : Number(topParam);
      if (!Number.isInteger(top) || top < 0) return ctx.fail(400, 'BadRequest', `Invalid value for $top: '${topParam}'.`);
      const skip = req.url.searchParams.get('$skiptoken');
      let offset = 0;
      if (skip) {
        try {
          offset = Number((JSON.parse(Buffer.from(skip, 'base64url').toString('utf8')) as { offset: number }).offset);
        } catch {
          return ctx.fail(400, 'BadRequest', 'The $skiptoken is not valid.');
        }
      }
      const all = [...devicesOf(tid).values()];
      const size = Math.min(top || pageSize, pageSize);
      const page = all.slice(offset, offset + size).map(full);
      const body: Record<string, unknown> = {
        '@odata.context': `${ctx.url}/v1.0/$metadata#deviceManagement/managedDevices${select ? `(${select.join(',')})` : ''}`,
        value: select ? page.map((d) => Object.fromEntries(select.filter((k) => k in d).map((k) => [k, d[k]]))) : page,
      };
      if (offset + size < all.length) {
        // The whole link is what a client follows: the request's own options, and a token opaque to it.
        // Written as Graph writes it: $-names as they are, values escaped, the select list's commas kept.
        const params = [...req.url.searchParams].filter(([k]) => k !== '$skiptoken');
        params.push(['$skiptoken', Buffer.from(JSON.stringify({ offset: offset + size, nonce: randomUUID() })).toString('base64url')]);
        body['@odata.nextLink'] = `${ctx.url}${path}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`).join('&')}`;
      }
      sendJson(res, 200, body, ctx.headers);
    },

    set(tid, devices) {
      tenants.set(tid, new Map(devices.map((d) => [d.id, { ...d }])));
    },
    put(tid, device) {
      devicesOf(tid).set(device.id, { ...device });
    },
    update(tid, id, patch) {
      const d = devicesOf(tid).get(id);
      if (!d) throw new Error(`Graph stand-in: no managed device ${id} in ${tid}`);
      Object.assign(d, patch);
    },
    remove(tid, id) {
      devicesOf(tid).delete(id);
    },
    all: (tid) => [...devicesOf(tid).values()].map((d) => ({ ...d })),
    setPageSize(n) {
      pageSize = n;
    },
    throttleNext: failures.throttleNext,
    failNext: failures.failNext,
    beforeRequest(after, fn) {
      const at = served + after;
      hooks.set(at, [...(hooks.get(at) ?? []), fn]);
    },
    requestCount: () => served,
  };
}

/** A stable user id for a UPN (Intune's userId is the user's Entra object id). */
function randomUUIDFor(upn: string): string {
  let h = 0;
  for (const c of upn) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}
