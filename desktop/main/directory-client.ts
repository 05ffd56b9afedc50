// The relay's directory API for the signed-in user: GET /api/devices?since=… (the inventory's delta,
// a page at a time) and GET /api/devices/{id}/sessions (a device's recent sessions).
import { z } from 'zod';
import { isErrorCode, type DeviceSession, type ErrorCode } from '#protocol';
import type { HttpsClient } from './net/https-client.js';
import type { PageSource } from './inventory/inventory.js';

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

/** Pages of the delta, as the relay's JSON text: the inventory parses it (and measures that). */
export function directoryPageSource(http: HttpsClient, relayUrl: string, token: string): PageSource {
  return async (since, { count, limit, signal }) => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (since !== undefined) params.set('since', since);
    if (count) params.set('count', '1');
    const res = await http.send(`${relayUrl}/api/devices?${params}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal,
      // A page of thousands of devices is a few MB: give a slow link time, but not forever.
      timeoutMs: 60_000,
    });
    if (res.status !== 200) throw new DirectoryError(res.status, `directory answered ${res.status}`, relayCode(res.body));
    return res.body;
  };
}

const deviceSession = z.object({
  sessionId: z.string(),
  helperName: z.string(),
  helperUpn: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: z.string(),
}) satisfies z.ZodType<DeviceSession>;
const sessionsAnswer = z.object({ sessions: z.array(deviceSession) });

export async function fetchDeviceSessions(http: HttpsClient, relayUrl: string, token: string, id: string): Promise<DeviceSession[]> {
  const res = await http.send(`${relayUrl}/api/devices/${encodeURIComponent(id)}/sessions`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (res.status !== 200) throw new DirectoryError(res.status, `device sessions answered ${res.status}`, relayCode(res.body));
  let raw: unknown;
  try {
    raw = JSON.parse(res.body);
  } catch {
    throw new DirectoryError(res.status, 'device sessions answered something that is not JSON', 'internal');
  }
  const parsed = sessionsAnswer.safeParse(raw);
  if (!parsed.success) throw new DirectoryError(res.status, 'device sessions answered an unexpected shape', 'internal');
  return parsed.data.sessions;
}

/** An expected failure of a directory call as the code the renderer shows (the relay's own, or by HTTP
 * status; a network failure is relay-unreachable); null for anything else (a bug). */
export function directoryFailure(e: unknown): { code: ErrorCode; message: string } | null {
  if (e instanceof DirectoryError) {
    const code = e.code ?? (e.status === 401 ? 'unauthenticated' : e.status === 403 ? 'forbidden' : e.status === 404 ? 'not-found' : 'internal');
    return { code, message: e.message };
  }
  // node:https's errors (ECONNREFUSED, ENOTFOUND, a reset) and its timeout: the relay cannot be reached.
  if (e instanceof Error && ((e as NodeJS.ErrnoException).code !== undefined || e.message.startsWith('request timed out'))) {
    return { code: 'relay-unreachable', message: e.message };
  }
  return null;
}
