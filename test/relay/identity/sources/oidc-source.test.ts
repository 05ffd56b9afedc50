// The oidc source on its own, against the independent provider stand-in (test/support/oidc-idp.ts): what
// the end-to-end test cannot see from a page — a picture at an https address kept inline by the relay,
// an unverified email never taken as a sign-in name, and a provider's keys failing read as "away".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectory, defaultTenantSettings, type DirectoryStore } from '#relay/directory/index.js';
import { createExternalSource } from '#relay/identity/sources/external-source.js';
import type { TenantSource } from '#relay/identity/sources/types.js';
import { createMemoryLog } from '#relay/log.js';
import { createHttpsFetch } from '#relay/net/https-fetch.js';
import { idpClaimNames, startOidcIdp, type OidcIdp } from '#test/support/oidc-idp.js';
import { startHttpsStandIn, type HttpsStandIn } from '#test/support/stand-in-https.js';
import { waitFor } from '#test/support/wait.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('an oidc tenant\'s source (against the stand-in provider)', function () {
  this.timeout(30_000);
  let idp: OidcIdp;
  let pictures: HttpsStandIn;
  let dir: string;
  let directory: DirectoryStore;
  let source: TenantSource;

  before(async () => {
    idp = await startOidcIdp({
      users: [], audience: 'remote-help',
      clients: { web: { clientId: 'web', clientSecret: 'web-secret', redirectUris: ['https://relay.example/auth/callback'] }, console: { clientId: 'console' } },
    });
    pictures = await startHttpsStandIn('pictures', (req, res) => {
      if (req.url.pathname === '/alice.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>not a picture</p>');
    });
    dir = mkdtempSync(join(tmpdir(), 'rh-oidc-source-'));
    directory = createDirectory({ dataDir: dir });
    await directory.upsertTenant({ id: 'globex', name: 'Globex', verifiedDomains: ['globex.example'], settings: defaultTenantSettings });
    source = createExternalSource({
      tenant: {
        id: 'globex', name: 'Globex', verifiedDomains: ['globex.example'], settings: {},
        identity: {
          type: 'oidc', issuer: idp.issuer, clientId: 'web', clientSecret: 'web-secret', consoleClientId: 'console', audience: 'remote-help',
          claims: { name: idpClaimNames.name, jobTitle: idpClaimNames.jobTitle, company: idpClaimNames.company, picture: idpClaimNames.picture, groups: idpClaimNames.groups },
          roles: { claim: 'member_of', map: { 'rh-helpdesk': 'Help Desk Operator' } },
        },
      },
      directory, fetch: createHttpsFetch([idp.caPem, pictures.caPem]), log: createMemoryLog(),
    });
  });
  after(async () => {
    directory.close();
    rmSync(dir, { recursive: true, force: true });
    await pictures.close();
    await idp.close();
  });

  const token = (sub: string, claims: Record<string, unknown>) => idp.mintAccessToken({ sub, claims });

  it('keeps a picture at an https address inline, so the pages show it from the relay', async () => {
    const user = await source.verify(await token('alice', {
      preferred_username: 'alice@globex.example', display_name: 'Alice Ample', avatar_url: `${pictures.url}/alice.png`, member_of: ['rh-helpdesk'],
    }));
    assert.ok(user.ok, user.ok ? '' : user.error.message);
    assert.deepEqual(user.value.roles, ['Help Desk Operator']);
    await waitFor(async () => (await directory.user('globex', user.value.userId))?.photoUrl.startsWith('data:image/png;base64,') ?? false, 10_000, 'the picture was not kept inline');
    assert.equal((await directory.user('globex', user.value.userId))?.photoUrl, `data:image/png;base64,${png.toString('base64')}`);
  });

  it('keeps no picture that is not an image', async () => {
    const user = await source.verify(await token('bob', { preferred_username: 'bob@globex.example', display_name: 'Bob', avatar_url: `${pictures.url}/page` }));
    assert.ok(user.ok);
    await waitFor(() => pictures.requests.some((r) => r.path === '/page'), 10_000, 'the address was never tried');
    assert.equal((await directory.user('globex', user.value.userId))?.photoUrl, '');
  });

  it('takes an email as the sign-in name only when the provider verified it', async () => {
    const unverified = await source.verify(await token('eve', { email: 'ceo@globex.example', email_verified: false, display_name: 'Eve' }));
    assert.equal(unverified.ok ? 'accepted' : unverified.error.code, 'unauthenticated');
    assert.equal(await directory.userByUpn('ceo@globex.example'), undefined);
    const verified = await source.verify(await token('carol', { email: 'carol@globex.example', email_verified: true, display_name: 'Carol' }));
    assert.equal(verified.ok && verified.value.upn, 'carol@globex.example');
  });

  it('says the provider is away, not that the sign-in is bad, when its keys cannot be fetched', async () => {
    // A provider whose discovery answers and whose key set fails (a 503 behind its load balancer).
    const flaky = await startHttpsStandIn('flaky-idp', (req, res) => {
      if (req.url.pathname === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: flaky.url, jwks_uri: `${flaky.url}/keys` }));
      } else res.writeHead(503).end();
    });
    try {
      const away = createExternalSource({
        tenant: {
          id: 'initech', name: 'Initech', verifiedDomains: ['initech.example'], settings: {},
          identity: { type: 'oidc', issuer: flaky.url, clientId: 'web', clientSecret: 's', consoleClientId: 'console', audience: 'remote-help' },
        },
        directory, fetch: createHttpsFetch([flaky.caPem]), log: createMemoryLog(),
      });
      const refused = await away.verify(await idp.mintAccessToken({ sub: 'dave', issuer: flaky.url, claims: { preferred_username: 'dave@initech.example' } }));
      assert.equal(refused.ok ? 'accepted' : refused.error.code, 'identity-provider-unavailable');
      assert.doesNotMatch(refused.ok ? '' : refused.error.message, /503|127\.0\.0\.1/, 'no network detail to whoever sent the token');
    } finally {
      await flaky.close();
    }
  });
});
