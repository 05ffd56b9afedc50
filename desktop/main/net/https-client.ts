// One HTTPS client for everything desktop main asks the relay over HTTP (realm discovery, MSAL,
// the directory API). It trusts the system roots plus the relay's local CA when one is given:
// a per-request `ca` works at any time, unlike NODE_EXTRA_CA_CERTS which only counts at process start.
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpsClient {
  /** The CA list to hand to other TLS clients (socket.io-client). Undefined = system roots. */
  readonly ca: string[] | undefined;
  send(url: string, init?: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs?: number; signal?: AbortSignal }): Promise<HttpResponse>;
}

export function createHttpsClient(extraCaPem: string | undefined): HttpsClient {
  const ca = extraCaPem ? [...rootCertificates, extraCaPem] : undefined;
  return {
    ca,
    send(url, init = {}) {
      return new Promise((resolvePromise, reject) => {
        const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ...(ca ? { ca } : {}), ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            resolvePromise({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
          });
        });
        req.setTimeout(init.timeoutMs ?? 15_000, () => req.destroy(new Error(`request timed out: ${url}`)));
        req.on('error', reject);
        if (init.body !== undefined) req.write(init.body);
        req.end();
      });
    },
  };
}
