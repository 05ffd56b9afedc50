// The Socket.IO contract between the relay and its clients (console main, /rh, /rhh).
// Schema first, type derived, so the two cannot drift; event types alone check nothing at run time.
import { z } from 'zod';
import type { Ack } from './ack.js';
import { errorCodes } from './errors.js';
import { personProfile, sessionRole, sessionStates, sessionWarning } from './models.js';
import { deviceProof, permission, policyRefusal } from './policy.js';
import { sessionReceipt } from './receipt.js';
import { sessionPurposeFields, sessionReason } from './session-purpose.js';
import {
  colleagueStatus, invitation, sessionHandOver, sessionInvitations, sessionInvite, sessionInviteAnswer, sessionWithdrawInvite,
} from './colleague.js';

export const limits = {
  chatTextMax: 4000,
  /** Socket.IO maxHttpBufferSize: an SDP is a few kB; anything above this is refused by the transport. */
  eventBytesMax: 64 * 1024,
  codeLength: 8,
  codeLifetimeMs: 10 * 60 * 1000,
} as const;

const id = z.string().min(1).max(100);
/** Crockford base32: no I, L, O or U, so a code read out loud over the phone is not misheard. */
export const securityCodeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A code as a person may type or say it, as the relay compares it: any case, spaces and dashes
 * dropped, O read as 0, I and L as 1. */
export function normalizeSecurityCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s\-\u2010-\u2015]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
/** Shown in two groups of four ("7KQ2 M9XD"), easier to read out and to compare. */
export function groupSecurityCode(code: string): string {
  return code.length === limits.codeLength ? `${code.slice(0, 4)} ${code.slice(4)}` : code;
}
export const securityCode = z.string().max(40).transform(normalizeSecurityCode).pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{8}$/));

/** `reason`: why the session exists (a ticket number…), shown to the sharer (session-purpose.ts). */
export const sessionCreate = z.strictObject({ deviceId: id.optional(), reason: sessionReason.optional() });
/** "Would session:create refuse me?" — asked before offering Get security code or Continue; answers
 * the refusals that do not depend on the moment (no report, not counted against the create limit). */
export const sessionPrecheck = z.strictObject({ deviceId: id.optional() });
export const sessionJoin = z.strictObject({
  code: securityCode,
  /** From an enrolled browser: its device key's signature over a challenge from `device:challenge`. */
  proof: deviceProof.optional(),
});
export const deviceChallenge = z.strictObject({});
/** `report`: "I didn't expect this" — declines exactly as allow: false does, and puts the session at the
 * top of the administrators' reports (outcome `reported`). Only with allow: false. */
/** `member: 'colleague'`: the decision on the invited colleague (colleague.ts), not on the session; Report
 * is for the session only. `colleague`: with it, the invitation the sharer decided on, as their card
 * showed it (the person, and when they were invited): the relay applies the decision only to that one
 * (the helper may have withdrawn it meanwhile, and invited someone else, or the same person again, whose
 * new connection has a Verification code the sharer has not seen). A page from before it names none. */
export const sessionConsent = z.strictObject({
  sessionId: id, allow: z.boolean(), report: z.literal(true).optional(), member: z.literal('colleague').optional(),
  colleague: z.strictObject({ tenantId: id, userId: id, invitedAt: z.string().max(40) }).optional(),
})
  .refine((c) => !(c.allow && c.report), { message: 'report declines: it goes only with allow: false', path: ['report'] })
  .refine((c) => !(c.member && c.report), { message: 'report is for the session, not for a colleague', path: ['report'] })
  .refine((c) => c.member === 'colleague' || c.colleague === undefined, { message: 'only a decision on a colleague names one', path: ['colleague'] });
export const sessionEnd = z.strictObject({ sessionId: id });
/** Re-attach after a reconnect or a reload; the relay answers the state, the other side's presence and
 * the chat messages after `afterSeq`, one page at a time (`moreChat` in the answer: ask again, after the
 * page's last seq, without restartMedia). */
export const sessionResume = z.strictObject({
  sessionId: id,
  afterSeq: z.number().int().min(0),
  /** This side has no working media connection (a reloaded page, a peer connection that failed): the
   * sharer is told to offer the screen again on a new one. */
  restartMedia: z.boolean().optional(),
});
/** This member's page is going (closed or reloaded) while its connection stays up: the console, whose
 * socket lives in its main process, says so, and the session waits for the page as for a dropped one. */
