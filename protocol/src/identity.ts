// Identity constants both the relay (embedded provider, token checks) and the console (MSAL) use.
import { z } from 'zod';
import { organizationLook, type OrganizationLook } from './policy.js';

/** The console's public client (auth code + PKCE, loopback redirect). */
export const consoleClientId = 'remote-help-console';
/** The relay's confidential client for the web pages /rh and /rhh. */
export const webClientId = 'remote-help-web';
/** Audience of access tokens for the relay (Socket.IO handshake and API calls). */
export const relayAudience = 'api://remote-help';
/** The scope a client asks for to get a relay access token. */
export const relayScope = `${relayAudience}/session`;

/** GET /auth/realm?email=… — home-realm discovery: which tenant (and authority) a user signs in with. */
export const realmInfo = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  /** Give this to MSAL as `authority`: https://HOST/{tenantId} for the embedded provider and Entra
   * (issuer `${authority}/v2.0`), the issuer itself for any other OpenID provider. */
  authority: z.string(),
  /** The console's public client at that provider (PKCE, loopback redirect). */
  clientId: z.string(),
  /** MSAL's protocol mode: AAD for the embedded provider and Entra, OIDC for any other provider. */
  protocolMode: z.enum(['AAD', 'OIDC']),
  /** What the console asks for to get an access token the relay accepts. */
  scopes: z.array(z.string()),
  /** Hosts MSAL may trust without Microsoft's instance discovery. */
  knownAuthorities: z.array(z.string()),
  /** Where the provider's ID token carries the person's name, job title, company and picture, when not
   * in the usual claims (an OpenID provider's own names); for the console's own header only. */
  claims: z.object({ name: z.string(), jobTitle: z.string(), company: z.string(), picture: z.string() }).partial().optional(),
  /** The organization's name, logo and accent colour for the console's header and sign-in screen. */
  look: organizationLook.optional(),
});
export type RealmInfo = z.infer<typeof realmInfo>;

/** GET /auth/me — the web pages' view of their server-side session. */
export interface WebSessionInfo {
  signedIn: boolean;
  upn?: string;
  name?: string;
  tenantId?: string;
  /** The organization's name, shown on the pages once known. */
  tenantName?: string;
  /** The organization's name, logo and accent colour (tenant settings), once signed in. */
  look?: OrganizationLook;
}
