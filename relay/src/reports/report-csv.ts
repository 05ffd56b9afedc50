// The reports as CSV (RFC 4180: CRLF line ends, a field with a comma, quote or line break is quoted,
// quotes doubled). User names and device names are chosen by whoever controls the account or the
// device, so a cell that starts with = + - @ (or a tab / carriage return) is prefixed with ' : a
// spreadsheet app then shows it as text instead of running it as a formula (OWASP "CSV injection").
import type { SessionReport } from '#protocol';

const columns: Array<[string, (r: SessionReport) => string | number | null | undefined]> = [
  ['seq', (r) => r.seq],
  ['id', (r) => r.id],
  ['sessionId', (r) => r.sessionId],
  ['outcome', (r) => r.outcome],
  ['createdAt', (r) => r.createdAt],
  ['joinedAt', (r) => r.joinedAt],
  ['consentAt', (r) => r.consentAt],
  ['consent', (r) => r.consent],
  ['endedAt', (r) => r.endedAt],
  ['endedBy', (r) => r.endedBy],
  ['endReason', (r) => r.endReason],
  ['helperUpn', (r) => r.helper?.upn],
  ['helperName', (r) => r.helper?.name],
  ['sharerUpn', (r) => r.sharer?.upn],
  ['sharerName', (r) => r.sharer?.name],
  // Empty in records written before it was kept.
  ['sharerAddress', (r) => r.sharerAddress],
  ['deviceId', (r) => r.device?.id],
  ['deviceName', (r) => r.device?.name],
  ['permission', (r) => r.permission],
  ['warnings', (r) => r.warnings.map((w) => {
    // An unconfirmed device is named: which device the browser did not prove to be.
    const details = [...(w.deviceName !== undefined ? [w.deviceName] : []), ...w.reasons];
    return details.length ? `${w.kind}: ${details.join(', ')}` : w.kind;
  }).join('; ')],
  ['policyStep', (r) => r.policy.step],
  ['refusalCode', (r) => r.policy.refusal?.code],
  ['refusalRule', (r) => r.policy.refusal?.ruleName ?? r.policy.refusal?.ruleId],
  ['reportOnlyRules', (r) => r.policy.reportOnly.map((x) => `${x.ruleName} (${x.grant})`).join('; ')],
  // One cell each, a period per entry: "sharer left 2026-…Z/2026-…Z"; an open end is empty after the slash.
  ['gaps', (r) => r.gaps?.map((g) => `${g.role} ${g.reason} ${g.from}/${g.to ?? ''}`).join('; ')],
  ['pauses', (r) => r.pauses?.map((p) => `${p.from}/${p.to ?? ''}`).join('; ')],
  // Every invited colleague: "upn state invitedAt"; the report's JSON keeps the rest of each (issue 13).
  ['colleagues', (r) => r.colleagues?.map((c) => `${c.upn} ${c.state} ${c.invitedAt}`).join('; ')],
  // Typed by the helper: the formula guard below applies to it like to names.
  ['reason', (r) => r.reason],
  // console, web-helper or other-app, as the relay saw the helper sign in; empty in older records.
  ['startedFrom', (r) => r.origin?.app],
  // Reviews are kept beside the chain; the export says whether a reported session was looked at.
  ['reviewedBy', (r) => r.review?.by.name],
  ['reviewedAt', (r) => r.review?.at],
  ['hash', (r) => r.hash],
];

export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return columns.map(([name]) => name).join(',');
}

export function csvRow(r: SessionReport): string {
  return columns.map(([, get]) => csvField(get(r))).join(',');
}
