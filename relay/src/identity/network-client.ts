// MSAL's default HTTP client is the global fetch, which only learns extra CAs from NODE_EXTRA_CA_CERTS at
// process start. This client takes the CAs explicitly (the relay's local CA, an organization's, a test
// provider's), added to the system's, never instead of them (DESIGN §11); it is the relay's one HTTPS
// fetch, shaped as MSAL's network module.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { createHttpsFetch } from '../net/https-fetch.js';

export function httpsNetworkClient(extraCa: string | readonly string[] | undefined): INetworkModule {
  const fetch = createHttpsFetch(typeof extraCa === 'string' ? [extraCa] : (extraCa ?? []));
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const res = await fetch(url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      ...(timeout ? { signal: AbortSignal.timeout(timeout) } : {}),
    });
    return { headers: Object.fromEntries(res.headers.entries()), status: res.status, body: (await res.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
