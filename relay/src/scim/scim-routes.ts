// /scim/v2: SCIM 2.0 provisioning (RFC 7644) of each tenant's users and groups, for Entra's provisioning
// service or any SCIM client. The tenant is the one whose configured token the request carries; every
// answer is application/scim+json, every failure the SCIM error shape with the protocol's error code
// behind its status. Nothing under /scim/v2 reaches the rest of the relay's routes.
import Router from '@koa/router';
import type Koa from 'koa';
import type { DirectoryStore } from '../directory/index.js';
import { httpStatus } from '../http/answer.js';
import { readJson } from '../http/body.js';
import type { Clock, Log } from '../ports.js';
import { schemaUris } from './attributes.js';
import { scimTenantResolver } from './bearer.js';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.js';
import { createGroupService } from './group-service.js';
import { projection } from './list-query.js';
import { scimFail, type ScimFailure, type ScimResult } from './scim-result.js';
import { createUserService } from './user-service.js';

export const scimBasePath = '/scim/v2';
// A user is a few kilobytes; a group PATCH may carry thousands of members.
const bodyLimit = 1024 * 1024;

export interface ScimRouteDeps {
  directory: DirectoryStore;
  /** Tenant id → its SCIM token (tenants[].scim.token). A tenant without one has no SCIM. */
  tokens: Readonly<Record<string, string>>;
  clock: Clock;
  log: Log;
  publicUrl: string;
}

interface ScimState { tenantId: string }
type Ctx = Koa.ParameterizedContext<ScimState>;

const idOf = (ctx: Ctx & { params: Record<string, string | undefined> }): string => ctx.params['id'] ?? '';

function send(ctx: Ctx, status: number, body?: unknown): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.status = status;
  if (body === undefined) return;
  ctx.type = 'application/scim+json';
  ctx.body = JSON.stringify(body);
}

function sendError(ctx: Ctx, failure: ScimFailure): void {
  const status = httpStatus[failure.code];
  // A name already taken is RFC 7644's "uniqueness", whichever part found it.
  const scimType = failure.scimType ?? (failure.code === 'conflict' ? 'uniqueness' : undefined);
  if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="scim"');
  send(ctx, status, { schemas: [schemaUris.error], status: String(status), ...(scimType ? { scimType } : {}), detail: failure.message });
}

function reply<T>(ctx: Ctx, result: ScimResult<T>, status = 200, shape: (v: T) => unknown = (v) => v): void {
  if (!result.ok) return sendError(ctx, result.error);
  if (result.value === null) return send(ctx, 204);
  send(ctx, status, shape(result.value));
}

async function body(ctx: Ctx): Promise<ScimResult<unknown>> {
  const read = await readJson(ctx, { limit: bodyLimit, types: ['application/scim+json', 'application/json'] });
  if (read.ok) return read;
  return read.error.code === 'payload-too-large'
    ? scimFail('payload-too-large', undefined, `The body is larger than ${bodyLimit} bytes.`)
    : scimFail('validation', 'invalidSyntax', read.error.message === 'the body is not JSON' ? 'The body is not valid JSON.' : read.error.message);
}

export function scimRoutes(deps: ScimRouteDeps): Koa.Middleware {
  const baseUrl = `${deps.publicUrl}${scimBasePath}`;
  const tenantOf = scimTenantResolver(deps.tokens);
  const services = { directory: deps.directory, clock: deps.clock, baseUrl };
  const users = createUserService(services);
  const groups = createGroupService(services);
  const types = resourceTypes(baseUrl);
  const schemaDocs = schemas(baseUrl);
  const p = (path: string) => `${scimBasePath}${path}`;

  const router = new Router<ScimState>();
  router.get(p('/ServiceProviderConfig'), (ctx) => send(ctx, 200, serviceProviderConfig(baseUrl)));
  router.get(p('/ResourceTypes'), (ctx) => send(ctx, 200, types.list));
  router.get(p('/ResourceTypes/:id'), (ctx) => {
    const found = types.byId(idOf(ctx));
    if (found) send(ctx, 200, found);
    else sendError(ctx, { code: 'not-found', message: `No resource type ${idOf(ctx)}.` });
  });
  router.get(p('/Schemas'), (ctx) => send(ctx, 200, schemaDocs.list));
  router.get(p('/Schemas/:id'), (ctx) => {
    const found = schemaDocs.byId(idOf(ctx));
    if (found) send(ctx, 200, found);
    else sendError(ctx, { code: 'not-found', message: `No schema ${idOf(ctx)}.` });
  });

  for (const [path, service] of [['/Users', users], ['/Groups', groups]] as const) {
    router.get(p(path), async (ctx) => {
      const shape = projection(ctx.query);
      reply(ctx, await service.list(ctx.state.tenantId, ctx.query), 200, (page) => ({ ...page, Resources: page.Resources.map(shape) }));
    });
    router.get(p(`${path}/:id`), async (ctx) => reply(ctx, await service.get(ctx.state.tenantId, idOf(ctx), ctx.query), 200, projection(ctx.query)));
    router.post(p(path), async (ctx) => {
      const b = await body(ctx);
      reply(ctx, b.ok ? await service.create(ctx.state.tenantId, b.value) : b, 201);
    });
    router.put(p(`${path}/:id`), async (ctx) => {
      const b = await body(ctx);
      reply(ctx, b.ok ? await service.replace(ctx.state.tenantId, idOf(ctx), b.value) : b);
    });
    router.patch(p(`${path}/:id`), async (ctx) => {
      const b = await body(ctx);
      reply(ctx, b.ok ? await service.patch(ctx.state.tenantId, idOf(ctx), b.value) : b);
    });
    router.delete(p(`${path}/:id`), async (ctx) => reply(ctx, await service.remove(ctx.state.tenantId, idOf(ctx))));
  }
  // Any other path or method: the SCIM error shape, never the relay's pages.
  router.all(p('/*rest'), (ctx) => sendError(ctx, { code: 'not-found', message: `${ctx.method} ${ctx.path} is not a SCIM endpoint here.` }));

  const routes = router.routes() as Koa.Middleware;
  const gate: Koa.Middleware = async (ctx, next) => {
    const path = ctx.path.toLowerCase();
    if (path !== scimBasePath && !path.startsWith(`${scimBasePath}/`)) return next();
    const tenantId = tenantOf(ctx.get('authorization'));
    if (!tenantId || !(await deps.directory.tenant(tenantId))) {
      return sendError(ctx as Ctx, { code: 'unauthenticated', message: 'A valid SCIM bearer token is required.' });
    }
    ctx.state['tenantId'] = tenantId;
    try {
      await routes(ctx, async () => undefined);
      if (ctx.status === 404 && ctx.body === undefined) sendError(ctx as Ctx, { code: 'not-found', message: `${ctx.path} is not a SCIM endpoint here.` });
    } catch (error) {
      deps.log.error('scim request failed', { tenantId, method: ctx.method, path: ctx.path, error });
      sendError(ctx as Ctx, { code: 'internal', message: 'The request failed on the server.' });
    }
  };
  return gate;
}
