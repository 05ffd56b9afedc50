// What hostile HTTP clients send, generated: a method × a path (the relay's routes with random
// segments, traversal attempts, broken escapes, very long paths and random queries) × headers (random
// Content-Type, bogus and real-but-foreign credentials, cookies, languages, forwarded addresses) ×
// a body (random bytes, malformed JSON, JSON of any shape, huge JSON within the limits, forms).
// Credentials and ids that only exist once the relay runs are symbolic, filled in by the test.
import fc from 'fast-check';
import { adminMethods, pastSessionsPath } from '#protocol';
import { demoDevices, demoTenants, demoUsers } from '#relay/directory/index.js';

/** A credential the test fills in: a real token of a hostile user, the hostile tenant's SCIM token, … */
export type Credential = 'none' | 'garbage-bearer' | 'helper-token' | 'foreign-admin-token' | 'foreign-scim-token' | 'basic' | 'raw';

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  credential: Credential;
  /** Authorization as sent when `credential` is 'raw'. */
  rawAuthorization: string;
  body: Buffer | undefined;
}

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;
/** Ids of the bystander tenant (contoso) and of the hostile one: a foreign id must be answered as absent. */
const knownIds = [
  ...demoDevices.slice(0, 6).map((d) => d.id),
  demoUsers.contosoAdmin.oid, demoUsers.contosoSharer.oid, demoUsers.fabrikamHelper.oid,
].filter((x): x is string => typeof x === 'string');

const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom(...knownIds) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', '%00', '%', '%zz', '%E0%A4%A', '%c0%ae%c0%ae', '.', '',
      '__proto__', 'constructor', '%3Cscript%3E', '%F0%9F%98%80', 'CON', 'a;b=c', '*'),
  },
  { weight: 1, arbitrary: fc.constantFrom(200, 3000, 9000).map((n) => 'x'.repeat(n)) },
);
const tenantSegment = fc.oneof(fc.constantFrom(contoso, fabrikam), segment);
const idSegment = fc.oneof(fc.constantFrom(...knownIds), segment);

const scimResources = ['ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Users', 'Groups', 'users', 'Me', 'Bulk', '.search'];
const oidcEndpoints = ['.well-known/openid-configuration', 'auth', 'token', 'jwks', 'me', 'session/end', 'token/introspection', 'token/revocation', 'reg', 'device/auth'];

/** The relay's routes, some with random parts. */
const routePath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('/healthz', '/readyz', '/metrics', pastSessionsPath, '/rh', '/rhh', '/enroll', '/', '/api', '/api/', '/api/admin', '/api/enroll', '/api/devices', '/api/devices/challenge',
    '/scim/v2', '/scim/v2/', '/auth/realm', '/auth/signin', '/auth/callback', '/auth/me', '/auth/signout', '/auth/set-password'),
  fc.constantFrom(...adminMethods).map((m) => `/api/admin/${m}`),
  segment.map((s) => `/api/admin/${s}`),
  fc.tuple(idSegment, fc.constantFrom('report', 'enrollment', 'sessions', 'x')).map(([id, tail]) => `/api/devices/${id}/${tail}`),
  fc.constantFrom(...scimResources).map((r) => `/scim/v2/${r}`),
  fc.tuple(fc.constantFrom(...scimResources), idSegment).map(([r, id]) => `/scim/v2/${r}/${id}`),
  fc.tuple(tenantSegment, fc.constantFrom(...oidcEndpoints)).map(([t, e]) => `/${t}/v2.0/${e}`),
  fc.tuple(tenantSegment, segment).map(([t, s]) => `/${t}/v2.0/interaction/${s}`),
  segment.map((s) => `/assets/${s}`),
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
);

const queryValue = fc.oneof(fc.string({ maxLength: 30 }).map(encodeURIComponent), fc.constantFrom('', '%', '1', '0', '-1', '99999999999', 'helper@contoso.example', 'a@b'));
const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc.array(fc.tuple(fc.constantFrom('email', 'tenant', 'since', 'limit', 'count', 'filter', 'startIndex', 'attributes', 'returnTo', 't', 'lang', 'passcode', '__proto__', 'x'), queryValue), { maxLength: 4 })
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('?filter=userName%20eq%20%22x%22', '?filter=(((', '?since=2024-01-01T00:00:00Z|x', '?count=1&limit=0', '?returnTo=https://evil.example') },
);

