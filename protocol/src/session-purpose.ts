// Why a session exists and where it was started from (issue 13, point 3). The helper types the reason
// (a ticket number, a few words); the relay alone decides the origin, from what signed the helper in.
// Both are shown to the sharer on the trust screen and kept in the session's report.
import { z } from 'zod';

/** At most this many characters (code points, so a reason in Japanese or with emoji is not cut short). */
export const reasonMaxLength = 200;

// C0 and C1 controls (tab and line breaks included: the reason is one line), DEL, the line and
// paragraph separators, and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
// which could make a ticket number read backwards on the other person's screen. The marks LRM, RLM and
// ALM stay allowed: they change no order of what is already written, and right-to-left writers use them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const refusedCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * The reason as session:create takes it: trimmed; empty means none (undefined). Too long, a control
 * character or a bidi override is refused with `validation` (a custom issue, not `too_big`, so the
 * relay answers `validation` rather than `payload-too-large` for 201 characters).
 */
export const sessionReason = z.string().max(4 * reasonMaxLength)
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    if ([...s].length > reasonMaxLength) ctx.addIssue({ code: 'custom', message: `a reason has at most ${reasonMaxLength} characters` });
    if (refusedCharacters.test(s)) ctx.addIssue({ code: 'custom', message: 'a reason may not hold control characters or bidi overrides' });
  })
  .transform((s) => (s === '' ? undefined : s));

/** Where the session was started from, as the relay saw it: the console (its own client's token), the
 * web helper page (/rhh, a web session's cookie), or another app with a token of the organization. */
export const startedFromApps = ['console', 'web-helper', 'other-app'] as const;
export const sessionOrigin = z.object({
  app: z.enum(startedFromApps),
  /** The inventory device the session is bound to, by its name; absent when it is bound to none. */
  deviceName: z.string().optional(),
});
export type SessionOrigin = z.infer<typeof sessionOrigin>;

/** The fields the trust screens and the report carry (both absent in what was written before them). */
export const sessionPurposeFields = {
  /** What the helper said the session is for; absent when no reason was given. */
  reason: z.string().optional(),
  /** Where the session was started from; absent in records from before it was kept. */
  origin: sessionOrigin.optional(),
};
