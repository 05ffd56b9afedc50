// GET /api/devices?since=… — the relay's directory delta for the signed-in user's tenant.
import { isErrorCode, type ErrorCode } from '#protocol';
import type { HttpsClient } from './net/https-client.js';
import { devicePage, type FetchPage } from './inventory/inventory.js';

/** Thrown (and turned into an Ack by the caller) when the relay answers with a status; `code` is the
 * relay's own error code when its answer names one (e.g. permission-missing for someone who may not help). */
export class DirectoryError extends Error {
  constructor(readonly status: number, message: string, readonly code?: ErrorCode) {
    super(message);
  }
}

function relayCode(body: string): ErrorCode | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return isErrorCode(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

export function directoryFetcher(http: HttpsClient, relayUrl: string, token: string): FetchPage {
  return async (since) => {
    const url = `${relayUrl}/api/devices${since ? `?since=${encodeURIComponent(since)}` : ''}`;
    const res = await http.send(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (res.status !== 200) throw new DirectoryError(res.status, `directory answered ${res.status}`, relayCode(res.body));
    return devicePage.parse(JSON.parse(res.body));
  };
}
