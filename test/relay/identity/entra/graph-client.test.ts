import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '#relay/identity/entra/graph-client.js';
import type { Log } from '#relay/ports.js';
import { startEntraStandIn, type EntraStandIn } from '../../../support/entra-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../../../support/graph-stand-in.js';

const tid = randomUUID();
const relayApp = {
  clientId: randomUUID(), clientSecret: 'relay-secret', redirectUris: ['https://relay.example/auth/callback'],
  applicationPermissions: ['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'ProfilePhoto.Read.All'],
};
const user = {
  id: randomUUID(), displayName: 'Sara Sharer', userPrincipalName: 'sara@contoso.example', mail: 'sara@contoso.example',
  jobTitle: 'Accountant', companyName: 'Contoso', accountEnabled: true,
};
const photo = { contentType: 'image/jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]) };
const group = (displayName: string) => ({ '@odata.type': '#microsoft.graph.group' as const, id: randomUUID(), displayName });

describe('the Graph client against the Entra and Graph stand-ins', () => {
  let entra: EntraStandIn;
  let graph: GraphStandIn;
  let logs: { level: string; msg: string }[];
  let log: Log;

  before(async () => {
    entra = await startEntraStandIn({ tenants: [{ tenantId: tid, apps: [relayApp] }] });
    graph = await startGraphStandIn({ entra });
    graph.setUser(tid, user);
    graph.setUser(tid, { id: randomUUID(), displayName: 'No Photo', userPrincipalName: 'nophoto@contoso.example' });
    graph.setPhoto(tid, user.id, photo);
    graph.setDomains(tid, [{ name: 'Contoso.example', isDefault: true }, { name: 'contoso.onmicrosoft.com', isInitial: true }]);
    graph.setGroups(tid, user.id, [
      group('rh-helpdesk'), group('Finance'), { '@odata.type': '#microsoft.graph.directoryRole', id: randomUUID(), displayName: 'Global Reader' },
      group('All staff'), group('Stockholm office'), group('rh-admins'),
    ]);
  });
  after(async () => {
    await graph.close();
    await entra.close();
  });
  beforeEach(() => {
    logs = [];
    log = {
      info: (msg) => logs.push({ level: 'info', msg }),
      warn: (msg) => logs.push({ level: 'warn', msg }),
      error: (msg) => logs.push({ level: 'error', msg }),
    };
  });

  const client = (over: Partial<GraphClientOptions> = {}): GraphClient =>
    createGraphClient({
      tenantId: tid, clientId: relayApp.clientId, clientSecret: relayApp.clientSecret, authorityHost: entra.authorityHost,
      graphUrl: graph.url, ca: [entra.caPem, graph.caPem], log, ...over,
    });

  it('reads the profile, with the properties Graph gives only when selected', async () => {
    const graphClient = client();
    const res = await graphClient.user(user.id);
    assert.deepEqual(res, { ok: true, value: user });
    const asked = graph.requests.at(-1)!;
    assert.match(decodeURIComponent(asked.url), /\$select=.*accountEnabled/);
    assert.match(asked.authorization ?? '', /^Bearer ey/, 'an app-only token from Entra');
    assert.deepEqual(await graphClient.user(randomUUID()), { ok: false, error: { code: 'not-found', message: 'No such user in the directory.' } });
  });

  it('gets the photo bytes, and null for a user without one', async () => {
    const graphClient = client();
    const res = await graphClient.photo(user.id);
    assert.ok(res.ok && res.value);
    assert.equal(res.value.contentType, 'image/jpeg');
    assert.deepEqual(res.value.bytes, photo.bytes);
    assert.deepEqual(await graphClient.photo('nophoto@contoso.example'), { ok: true, value: null });
  });

  it('lists the verified domains in lower case', async () => {
    assert.deepEqual(await client().verifiedDomains(), { ok: true, value: ['contoso.example', 'contoso.onmicrosoft.com'] });
  });

  it('follows @odata.nextLink through every page and keeps groups only', async () => {
    const before = graph.requests.length;
    const res = await client().groupNames(user.id);
    assert.deepEqual(res, { ok: true, value: ['rh-helpdesk', 'Finance', 'All staff', 'Stockholm office', 'rh-admins'] });
    const pages = graph.requests.slice(before).filter((r) => r.path.endsWith('/transitiveMemberOf'));
    assert.equal(pages.length, 3, 'six memberships, two a page');
    assert.ok(!pages[0]!.url.includes('$skiptoken'));
    assert.ok(pages.slice(1).every((p) => p.url.includes('%24skiptoken=') || p.url.includes('$skiptoken=')), 'the next pages are the links Graph gave');
  });

  it('asks Entra for a token once and reuses it', async () => {
    const graphClient = client();
    const tokenCalls = () => entra.requests.filter((r) => r.path === `/${tid}/oauth2/v2.0/token`).length;
    const before = tokenCalls();
    await graphClient.user(user.id);
    await graphClient.verifiedDomains();
    await graphClient.groupNames(user.id);
    assert.equal(tokenCalls(), before + 1);
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    const waits: number[] = [];
    const graphClient = client({ sleep: (ms, signal) => (waits.push(ms), delay(ms, undefined, signal ? { signal } : {})) });
    await graphClient.verifiedDomains(); // the token first, so only Graph's answers are timed
    graph.throttleNext(1, 1);
    const started = Date.now();
    const res = await graphClient.user(user.id);
    assert.ok(res.ok, JSON.stringify(res));
    assert.deepEqual(waits, [1000]);
    assert.ok(Date.now() - started >= 990, `retried after ${Date.now() - started} ms`);
  });

  it('retries a 503 too, and gives up as identity-provider-unavailable once retries are spent', async () => {
    const graphClient = client({ maxRetries: 2, sleep: async () => {} });
    graph.failNext(1, 503, 0);
    assert.ok((await graphClient.verifiedDomains()).ok);
    const before = graph.requests.length;
    graph.throttleNext(3, 0);
    const res = await graphClient.verifiedDomains();
    assert.equal(res.ok ? '' : res.error.code, 'identity-provider-unavailable');
    assert.equal(graph.requests.length - before, 3, 'the first try and two retries');
  });

  it('answers identity-provider-unavailable when Graph cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const res = await client({ graphUrl: `https://127.0.0.1:${port}` }).user(user.id);
    assert.equal(res.ok ? '' : res.error.code, 'identity-provider-unavailable');
  });

  it('answers identity-provider-unavailable when Entra cannot be reached for the token', async () => {
    entra.setUnreachable(true);
    try {
      const res = await client().user(user.id);
      assert.equal(res.ok ? '' : res.error.code, 'identity-provider-unavailable');
    } finally {
      entra.setUnreachable(false);
    }
  });

  it('comes back when the caller stops waiting on a slow Graph', async () => {
    const graphClient = client();
    await graphClient.verifiedDomains();
    graph.delayNext(5000);
    const started = Date.now();
    const res = await graphClient.user(user.id, AbortSignal.timeout(200));
    assert.equal(res.ok ? '' : res.error.code, 'identity-provider-unavailable');
    assert.ok(Date.now() - started < 2500, `came back after ${Date.now() - started} ms`);
  });

  it('stops waiting out a Retry-After when the caller stops waiting', async () => {
    const graphClient = client();
    await graphClient.verifiedDomains();
    graph.throttleNext(1, 30);
    const started = Date.now();
    const res = await graphClient.user(user.id, AbortSignal.timeout(200));
    assert.equal(res.ok ? '' : res.error.code, 'identity-provider-unavailable');
    assert.ok(Date.now() - started < 2500, `came back after ${Date.now() - started} ms`);
  });

  // A wrong secret is the operator's mistake, not the user's: the user is told the directory is
  // unavailable (sign-in-failed would send them to retype a password), and the log says what to fix.
  it('answers identity-provider-unavailable for a wrong client secret, and logs it as an error', async () => {
    const res = await client({ clientSecret: 'not-the-secret' }).user(user.id);
    assert.equal(res.ok ? '' : res.error.code, 'identity-provider-unavailable');
    assert.ok(logs.some((l) => l.level === 'error' && /app registration/.test(l.msg)), JSON.stringify(logs));
  });

  it('answers identity-provider-unavailable when the app lacks a Graph permission, and says which in the log', async () => {
    const narrow = { ...relayApp, clientId: randomUUID(), applicationPermissions: ['User.Read.All'] };
    entra.addApp(tid, narrow);
    const graphClient = client({ clientId: narrow.clientId });
    const domains = await graphClient.verifiedDomains();
    assert.equal(domains.ok ? '' : domains.error.code, 'identity-provider-unavailable');
    assert.ok(logs.some((l) => l.level === 'error' && /permissions/.test(l.msg)));
    // With User.Read.All alone Graph lists memberships without their names.
    assert.deepEqual(await graphClient.groupNames(user.id), { ok: true, value: [] });
    assert.ok(logs.some((l) => l.level === 'warn' && /GroupMember\.Read\.All/.test(l.msg)));
  });

  it('answers internal for an answer of the wrong shape', async () => {
    const odd = randomUUID();
    graph.setUser(tid, { id: odd, displayName: 'Odd', userPrincipalName: '' });
    const res = await client().user(odd);
    assert.equal(res.ok ? '' : res.error.code, 'internal');
  });
});
