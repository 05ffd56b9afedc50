// One report per session, written when it reaches a terminal state (DESIGN §6): who, which device,
// what was shown, how policy decided, and when each step happened. Never screen or chat content.
import type { ReportOutcome, SessionReport } from '#protocol';
import type { AuthUser, NewReport } from '../ports.js';
import type { SessionColleague, SessionMember, SessionRecord } from './session-store.js';

const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());
const person = (m: SessionMember | AuthUser | undefined) => (m ? { userId: m.userId, upn: m.upn, name: m.name } : null);

function outcomeOf(s: SessionRecord): ReportOutcome {
  if (s.state === 'refused') return 'refused';
  if (s.state === 'denied') return s.ended?.reason === 'reported' ? 'reported' : 'denied';
  if (s.state === 'expired') return 'expired';
  return s.consent === 'allowed' ? 'completed' : 'cancelled';
}

/** The report of a session that has just ended, been denied, expired or been refused at join. */
export function sessionReport(s: SessionRecord): NewReport {
  return {
    tenantId: s.tenantId,
    sessionId: s.id,
    // The helper who started it, even when it was handed over (colleagues say to whom, and when).
    helper: person(s.startedBy ?? s.helper),
    sharer: person(s.sharer),
    device: s.reportDevice ?? null,
    permission: s.permission ?? null,
    warnings: s.helperTrust?.warnings ?? [],
    outcome: outcomeOf(s),
    policy: {
      step: s.refusal ? 'join' : null,
      refusal: s.refusal ?? null,
      reportOnly: s.reportOnly ?? [],
    },
    createdAt: new Date(s.createdAt).toISOString(),
    joinedAt: iso(s.joinedAt),
    consentAt: iso(s.consentAt),
    consent: s.consent ?? null,
    endedAt: iso(s.endedAt),
    endedBy: s.ended?.by ?? null,
    endReason: s.ended?.reason ?? null,
    ...purposeKept(s),
    // Kept once someone joined: before that there was nobody to wait for or to share with.
    ...(s.joinedAt !== undefined ? {
      gaps: (s.gaps ?? []).map((g) => ({ role: g.role, from: new Date(g.from).toISOString(), to: iso(g.to ?? undefined), reason: g.reason })),
      pauses: (s.pauses ?? []).map((p) => ({ from: new Date(p.from).toISOString(), to: iso(p.to ?? undefined) })),
    } : {}),
    ...(s.sharerAddress !== undefined ? { sharerAddress: s.sharerAddress } : {}),
    // Absent when nobody was invited, so such a report reads like those written before colleagues were.
    ...(s.colleagues?.length ? { colleagues: s.colleagues.map(reportColleagueOf) } : {}),
  };
}

/** What the report keeps of one invitation (protocol/src/colleague.ts reportColleague). */
function reportColleagueOf(c: SessionColleague): NonNullable<SessionReport['colleagues']>[number] {
  return {
    userId: c.member.userId,
    upn: c.member.upn,
    name: c.member.name,
    invitedBy: { userId: c.invitedBy.userId, name: c.invitedBy.name },
    invitedAt: new Date(c.invitedAt).toISOString(),
    state: c.state,
    answeredAt: iso(c.answeredAt),
    consent: c.state === 'denied' ? 'denied' : c.consentAt !== undefined ? 'allowed' : null,
    consentAt: iso(c.consentAt),
    leftAt: iso(c.leftAt),
    handedOverAt: iso(c.handedOverAt),
    ...(c.closedBecause ? { closedBecause: c.closedBecause } : {}),
  };
}

/** The reason and the origin as the report keeps them: left out when absent, so the stored JSON has no
 * undefined in it and a session without a reason reads like the reports written before reasons were. */
export function purposeKept(p: Pick<SessionRecord, 'reason' | 'origin'>): Pick<SessionReport, 'reason' | 'origin'> {
  return { ...(p.reason !== undefined ? { reason: p.reason } : {}), ...(p.origin ? { origin: p.origin } : {}) };
}

/** A refusal that happens at once: no session went on, nothing was shown or granted, the relay ended it. */
function refusedOnTheSpot(at: number) {
  const when = new Date(at).toISOString();
  return {
    permission: null,
    warnings: [],
    outcome: 'refused',
    createdAt: when,
    joinedAt: null,
    consentAt: null,
    consent: null,
    endedAt: when,
    endedBy: 'relay',
    endReason: 'refused',
  } as const satisfies Partial<NewReport>;
}

/** The report of a session refused at create: there is no session, only the attempt. */
export function createRefusalReport(
  helper: AuthUser, device: { id: string; name: string } | null, at: number,
  refusal: { code: string; ruleId?: string | undefined; ruleName?: string | undefined },
  reportOnly: SessionReport['policy']['reportOnly'],
  purpose: Pick<SessionRecord, 'reason' | 'origin'> = {},
): NewReport {
  return {
    tenantId: helper.tenantId,
    sessionId: null,
    helper: person(helper),
    sharer: null,
    device,
    policy: { step: 'create', refusal: compact(refusal), reportOnly },
    ...purposeKept(purpose),
    ...refusedOnTheSpot(at),
  };
}

/** Leaves out absent rule fields, so the stored JSON has no undefined in it. */
export function compact(r: { code: string; ruleId?: string | undefined; ruleName?: string | undefined }): NonNullable<SessionReport['policy']['refusal']> {
  return { code: r.code, ...(r.ruleId !== undefined ? { ruleId: r.ruleId } : {}), ...(r.ruleName !== undefined ? { ruleName: r.ruleName } : {}) };
}

/**
 * A sharer of another organization tried a code of this tenant. Recorded under the tenant whose code
 * it was (its admin must see attempts on its codes), naming only the one who tried: nothing of this
 * tenant goes to the other one, and the session itself goes on (its code stays open).
 */
export function tenantMismatchReport(sessionTenantId: string, sessionId: string, attempting: AuthUser, at: number): NewReport {
  return {
    tenantId: sessionTenantId,
    sessionId,
    helper: null,
    sharer: person(attempting),
    device: null,
    policy: { step: 'join', refusal: { code: 'tenant-mismatch' }, reportOnly: [] },
    ...refusedOnTheSpot(at),
  };
}
