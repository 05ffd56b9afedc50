// Real sign-in against the relay's embedded provider over HTTPS, without a browser: what a user does
// on the sign-in page, done with plain requests. For any test that needs a relay token or a web session.
import { createHash, randomBytes } from 'node:crypto';
import { consoleClientId, relayScope } from '#protocol';
import { demoTenants, demoUsers } from '#relay/directory/index.js';
import { totpCode } from '#relay/identity/totp.js';
import { alertText, CookieJar, httpsRequest, parseForm, type HttpsResponse } from './https-fetch.js';

/** How a test user proves a second factor when the provider asks for a "Verification code". */
export interface SignInOptions {
  /** The user's TOTP secret (base32), e.g. demoMfaUsers.helper.totpSecret: codes are computed as an app would. */
  totpSecret?: string;
}

/** Any port: the console's loopback redirect is matched without its port. */
export const loopbackRedirect = 'http://localhost:47613/';

export type ProviderSignIn =
  | { ok: true; code: string; state: string; jar: CookieJar }
  | { ok: false; error: string; page: string };

/** GET /auth/realm?email= → the tenant id the email signs in with. A demo user whose domain no tenant
 * verified (the contractor) names its organization, as such a user must (&tenant=). */
export async function tenantOf(baseUrl: string, email: string, ca: string): Promise<string> {
  const user = Object.values(demoUsers).find((u) => u.upn === email);
  const domain = email.split('@')[1] ?? '';
  const verified = Object.values(demoTenants).some((t) => t.verifiedDomains.some((d) => d === domain));
  const named = user && !verified ? `&tenant=${encodeURIComponent(user.tenantId)}` : '';
  const res = await httpsRequest(`${baseUrl}/auth/realm?email=${encodeURIComponent(email)}${named}`, ca);
  if (res.status !== 200) throw new Error(`realm lookup for ${email} answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { tenantId: string }).tenantId;
}

/**
 * Walks an authorization request through the provider's sign-in page until the code reaches
 * `redirectUri` (query or form_post), or the sign-in page comes back with an error.
 */
export async function walkSignIn(opts: {
  authorizeUrl: string; email: string; password: string; ca: string; redirectUri: string; jar?: CookieJar; totpSecret?: string;
}): Promise<ProviderSignIn> {
  const jar = opts.jar ?? new CookieJar();
  let res: HttpsResponse = await httpsRequest(opts.authorizeUrl, opts.ca, {}, jar);
  let url = opts.authorizeUrl;
  let submitted = false;
  let codesTried = 0;
  let busyRetries = 0;
  for (let hops = 0; hops < 20; hops++) {
    // A relay past capacity refuses the password unchecked (503, Retry-After): a person waits and sends
    // it again, as this does a few times (a test relay on a busy machine can be at its lag limit).
    const wait = retryAfterMs(res);
    if (wait !== undefined && submitted && busyRetries < 3 && /name="password"/.test(res.body)) {
      busyRetries++;
      await new Promise((r) => setTimeout(r, wait));
      res = await httpsRequest(url, opts.ca, { form: { email: opts.email, password: opts.password } }, jar);
      continue;
    }
    if (res.location) {
      if (res.location.startsWith(opts.redirectUri)) return codeFrom(new URL(res.location).searchParams, jar, res.body);
      url = res.location;
      res = await httpsRequest(url, opts.ca, {}, jar);
      continue;
    }
    const form = parseForm(res.body, url);
    if (res.status === 200 && form && form.action.startsWith(opts.redirectUri)) {
      return codeFrom(new URLSearchParams(form.fields), jar, res.body); // response_mode=form_post
    }
    if (res.status === 200 && form && /name="password"/.test(res.body)) {
      if (submitted) return { ok: false, error: alertText(res.body) ?? 'sign-in page shown again', page: res.body };
      submitted = true;
      url = form.action;
      res = await httpsRequest(form.action, opts.ca, { form: { email: opts.email, password: opts.password } }, jar);
      continue;
    }
    if (res.status === 200 && form && /name="code"/.test(res.body)) {
      if (!opts.totpSecret) return { ok: false, error: 'the provider asks for a verification code (pass totpSecret)', page: res.body };
      const error = alertText(res.body);
      if (error && !/already been used/.test(error)) return { ok: false, error, page: res.body };
      if (codesTried >= 4) return { ok: false, error: error ?? 'verification code refused', page: res.body };
      url = form.action;
      res = await httpsRequest(form.action, opts.ca, { form: { code: await nextTotpCode(opts.totpSecret, codesTried++) } }, jar);
      continue;
    }
    return { ok: false, error: alertText(res.body) ?? `unexpected answer ${res.status} at ${url}`, page: res.body };
  }
  throw new Error('sign-in did not finish within 20 steps');
}

/**
 * A code accepted by the provider, which takes each code once (and one step early): the current one,
 * then the next step's, and when both are used (a third sign-in of the same user within 30 s) it waits
 * for the next time step, as a person would wait for the app to show a new code.
 */
async function nextTotpCode(secret: string, tried: number): Promise<string> {
  const step = 30_000;
  if (tried % 2 === 1) return totpCode(secret, Date.now() + step);
  if (tried > 0) await new Promise((r) => setTimeout(r, step - (Date.now() % step) + 50));
  return totpCode(secret, Date.now());
}

/** A 503 answer's Retry-After, in ms: how long a refused form asks to be waited for. */
function retryAfterMs(res: HttpsResponse): number | undefined {
  const seconds = Number(res.headers['retry-after']);
  return res.status === 503 && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function codeFrom(params: URLSearchParams, jar: CookieJar, page: string): ProviderSignIn {
  const code = params.get('code');
  if (!code) return { ok: false, error: params.get('error_description') ?? params.get('error') ?? 'no code', page };
  return { ok: true, code, state: params.get('state') ?? '', jar };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The console's authorization request (as MSAL's PublicClientApplication makes it) on one tenant's provider. */
export function consoleAuthorizeUrl(baseUrl: string, tenantId: string, email: string, challenge: string, state = randomBytes(8).toString('hex')): string {
  const params = new URLSearchParams({
    client_id: consoleClientId,
    response_type: 'code',
    response_mode: 'form_post',
    redirect_uri: loopbackRedirect,
    scope: `openid profile offline_access ${relayScope}`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce: randomBytes(8).toString('hex'),
    login_hint: email,
    client_info: '1',
  });
  return `${baseUrl}/${tenantId}/v2.0/auth?${params}`;
}

export interface ConsoleTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string | undefined;
  clientInfo: string | undefined;
  tenantId: string;
  /** What passed on the way, as secret as the tokens: the authorization code and the PKCE verifier. */
  authorizationCode: string;
  codeVerifier: string;
}

/** Signs in as the console would and answers the token response (throws with the page's message on failure). */
export async function signInForTokens(
  baseUrl: string, email: string, password: string, caPem: string, tenantId?: string, opts: SignInOptions = {},
): Promise<ConsoleTokens> {
  const tid = tenantId ?? (await tenantOf(baseUrl, email, caPem));
  const { verifier, challenge } = pkcePair();
  const walked = await walkSignIn({
    authorizeUrl: consoleAuthorizeUrl(baseUrl, tid, email, challenge), email, password, ca: caPem, redirectUri: loopbackRedirect, ...opts,
  });
  if (!walked.ok) throw new Error(`sign-in failed: ${walked.error}`);
  const res = await httpsRequest(`${baseUrl}/${tid}/v2.0/token`, caPem, {
    form: { grant_type: 'authorization_code', code: walked.code, redirect_uri: loopbackRedirect, client_id: consoleClientId, code_verifier: verifier },
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${res.body}`);
  const body = JSON.parse(res.body) as { access_token: string; id_token: string; refresh_token?: string; client_info?: string };
  return {
    accessToken: body.access_token, idToken: body.id_token, refreshToken: body.refresh_token, clientInfo: body.client_info, tenantId: tid,
    authorizationCode: walked.code, codeVerifier: verifier,
  };
}

