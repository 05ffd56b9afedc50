// One tenant's way of signing people in (DESIGN §11 `identity`): the relay's embedded provider, Entra
// ID, or any OpenID provider. The web sign-in, the console's realm discovery and the token check all
// read it from here, so a tenant's source is configured in one place.
import type { Ack } from '#protocol';
import type { AuthUser } from '../../ports.js';

export type SourceType = 'embedded' | 'entra' | 'oidc';

/** What an MSAL client needs to reach the tenant's provider. */
export interface MsalSetup {
  authority: string;
  clientId: string;
  protocolMode: 'AAD' | 'OIDC';
  scopes: string[];
  knownAuthorities: string[];
}

export interface TenantSource {
  tenantId: string;
  type: SourceType;
  /** The `iss` of the access tokens the relay accepts for this tenant. */
  issuer: string;
  /** The web pages' confidential client. */
  web: MsalSetup & { clientSecret: string };
  /** The console's public client, and where the ID token names the person (an OpenID provider's claims). */
  console: MsalSetup & { claims?: { name?: string; jobTitle?: string; company?: string; picture?: string } };
  /** Checks a token whose `iss` is this source's issuer: signature, audience, expiry, the tenant's own
   * claims; then who it is in the directory (made on a first sign-in) and whether they may act. */
  verify(token: string): Promise<Ack<AuthUser>>;
}
