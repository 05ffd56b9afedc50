import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { relayAudience } from '#protocol';
import { demoPassword, demoTenants, demoUsers } from '#relay/directory/index.js';
import { httpsRequest } from '../../support/https-fetch.js';
import { signInForToken, webSignIn } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost } from '../../support/identity-host.js';

describe('relay token checks', () => {
  let host: IdentityHost;
  let good: string;
  let keys: Record<string, JWK>;
  const contoso = demoTenants.contoso.id;
  const fabrikam = demoTenants.fabrikam.id;
  const issuer = (tid: string) => `${host.baseUrl}/${tid}/v2.0`;
  const claims = (over: JWTPayload = {}): JWTPayload => ({
    iss: issuer(contoso), aud: relayAudience, tid: contoso, oid: demoUsers.contosoHelper.oid, sub: demoUsers.contosoHelper.oid,
    upn: demoUsers.contosoHelper.upn, name: demoUsers.contosoHelper.name, roles: ['Help Desk Operator'], amr: ['pwd'],
    iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600, ...over,
  });
  // Signed with the provider's own key from the data folder: only the claim under test is wrong.
  const sign = async (payload: JWTPayload, tenantKey: string = contoso): Promise<string> => {
    const jwk = keys[tenantKey]!;
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'at+jwt' }).sign(await importJWK(jwk, 'RS256'));
  };

  before(async () => {
    host = await startIdentityHost();
    good = await signInForToken(host.baseUrl, 'helper@contoso.example', demoPassword, host.ca);
    keys = (JSON.parse(await readFile(join(host.dataDir, 'identity', 'secrets.json'), 'utf8')) as { signingKeys: Record<string, JWK> }).signingKeys;
  });
  after(() => host.close());

  const refused = async (token: string, why: RegExp, code = 'unauthenticated') => {
    const result = await host.identity.verifyAccessToken(token);
    assert.ok(!result.ok, 'refused');
    assert.equal(result.error.code, code);
    assert.match(result.error.message, why);
  };

  it('accepts a token made the same way as the provider makes them', async () => {
    assert.ok((await host.identity.verifyAccessToken(await sign(claims()))).ok);
    assert.ok((await host.identity.verifyAccessToken(good)).ok);
  });

  it('refuses a tampered token', async () => {
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as JWTPayload;
    payload.roles = ['Remote Help Administrator'];
    await refused(`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, /signature/);
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await refused(await sign(claims({ iat: past - 600, exp: past })), /expired/);
  });

  it('refuses a token for another audience', async () => {
    await refused(await sign(claims({ aud: 'api://someone-else' })), /aud/);
  });

  it('refuses a token from an unknown issuer', async () => {
    await refused(await sign(claims({ iss: 'https://login.evil.example/x/v2.0' })), /no tenant here has/, 'unknown-issuer');
  });

  it('refuses a token claiming one tenant\'s issuer but signed by another tenant\'s key', async () => {
    await refused(await sign(claims(), fabrikam), /signature/);
  });

  it('refuses a token whose tid is not its issuer\'s tenant', async () => {
    await refused(await sign(claims({ iss: issuer(fabrikam) }), fabrikam), /another tenant/);
  });

  it('refuses garbage and empty tokens', async () => {
    await refused('not-a-jwt', /not a JWT/);
    await refused('', /No access token/);
  });

  it('guards /api/devices: 401 with a reason without a valid token', async () => {
    const none = await httpsRequest(`${host.baseUrl}/api/devices`, host.ca);
    assert.equal(none.status, 401);
    assert.equal((JSON.parse(none.body) as { error: { code: string } }).error.code, 'unauthenticated');
    const bad = await httpsRequest(`${host.baseUrl}/api/devices`, host.ca, { headers: { authorization: `Bearer ${good.slice(0, -4)}AAAA` } });
    assert.equal(bad.status, 401);
  });

  it('accepts the web session cookie on /api/devices', async () => {
    const cookie = await webSignIn(host.baseUrl, 'admin@contoso.example', demoPassword, host.ca);
    const res = await httpsRequest(`${host.baseUrl}/api/devices`, host.ca, { headers: { cookie } });
    assert.equal(res.status, 200);
  });
});
