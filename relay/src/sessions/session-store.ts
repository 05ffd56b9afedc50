// Where live session state is kept: in memory on one node (memory-session-store.ts), in Redis when
// several nodes share sessions (live/redis-session-store.ts). Every operation that must be atomic across
// nodes (claim a code, assign a chat seq, a state transition) is one call here. Rate limits are the
// WindowCounter's (ports.ts).
import { Buffer } from 'node:buffer';
import type { ChatMessage, ColleagueState, Permission, PersonProfile, SessionEnded, SessionOrigin, SessionReport, SessionRole, SessionState, TrustInfo } from '#protocol';

export interface SessionMember {
  tenantId: string;
  userId: string;
  name: string;
  upn: string;
}

export interface SessionRecord {
  id: string;
  tenantId: string;
  state: SessionState;
  createdAt: number;
  /** When the code stops being accepted; an unjoined session expires then. */
  expiresAt: number;
  helper: SessionMember;
  sharer?: SessionMember;
  deviceId?: string;
  /** What each side was shown at join; answered again on resume. */
  helperTrust?: TrustInfo;
  sharerTrust?: TrustInfo;
  endedAt?: number;
  ended?: SessionEnded;
  /** The helper's token roles at create: re-read against the tenant's definitions at join. */
  helperRoles?: string[];
  /** The level of help: the helper's at create, view-screen once a web sharer joined. */
  permission?: Permission;
  /** The device the report names: the one the session is bound to, or the one the sharer proved. */
  reportDevice?: { id: string; name: string };
  /** What the helper said the session is for (trimmed, never empty), and where it was started from. */
  reason?: string;
  origin?: SessionOrigin;
  /** Report-only conditional-access hits at create and join. */
  reportOnly?: SessionReport['policy']['reportOnly'];
  /** A refusal at join: which code and rule. */
  refusal?: NonNullable<SessionReport['policy']['refusal']>;
  joinedAt?: number;
  /** The sharer's client address at join, as the relay saw it (through trustProxy): for the report. */
  sharerAddress?: string;
  consentAt?: number;
  consent?: 'allowed' | 'denied';
  /** Members whose page or connection went and who have not resumed yet (presence.ts). */
  away?: Partial<Record<SessionRole, Away>>;
  /** Every time a member was away, in order; `to` null while away (and forever when it never came back). */
  gaps?: Gap[];
  /** The sharer has sharing paused. */
  paused?: boolean;
  /** Every pause, in order; `to` null while paused (and when the session ended paused). */
  pauses?: Pause[];
  /** The helper's place among the sessions they may have live at once (a WindowCounter ticket, given
   * back at the end): session-service.ts, create. */
  helperSlot?: string;
  /** Which socket, on which relay node, speaks for each member now (owners.ts): in the record, so that
   * taking a member over and marking it away when its node died are one compare-and-set each. */
  owners?: Partial<Record<SessionRole, Owner>>;
  /** Every colleague the helper invited (issue 13, point 5), in order; the last one is the session's
   * colleague while its state is open (invited, asking, allowed). Each change is one compare-and-set. */
  colleagues?: SessionColleague[];
  /** The helper who started the session, once it was handed over (`helper` is the one holding it now):
   * the report names them. */
  startedBy?: SessionMember;
}

/** A colleague invited into a session (sessions/colleagues.ts), from the invitation to its end. */
export interface SessionColleague {
  member: SessionMember;
  /** What the sharer and the helper are shown of them. */
  profile: PersonProfile;
  state: ColleagueState;
  invitedAt: number;
  /** The helper who invited them (the helper at that moment). */
  invitedBy: { userId: string; name: string };
  /** When they accepted or declined. */
  answeredAt?: number;
  /** Whether they accepted: only then did the sharer hear of them. */
  accepted?: boolean;
  consentAt?: number;
  /** When they stopped being the colleague (left, removed, denied, the session's end). */
  leftAt?: number;
  handedOverAt?: number;
  /** An invitation closed without the helper: the colleague's account was disabled before they answered. */
  closedBecause?: 'account-disabled';
  /** What they were shown at accept; answered again on resume. */
  trust?: TrustInfo;
  /** Their roles in the directory at the invitation (the helper's roles after a hand-over). */
  roles?: string[];
}

export type AwayReason = 'left' | 'connection';

export interface Away {
  reason: AwayReason;
  /** When the session ends unless the member resumes (epoch ms). */
  graceEndsAt: number;
  /** The index of this absence in `gaps`: a timer set for an earlier absence does not end a later one. */
  gap: number;
}

