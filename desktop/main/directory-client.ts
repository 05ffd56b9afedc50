// GET /api/devices?since=… — the relay's directory delta for the signed-in user's tenant.
import type { HttpsClient } from './net/https-client.js';
import { devicePage, type FetchPage } from './inventory/inventory.js';

/** Thrown (and turned into an Ack by the caller) when the relay answers with a status. */
export class DirectoryError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function directoryFetcher(http: HttpsClient, relayUrl: string, token: string): FetchPage {
  return async (since) => {
    const url = `${relayUrl}/api/devices${since ? `?since=${encodeURIComponent(since)}` : ''}`;
    const res = await http.send(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (res.status !== 200) throw new DirectoryError(res.status, `directory answered ${res.status}`);
    return devicePage.parse(JSON.parse(res.body));
  };
}
