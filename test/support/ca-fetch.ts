// A fetch for jose's createRemoteJWKSet (its customFetch option) that trusts a local CA: Node's global
// fetch learns extra CAs only from NODE_EXTRA_CA_CERTS at process start, and tests start their CAs later.
import { request } from 'node:https';
import type { FetchImplementation } from 'jose';

export function fetchTrusting(caPem: string): FetchImplementation {
  return (url, options) =>
    new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      options.headers.forEach((value, key) => (headers[key] = value));
      const req = request(url, { method: options.method, headers, ca: caPem, signal: options.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: out }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}
