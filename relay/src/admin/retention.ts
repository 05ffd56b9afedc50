// Report retention: records older than the tenant's reportRetentionDays are deleted (0 keeps them all).

export const retentionIntervalMs = 24 * 60 * 60 * 1000;

/** The ISO instant before which a tenant's reports are deleted. */
export function retentionCutoff(now: number, days: number): string {
  return new Date(now - days * 24 * 60 * 60 * 1000).toISOString();
}
