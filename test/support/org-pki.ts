// An organization's own certificate for relays started from a configuration file (which must name one,
// or sit behind a proxy): a CA and a server certificate for localhost that have nothing to do with the
// relay's own local CA. Made with the same code, in a folder of the test's.
import { join } from 'node:path';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';

export interface OrgPki {
  cert: string;
  key: string;
  /** The CA's PEM file: what a client of that relay trusts. */
  ca: string;
}

export async function organizationPki(dir: string, hosts: string[] = ['localhost']): Promise<OrgPki> {
  await ensureLocalCertificate(dir, hosts);
  return { cert: join(dir, 'tls', 'server.pem'), key: join(dir, 'tls', 'server.key'), ca: join(dir, 'tls', 'ca.pem') };
}

/** The `tls:` line of a configuration file for that certificate. */
export const tlsLine = (pki: OrgPki): string => `tls: { certFile: ${pki.cert}, keyFile: ${pki.key}, caFile: ${pki.ca} }`;
