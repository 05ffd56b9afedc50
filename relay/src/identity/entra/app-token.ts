// The relay's own token for Microsoft Graph: client credentials (the web app registration's id and
// secret) through msal-node, which keeps the token in memory and renews it before it expires, so this
// is called before every Graph request and costs a round trip only when MSAL has none left.
import { AuthError, ConfidentialClientApplication } from '@azure/msal-node';
import { fail, ok, type Ack } from '#protocol';
import type { Log } from '../../ports.js';
import { httpsNetworkClient } from '../network-client.js';

export interface AppTokenOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** e.g. https://graph.microsoft.com: the token is asked for `${graphUrl}/.default`. */
  graphUrl: string;
  /** Extra PEMs trusted beside the system's. */
  ca: readonly string[];
  log: Log;
}

export type AppToken = (signal?: AbortSignal) => Promise<Ack<string>>;

/** Answers from the token endpoint that no retry will change: the registration or its secret is wrong. */
const misconfigured = new Set(['invalid_client', 'unauthorized_client', 'invalid_resource', 'invalid_scope', 'invalid_request']);

export function createAppToken(opts: AppTokenOptions): AppToken {
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      authority: `${opts.authorityHost}/${opts.tenantId}`,
      // The host is trusted as given: no instance discovery at login.microsoftonline.com, which would
      // refuse an authority it does not know (a sovereign cloud is fine: it is named by authorityHost).
      knownAuthorities: [new URL(opts.authorityHost).host],
    },
    system: { networkClient: httpsNetworkClient(opts.ca) },
  });
  const scopes = [`${opts.graphUrl}/.default`];

  return async (signal) => {
    if (signal?.aborted) return unavailable();
    const acquired = client.acquireTokenByClientCredential({ scopes }).then(
      (result) => (result?.accessToken ? ok(result.accessToken) : fail<string>('identity-provider-unavailable', 'Entra ID answered no token.')),
      (err: unknown) => {
        const code = err instanceof AuthError ? err.errorCode : undefined;
        const fields = { tenantId: opts.tenantId, errorCode: code, error: err instanceof Error ? err.message.slice(0, 300) : String(err) };
        // A wrong secret or registration needs the operator; a network failure passes by itself.
        if (code && misconfigured.has(code)) opts.log.error('entra: the relay cannot get a Graph token (check the app registration and its secret)', fields);
        else opts.log.warn('entra: Graph token request failed', fields);
        return unavailable();
      },
    );
    if (!signal) return acquired;
    // MSAL takes no signal: the caller stops waiting, the request finishes (and fills MSAL's cache) on its own.
    return new Promise((resolve) => {
      const onAbort = () => resolve(unavailable());
      signal.addEventListener('abort', onAbort, { once: true });
      void acquired.then((answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      });
    });
  };
}

function unavailable(): Ack<never> {
  return fail('identity-provider-unavailable', 'Microsoft Entra ID did not answer.');
}