export interface Gap {
  role: SessionRole;
  from: number;
  to: number | null;
  reason: AwayReason;
}

export interface Pause {
  from: number;
  to: number | null;
}

/** What `update` did: the record now, and whether the change applied anything. */
export interface Updated {
  record: SessionRecord;
  changed: boolean;
}

/** Where a chat message went: stored (or found stored under its dedupe key), or refused. */
export type ChatAppend =
  | {
    ok: true; message: ChatMessage; added: boolean;
    /** With several nodes: every relay node that has held a socket for a member of this session (its
     * owners', ever: owners.ts), read in the same step as the append. A message a node appends while
     * it is the only one there needs no publishing to the others (session-routing.ts). Absent: the
     * store does not span nodes. */
    nodes?: readonly string[];
  }
  /** `ended`: the session is over (or gone), nothing is stored; `full`: the thread holds its maximum;
   * `unjoined`: nobody has joined the session yet. */
  | { ok: false; reason: 'ended' | 'full' | 'unjoined' };

/** One page of a session's held chat. The chat held is capped in bytes (the stores' `chatHeldBytes`):
 * past it the oldest messages are dropped, so `firstHeld` may be above 1. */
export interface ChatPage {
  messages: ChatMessage[];
  /** More held messages follow the page. */
  more: boolean;
  /** The seq of the oldest message still held (the next seq to come when none is held). */
  firstHeld: number;
}

/** A chat message's weight against the byte caps: its JSON in UTF-8, without its seq, as stored. */
export const chatMessageBytes = (message: Omit<ChatMessage, 'seq'>): number => Buffer.byteLength(JSON.stringify(message));

/** The chat a session holds for resume by default: 256 KiB (config: limits.resumeChatHeldBytes). */
export const defaultChatHeldBytes = 256 * 1024;

export type CodeLookup = { status: 'valid' | 'expired' | 'used'; sessionId: string } | undefined;

/** The socket that speaks for a member, and the relay node (process) that holds it. */
export interface Owner {
  node: string;
  socket: string;
}

/** An away member whose grace has run out: what presence needs to end its session (once, by gap). */
export interface AwayDue {
  sessionId: string;
  role: SessionRole;
  gap: number;
  reason: AwayReason;
}

export interface SessionStore {
  /** Stores a new session under its code; false when the code is already taken (caller draws again). */
  insert(record: SessionRecord, code: string): Promise<boolean>;
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** Compare-and-set: applies `patch` only while the state is one of `from`; the new record, or undefined. */
  transition(sessionId: string, from: readonly SessionState[], patch: Partial<SessionRecord>): Promise<SessionRecord | undefined>;
  /** Read-modify-write in one step: while the state is one of `from`, `change` sees the record and answers
   * the patch to apply, or undefined for none. Undefined when the session is unknown or in another state.
   * `change` must be pure and quick (a shared store may call it again after a conflict). */
  update(sessionId: string, from: readonly SessionState[], change: (s: SessionRecord) => Partial<SessionRecord> | undefined): Promise<Updated | undefined>;
  lookupCode(code: string, now: number): Promise<CodeLookup>;
  /** Marks a valid code used; false if it was used (or expired) in the meantime. */
  claimCode(code: string, now: number): Promise<boolean>;
  /** Idempotent on `dedupeKey`: a second call returns the message stored by the first, with `added: false`.
   * Refuses, in the same step, when the session is in a terminal state (so nothing is stored after its
   * end, racing the drop), still waits for its sharer (`created`), or the thread already holds `maxMessages`. */
  appendChat(sessionId: string, dedupeKey: string, message: Omit<ChatMessage, 'seq'>, maxMessages: number): Promise<ChatAppend>;
  /** The held messages after `afterSeq`, oldest first, as many as fit in `maxBytes` (at least one; all
   * without it): a page of the history a resume asks for. */
  chatAfter(sessionId: string, afterSeq: number, maxBytes?: number): Promise<ChatPage>;
  /** Chat text lives only as long as the session: dropped at its end. */
  dropChat(sessionId: string): Promise<void>;
  /** Sessions still waiting for a sharer after their code expired. */
  expiredUnjoined(now: number): Promise<string[]>;
  /** Sessions not yet in a terminal state (for recording them at shutdown). */
  liveSessions(): Promise<string[]>;
  /** Forgets sessions that ended before `before`, and their expired codes. */
  purge(before: number): Promise<void>;
  /** Away members of live sessions whose grace ended by `now`. Read from the shared state, so a grace
   * ends even when the node whose timer was waiting for it died. */
  awayExpired(now: number): Promise<AwayDue[]>;
}
