// A stand-in for the few Microsoft Graph v1.0 calls Remote Help makes, over HTTPS on 127.0.0.1, in the
// shapes the Graph documentation gives. It takes only app-only tokens the Entra stand-in signed for it
// (aud its URL, the application permissions as roles), answers each tenant (the token's tid) from
// its own data, pages collections with @odata.nextLink, and can be made slow, throttled or down.
//   user            https://learn.microsoft.com/graph/api/user-get?view=graph-rest-1.0
//   photo           https://learn.microsoft.com/graph/api/profilephoto-get?view=graph-rest-1.0
//   organization    https://learn.microsoft.com/graph/api/organization-list?view=graph-rest-1.0
//   memberships     https://learn.microsoft.com/graph/api/user-list-transitivememberof?view=graph-rest-1.0
//   paging          https://learn.microsoft.com/graph/paging
//   errors          https://learn.microsoft.com/graph/errors
//   throttling      https://learn.microsoft.com/graph/throttling
//   limited info    https://learn.microsoft.com/graph/permissions-overview#limited-information-returned-for-inaccessible-member-objects
//   Intune devices  https://learn.microsoft.com/graph/api/intune-devices-manageddevice-list?view=graph-rest-1.0 (entra/managed-devices.ts)
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { EntraStandIn } from './entra-stand-in.js';
import { createManagedDevices, type ManagedDevicesStandIn } from './entra/managed-devices.js';
import { sendJson, startHttpsStandIn, type LoggedRequest, type StandInRequest } from './stand-in-https.js';
import { createFailureQueue } from './entra/failure-queue.js';

export interface GraphUserRecord {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string | null;
  jobTitle?: string | null;
  companyName?: string | null;
  accountEnabled?: boolean;
  givenName?: string | null;
  surname?: string | null;
}

export interface GraphDirectoryObject {
  '@odata.type': '#microsoft.graph.group' | '#microsoft.graph.directoryRole' | '#microsoft.graph.administrativeUnit';
  id: string;
  displayName: string;
}

export interface GraphVerifiedDomain {
  name: string;
  isDefault?: boolean;
  isInitial?: boolean;
}

export type { ManagedDeviceRecord, ManagedDevicesStandIn } from './entra/managed-devices.js';

export interface GraphStandIn {
  /** https://127.0.0.1:PORT — what the relay's configuration calls graphUrl; also the token audience. */
  url: string;
  /** Intune's managed devices (/v1.0/deviceManagement/managedDevices), with their own page size and
   * failure switches: throttleNext, failNext and delayNext below leave these requests alone, so a
   * background device sync never takes a failure a test meant for a profile request. */
  intune: ManagedDevicesStandIn;
  caPem: string;
  caCertPath: string;
  requests: LoggedRequest[];
  setUser(tenantId: string, user: GraphUserRecord): void;
  removeUser(tenantId: string, userId: string): void;
  /** null: the user has no photo (404 ImageNotFound). */
  setPhoto(tenantId: string, userId: string, photo: { contentType: string; bytes: Buffer } | null): void;
  /** The user's transitive memberships: groups, and other directory objects (roles, units) beside them. */
  setGroups(tenantId: string, userId: string, memberOf: GraphDirectoryObject[]): void;
  setDomains(tenantId: string, domains: GraphVerifiedDomain[], displayName?: string): void;
  /** The server's page size for collections (default 2, to make paging visible; Graph's is 100). */
  setPageSize(n: number): void;
  /** The next n requests answer 429 TooManyRequests with Retry-After. */
  throttleNext(n: number, retryAfterSeconds: number): void;
  /** The next n requests answer this status (503, 500, 504…), with Retry-After when given. */
  failNext(n: number, status: number, retryAfterSeconds?: number): void;
  /** The next n requests (default 1) wait this long before answering. */
  delayNext(ms: number, n?: number): void;
  setUnreachable(on: boolean): void;
  close(): Promise<void>;
}

interface TenantData {
  users: Map<string, GraphUserRecord>;
  photos: Map<string, { contentType: string; bytes: Buffer }>;
  memberOf: Map<string, GraphDirectoryObject[]>;
  organization: { displayName: string; verifiedDomains: GraphVerifiedDomain[] };
}

/** What GET /users/{id} answers without $select: accountEnabled and companyName are not among them. */
const defaultUserProperties = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const userProperties = new Set([...defaultUserProperties, 'accountEnabled', 'companyName', 'department']);

