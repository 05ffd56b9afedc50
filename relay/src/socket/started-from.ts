// Which app a socket's person is using, for "Started from" on the sharer's trust screen (issue 13):
// decided from what signed the socket in, never from anything the client says. A web session's cookie
// is the web helper (/rhh: the relay's own pages); a Bearer token is the console only when it was
// issued to the tenant's console client; any other token is another app of the organization.
import { decodeJwt } from 'jose';
import type { SessionOrigin } from '#protocol';

export type StartedFromApp = SessionOrigin['app'];

/** The client a verified access token was issued to: `azp` (OpenID, Entra v2), `client_id` (RFC 9068,
 * oidc-provider's JWT access tokens) or `appid` (Entra v1). Read only after the token was verified. */
export function tokenClientId(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    const named = claims['azp'] ?? claims['client_id'] ?? claims['appid'];
    return typeof named === 'string' && named !== '' ? named : undefined;
  } catch {
    return undefined;
  }
}

/** The app of a socket signed in by a verified token of `tenantId`. */
export function appOfToken(token: string, consoleClientId: string | undefined): StartedFromApp {
  const client = tokenClientId(token);
  return consoleClientId !== undefined && client === consoleClientId ? 'console' : 'other-app';
}
