// How a session ends and how anything is put on the record: shared by the service and admit.ts (a
// refusal at join ends the session there).
import { isTerminal, sessionStates, type SessionEnded, type SessionReport, type SessionState } from '#protocol';
import type { Clock, Log, NewReport, ReportLog } from '../ports.js';
import { colleaguesAtEnd, currentColleague, invitationOf } from './colleague-record.js';
import { receiptOf } from './session-receipt.js';
import { sessionReport } from './session-report.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import type { SessionNotifier } from './types.js';

const live: readonly SessionState[] = sessionStates.filter((s) => !isTerminal(s));

/**
 * What the helper is told of an end. A Report reaches the helper as a plain decline: whoever asked may be
 * an impostor, and one told "you were reported" knows to drop this account or call the next person
 * before an administrator acts; a real helper loses nothing, since the administrators follow it up.
 */
function helperCopy(msg: SessionEnded): SessionEnded {
  return msg.reason === 'reported' ? { ...msg, reason: 'denied' } : msg;
}

export interface Finisher {
  /** A failure to record must not undo what the people saw happen: it is logged as the bug it is.
   * Never rejects; awaited so that a session's report is on the record before its end is answered.
   * The record as stored, or undefined when it could not be stored. */
  record(report: NewReport): Promise<SessionReport | undefined>;
  /** Moves a session in one of the `from` states (the live ones by default) to a terminal state once,
   * tells both sides at the same moment, and reports it. False when it was not in those states, or when
   * `unless` holds for it at that moment (checked in the same step as the move). */
  finish(
    sessionId: string, state: SessionState, ended: Pick<SessionEnded, 'by' | 'reason' | 'code'>, patch?: Partial<SessionRecord>, from?: readonly SessionState[],
    unless?: (s: SessionRecord) => boolean,
  ): Promise<boolean>;
}

export function createFinisher(deps: {
  store: SessionStore; clock: Clock; notifier: SessionNotifier; reports: ReportLog; log: Log;
  /** Called once a session has ended, whatever ended it (to drop what waited on it), with its record. */
  onEnded?: (sessionId: string, ended: SessionRecord) => void;
}): Finisher {
  const { store, clock, notifier, reports, log } = deps;

  async function record(report: NewReport): Promise<SessionReport | undefined> {
    try {
      return await reports.append(report);
    } catch (error) {
      log.error('report append failed', { error, sessionId: report.sessionId, outcome: report.outcome });
      return undefined;
    }
  }

  async function finish(
    sessionId: string, state: SessionState, ended: Pick<SessionEnded, 'by' | 'reason' | 'code'>, patch: Partial<SessionRecord> = {},
    from: readonly SessionState[] = live, unless?: (s: SessionRecord) => boolean,
  ): Promise<boolean> {
    const at = clock.now();
    const done = await store.update(sessionId, from, (current) => {
      if (unless?.(current)) return undefined;
      const next = { ...current, ...patch };
      const msg: SessionEnded = {
        sessionId, by: ended.by, reason: ended.reason, ...(ended.code ? { code: ended.code } : {}), at: new Date(at).toISOString(),
        ...(next.consent === 'allowed' && next.consentAt !== undefined ? { sharingSince: new Date(next.consentAt).toISOString() } : {}),
      };
      // A colleague in the session stops being one at its end, in the same step.
      const colleagues = colleaguesAtEnd(next, at);
      return { ...patch, state, endedAt: at, ended: msg, ...(colleagues ? { colleagues } : {}) };
    });
    if (!done?.changed) return false;
    const s = done.record;
    const msg = s.ended!;
    deps.onEnded?.(sessionId, s);
    await store.dropChat(sessionId);
    // A colleague (asking or allowed) hears the end as the helper does; an invited one's invitation closes.
    notifier.send(sessionId, ['helper', 'colleague'], 'session:ended', helperCopy(msg));
    const invited = currentColleague(s);
    if (invited?.state === 'invited' && s.sharerTrust) {
      notifier.sendToUser(invited.member.tenantId, invited.member.userId, 'session:invitation', invitationOf(s, invited, false));
    }
    // A sharer refused at join hears it in the join ack, not as an end of a session it never entered.
    const toSharer = s.sharer !== undefined && state !== 'refused';
    if (toSharer) notifier.send(sessionId, 'sharer', 'session:ended', msg);
    const report = sessionReport(s);
    const recorded = await record(report);
    // The sharer's receipt names the report, so it follows the end once the report is on the record;
    // the rooms are let go only after it.
    const receipt = toSharer ? receiptOf(report, recorded?.id ?? null) : null;
    if (receipt) notifier.send(sessionId, 'sharer', 'session:receipt', receipt);
    notifier.release(sessionId);
    log.info('session ended', { sessionId, state, by: msg.by, reason: msg.reason });
    return true;
  }

  return { record, finish };
}
