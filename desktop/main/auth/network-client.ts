// MSAL's network module over our HTTPS client, so MSAL trusts the relay's local CA like everything else.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpsClient } from '../net/https-client.js';

export function msalNetworkClient(http: HttpsClient): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const res = await http.send(url, { method, headers: options?.headers ?? {}, ...(method === 'POST' ? { body: options?.body ?? '' } : {}), ...(timeout ? { timeoutMs: timeout } : {}) });
    let body: T;
    try {
      body = JSON.parse(res.body) as T;
    } catch {
      throw new Error(`MSAL: non-JSON answer (${res.status}) from ${url}`);
    }
    return { status: res.status, headers: res.headers, body };
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