/** A relay access token for `email`, through a real sign-in as the console client (auth code + PKCE). */
export async function signInForToken(baseUrl: string, email: string, password: string, caPem: string, opts: SignInOptions = {}): Promise<string> {
  return (await signInForTokens(baseUrl, email, password, caPem, undefined, opts)).accessToken;
}

/** The web pages' sign-in (/auth/signin → provider → /auth/callback): answers the `rh_session=…` cookie string. */
export async function webSignIn(
  baseUrl: string, email: string, password: string, caPem: string, returnTo = '/rhh', opts: SignInOptions = {},
): Promise<string> {
  return (await webSignInSeen(baseUrl, email, password, caPem, returnTo, opts)).cookie;
}

/** webSignIn, with what passed on the way (as secret as the cookie): the authorization code, the OIDC
 * state, and every cookie the relay and its identity provider set. */
export async function webSignInSeen(
  baseUrl: string, email: string, password: string, caPem: string, returnTo = '/rhh', opts: SignInOptions = {},
): Promise<{ cookie: string; authorizationCode: string; state: string; cookies: [string, string][] }> {
  const jar = new CookieJar();
  const start = await httpsRequest(`${baseUrl}/auth/signin?returnTo=${encodeURIComponent(returnTo)}`, caPem, {}, jar);
  const emailForm = parseForm(start.body, `${baseUrl}/auth/signin`);
  if (!emailForm) throw new Error(`no email form at /auth/signin (${start.status})`);
  let next = await httpsRequest(emailForm.action, caPem, { form: { ...emailForm.fields, email } }, jar);
  for (let busyRetries = 0, wait = retryAfterMs(next); wait !== undefined && busyRetries < 3; busyRetries++, wait = retryAfterMs(next)) {
    await new Promise((r) => setTimeout(r, wait));
    next = await httpsRequest(emailForm.action, caPem, { form: { ...emailForm.fields, email } }, jar);
  }
  if (!next.location) throw new Error(`email step refused: ${alertText(next.body) ?? next.status}`);
  const callback = `${baseUrl}/auth/callback`;
  const walked = await walkSignIn({ authorizeUrl: next.location, email, password, ca: caPem, redirectUri: callback, jar, ...opts });
  if (!walked.ok) throw new Error(`sign-in failed: ${walked.error}`);
  const cookies = jar.entries();
  const done = await httpsRequest(callback, caPem, { form: { code: walked.code, state: walked.state } }, jar);
  const session = jar.get('rh_session');
  if (done.status !== 303 || !session) throw new Error(`callback answered ${done.status}: ${alertText(done.body) ?? done.body.slice(0, 200)}`);
  return { cookie: `rh_session=${session}`, authorizationCode: walked.code, state: walked.state, cookies: [...cookies, ...jar.entries()] };
}
