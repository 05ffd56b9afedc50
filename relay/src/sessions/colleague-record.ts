// Pure reads of a session's colleague (issue 13, point 5; protocol/src/colleague.ts): which one is the
// session's now, what each member is shown of them, and how an ending closes them. No store, no transport.
import { isOpenColleague, type ColleagueStatus, type Invitation, type SessionEnded, type SessionRole, type TrustInfo } from '#protocol';
import type { SessionColleague, SessionRecord } from './session-store.js';

const iso = (t: number): string => new Date(t).toISOString();

/** The session's colleague now: the last one invited, while invited, asking or allowed. */
export function currentColleague(s: Pick<SessionRecord, 'colleagues'>): SessionColleague | undefined {
  const last = s.colleagues?.at(-1);
  return last && isOpenColleague(last.state) ? last : undefined;
}

/** The colleague who is a member of the session (accepted, not yet out): their socket speaks as 'colleague'. */
export function memberColleague(s: Pick<SessionRecord, 'colleagues'>): SessionColleague | undefined {
  const c = currentColleague(s);
  return c && (c.state === 'asking' || c.state === 'allowed') ? c : undefined;
}

/** The record's colleagues with the last one changed by `patch`. */
export function withLast(s: Pick<SessionRecord, 'colleagues'>, patch: Partial<SessionColleague>): SessionColleague[] {
  const list = [...(s.colleagues ?? [])];
  const last = list.pop();
  return last ? [...list, { ...last, ...patch }] : list;
}

/** Whether the sharer was ever told of this colleague: only once they accepted. */
export const sharerHeard = (c: SessionColleague): boolean => c.accepted === true;

export function colleagueStatusOf(s: Pick<SessionRecord, 'id' | 'away'>, c: SessionColleague): ColleagueStatus {
  const member = c.state === 'asking' || c.state === 'allowed';
  return {
    sessionId: s.id,
    colleague: c.profile,
    state: c.state,
    invitedBy: c.invitedBy.name,
    invitedAt: iso(c.invitedAt),
    ...(member ? { present: !s.away?.colleague } : {}),
    ...(c.closedBecause ? { closedBecause: c.closedBecause } : {}),
  };
}

/** The colleague as a member sees them on resume: the helper and the colleague from the invitation on,
 * the sharer only once they accepted; null when there is none. */
export function colleagueFor(s: SessionRecord, role: SessionRole): ColleagueStatus | null {
  const c = currentColleague(s);
  if (!c || (role === 'sharer' && !sharerHeard(c))) return null;
  return colleagueStatusOf(s, c);
}

/** The invitation as the colleague's own connections see it. */
export function invitationOf(s: SessionRecord, c: SessionColleague, open: boolean): Invitation {
  return {
    sessionId: s.id,
    open,
    // The helper's profile as the sharer was shown it (and as a hand-over updates it).
    from: s.sharerTrust!.peer,
    sharerName: s.sharer?.name ?? '',
    ...(s.reportDevice && s.deviceId !== undefined ? { deviceName: s.reportDevice.name } : {}),
    invitedAt: iso(c.invitedAt),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.origin ? { origin: s.origin } : {}),
  };
}

/**
 * What the colleague is shown at accept: the sharer's trust card, the device and its warnings as the
 * helper saw them, the level of help and the chat setting, why the session exists, who invited them.
 */
export function colleagueTrustOf(s: SessionRecord): TrustInfo | undefined {
  const h = s.helperTrust;
  if (!h || !s.sharerTrust) return undefined;
  return {
    sessionId: s.id,
    role: 'colleague',
    peer: h.peer,
    ...(h.device ? { device: h.device } : {}),
    warnings: h.warnings,
    ...(s.permission ? { permission: s.permission } : {}),
    ...(h.chatEnabled !== undefined ? { chatEnabled: h.chatEnabled } : {}),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.origin ? { origin: s.origin } : {}),
    invitedBy: s.sharerTrust.peer,
  };
}

/** The session ends: a colleague in it (asking, allowed) stops being one then; an invited one keeps its
 * state (the invitation simply closes). Undefined when there is nothing to change. */
export function colleaguesAtEnd(s: Pick<SessionRecord, 'colleagues'>, at: number): SessionColleague[] | undefined {
  const c = memberColleague(s);
  return c ? withLast(s, { leftAt: at }) : undefined;
}

/** The end as the colleague hears it: the helper's copy of the session's end. */
export function endFor(sessionId: string, by: SessionEnded['by'], reason: SessionEnded['reason'], at: number): SessionEnded {
  return { sessionId, by, reason, at: iso(at) };
}
