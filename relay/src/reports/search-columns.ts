// The columns list() filters on, copied out of a report's content. Lower-cased so that a
// case-insensitive substring search is a plain instr(); verify() recomputes them, so an edit that
// only hides a record from a filter is caught too.
import type { ReportContent } from './chain-hash.js';

export interface SearchColumns {
  helperUpn: string | null;
  sharerUpn: string | null;
  deviceId: string | null;
  deviceName: string | null;
  outcome: string;
}

export function searchColumns(c: ReportContent): SearchColumns {
  return {
    helperUpn: c.helper ? c.helper.upn.toLowerCase() : null,
    sharerUpn: c.sharer ? c.sharer.upn.toLowerCase() : null,
    deviceId: c.device ? c.device.id.toLowerCase() : null,
    deviceName: c.device ? c.device.name.toLowerCase() : null,
    outcome: c.outcome,
  };
}
