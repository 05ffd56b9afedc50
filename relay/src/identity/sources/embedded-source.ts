// A tenant that signs in at the relay's own provider (the demo, an organization's `embedded` tenant):
// the provider is mounted at /{tenantId}/v2.0 and shaped like Entra's, so MSAL talks to it in AAD mode.
import { consoleClientId, relayScope, webClientId, type Ack } from '#protocol';
import type { AuthUser } from '../../ports.js';
import { issuerFor } from '../tenant-provider.js';
import type { TenantSource } from './types.js';

export function embeddedSource(publicUrl: string, tenantId: string, webClientSecret: string, verify: (token: string) => Promise<Ack<AuthUser>>): TenantSource {
  const authority = `${publicUrl}/${tenantId}`;
  const knownAuthorities = [new URL(publicUrl).host];
  return {
    tenantId,
    type: 'embedded',
    issuer: issuerFor(publicUrl, tenantId),
    web: { authority, clientId: webClientId, clientSecret: webClientSecret, protocolMode: 'AAD', scopes: [relayScope], knownAuthorities },
    console: { authority, clientId: consoleClientId, protocolMode: 'AAD', scopes: [relayScope], knownAuthorities },
    verify,
  };
}
