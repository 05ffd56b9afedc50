// A fetch for the relay's outgoing calls (identity providers' discovery and keys, userinfo, Graph)
// that trusts the system's CAs plus the ones it is given: the global fetch learns extra CAs only from
// NODE_EXTRA_CA_CERTS at process start, and in-process tests start providers with their own local CA.
// It answers a WHATWG Response, so jose's customFetch and any fetch-shaped caller can use it.
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

export type HttpsFetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal | null }) => Promise<Response>;

/** Bodies past this are refused: a provider's document is a few kilobytes, a Graph photo at most 4 MB. */
const maxBodyBytes = 5 * 1024 * 1024;

/** The `ca` option for node:https that trusts the extra PEMs beside the system's roots; undefined (Node's
 * default trust) when there are none. A bare `ca` would replace the roots, hence the concatenation. */
export function trustedCas(extraCa: string | readonly string[] | undefined): string[] | undefined {
  const extra = (typeof extraCa === 'string' ? [extraCa] : [...(extraCa ?? [])]).filter((pem) => pem.length > 0);
  return extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
}

export function createHttpsFetch(extraCa: readonly string[] = []): HttpsFetch {
  const ca = trustedCas(extraCa);
  return (url, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') return reject(new Error(`only https is fetched, not ${target.protocol}`));
      const { signal } = init;
      if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const body = init.body;
      const req = request(target, {
        method: init.method ?? 'GET',
        headers: { ...init.headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
        ...(ca ? { ca } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBodyBytes) req.destroy(new Error(`the answer of ${target.host} is larger than ${maxBodyBytes} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 502;
          // Response refuses a body with these statuses.
          const empty = status === 204 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
        });
        res.on('error', reject);
      });
      const onAbort = (): void => void req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', onAbort));
      req.on('error', reject);
      req.end(body);
    });
}
