// Console sign-in: MSAL PublicClientApplication per tenant, auth code + PKCE with msal-node's own
// loopback server; the shell decides how the sign-in page is opened. Main holds the tokens; the
// renderer only ever sees the Account.
import { ProtocolMode, PublicClientApplication, type AccountInfo, type AuthenticationResult } from '@azure/msal-node';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  fail, ok, realmInfo, type Account, type Ack, type RealmInfo,
} from '#protocol';
import type { HttpsClient } from '../net/https-client.js';
import { fileCachePlugin } from './cache-plugin.js';
import { msalNetworkClient } from './network-client.js';
import type { TokenProtector } from './token-protector.js';

/** Opens the sign-in page; resolves true when the shell opened it itself (Electron), false when the
 * page must open it (console host). */
export type OpenBrowser = (url: string) => Promise<boolean>;

export interface AuthService {
  beginSignIn(email: string): Promise<Ack<{ authUrl: string; opened: boolean }>>;
  completeSignIn(): Promise<Ack<Account>>;
  /** Gives up the sign-in under way, if any (its completeSignIn answers sign-in-cancelled); true when there was one. */
  cancelSignIn(): Promise<boolean>;
  account(): Account | null;
  /** A relay access token, refreshed silently; null when not signed in (or the refresh failed). */
  accessToken(): Promise<string | null>;
  signOut(): Promise<void>;
  /** Picks up the account of the last run from the protected cache. */
  restore(): Promise<void>;
}

export interface AuthDeps {
  relayUrl: string;
  dataDir: string;
  http: HttpsClient;
  protector: TokenProtector;
  openBrowser: OpenBrowser;
  /** How long the page may take to come back from the sign-in page. */
  signInTimeoutMs?: number;
}

const signedInState = z.object({ realm: realmInfo, homeAccountId: z.string() });
type SignedInState = z.infer<typeof signedInState>;

function claimString(claims: Record<string, unknown>, key: string): string | undefined {
  const v = claims[key];
  return typeof v === 'string' ? v : undefined;
}

/** One sign-in under way: its outcome, and how to give it up. */
interface Attempt {
  outcome: Promise<Ack<Account>>;
  /** True when this call gave it up (false when it was given up or over already). */
  cancel(): Promise<boolean>;
}

/** The provider's "the user cancelled" (its Cancel button answers the app with access_denied). */
function isAccessDenied(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { errorCode?: unknown }).errorCode === 'access_denied';
}

/**
 * Answers MSAL's loopback server as a provider does when the user cancels (form_post, access_denied,
 * the request's own state), so it stops listening instead of waiting for a window nobody will finish.
 * After the real answer has arrived the server ignores this one. MSAL listens on 127.0.0.1 only.
 */
async function answerLoopback(authUrl: string): Promise<void> {
  try {
    const params = new URL(authUrl).searchParams;
    const redirect = new URL(params.get('redirect_uri') ?? '');
    const state = params.get('state');
    if (redirect.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(redirect.hostname) || !state) return;
    redirect.hostname = '127.0.0.1';
    await fetch(redirect, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ error: 'access_denied', error_description: 'The sign-in was cancelled in the console.', state }).toString(),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    // Closed already (the answer came first): nothing is waiting any more.
  }
}

export function accountFrom(info: AccountInfo, realm: RealmInfo): Account {
  const claims = (info.idTokenClaims ?? {}) as Record<string, unknown>;
  const upn = claimString(claims, 'preferred_username') ?? info.username;
  const rolesClaim = claims['roles'];
  const roles = Array.isArray(rolesClaim) ? rolesClaim.filter((r): r is string => typeof r === 'string') : [];
  // An OpenID provider names these its own way; the relay says how in the realm.
  const named = realm.claims ?? {};
  const name = claimString(claims, named.name ?? 'name') ?? info.name ?? upn;
  const jobTitle = claimString(claims, named.jobTitle ?? 'jobTitle');
  const domain = upn.split('@')[1] ?? '';
  return {
    upn, name, tenantId: realm.tenantId, tenantName: realm.tenantName, roles,
    // The organization's name, logo and accent (its branding) for the console's header.
    ...(realm.look ? { look: realm.look } : {}),
    // The console shows the helper's own profile in its header only; the trusted copy for the other
    // side comes from the relay's directory, so the ID token's claims are enough here.
    profile: jobTitle === undefined ? null : {
      userId: claimString(claims, 'oid') ?? info.localAccountId, tenantId: realm.tenantId, tenantName: realm.tenantName,
      name, jobTitle, company: claimString(claims, named.company ?? 'companyName') ?? '', upn, domain, domainVerified: false,
      photoUrl: claimString(claims, named.picture ?? 'picture') ?? '',
    },
  };
}

