// MSAL's default HTTP client is the global fetch, which only learns extra CAs from NODE_EXTRA_CA_CERTS at
// process start. This client takes the local CA explicitly, so the relay can be its own client over HTTPS.
// The CA is added to the system's, never instead of them: behind a proxy with a public certificate, or with
// an organization's CA, the relay still trusts what the system trusts (DESIGN §11).
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** The `ca` option for node:https that trusts the extra PEMs beside the system's roots; undefined (Node's
 * default trust) when there are none. A bare `ca` would replace the roots, hence the concatenation. */
export function trustedCas(extraCa: string | readonly string[] | undefined): string[] | undefined {
  const extra = (typeof extraCa === 'string' ? [extraCa] : [...(extraCa ?? [])]).filter((pem) => pem.length > 0);
  return extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
}

export function httpsNetworkClient(extraCa: string | readonly string[] | undefined): INetworkModule {
  const ca = trustedCas(extraCa);
  const send = <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = method === 'POST' ? (options?.body ?? '') : undefined;
      const req = request(
        url,
        {
          method,
          headers: { ...options?.headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
          ...(ca ? { ca } : {}),
          ...(timeout ? { timeout } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            try {
              resolve({ headers, status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('Request timeout')));
      req.on('error', reject);
      req.end(body);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