export const sessionAway = z.strictObject({ sessionId: id });
/** The sharer stops sending the screen without ending the session (true), or sends it again (false). */
export const sessionPause = z.strictObject({ sessionId: id, paused: z.boolean() });

/** The STUN/TURN servers and ICE policy for this member's next peer connection. */
export const sessionIce = z.strictObject({ sessionId: id });
const iceUrl = z.string().regex(/^(stun|stuns|turn|turns):/).max(500);
export const iceConfig = z.object({
  iceServers: z.array(z.object({
    urls: z.union([iceUrl, z.array(iceUrl).min(1).max(10)]),
    username: z.string().max(500).optional(),
    credential: z.string().max(500).optional(),
  })).max(20),
  /** 'relay': TURN relays only (the deployment wants no direct path, or a test proves the TURN path). */
  iceTransportPolicy: z.enum(['all', 'relay']),
});
export type IceConfig = z.infer<typeof iceConfig>;

export const rtcDescription = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(32_000),
});
export const rtcCandidate = z.strictObject({
  candidate: z.string().max(1000),
  sdpMid: z.string().max(100).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(100).nullable().optional(),
  usernameFragment: z.string().max(100).nullable().optional(),
});
export const signal = z.union([
  z.strictObject({ description: rtcDescription }),
  z.strictObject({ candidate: rtcCandidate }),
  /** The answering side's hash of its own DTLS fingerprint, sent before the sharer offers (verification-code.ts). */
  z.strictObject({ commit: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  /** The sending page made no screen connection, and will not on this one: the relay gave it no ICE
   * configuration (`ice-unavailable`, it fails closed), or the other side's answer broke its commit
   * (`verification-mismatch`). Said so that the other page tells its person why no picture comes, instead
   * of waiting for it. */
  z.strictObject({ failed: z.enum(['ice-unavailable', 'verification-mismatch']) }),
]);
export type Signal = z.infer<typeof signal>;
/** `to`: the sharer's signals go to the helper (the default) or to the colleague, each on its own peer
 * connection; a helper's or a colleague's go to the sharer, whatever `to` says. */
export const signalSend = z.strictObject({ sessionId: id, signal, to: z.enum(['helper', 'colleague']).optional() });

export const chatSend = z.strictObject({
  sessionId: id,
  /** Chosen by the sender (a UUID); a resend with the same clientId is not stored twice. */
  clientId: z.string().uuid(),
  text: z.string().min(1).max(limits.chatTextMax),
});

export const createdSession = z.object({
  sessionId: id,
  code: securityCode,
  /** https://HOST/rh?passcode=CODE */
  link: z.string(),
  expiresAt: z.string(),
});
export type CreatedSession = z.infer<typeof createdSession>;

/** What each side sees of the other once the sharer has joined. */
export const trustInfo = z.object({
  sessionId: id,
  /** The role of the receiver of this message. */
  role: sessionRole,
  peer: personProfile,
  /** Only for the helper: the device the session is bound to (absent for an unenrolled device). */
  device: z.object({
    id: z.string(), name: z.string(), platform: z.string(), osVersion: z.string(),
    /** Its properties come from the browser alone (enrolled on /enroll): shown as "self-reported". */
    selfReported: z.boolean().optional(),
    /** false while an enrolled browser waits for an administrator's approval. */
    approved: z.boolean().optional(),
  }).optional(),
  /** Only for the helper: compliance and enrollment warnings. */
  warnings: z.array(sessionWarning),
  /** The level of help in this session (absent = view-screen): a web sharer only ever grants view-screen. */
  permission: permission.optional(),
  /** Whether chat is on for this session, from the tenant setting (absent = on). */
  chatEnabled: z.boolean().optional(),
  /** Why the session exists, and (for the sharer) where it was started from. */
  ...sessionPurposeFields,
  /** Only for a colleague: the helper who invited them. */
  invitedBy: personProfile.optional(),
});
export type TrustInfo = z.infer<typeof trustInfo>;

export const chatMessage = z.object({
  sessionId: z.string(),
  /** 1, 2, 3… per session, assigned by the relay: the order of the one thread. */
  seq: z.number().int().min(1),
  clientId: z.string(),
  from: sessionRole,
  senderName: z.string(),
  text: z.string(),
  sentAt: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessage>;

export const sessionStateChange = z.object({ sessionId: z.string(), state: z.enum(sessionStates) });
export type SessionStateChange = z.infer<typeof sessionStateChange>;

/** 'refused': a policy refused the sharer at join (the sharer got the refusal in the join ack).
 * 'left': the member's page went (closed, reloaded, navigated away) and did not come back within the
 * reconnect grace; 'connection-lost': its connection dropped and did not come back within it;
 * 'disconnected': a client's own conclusion when the relay no longer knows the session. */
/** 'reported': the sharer declined with Report; only the sharer is told so (the helper hears 'denied'). */
/** For a colleague, the end of their part in it: 'denied' (the sharer refused them), 'removed' (the helper
 * withdrew them), 'left' (they left); for the helper who handed the session over: 'handed-over'. */
export const endReason = z.enum([
  'ended', 'denied', 'reported', 'left', 'connection-lost', 'disconnected', 'expired', 'refused', 'account-disabled', 'handed-over', 'removed',
]);
export type EndReason = z.infer<typeof endReason>;
export const sessionEnded = z.object({
  sessionId: z.string(),
  by: z.enum(['helper', 'sharer', 'colleague', 'relay']),
  reason: endReason,
  /** For reason 'refused': which refusal ended it (the helper's own role removed reads differently from
   * an access rule). */
  code: z.enum(errorCodes).optional(),
  /** When it ended (ISO), by the relay's clock. */
  at: z.string().optional(),
  /** When the sharer allowed sharing (ISO); absent when it never did. With `at`, how long it lasted. */
  sharingSince: z.string().optional(),
});
export type SessionEnded = z.infer<typeof sessionEnded>;

/**
 * Where the other member of a session is, pushed as `session:peer` whenever it changes: its page or
 * connection went (`present: false`, the session waits for it until `graceEndsAt`), it came back, or
 * the sharer paused or resumed sharing. `role` is whose status it is (the receiver's peer).
 */
export const peerStatus = z.object({
  sessionId: z.string(),
  role: sessionRole,
  /** false from the moment the member's page or connection went until it resumes. */
  present: z.boolean(),
  /** Why it is away: its page went (closed or reloaded: 'left') or its connection dropped. */
  away: z.enum(['left', 'connection']).optional(),
  /** While away: when the session ends unless it comes back (ISO). */
  graceEndsAt: z.string().optional(),
  /** The sharer stopped sending the screen without ending the session. */
  paused: z.boolean(),
  /** Back without a media connection (a reloaded page): the sharer offers the screen again. */
  restartMedia: z.boolean().optional(),
});
export type PeerStatus = z.infer<typeof peerStatus>;

export const sessionResumed = z.object({
  state: z.enum(sessionStates),
  trust: trustInfo.nullable(),
  /** The chat after `afterSeq`: at most the relay's page size (limits.resumeChatPageBytes), each message
   * weighed as its JSON without seq, or one message when that alone weighs more. */
  messages: z.array(chatMessage),
  /** More messages follow this page: resume again with afterSeq = the last one's seq. */
  moreChat: z.boolean().optional(),
  /** Messages from afterSeq + 1 up to below this seq are no longer held: the session's chat passed the
   * bytes the relay keeps for resume, and the oldest went first. */
  chatDroppedBefore: z.number().int().min(1).optional(),
  /** The other member's presence now; null before anyone joined. */
  peer: peerStatus.nullable().optional(),
  /** Whether the sharer has sharing paused. */
  paused: z.boolean().optional(),
  /** The colleague, when one is invited or in the session now (for the sharer: from `asking` on). */
  colleague: colleagueStatus.nullable().optional(),
});
export type SessionResumed = z.infer<typeof sessionResumed>;

/**
 * Every request a client sends the relay: its event name, the schema the relay validates the request
 * with, and the schema of the value its ack carries (clients check the ack against it). The
 * ClientToServerEvents type and the desktop API's one relay method are derived from this table, so a
 * new session event is one entry here and one handler in the relay.
 */
export const clientEvents = {
  'session:create': { req: sessionCreate, ack: createdSession },
  /** The refusal session:create would give now for reasons that do not depend on the moment, or null. */
  'session:precheck': { req: sessionPrecheck, ack: z.null() },
  'session:join': { req: sessionJoin, ack: trustInfo },
  /** A fresh single-use challenge (valid 2 minutes) for the device-key proof sent with session:join. */
  'device:challenge': { req: deviceChallenge, ack: z.object({ challenge: z.string() }) },
  'session:consent': { req: sessionConsent, ack: sessionStateChange },
  'session:end': { req: sessionEnd, ack: z.null() },
  'session:resume': { req: sessionResume, ack: sessionResumed },
  /** The page went but the connection stays (the console): away as `left` until a resume, within the grace. */
  'session:away': { req: sessionAway, ack: z.null() },
  /** Sharer only, while sharing; the helper is told by `session:peer`, and the report keeps the pause. */
  'session:pause': { req: sessionPause, ack: z.null() },
  'signal:send': { req: signalSend, ack: z.null() },
  /** Members only, before each new peer connection: TURN credentials are made for the asker and expire
   * (the TURN REST API), so a connection built after a reconnect asks again and gets fresh ones. */
  'session:ice': { req: sessionIce, ack: iceConfig },
  'chat:send': { req: chatSend, ack: chatMessage },
  /** Helper only: invites a colleague (colleague.ts); the answer is the colleague as `invited`. */
  'session:invite': { req: sessionInvite, ack: colleagueStatus },
  /** The invited colleague accepts (the answer is what they are shown: the sharer's trust card, the
   * device, the reason, who invited them) or declines (null). */
  'session:invite-answer': { req: sessionInviteAnswer, ack: trustInfo.nullable() },
  'session:withdraw-invite': { req: sessionWithdrawInvite, ack: z.null() },
  'session:hand-over': { req: sessionHandOver, ack: z.null() },
  'session:invitations': { req: sessionInvitations, ack: z.array(invitation) },
} as const satisfies Record<string, { req: z.ZodType; ack: z.ZodType }>;

type ClientEvents = typeof clientEvents;
export type RelayEvent = keyof ClientEvents;
export type RequestOf<E extends RelayEvent> = z.infer<ClientEvents[E]['req']>;
export type AckOf<E extends RelayEvent> = Ack<z.infer<ClientEvents[E]['ack']>>;

export type ClientToServerEvents = {
  [E in RelayEvent]: (req: RequestOf<E>, ack: (res: AckOf<E>) => void) => void;
};

/** The request schemas by event name: the relay validates every payload against these. */
export const clientEventSchemas = Object.fromEntries(
  Object.entries(clientEvents).map(([event, { req }]) => [event, req]),
) as { [E in RelayEvent]: ClientEvents[E]['req'] };

/** What the relay pushes, by event name: clients drop a payload that does not fit. */
export const serverEventSchemas = {
  /** To the helper when the sharer has joined (the sharer gets the same shape in its join ack). */
  'session:trust': trustInfo,
  'session:state': sessionStateChange,
  /** `from`: whose peer connection it is for (the sharer has one per helper). */
  'signal': z.object({ sessionId: z.string(), signal, from: sessionRole.optional() }),
  'chat:message': chatMessage,
  'session:ended': sessionEnded,
  /** To the sharer only, after `session:ended`, once the report is recorded (protocol/src/receipt.ts). */
  'session:receipt': sessionReceipt,
  'session:peer': peerStatus,
  /** The colleague's standing changed (colleague.ts): to the helper, the colleague, and the sharer. */
  'session:colleague': colleagueStatus,
  /** To the invited colleague's own connections: an invitation opened or closed. */
  'session:invitation': invitation,
  /** Sent for an event name the relay does not know (there is no ack to answer it with). */
  'error:event': z.object({ event: z.string(), code: z.enum(['unknown-event', 'validation']) }),
} as const satisfies Record<string, z.ZodType>;

export type ServerEvent = keyof typeof serverEventSchemas;
export type PayloadOf<K extends ServerEvent> = z.infer<(typeof serverEventSchemas)[K]>;

export type ServerToClientEvents = {
  [K in ServerEvent]: (payload: PayloadOf<K>) => void;
};

const wireError = z.object({
  code: z.enum(errorCodes), message: z.string(), policy: policyRefusal.optional(),
  /** For a refused code at join: how many more failed attempts are allowed before `rate-limited`. */
  attemptsLeft: z.number().int().min(0).optional(),
});

/** The shape of an ack carrying `value`: what a client checks a relay answer against. */
export function ackSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: wireError }),
  ]);
}