export function createAuthService(deps: AuthDeps): AuthService {
  const statePath = join(deps.dataDir, 'signed-in.json');
  const timeoutMs = deps.signInTimeoutMs ?? 5 * 60_000;
  let current: { realm: RealmInfo; pca: PublicClientApplication; account: AccountInfo } | null = null;
  let attempt: Attempt | null = null;

  function clientFor(realm: RealmInfo): PublicClientApplication {
    return new PublicClientApplication({
      // The tenant's provider, as the relay names it: its own (AAD mode, like Entra), Entra, or another OpenID provider.
      auth: { clientId: realm.clientId, authority: realm.authority, knownAuthorities: realm.knownAuthorities },
      cache: { cachePlugin: fileCachePlugin(join(deps.dataDir, `token-cache-${realm.tenantId}.bin`), deps.protector) },
      system: { networkClient: msalNetworkClient(deps.http), protocolMode: realm.protocolMode === 'OIDC' ? ProtocolMode.OIDC : ProtocolMode.AAD },
    });
  }

  async function discoverRealm(email: string): Promise<Ack<RealmInfo>> {
    let res;
    try {
      res = await deps.http.send(`${deps.relayUrl}/auth/realm?email=${encodeURIComponent(email)}`);
    } catch (e) {
      return fail('relay-unreachable', `realm discovery: ${(e as Error).message}`);
    }
    if (res.status === 404) return fail('not-found', 'No organization signs in with this email address.');
    if (res.status !== 200) return fail('sign-in-failed', `realm discovery answered ${res.status}`);
    const parsed = realmInfo.safeParse(JSON.parse(res.body));
    return parsed.success ? ok(parsed.data) : fail('sign-in-failed', 'realm discovery answered an unexpected shape');
  }

  /** The organization may have changed its branding since this sign-in was saved: its look (only that)
   * is read again from the realm lookup, in the background; without an answer the saved one stays. */
  async function refreshLook(account: AccountInfo): Promise<void> {
    try {
      const fresh = await discoverRealm(account.username);
      const now = current;
      if (!fresh.ok || !now || now.account !== account || fresh.value.tenantId !== now.realm.tenantId) return;
      const { look: _saved, ...realm } = now.realm;
      current = { ...now, realm: fresh.value.look ? { ...realm, look: fresh.value.look } : realm };
    } catch {
      // An unreadable answer: the look saved at sign-in stays.
    }
  }

  async function saveState(state: SignedInState | null): Promise<void> {
    await mkdir(deps.dataDir, { recursive: true, mode: 0o700 });
    if (state) await writeFile(statePath, JSON.stringify(state), { mode: 0o600 });
    else await rm(statePath, { force: true });
  }

  function settle(realm: RealmInfo, pca: PublicClientApplication, result: AuthenticationResult | null): Ack<Account> {
    if (!result?.account) return fail('sign-in-failed', 'the provider returned no account');
    current = { realm, pca, account: result.account };
    return ok(accountFrom(result.account, realm));
  }

  return {
    async beginSignIn(email) {
      // A new sign-in supersedes one still waiting for its window (closed, or lost behind others).
      await attempt?.cancel();
      const realm = await discoverRealm(email);
      if (!realm.ok) return realm;
      await mkdir(deps.dataDir, { recursive: true, mode: 0o700 });
      const pca = clientFor(realm.value);
      let opened: (v: { authUrl: string; opened: boolean }) => void = () => {};
      const urlReady = new Promise<{ authUrl: string; opened: boolean }>((r) => { opened = r; });
      let authUrl: string | undefined;
      let given: ((ack: Ack<Account>) => void) | undefined;
      const givenUp = new Promise<Ack<Account>>((r) => { given = r; });
      let gaveUp = false;
      let settled = false;
      const interactive = pca.acquireTokenInteractive({
        scopes: realm.value.scopes,
        loginHint: email,
        openBrowser: async (url) => {
          authUrl = url;
          // Given up before the page was ready: open nothing, and let MSAL's listener go.
          if (gaveUp) return void answerLoopback(url);
          opened({ authUrl: url, opened: await deps.openBrowser(url) });
        },
        // The console host opened this window from its page, so the window may close itself.
        successTemplate: '<!doctype html><title>Remote Help</title><p>Signed in. You can close this window and return to the Remote Help console.</p><script>window.close()</script>',
        errorTemplate: '<!doctype html><title>Remote Help</title><p>Sign-in did not complete. Return to the Remote Help console.</p>',
      });
      const giveUp = (message: string): boolean => {
        if (gaveUp || settled) return false;
        gaveUp = true;
        given?.(fail('sign-in-cancelled', message));
        // MSAL's loopback server waits for the provider's answer; give it one, so it closes.
        if (authUrl) void answerLoopback(authUrl);
        return true;
      };
      const timer = setTimeout(() => giveUp('the sign-in window did not come back in time'), timeoutMs);
      timer.unref();
      const finished = interactive.then(
        async (result) => {
          if (gaveUp) {
            // Given up while the code was on its way: this sign-in is not wanted any more.
            if (result.account) await pca.getTokenCache().removeAccount(result.account).catch(() => undefined);
            return fail<Account>('sign-in-cancelled', 'the sign-in was given up');
          }
          const ack = settle(realm.value, pca, result);
          if (ack.ok) await saveState({ realm: realm.value, homeAccountId: result.account!.homeAccountId });
          return ack;
        },
        (e: unknown) => (gaveUp || isAccessDenied(e)
          ? fail<Account>('sign-in-cancelled', 'the sign-in was cancelled')
          : fail<Account>('sign-in-failed', (e as Error).message ?? String(e))),
      );
      const outcome = Promise.race([finished, givenUp]).finally(() => {
        settled = true;
        clearTimeout(timer);
      });
      attempt = { outcome, cancel: async () => giveUp('the sign-in was cancelled in the console') };
      // Either the URL is ready, or MSAL failed before it got that far (e.g. provider unreachable).
      const first = await Promise.race([urlReady.then((u) => ({ url: u })), outcome.then((a) => ({ early: a }))]);
      if ('early' in first) {
        if (attempt?.outcome === outcome) attempt = null;
        return first.early.ok ? fail('sign-in-failed', 'sign-in finished before it started') : first.early;
      }
      return ok(first.url);
    },
    async completeSignIn() {
      const mine = attempt;
      if (!mine) return current ? ok(accountFrom(current.account, current.realm)) : fail('wrong-state', 'no sign-in in progress');
      const result = await mine.outcome;
      if (attempt === mine) attempt = null;
      return result;
    },
    async cancelSignIn() {
      return (await attempt?.cancel()) ?? false;
    },
    account() {
      return current ? accountFrom(current.account, current.realm) : null;
    },
    async accessToken() {
      if (!current) return null;
      try {
        const result = await current.pca.acquireTokenSilent({ account: current.account, scopes: current.realm.scopes });
        return result.accessToken || null;
      } catch {
        return null;
      }
    },
    async signOut() {
      const was = current;
      current = null;
      await attempt?.cancel();
      if (was) {
        try {
          await was.pca.signOut({ account: was.account });
        } catch {
          // The cache file is removed below either way.
        }
        await rm(join(deps.dataDir, `token-cache-${was.realm.tenantId}.bin`), { force: true });
      }
      await saveState(null);
    },
    async restore() {
      let state: SignedInState;
      try {
        state = signedInState.parse(JSON.parse(await readFile(statePath, 'utf8')));
      } catch {
        return;
      }
      const pca = clientFor(state.realm);
      const account = (await pca.getAllAccounts()).find((a) => a.homeAccountId === state.homeAccountId);
      if (account) {
        current = { realm: state.realm, pca, account };
        void refreshLook(account);
      }
    },
  };
}
