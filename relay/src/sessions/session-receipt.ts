// The sharer's receipt of a session that has just ended (protocol/src/receipt.ts), made from the very
// report that went on the record, so the receipt and the report cannot tell different stories.
import type { SessionReceipt } from '#protocol';
import type { NewReport } from '../ports.js';

/** null when there is nothing to give a receipt for (no helper or no end on the record). */
export function receiptOf(report: NewReport, reportId: string | null): SessionReceipt | null {
  if (!report.sessionId || !report.helper || !report.endedAt) return null;
  return {
    sessionId: report.sessionId,
    reportId,
    helper: { name: report.helper.name, upn: report.helper.upn },
    // Shared only once allowed: a session denied, or ended before the answer, showed nothing.
    sharingSince: report.consent === 'allowed' ? report.consentAt : null,
    endedAt: report.endedAt,
    pauses: report.pauses ?? [],
    ...colleaguesSeen(report),
  };
}

/**
 * The colleagues the sharer allowed, from their consent until they stopped being the colleague (`to`
 * null: until the end of the session, handed over or not), and the helper it was handed over to. Absent
 * when there was none, as in a receipt of a session without colleagues.
 */
function colleaguesSeen(report: NewReport): Pick<SessionReceipt, 'colleagues' | 'handedOverTo'> {
  const allowed = (report.colleagues ?? []).filter((c) => c.consent === 'allowed' && c.consentAt !== null);
  const handedOver = (report.colleagues ?? []).filter((c) => c.handedOverAt !== null).at(-1);
  return {
    ...(allowed.length ? {
      colleagues: allowed.slice(0, 20).map((c) => ({
        name: c.name, upn: c.upn, from: c.consentAt!, to: c.leftAt === null || c.leftAt === report.endedAt ? null : c.leftAt,
      })),
    } : {}),
    ...(handedOver ? { handedOverTo: { name: handedOver.name, upn: handedOver.upn } } : {}),
  };
}
