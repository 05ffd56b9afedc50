// Hostile HTTP clients, generated (issue 12, point 7). A real relay; fast-check sends every route it
// has (pages, admin API, device enrollment and devices API, SCIM, web sign-in, the embedded provider)
// generated methods, paths, headers, credentials and bodies: no credential, garbage, a helper's real
// token, the real token and SCIM token of an administrator of the *other* tenant. After every request:
// no 5xx (but the documented ones: 503 of a page whose web app is not built or of an overloaded node,
// 501 for a method no route has), every JSON error carries a code of the protocol (or is the SCIM or
// OAuth error shape on those routes), nothing the relay logged is an error; after every run /healthz still answers; after all runs the bystander tenant's data
// (settings, roles, rules, compliance policy, users and devices) is exactly as it was.
//
// Seed and size: fixed (see `settings` below) so CI replays the same cases. Longer local runs:
//   RH_FUZZ_RUNS=2000 npx tsx scripts/run-tests.ts test/relay/property/http-endpoints.property.test.ts
// and RH_FUZZ_SEED=<n> for other cases; a failure prints the seed and path that replay it.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import fc from 'fast-check';
import { errorCodes } from '#protocol';
import { demoTenants, demoUsers } from '#relay/directory/index.js';
import { demo, startTestRelay, type TestRelay } from '../../support/relay.js';
import { fcParameters, fuzzSettings } from '../../support/fuzz-settings.js';
import { httpScript, type HttpCase } from './http-arbitraries.js';

const settings = fuzzSettings({ seed: 0x5eed13, numRuns: 60 });
const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;
const foreignScimToken = 'fuzz-scim-token-of-fabrikam-0123456789';
/** Pages the test relay serves without a built web app: 503 by design (web-pages.ts). */
const unbuiltPages = new Set(['/rh', '/rhh', '/enroll']);
/** A method no route has is 501 Not Implemented, by HTTP's rules (@koa/router's allowedMethods, http/routes.ts). */
const httpMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface Answer { status: number; type: string; body: string }

type Violation = string;