/** Application permissions that allow each call: the least privileged first, then the higher ones. */
const permissions = {
  user: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  photo: ['ProfilePhoto.Read.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'],
  organization: ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  memberOf: ['User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'GroupMember.Read.All'],
  /** Without one of these, memberships come back with their type and id only (displayName null). */
  groupNames: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};

const graphAppId = '00000003-0000-0000-c000-000000000000';
const odataJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export async function startGraphStandIn(opts: { entra: EntraStandIn; pageSize?: number }): Promise<GraphStandIn> {
  const { entra } = opts;
  const tenants = new Map<string, TenantData>();
  let pageSize = opts.pageSize ?? 2;
  const failures = createFailureQueue();
  const delays: number[] = [];

  const data = (tenantId: string): TenantData => {
    let t = tenants.get(tenantId);
    if (!t) {
      t = { users: new Map(), photos: new Map(), memberOf: new Map(), organization: { displayName: 'Organization', verifiedDomains: [] } };
      tenants.set(tenantId, t);
    }
    return t;
  };

  const intune = createManagedDevices();
  const server = await startHttpsStandIn('graph', async (req, res) => {
    if (intune.handles(req.url.pathname)) {
      return intune.route(req, res, async () => ({
        url, token: await authenticate(req), headers: { 'content-type': odataJson, ...ids(req) },
        fail: (status, code, message, retryAfter) => fail(req, res, status, code, message, retryAfter),
      }));
    }
    const delay = delays.shift();
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const failure = failures.take();
    if (failure) return fail(req, res, failure.status, failure.code, failure.message, failure.retryAfter);
    await route(req, res);
  });
  const url = server.url;
  entra.addResource(url);

  async function route(req: StandInRequest, res: ServerResponse): Promise<void> {
    const token = await authenticate(req);
    if (!token.ok) return fail(req, res, 401, 'InvalidAuthenticationToken', token.message);
    const tenant = data(token.tid);
    const path = req.url.pathname;
    const user = /^\/v1\.0\/users\/([^/]+)(\/.*)?$/.exec(path);
    if (req.method === 'GET' && user) {
      const id = decodeURIComponent(user[1]!);
      const rest = user[2] ?? '';
      const found = tenant.users.get(id) ?? [...tenant.users.values()].find((u) => u.userPrincipalName.toLowerCase() === id.toLowerCase());
      const notFound = () => fail(req, res, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      if (rest === '') {
        if (!allowed(token.roles, permissions.user)) return denied(req, res);
        if (!found) return notFound();
        return getUser(req, res, found);
      }
      if (rest === '/photo/$value') {
        if (!allowed(token.roles, permissions.photo)) return denied(req, res);
        const photo = found && tenant.photos.get(found.id);
        if (!photo) return fail(req, res, 404, 'ImageNotFound', "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.");
        res.writeHead(200, { 'content-type': photo.contentType, 'content-length': String(photo.bytes.length), ...ids(req) });
        return void res.end(photo.bytes);
      }
      if (rest === '/transitiveMemberOf' || rest === '/transitiveMemberOf/microsoft.graph.group') {
        if (!allowed(token.roles, permissions.memberOf)) return denied(req, res);
        if (!found) return notFound();
        return memberships(req, res, tenant.memberOf.get(found.id) ?? [], rest.endsWith('.group'), allowed(token.roles, permissions.groupNames));
      }
    }
    if (req.method === 'GET' && path === '/v1.0/organization') {
      if (!allowed(token.roles, permissions.organization)) return denied(req, res);
      const org = {
        id: token.tid,
        displayName: tenant.organization.displayName,
        verifiedDomains: tenant.organization.verifiedDomains.map((d) => ({
          capabilities: 'Email, OfficeCommunicationsOnline', isDefault: d.isDefault ?? false, isInitial: d.isInitial ?? false, name: d.name, type: 'Managed',
        })),
      };
      return sendJson(res, 200, { '@odata.context': `${url}/v1.0/$metadata#organization`, value: [select(org, req, Object.keys(org))] }, { 'content-type': odataJson, ...ids(req) });
    }
    const segment = path.split('/').filter(Boolean).pop() ?? '';
    return fail(req, res, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }

  function getUser(req: StandInRequest, res: ServerResponse, u: GraphUserRecord): void {
    const full: Record<string, unknown> = {
      businessPhones: [], displayName: u.displayName, givenName: u.givenName ?? null, jobTitle: u.jobTitle ?? null, mail: u.mail ?? null,
      mobilePhone: null, officeLocation: null, preferredLanguage: null, surname: u.surname ?? null, userPrincipalName: u.userPrincipalName, id: u.id,
      accountEnabled: u.accountEnabled ?? true, companyName: u.companyName ?? null, department: null,
    };
    const wanted = selected(req);
    const unknown = wanted?.find((p) => !userProperties.has(p));
    if (unknown) return fail(req, res, 400, 'BadRequest', `Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
    const context = `${url}/v1.0/$metadata#users${wanted ? `(${wanted.join(',')})` : ''}/$entity`;
    sendJson(res, 200, { '@odata.context': context, ...select(full, req, defaultUserProperties) }, { 'content-type': odataJson, ...ids(req) });
  }

  function memberships(req: StandInRequest, res: ServerResponse, all: GraphDirectoryObject[], groupsOnly: boolean, names: boolean): void {
    const entries = (groupsOnly ? all.filter((e) => e['@odata.type'] === '#microsoft.graph.group') : all)
      // Limited information: an app that may not read groups learns their type and id, not their names.
      .map((e) => (names ? e : { ...e, displayName: null }));
    const skip = req.url.searchParams.get('$skiptoken');
    const offset = skip ? Number(JSON.parse(Buffer.from(skip, 'base64url').toString('utf8')).offset) : 0;
    const top = Number(req.url.searchParams.get('$top') ?? 100);
    const size = Math.min(pageSize, Number.isFinite(top) && top > 0 ? top : 100, 999);
    const page = entries.slice(offset, offset + size);
    const body: Record<string, unknown> = {
      '@odata.context': `${url}/v1.0/$metadata#${groupsOnly ? 'groups' : 'directoryObjects'}`,
      value: page.map((e) => select(e, req, Object.keys(e), ['@odata.type'])),
    };
    if (offset + size < entries.length) {
      // The next page's link keeps the request's other options; its token is opaque to the client.
      const next = new URL(`${url}${req.url.pathname}`);
      for (const [k, v] of req.url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v);
      next.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ offset: offset + size, nonce: randomUUID() })).toString('base64url'));
      body['@odata.nextLink'] = next.href;
    }
    sendJson(res, 200, body, { 'content-type': odataJson, ...ids(req) });
  }

  async function authenticate(req: StandInRequest): Promise<{ ok: true; tid: string; roles: string[] } | { ok: false; message: string }> {
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ')) return { ok: false, message: 'Access token is empty.' };
    const token = auth.slice('Bearer '.length);
    let tid: unknown;
    try {
      tid = decodeJwt(token).tid;
    } catch {
      return { ok: false, message: 'IDX14100: JWT is not well formed.' };
    }
    if (typeof tid !== 'string') return { ok: false, message: 'Access token validation failure.' };
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(entra.jwks()), {
        issuer: [entra.v1Issuer(tid), entra.issuer(tid)], audience: [url, `${url}/`, graphAppId], algorithms: ['RS256'],
      });
      return { ok: true, tid, roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [] };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return { ok: false, message: 'Access token validation failure. Invalid audience.' };
      return { ok: false, message: 'Access token validation failure.' };
    }
  }

  const allowed = (roles: string[], any: string[]) => roles.some((r) => any.includes(r));
  const denied = (req: StandInRequest, res: ServerResponse) => fail(req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

  return {
    url,
    intune,
    caPem: server.caPem,
    caCertPath: server.caCertPath,
    requests: server.requests,
    setUser: (tid, user) => void data(tid).users.set(user.id, { ...user }),
    removeUser(tid, id) {
      data(tid).users.delete(id);
    },
    setPhoto(tid, userId, photo) {
      if (photo) data(tid).photos.set(userId, photo);
      else data(tid).photos.delete(userId);
    },
    setGroups: (tid, userId, memberOf) => void data(tid).memberOf.set(userId, [...memberOf]),
    setDomains(tid, domains, displayName) {
      data(tid).organization = { displayName: displayName ?? data(tid).organization.displayName, verifiedDomains: [...domains] };
    },
    setPageSize(n) {
      pageSize = n;
    },
    throttleNext: failures.throttleNext,
    failNext: failures.failNext,
    delayNext(ms, n = 1) {
      for (let i = 0; i < n; i++) delays.push(ms);
    },
    setUnreachable: (on) => server.setUnreachable(on),
    close: () => server.close(),
  };
}

/** $select=a,b — absent: undefined (the default set). */
function selected(req: StandInRequest): string[] | undefined {
  const s = req.url.searchParams.get('$select');
  return s ? s.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
}

function select(obj: object, req: StandInRequest, defaults: string[], always: string[] = []): Record<string, unknown> {
  const keys = selected(req) ?? defaults;
  const out: Record<string, unknown> = {};
  for (const k of [...always, ...keys]) if (k in obj) out[k] = (obj as Record<string, unknown>)[k];
  return out;
}

function ids(req: StandInRequest): Record<string, string> {
  const client = req.headers['client-request-id'];
  return { 'request-id': randomUUID(), 'client-request-id': typeof client === 'string' ? client : randomUUID() };
}

/** Graph's error body: {error: {code, message, innerError: {date, request-id, client-request-id}}}. */
function fail(req: StandInRequest, res: ServerResponse, status: number, code: string, message: string, retryAfter?: number): void {
  const h = ids(req);
  sendJson(res, status, {
    error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': h['request-id'], 'client-request-id': h['client-request-id'] } },
  }, { 'content-type': odataJson, ...h, ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}) });
}
