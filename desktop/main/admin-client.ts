// DesktopApi.admin: one tenant-admin call, validated here against the admin API table and forwarded
// as POST /api/admin/{method} with the signed-in user's relay token. The relay decides who is an
// admin (every call); main only carries the call and turns transport trouble into Ack codes.
import { z } from 'zod';
import {
  adminApiSchemas, adminPath, fail, isErrorCode, policyRefusal,
  type Ack, type AdminMethod, type ErrorCode,
} from '#protocol';
import type { HttpsClient } from './net/https-client.js';

export interface AdminClientDeps {
  relayUrl: string;
  http: HttpsClient;
  /** A relay access token (refreshed silently), or null when nobody is signed in. */
  accessToken(): Promise<string | null>;
  signedIn(): boolean;
  /** The console's language (DesktopApi.setLocale), sent as Accept-Language so the relay's messages
   * come in it; undefined until the renderer has said (the relay then speaks English). */
  locale?: () => string | undefined;
}

export type AdminForwarder = (method: AdminMethod, args: unknown) => Promise<Ack<unknown>>;

const wireAck = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.string(), message: z.string().default(''), policy: policyRefusal.optional(),
      problems: z.array(z.object({ line: z.number().int(), message: z.string() })).max(1000).optional(),
    }),
  }),
]);

/** When the relay answers without an Ack body (a proxy, a crash page), the status still says something. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'admin-only';
  if (status === 404) return 'not-found';
  if (status === 413) return 'payload-too-large';
  if (status === 429) return 'rate-limited';
  if (status === 400) return 'validation';
  if (status === 502 || status === 503 || status === 504) return 'relay-unreachable';
  return 'internal';
}

export function parseAdminAnswer(status: number, body: string): Ack<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fail(codeForStatus(status), `the relay answered ${status} without an Ack`);
  }
  const parsed = wireAck.safeParse(json);
  if (!parsed.success) return fail(codeForStatus(status), `the relay answered ${status} with an unexpected shape`);
  const ack = parsed.data;
  if (ack.ok) return { ok: true, value: ack.value };
  const code: ErrorCode = isErrorCode(ack.error.code) ? ack.error.code : 'internal';
  const failed = fail(code, ack.error.message || code, ack.error.policy);
  // A refused file's problems by line travel on to the view that lists them.
  if (!failed.ok && ack.error.problems) failed.error.problems = ack.error.problems;
  return failed;
}

export function createAdminForwarder(deps: AdminClientDeps): AdminForwarder {
  return async (method, args) => {
    // desktopApiSchemas checked the envelope (a known method); the arguments are checked here, so a
    // malformed call never leaves the machine.
    const schema = adminApiSchemas[method] as z.ZodType;
    const parsed = schema.safeParse(args ?? {});
    if (!parsed.success) return fail('validation', `bad arguments for admin ${method}: ${parsed.error.issues[0]?.message ?? ''}`);
    if (!deps.signedIn()) return fail('unauthenticated', 'not signed in');
    const token = await deps.accessToken();
    if (!token) return fail('unauthenticated', 'the sign-in has expired');
    const locale = deps.locale?.();
    let res;
    try {
      res = await deps.http.send(`${deps.relayUrl}${adminPath(method)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json',
          ...(locale ? { 'accept-language': locale } : {}),
        },
        body: JSON.stringify(parsed.data),
      });
    } catch (e) {
      return fail('relay-unreachable', (e as Error).message);
    }
    return parseAdminAnswer(res.status, res.body);
  };
}