/** Decorations of a route: doubled or trailing slashes, other case. */
const path: fc.Arbitrary<string> = fc.tuple(routePath, fc.constantFrom('as-is', 'trailing-slash', 'double-slash', 'upper'), query).map(([p, how, q]) => {
  const shaped = how === 'trailing-slash' ? `${p}/` : how === 'double-slash' ? p.replace('/', '//') : how === 'upper' ? p.toUpperCase() : p;
  return `${shaped}${q}`;
});

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'FOO', 'CONNECTX') },
);

/** Header values as a client could send them (printable ASCII: Node refuses to send anything else). */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/scim+json', 'application/x-www-form-urlencoded',
    'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', ''),
  headerText,
);

const headers: fc.Arbitrary<Record<string, string>> = fc.record({
  'content-type': contentType,
  cookie: fc.oneof(fc.constantFrom('rh_session=forged', 'rh_signin=x; rh_session=', '_interaction=abc; _session=def'), headerText),
  'accept-language': fc.oneof(fc.constantFrom('sv-SE', 'ja', 'zh-Hans', 'ar', 'xx', '*;q=0'), headerText),
  'x-forwarded-for': fc.oneof(fc.constantFrom('1.2.3.4', '::1', 'garbage, 10.0.0.1'), headerText),
  origin: fc.constantFrom('https://evil.example', 'null'),
  accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/scim+json'),
}, { requiredKeys: [] });

const credential: fc.Arbitrary<Credential> = fc.constantFrom('none', 'garbage-bearer', 'helper-token', 'foreign-admin-token', 'foreign-scim-token', 'basic', 'raw');

/** Bodies shaped like an admin or SCIM request, aimed at ids of the bystander's tenant as well as the caller's own. */
const shapedJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ id: idSegment }),
  fc.record({ userId: idSegment }),
  fc.record({ userId: idSegment, active: fc.boolean() }),
  fc.record({ userId: idSegment, roles: fc.array(fc.constantFrom('Remote Help Administrator', 'Help Desk Operator', 'x'), { maxLength: 3 }) }),
  fc.record({ search: fc.string({ maxLength: 210 }) }),
  fc.record({ schemas: fc.constant(['urn:ietf:params:scim:schemas:core:2.0:User']), userName: fc.string({ maxLength: 40 }), active: fc.boolean() }, { requiredKeys: ['schemas'] }),
  fc.record({ schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']), Operations: fc.array(fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'x'), path: fc.string({ maxLength: 30 }), value: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), { maxLength: 3 }) }),
  fc.constant({}),
);

function deeplyNestedJson(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const body: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: shapedJson.map((v) => Buffer.from(JSON.stringify(v))) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '""', 'NaN', '\u0000', '{"id":"\ud800"}').map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.constantFrom(10, 1000, 5000).map((d) => Buffer.from(deeplyNestedJson(d))) },
  // Huge but within the admin API's limit (256 kB), and just over it.
  { weight: 1, arbitrary: fc.constantFrom(200 * 1024, 300 * 1024).map((n) => Buffer.from(JSON.stringify({ search: 'y'.repeat(n) }))) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('email', 'password', 'code', 'state', 't', 'returnTo', 'organization', 'cancel', 'confirm'), fc.string({ maxLength: 30 })).map((f) => Buffer.from(new URLSearchParams(f).toString())) },
);

export const httpCase: fc.Arbitrary<HttpCase> = fc.record({ method, path, headers, credential, rawAuthorization: headerText, body });

/** One run: a few requests in a row, on a connection that stays open between them. */
export const httpScript: fc.Arbitrary<HttpCase[]> = fc.array(httpCase, { minLength: 1, maxLength: 8 });
