// A SCIM client for tests and the import benchmark, as a provisioning service is one: HTTPS to the
// relay's /scim/v2 with a bearer token, JSON bodies as application/scim+json, connections kept alive.
import { Agent, request } from 'node:https';
import type { DirectoryStore } from '#relay/directory/index.js';
import { startTestRelay, type TestRelay } from './relay.js';

export interface ScimResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when empty). Untyped on purpose: tests read any answer and assert on it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export interface ScimClient {
  send(method: string, path: string, opts?: { body?: unknown; raw?: string; contentType?: string; token?: string | null }): Promise<ScimResponse>;
  get(path: string): Promise<ScimResponse>;
  post(path: string, body: unknown): Promise<ScimResponse>;
  put(path: string, body: unknown): Promise<ScimResponse>;
  patch(path: string, body: unknown): Promise<ScimResponse>;
  delete(path: string): Promise<ScimResponse>;
  close(): void;
}

/** `baseUrl` is the relay's origin; paths are under /scim/v2 (e.g. "/Users?filter=…"). */
export function scimClient(baseUrl: string, ca: string, token: string): ScimClient {
  const agent = new Agent({ keepAlive: true, ca, maxSockets: 16 });
  const send: ScimClient['send'] = (method, path, opts = {}) => new Promise((resolve, reject) => {
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const bearer = opts.token === undefined ? token : opts.token;
    const req = request(new URL(`/scim/v2${path}`, baseUrl), {
      method,
      agent,
      headers: {
        accept: 'application/scim+json',
        ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { 'content-type': opts.contentType ?? 'application/scim+json', 'content-length': String(Buffer.byteLength(body)) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  return {
    send,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, { body }),
    put: (path, body) => send('PUT', path, { body }),
    patch: (path, body) => send('PATCH', path, { body }),
    delete: (path) => send('DELETE', path),
    close: () => agent.destroy(),
  };
}

/** `filter=attr eq "value"` as a query string, encoded as Entra's provisioning service sends it. */
export const eqFilter = (attribute: string, value: string): string =>
  `?filter=${encodeURIComponent(`${attribute} eq "${value}"`).replace(/%20/g, '+')}`;

/** A test relay whose tenant takes SCIM with `token`, and a client holding that token. */
/** A relay whose SCIM endpoint answers `token` for the tenant; on `directory` if given (the caller closes it). */
export async function startScimRelay(tenantId: string, token: string, directory?: DirectoryStore): Promise<{ relay: TestRelay; scim: ScimClient }> {
  const relay = await startTestRelay({}, { scimTokens: { [tenantId]: token }, ...(directory ? { directory } : {}) });
  return { relay, scim: scimClient(relay.url, relay.caPem, token) };
}

export async function stopScimRelay(relay: TestRelay | undefined, scim: ScimClient | undefined): Promise<void> {
  scim?.close();
  await relay?.stop();
}
