// What the sharer keeps of a session (issue 13, point 4): the receipt pushed when the session ends, and
// the sharer's own past sessions (GET /api/me/sessions). Both are metadata out of the session's report:
// who saw the screen, when, the pauses, how it ended and the report's id. Never chat or screen content.
import { z } from 'zod';
import { reportOutcome } from './policy.js';

/** The person on the other end, as the trust card named them. */
const receiptPerson = z.object({ name: z.string().max(500), upn: z.string().max(320) });
const pause = z.object({ from: z.string().max(40), to: z.string().max(40).nullable() });

/**
 * Pushed as `session:receipt` to the sharer only, once the session's report is on the record (so it
 * can name the report's id), right after `session:ended`. Times are ISO, by the relay's clock.
 */
export const sessionReceipt = z.object({
  sessionId: z.string().max(100),
  /** The hash-chained report of this session; null when recording it failed (the relay logged why). */
  reportId: z.string().max(100).nullable(),
  /** Who could see the screen: the helper. */
  helper: receiptPerson,
  /** When the sharer allowed sharing; null when the screen was never shared. */
  sharingSince: z.string().max(40).nullable(),
  /** When the session ended. */
  endedAt: z.string().max(40),
  /** The times sharing was paused; `to` is null when the session ended paused. */
  pauses: z.array(pause).max(1000),
  /** The colleagues the sharer allowed to see the screen too (issue 13, point 5), with from when to when;
   * `to` null: until the session's end. Absent when there was none. */
  colleagues: z.array(receiptPerson.extend({ from: z.string().max(40), to: z.string().max(40).nullable() })).max(20).optional(),
  /** The helper the session was handed over to, when it was (they saw the screen until the end). */
  handedOverTo: receiptPerson.optional(),
});
export type SessionReceipt = z.infer<typeof sessionReceipt>;

/** One of the sharer's past sessions: the report's metadata, nothing of what was said or shown. */
export const pastSession = z.object({
  reportId: z.string(),
  sessionId: z.string().nullable(),
  /** null: refused before anyone helped (no helper on the record). */
  helper: receiptPerson.nullable(),
  createdAt: z.string(),
  sharingSince: z.string().nullable(),
  endedAt: z.string().nullable(),
  outcome: reportOutcome,
  pauses: z.array(pause),
});
export type PastSession = z.infer<typeof pastSession>;

export const pastSessionsLimit = { default: 20, max: 50 } as const;

/** GET /api/me/sessions?offset=&limit= (query strings, hence coerced). */
export const pastSessionsQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(pastSessionsLimit.max).default(pastSessionsLimit.default),
});
export type PastSessionsQuery = z.infer<typeof pastSessionsQuery>;

/** The answer's value: newest first. */
export const pastSessionsPage = z.object({
  items: z.array(pastSession),
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
});
export type PastSessionsPage = z.infer<typeof pastSessionsPage>;

export const pastSessionsPath = '/api/me/sessions';
