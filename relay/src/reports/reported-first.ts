// The administrator's report list puts reported sessions (the sharer pressed Report) above the rest,
// newest first within each part. Done as two index-served reads instead of one ORDER BY on an
// expression, which would sort every record of the tenant for each page: a page is cut from the
// reported part first, then continues into the rest.

/** `outcome` is never NULL here: both parts sit under reportWhere's `body IS NOT NULL`. */
export const reportedOnly = "outcome = 'reported'";
export const notReported = "outcome <> 'reported'";

export interface PagePart { offset: number; limit: number }

/** Which slice of each part a page of `limit` records from `offset` takes, given how many are reported. */
export function reportedFirstParts(offset: number, limit: number, reportedCount: number): { reported?: PagePart; rest?: PagePart } {
  const parts: { reported?: PagePart; rest?: PagePart } = {};
  let left = limit;
  if (offset < reportedCount) {
    const take = Math.min(left, reportedCount - offset);
    parts.reported = { offset, limit: take };
    left -= take;
  }
  if (left > 0) parts.rest = { offset: Math.max(0, offset - reportedCount), limit: left };
  return parts;
}
