// A second helper, with the sharer's consent (issue 13, point 5): escalation to second line. The helper
// invites a colleague of the same organization by sign-in name; the colleague accepts (console or
// /rhh); the sharer sees the colleague's trust card and its own Verification code (one peer connection
// per helper, from the sharer) and allows or refuses the colleague on its own; an allowed colleague sees
// the screen and shares the chat; the helper can hand the session over and leave. One colleague at a
// time; every invitation, answer, consent and hand-over is in the session's report.
import { z } from 'zod';
import { personProfile } from './models.js';
import { sessionPurposeFields } from './session-purpose.js';

const id = z.string().min(1).max(100);

/**
 * Where the colleague stands:
 * - invited: the helper asked; the colleague has not answered;
 * - asking: the colleague accepted; the sharer sees their trust card and decides;
 * - allowed: the sharer allowed them: they see the screen and share the chat;
 * - denied: the sharer refused them (they saw nothing);
 * - declined: the colleague said no to the invitation;
 * - withdrawn: the helper took the invitation back, or removed the colleague;
 * - left: the colleague left, or did not come back within the reconnect grace;
 * - handed-over: the helper handed the session over: the colleague is the helper now.
 * The last five are final: the helper may then invite someone (the same colleague included) again.
 */
export const colleagueStates = ['invited', 'asking', 'allowed', 'denied', 'declined', 'withdrawn', 'left', 'handed-over'] as const;
export const colleagueState = z.enum(colleagueStates);
export type ColleagueState = z.infer<typeof colleagueState>;
export const openColleagueStates: readonly ColleagueState[] = ['invited', 'asking', 'allowed'];
export const isOpenColleague = (s: ColleagueState): boolean => openColleagueStates.includes(s);

/** Invitations one session may hand out in all (each one is kept in the report). */
export const colleagueInvitationsMax = 10;

/** Helper only, once the sharer has joined: `colleague` is the colleague's sign-in name (UPN) or email. */
export const sessionInvite = z.strictObject({ sessionId: id, colleague: z.string().trim().min(1).max(320) });
/** The invited colleague answers: accept (their socket becomes the session's colleague) or decline. */
export const sessionInviteAnswer = z.strictObject({ sessionId: id, accept: z.boolean() });
/** Helper only: takes the invitation back, or removes the colleague (allowed or not) from the session. */
export const sessionWithdrawInvite = z.strictObject({ sessionId: id });
/** Helper only, with an allowed colleague who is there: the colleague becomes the helper, the helper leaves. */
export const sessionHandOver = z.strictObject({ sessionId: id });
/** The caller's open invitations (a console opened after it was invited). */
export const sessionInvitations = z.strictObject({});

/**
 * The colleague as the session's members see them, pushed as `session:colleague` to the helper, the
 * sharer (from `asking` on: the sharer never hears of an invitation the colleague did not accept) and the
 * colleague whenever it changes; also in the answers to session:invite and session:resume.
 */
export const colleagueStatus = z.object({
  sessionId: z.string(),
  colleague: personProfile,
  state: colleagueState,
  /** The helper who invited them, by name. */
  invitedBy: z.string(),
  invitedAt: z.string(),
  /** false while the colleague's page or connection is gone (the session waits for it, then they leave). */
  present: z.boolean().optional(),
  /**
   * Only when the colleague has just resumed (session:resume): whether their page asked for a new peer
   * connection (it was reloaded, or its connection broke) — the sharer then opens a new one to them;
   * false: their connection still works and is kept (so is its Verification code). Absent otherwise.
   */
  restartMedia: z.boolean().optional(),
  /** Why an invitation closed when the helper did not withdraw it: with state `withdrawn`,
   * 'account-disabled' says the colleague's account was disabled or deleted before they answered. */
  closedBecause: z.literal('account-disabled').optional(),
});
export type ColleagueStatus = z.infer<typeof colleagueStatus>;

/**
 * To the invited colleague's own connections (all of them, on every node), as `session:invitation`:
 * `open` true when invited, false once it is answered elsewhere, withdrawn, or the session ended.
 */
export const invitation = z.object({
  sessionId: z.string(),
  open: z.boolean(),
  /** The helper who asks for help. */
  from: personProfile,
  /** The person whose screen it is, by name (their trust card comes when the colleague accepts). */
  sharerName: z.string(),
  /** The device the session is bound to, by name (absent for an unenrolled one). */
  deviceName: z.string().optional(),
  invitedAt: z.string(),
  ...sessionPurposeFields,
});
export type Invitation = z.infer<typeof invitation>;

/** What the sharer's receipt and the report keep of a colleague. */
export const reportColleague = z.object({
  userId: z.string(),
  upn: z.string(),
  name: z.string(),
  /** Who invited them (the helper at that moment). */
  invitedBy: z.object({ userId: z.string(), name: z.string() }),
  invitedAt: z.string(),
  /** The state it ended in (`allowed` or `asking` when the session ended with them in it). */
  state: colleagueState,
  /** When the colleague accepted or declined; null when they never answered. */
  answeredAt: z.string().nullable(),
  /** The sharer's decision on them, and when. */
  consent: z.enum(['allowed', 'denied']).nullable(),
  consentAt: z.string().nullable(),
  /** When they stopped being the colleague (left, removed, refused, or the session's end); null when they
   * never got in, or when the session was handed over to them (they were the helper from then on). */
  leftAt: z.string().nullable(),
  /** When the session was handed over to them (they were the helper from then on). */
  handedOverAt: z.string().nullable(),
  /** With state `withdrawn`: the invitation closed because the colleague's account was disabled or
   * deleted before they answered (absent: the helper withdrew it). */
  closedBecause: z.literal('account-disabled').optional(),
});
export type ReportColleague = z.infer<typeof reportColleague>;
