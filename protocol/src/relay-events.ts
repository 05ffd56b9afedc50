// The Socket.IO contract between the relay and its clients (console main, /rh, /rhh).
// Schema first, type derived, so the two cannot drift; event types alone check nothing at run time.
import { z } from 'zod';
import type { Ack } from './ack.js';
import { personProfile, sessionRole, sessionWarning, type SessionState } from './models.js';
import { deviceProof, permission } from './policy.js';

export const limits = {
  chatTextMax: 4000,
  /** Socket.IO maxHttpBufferSize: an SDP is a few kB; anything above this is refused by the transport. */
  eventBytesMax: 64 * 1024,
  codeLength: 8,
  codeLifetimeMs: 10 * 60 * 1000,
} as const;

const id = z.string().min(1).max(100);
export const securityCode = z.string().regex(/^[0-9a-z]{8}$/);

export const sessionCreate = z.strictObject({ deviceId: id.optional() });
export const sessionJoin = z.strictObject({
  code: securityCode,
  /** From an enrolled browser: its device key's signature over a challenge from `device:challenge`. */
  proof: deviceProof.optional(),
});
export const deviceChallenge = z.strictObject({});
export const sessionConsent = z.strictObject({ sessionId: id, allow: z.boolean() });
export const sessionEnd = z.strictObject({ sessionId: id });
/** Re-attach after a reconnect; the relay answers the state and the chat messages after `afterSeq`. */
export const sessionResume = z.strictObject({ sessionId: id, afterSeq: z.number().int().min(0) });

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
]);
export type Signal = z.infer<typeof signal>;
export const signalSend = z.strictObject({ sessionId: id, signal });

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
  device: z.object({ id: z.string(), name: z.string(), platform: z.string(), osVersion: z.string() }).optional(),
  /** Only for the helper: compliance and enrollment warnings. */
  warnings: z.array(sessionWarning),
  /** The level of help in this session (absent = view-screen): a web sharer only ever grants view-screen. */
  permission: permission.optional(),
  /** Whether chat is on for this session, from the tenant setting (absent = on). */
  chatEnabled: z.boolean().optional(),
});
export type TrustInfo = z.infer<typeof trustInfo>;

export interface ChatMessage {
  sessionId: string;
  /** 1, 2, 3… per session, assigned by the relay: the order of the one thread. */
  seq: number;
  clientId: string;
  from: 'helper' | 'sharer';
  senderName: string;
  text: string;
  sentAt: string;
}

export interface SessionStateChange {
  sessionId: string;
  state: SessionState;
}

/** 'refused': a policy refused the sharer at join (the sharer got the refusal in the join ack). */
export type EndReason = 'ended' | 'denied' | 'left' | 'disconnected' | 'expired' | 'refused';
export interface SessionEnded {
  sessionId: string;
  by: 'helper' | 'sharer' | 'relay';
  reason: EndReason;
}

export interface SessionResumed {
  state: SessionState;
  trust: TrustInfo | null;
  messages: ChatMessage[];
}

export interface ClientToServerEvents {
  'session:create': (req: z.infer<typeof sessionCreate>, ack: (res: Ack<CreatedSession>) => void) => void;
  'session:join': (req: z.infer<typeof sessionJoin>, ack: (res: Ack<TrustInfo>) => void) => void;
  /** A fresh single-use challenge (valid 2 minutes) for the device-key proof sent with session:join. */
  'device:challenge': (req: z.infer<typeof deviceChallenge>, ack: (res: Ack<{ challenge: string }>) => void) => void;
  'session:consent': (req: z.infer<typeof sessionConsent>, ack: (res: Ack<SessionStateChange>) => void) => void;
  'session:end': (req: z.infer<typeof sessionEnd>, ack: (res: Ack<null>) => void) => void;
  'session:resume': (req: z.infer<typeof sessionResume>, ack: (res: Ack<SessionResumed>) => void) => void;
  'signal:send': (req: z.infer<typeof signalSend>, ack: (res: Ack<null>) => void) => void;
  'chat:send': (req: z.infer<typeof chatSend>, ack: (res: Ack<ChatMessage>) => void) => void;
}

export interface ServerToClientEvents {
  /** To the helper when the sharer has joined (the sharer gets the same shape in its join ack). */
  'session:trust': (info: TrustInfo) => void;
  'session:state': (change: SessionStateChange) => void;
  'signal': (msg: { sessionId: string; signal: Signal }) => void;
  'chat:message': (msg: ChatMessage) => void;
  'session:ended': (msg: SessionEnded) => void;
  /** Sent for an event name the relay does not know (there is no ack to answer it with). */
  'error:event': (msg: { event: string; code: 'unknown-event' | 'validation' }) => void;
}

/** The request schemas by event name: the relay validates every payload against these. */
export const clientEventSchemas = {
  'session:create': sessionCreate,
  'session:join': sessionJoin,
  'device:challenge': deviceChallenge,
  'session:consent': sessionConsent,
  'session:end': sessionEnd,
  'session:resume': sessionResume,
  'signal:send': signalSend,
  'chat:send': chatSend,
} as const satisfies Record<keyof ClientToServerEvents, z.ZodType>;
