// The session reports as the sessions write them: a refusal recorded while a request is handled names
// that request's id in its hash-chained record, so an administrator can go from the record (or the id a
// refused person quotes) to the relay's log lines. Every record written also counts its outcome.
import type { NewReport, ReportLog } from '../ports.js';
import type { RelayMetrics } from './metrics.js';
import { currentRequest } from './request-context.js';

export function recordingRequestIds(reports: ReportLog, metrics: RelayMetrics): ReportLog {
  const withRequestId = (entry: NewReport): NewReport => {
    const request = currentRequest();
    const refusal = entry.policy.refusal;
    if (!request || !refusal || entry.outcome !== 'refused') return entry;
    request.refusalRecorded = true;
    return { ...entry, policy: { ...entry.policy, refusal: { ...refusal, requestId: request.requestId } } };
  };
  return new Proxy(reports, {
    get(target, key, receiver) {
      if (key !== 'append') return Reflect.get(target, key, receiver) as unknown;
      return async (entry: NewReport) => {
        const stored = await target.append(withRequestId(entry));
        metrics.outcome(stored.outcome);
        return stored;
      };
    },
  });
}
