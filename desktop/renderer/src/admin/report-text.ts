// How a session report reads in the table: outcome, who ended it and why, warnings, policy, colleagues.
// Every code (outcome, end reason, warning kind, refusal) becomes words here: a code the console does
// not know yet reads as a plain "other reason", never as the code itself.
import { msg, str } from '@lit/localize';
import type { ReportOutcome, SessionReport } from '#protocol';

export function outcomeLabel(o: ReportOutcome): string {
  switch (o) {
    case 'completed':
      return msg('Completed');
    case 'denied':
      return msg('Denied');
    case 'reported':
      // The sharer declined with Report: "I didn't expect this".
      return msg('Reported by the sharer');
    case 'expired':
      return msg('Expired');
    case 'refused':
      return msg('Refused');
    case 'cancelled':
      return msg('Cancelled');
  }
}

function byLabel(by: NonNullable<SessionReport['endedBy']>): string {
  switch (by) {
    case 'helper':
      return msg('Helper');
    case 'sharer':
      return msg('Sharer');
    case 'colleague':
      return msg('Colleague');
    case 'relay':
      return msg('Remote Help service');
  }
}

function reasonLabel(reason: string): string {
  switch (reason) {
    case 'ended':
      return msg('ended the session');
    case 'denied':
      return msg('denied the request');
    case 'reported':
      return msg('reported the request');
    case 'disconnected':
      return msg('disconnected');
    case 'left':
      return msg('left and did not come back');
    case 'connection-lost':
      return msg('lost the connection and did not come back');
    case 'expired':
      return msg('the code expired');
    case 'refused':
      return msg('refused by policy');
    case 'account-disabled':
      return msg('account disabled');
    default:
      return msg('ended for another reason');
  }
}

/** Why the relay refused a session, in a few words for the report table (the refusal's code). */
export function refusalReason(code: string): string {
  switch (code) {
    case 'permission-missing':
      return msg('no permission to help');
    case 'out-of-scope':
      return msg('the device or person is outside the helper’s scope');
    case 'policy-blocked':
      return msg('blocked by a conditional access rule');
    case 'mfa-required':
      return msg('multi-factor authentication required');
    case 'compliant-device-required':
      return msg('a compliant device is required');
    case 'unenrolled-not-allowed':
      return msg('help for unenrolled devices is turned off');
    case 'remote-help-disabled':
      return msg('remote help is turned off');
    case 'tenant-mismatch':
      return msg('the sharer is from another organization');
    case 'account-disabled':
      return msg('account disabled');
    case 'device-proof-invalid':
      return msg('the device could not prove its enrollment');
    case 'code-invalid':
      return msg('the security code was not valid');
    case 'code-expired':
      return msg('the security code had expired');
    case 'code-used':
      return msg('the security code was already used');
    case 'rate-limited':
      return msg('too many attempts');
    case 'overloaded':
      return msg('the service was at capacity');
    case 'too-many-sessions':
      return msg('the helper had too many open sessions');
    default:
      return msg('another reason');
  }
}

export function endedText(r: SessionReport): string {
  if (!r.endedBy) return r.endReason ? reasonLabel(r.endReason) : '';
  const who = byLabel(r.endedBy);
  return r.endReason ? msg(str`${who}: ${reasonLabel(r.endReason)}`) : who;
}

export function warningsText(r: SessionReport): string[] {
  return r.warnings.map((w) => {
    switch (w.kind) {
      case 'unenrolled':
        return msg('Not enrolled');
      case 'unconfirmed-device':
        return w.deviceName ? msg(str`Not confirmed to be ${w.deviceName}`) : msg('Device not confirmed');
      case 'noncompliant':
        return msg('Not compliant');
    }
  });
}