describe('hostile HTTP clients, generated (property)', function () {
  // Long local runs (RH_FUZZ_RUNS) take longer: about a second per run at most on 2 busy cores.
  this.timeout(120_000 + settings.numRuns * 1000);
  let relay: TestRelay;
  let agent: Agent;
  const tokens: Record<string, string> = {};
  let bystanderBefore: string;

  /** Everything of the bystander tenant an attacker from elsewhere could try to change. */
  async function bystanderData(): Promise<string> {
    const d = relay.directory;
    const [tenant, roles, rules, policy, users, devices] = await Promise.all([
      d.tenant(contoso), d.roles(contoso), d.rules(contoso), d.compliancePolicy(contoso), d.users(contoso, ''),
      d.devicesChangedSince(contoso, undefined, 5000),
    ]);
    return JSON.stringify({ tenant, roles, rules, policy, users, devices });
  }

  before(async () => {
    relay = await startTestRelay({}, { scimTokens: { [fabrikam]: foreignScimToken } });
    agent = new Agent({ ca: relay.caPem, keepAlive: true, maxSockets: 2 });
    // The hostile tenant has an administrator of its own: the admin API is driven past its role check,
    // with ids of the bystander tenant among those it is sent.
    const fabrikamAdmin = await relay.directory.setUserRoles(fabrikam, demoUsers.fabrikamHelper.oid, ['Remote Help Administrator']);
    assert.ok(fabrikamAdmin.ok);
    tokens['helper-token'] = await relay.token(demo.contosoHelper);
    tokens['foreign-admin-token'] = await relay.token(demo.fabrikamHelper);
    bystanderBefore = await bystanderData();
  });
  after(async () => {
    agent?.destroy();
    await relay?.stop();
  });

  function authorizationFor(c: HttpCase): string | undefined {
    switch (c.credential) {
      case 'none': return undefined;
      case 'garbage-bearer': return 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
      case 'helper-token': return `Bearer ${tokens['helper-token']}`;
      case 'foreign-admin-token': return `Bearer ${tokens['foreign-admin-token']}`;
      case 'foreign-scim-token': return `Bearer ${foreignScimToken}`;
      case 'basic': return 'Basic YWRtaW46YWRtaW4=';
      case 'raw': return c.rawAuthorization;
    }
  }

  /** Sends one case as it is; undefined when Node itself refuses to send it (a path or header it cannot put on the wire). */
  function send(c: HttpCase, retried = false, chunked = false): Promise<Answer | undefined> {
    const authorization = authorizationFor(c);
    const headers: Record<string, string> = {
      ...c.headers,
      ...(authorization !== undefined ? { authorization } : {}),
      ...(c.body ? (chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(c.body.length) }) : {}),
    };
    return new Promise((resolve, reject) => {
      let req;
      try {
        req = request(`${relay.url}${c.path}`, { method: c.method, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
      } catch {
        return resolve(undefined);
      }
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as this request went out (Node's documented race,
        // see request.reusedSocket): sent again once on a new connection, as any HTTP client does.
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(send(c, true, chunked));
        else reject(error);
      });
      req.end(c.body);
    });
  }

  /** What is wrong with one answer, if anything. */
  function judge(c: HttpCase, a: Answer): Violation | undefined {
    const pathname = c.path.split('?')[0]!;
    const what = `${c.method} ${c.path.slice(0, 200)} (${c.credential}, ${c.headers['content-type'] ?? 'no type'}, ${c.body?.length ?? 0} bytes) → ${a.status} ${a.body.slice(0, 200)}`;
    const documented = (a.status === 503 && (unbuiltPages.has(pathname) || /"code":"overloaded"/.test(a.body)))
      || (a.status === 501 && !httpMethods.has(c.method));
    if (a.status >= 500 && !documented) return `a server error: ${what}`;
    if (a.status < 400 || !/json/.test(a.type) || c.method === 'HEAD') return undefined;
    let body: unknown;
    try {
      body = JSON.parse(a.body);
    } catch {
      return `a JSON error that is not JSON: ${what}`;
    }
    const b = body as { ok?: unknown; error?: unknown; schemas?: unknown; status?: unknown };
    const lower = pathname.toLowerCase();
    if (lower === '/scim/v2' || lower.startsWith('/scim/v2/')) {
      const scimError = Array.isArray(b.schemas) && b.schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error') && b.status === String(a.status);
      return scimError ? undefined : `a SCIM error not in the SCIM error shape: ${what}`;
    }
    // The embedded provider answers OAuth's error shape under each tenant's /{tenantId}/v2.0.
    if (/^\/[^/]+\/v2\.0\//.test(pathname) && typeof b.error === 'string') return undefined;
    const code = (b.error as { code?: unknown } | undefined)?.code;
    if (b.ok !== false || !errorCodes.includes(code as never)) return `a JSON error without a code of the protocol: ${what}`;
    return undefined;
  }

  async function runScript(cases: HttpCase[]): Promise<Violation[]> {
    const violations: Violation[] = [];
    const logFrom = relay.logLines.length;
    for (const c of cases) {
      let a: Answer | undefined;
      try {
        const t0 = Date.now();
        a = await send(c);
        if (process.env['RH_FUZZ_VERBOSE']) console.log(`${Date.now() - t0} ms ${c.method} ${c.path.slice(0, 80)} → ${a?.status}`);
      } catch (error) {
        violations.push(`no answer to ${c.method} ${c.path.slice(0, 200)}: ${String(error)}`);
        continue;
      }
      const wrong = a && judge(c, a);
      if (wrong) violations.push(wrong);
    }
    const health = await send({ method: 'GET', path: '/healthz', headers: {}, credential: 'none', rawAuthorization: '', body: undefined });
    if (health?.status !== 200) violations.push(`/healthz answered ${health?.status} after the run`);
    const errors = relay.logLines.slice(logFrom).filter((l) => (JSON.parse(l) as { level?: string }).level === 'error');
    violations.push(...errors.map((l) => `the relay logged an error: ${l.slice(0, 500)}`));
    return violations;
  }

  it('never answers 5xx, gives every JSON error a known code, keeps serving, and leaves the bystander tenant as it was', async () => {
    await fc.assert(
      fc.asyncProperty(httpScript, async (cases) => {
        const violations = await runScript(cases);
        assert.deepEqual(violations, [], `seed ${settings.seed}: ${violations.join('\n')}`);
      }),
      fcParameters(settings),
    );
    assert.equal(await bystanderData(), bystanderBefore, 'the bystander tenant\'s data changed');
  });

  // Found by the property (seed 0x5eed13): a method no route has, on a SCIM path, went out as 501 with a
  // SCIM body that said 404 (an upstream router's 405/501 answer overwrote SCIM's status, http/routes.ts).
  it('answers a method no route has on a SCIM path with one status, in the header and in the SCIM error alike', async () => {
    const a = (await send({ method: 'PROPFIND', path: '/scim/v2/Users/x', headers: {}, credential: 'foreign-scim-token', rawAuthorization: '', body: undefined }))!;
    assert.equal(a.status, 404);
    const body = JSON.parse(a.body) as { schemas: string[]; status: string };
    assert.deepEqual(body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    assert.equal(body.status, '404');
  });

  it('still answers 501 for a method no route has where nothing else answered, and 405 for a known path\'s wrong method', async () => {
    assert.equal((await send({ method: 'PROPFIND', path: '/api/devices/challenge', headers: {}, credential: 'none', rawAuthorization: '', body: undefined }))?.status, 501);
    assert.equal((await send({ method: 'PUT', path: '/api/devices/challenge', headers: {}, credential: 'none', rawAuthorization: '', body: undefined }))?.status, 405);
  });

  // Found by the property (seed 4242): koa-static refuses /assets// with a 400 it throws, and every such
  // request wrote an "http error" line to the relay's error log: anyone could fill it.
  it('refuses a malicious asset path with 400 and does not log it as an error', async () => {
    const logFrom = relay.logLines.length;
    const a = await send({ method: 'GET', path: '/assets//', headers: {}, credential: 'none', rawAuthorization: '', body: undefined });
    assert.equal(a?.status, 400);
    assert.deepEqual(relay.logLines.slice(logFrom).filter((l) => l.includes('"level":"error"')), []);
  });

  // Found by the property (seed 5): a body over its route's limit made the relay stop reading in the
  // middle, which destroyed the request and its socket: the sign-in callback then failed with a 500
  // (reading the cookies of a request without a socket) and a 413 could not be sent at all.
  for (const framing of ['content-length', 'chunked'] as const) {
    it(`answers a body over the limit (${framing}) with its refusal, on a connection that stays usable`, async () => {
      const big = (type: string, text: string): Pick<HttpCase, 'headers' | 'body'> => ({ headers: { 'content-type': type }, body: Buffer.from(text) });
      const form = big('application/x-www-form-urlencoded', `state=${'s'.repeat(300 * 1024)}`);
      const json = big('application/json', JSON.stringify({ search: 'y'.repeat(300 * 1024) }));
      const chunked = framing === 'chunked';
      const callback = await send({ method: 'POST', path: '/auth/callback', credential: 'none', rawAuthorization: '', ...form }, false, chunked);
      assert.ok(callback && callback.status >= 400 && callback.status < 500, `the callback answered ${callback?.status}`);
      const admin = await send({ method: 'POST', path: '/api/admin/listUsers', credential: 'foreign-admin-token', rawAuthorization: '', ...json }, false, chunked);
      assert.equal(admin?.status, 413);
      assert.equal((JSON.parse(admin.body) as { error: { code: string } }).error.code, 'payload-too-large');
      const health = await send({ method: 'GET', path: '/healthz', headers: {}, credential: 'none', rawAuthorization: '', body: undefined });
      assert.equal(health?.status, 200);
    });
  }
});
