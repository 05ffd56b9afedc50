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
  };
}