export function policyText(r: SessionReport): string[] {
  const out: string[] = [];
  const refusal = r.policy.refusal;
  if (refusal) {
    const where = r.policy.step === 'join' ? msg('at join') : r.policy.step === 'create' ? msg('at create') : '';
    const why = refusalReason(refusal.code);
    out.push(refusal.ruleName
      ? msg(str`Refused by the rule “${refusal.ruleName}” ${where}`).trim()
      : (where ? msg(str`Refused ${where}: ${why}`) : msg(str`Refused: ${why}`)));
  }
  // The id the refused person was shown, and the relay's log lines carry: what an administrator searches for.
  if (refusal?.requestId) out.push(msg(str`Request ID: ${refusal.requestId}`));
  for (const ro of r.policy.reportOnly) out.push(msg(str`Report-only: “${ro.ruleName}” would have applied`));
  return out;
}

/** The times a member was away and the sharer paused, in the order they began. `time` formats an ISO
 * instant (the console's formatTime; a test's own). */
export function interruptionsText(r: Pick<SessionReport, 'gaps' | 'pauses'>, time: (iso: string) => string): string[] {
  const items: Array<{ from: string; text: string }> = [];
  for (const g of r.gaps ?? []) {
    const who = g.role === 'helper' ? msg('Helper') : g.role === 'colleague' ? msg('Colleague') : msg('Sharer');
    const why = g.reason === 'left' ? msg('page closed or reloaded') : msg('connection lost');
    const from = time(g.from);
    items.push({
      from: g.from,
      text: g.to === null
        ? msg(str`${who} away from ${from} (${why}), did not come back`)
        : msg(str`${who} away ${from} – ${time(g.to)} (${why})`),
    });
  }
  for (const p of r.pauses ?? []) {
    const from = time(p.from);
    items.push({ from: p.from, text: p.to === null ? msg(str`Sharing paused from ${from} to the end`) : msg(str`Sharing paused ${from} – ${time(p.to)}`) });
  }
  return items.sort((a, b) => Date.parse(a.from) - Date.parse(b.from)).map((i) => i.text);
}

type ReportColleague = NonNullable<SessionReport['colleagues']>[number];

/** What became of one invited colleague, with the times that say it (issue 13, point 5). */
function colleagueOutcome(c: ReportColleague, time: (iso: string) => string): string {
  const at = (iso: string | null) => (iso === null ? '?' : time(iso));
  const allowed = c.consent === 'allowed';
  switch (c.state) {
    case 'invited':
      return msg('did not answer');
    case 'asking':
      return msg(str`accepted ${at(c.answeredAt)}, the sharer had not decided`);
    case 'allowed':
      return msg(str`allowed ${at(c.consentAt)} – ${at(c.leftAt)}, until the session ended`);
    case 'denied':
      return msg(str`denied by the sharer ${at(c.consentAt)}`);
    case 'declined':
      return msg(str`declined ${at(c.answeredAt)}`);
    case 'left':
      return allowed ? msg(str`allowed ${at(c.consentAt)}, left ${at(c.leftAt)}`) : msg(str`left ${at(c.leftAt)} before the sharer decided`);
    case 'withdrawn':
      if (c.closedBecause === 'account-disabled') return msg('invitation closed: account disabled');
      if (allowed) return msg(str`allowed ${at(c.consentAt)}, removed by the helper ${at(c.leftAt)}`);
      return c.answeredAt === null ? msg('invitation withdrawn by the helper') : msg(str`withdrawn by the helper ${at(c.leftAt)}`);
    case 'handed-over':
      return msg(str`allowed ${at(c.consentAt)}, handed over to them ${at(c.handedOverAt)}`);
    default:
      return msg('another outcome');
  }
}

/** A name inside a translated sentence, isolated (FSI…PDI) so a Latin sign-in name keeps its order in
 * an Arabic sentence and an Arabic name in an English one. */
const isolated = (text: string): string => `\u2068${text}\u2069`;

/** Every colleague invited to the session, in order: who, invited by whom and when, and what became of
 * them. The helper who started the session stays in the Helper column; a hand-over reads here. */
export function colleaguesText(r: Pick<SessionReport, 'colleagues'>, time: (iso: string) => string): string[] {
  return (r.colleagues ?? []).map((c) =>
    msg(str`${isolated(c.upn)}, invited by ${isolated(c.invitedBy.name)} at ${time(c.invitedAt)}: ${colleagueOutcome(c, time)}`));
}
