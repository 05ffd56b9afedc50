// A small fixed directory and a recording notifier for the pure session-service tests; the socket
// tests run against the real SQLite directory instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaRule, CompliancePolicy, Device, PersonProfile, RoleDefinition, SessionRole, ServerToClientEvents } from '#protocol';
import type { AuthUser, DeviceTrust, Directory, Tenant } from '#relay/ports.js';
import { builtInRoles } from '#relay/directory/index.js';
import { createMemoryLog } from '#relay/log.js';
import { defaultCompliancePolicy } from '#relay/policy/compliance.js';
import { createPolicyService, type PolicySource } from '#relay/policy/policy-service.js';
import { createReportLog } from '#relay/reports/index.js';
import { createMemoryWindowCounter } from '#relay/limits/memory-window-counter.js';
import { createMemorySessionStore } from '#relay/sessions/memory-session-store.js';
import { createSessionService, type SessionNotifier } from '#relay/sessions/session-service.js';

export const contoso: Tenant = {
  id: 'tenant-contoso', name: 'Contoso', verifiedDomains: ['contoso.example'],
  settings: { remoteHelpEnabled: true, allowUnenrolled: true, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0 },
};
export const fabrikam: Tenant = {
  id: 'tenant-fabrikam', name: 'Fabrikam', verifiedDomains: ['fabrikam.example'],
  settings: { remoteHelpEnabled: true, allowUnenrolled: false, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0 },
};

const user = (tenant: Tenant, local: string, name: string, roles: string[]): AuthUser => ({
  tenantId: tenant.id, userId: `${local}-${tenant.id}`, upn: `${local}@${tenant.verifiedDomains[0]}`, name, roles, amr: ['pwd'],
});
export const helper = user(contoso, 'helper', 'Hanna Helper', ['Help Desk Operator']);
export const sharer = user(contoso, 'sharer', 'Sam Sharer', []);
export const stranger = user(contoso, 'other', 'Olle Other', []);
export const fabrikamHelper = user(fabrikam, 'helper', 'Frida Helper', ['Help Desk Operator']);
export const fabrikamSharer = user(fabrikam, 'sharer', 'Fred Sharer', []);

const device = (id: string, compliance: Device['compliance'], reasons: string[]): Device => ({
  id, tenantId: contoso.id, name: `PC-${id}`, platform: 'Windows', osVersion: '11', primaryUser: sharer.upn,
  enrolled: true, compliance, complianceReasons: reasons, lastCheckIn: '2026-01-01T00:00:00Z', groups: ['Corporate laptops'],
  updatedAt: '2026-01-01T00:00:00Z',
});
export const compliantDevice = device('dev-ok', 'compliant', []);
export const noncompliantDevice = device('dev-bad', 'noncompliant', ['BitLocker off']);

export function fixtureDirectory(tenants: Tenant[] = [contoso, fabrikam]): Directory {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const devices = [compliantDevice, noncompliantDevice];
  return {
    tenant: (id) => byId.get(id),
    tenantByDomain: (d) => tenants.find((t) => t.verifiedDomains.includes(d)),
    profile: (tenantId, userId): PersonProfile | undefined => {
      const u = [helper, sharer, stranger, fabrikamHelper, fabrikamSharer].find((x) => x.tenantId === tenantId && x.userId === userId);
      const t = byId.get(tenantId);
      if (!u || !t) return undefined;
      return {
        userId, tenantId, tenantName: t.name, name: u.name, jobTitle: 'Job', company: t.name, upn: u.upn,
        domain: u.upn.split('@')[1]!, domainVerified: true, photoUrl: 'data:image/png;base64,AA==',
      };
    },
    device: (tenantId, id) => devices.find((d) => d.tenantId === tenantId && d.id === id),
    devicesChangedSince: () => devices,
  };
}

export interface Sent {
  sessionId: string;
  role: SessionRole;
  event: keyof ServerToClientEvents;
  payload: unknown;
}

export function recordingNotifier(): SessionNotifier & { sent: Sent[]; released: string[]; to(role: SessionRole, event: string): Sent[] } {
  const sent: Sent[] = [];
  const released: string[] = [];
  return {
    sent,
    released,
    send: (sessionId, role, event, payload) => void sent.push({ sessionId, role, event, payload }),
    release: (sessionId) => void released.push(sessionId),
    to: (role, event) => sent.filter((s) => s.role === role && s.event === event),
  };
}

export function manualClock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** Role definitions and rules in memory, as the directory's PolicyStore would answer them. */
export function fixturePolicy(directory: Directory, opts: { roles?: RoleDefinition[]; rules?: CaRule[]; groups?: Record<string, string[]> } = {}) {
  const state = { roles: opts.roles ?? builtInRoles, rules: opts.rules ?? [], revision: 0 };
  const source: PolicySource = {
    tenant: (id) => directory.tenant(id),
    roles: () => state.roles,
    rules: () => state.rules,
    rulesRevision: () => state.revision,
    userGroups: (_tenantId, userId) => opts.groups?.[userId] ?? [],
  };
  return {
    source,
    setRoles: (roles: RoleDefinition[]) => void (state.roles = roles),
    setRules: (rules: CaRule[]) => void ((state.rules = rules), state.revision++),
  };
}

/** Open report logs (real SQLite files in temp folders), closed by closeFixtureReports() after each test file. */
const openReports: { close(): void; dir: string }[] = [];
export function closeFixtureReports(): void {
  for (const r of openReports.splice(0)) {
    r.close();
    rmSync(r.dir, { recursive: true, force: true });
  }
}

export function serviceUnderTest(options: {
  tenants?: Tenant[]; roles?: RoleDefinition[]; rules?: CaRule[]; groups?: Record<string, string[]>; deviceTrust?: DeviceTrust;
  compliancePolicy?: CompliancePolicy; chatMessagesMax?: number;
} = {}) {
  const clock = manualClock();
  const notifier = recordingNotifier();
  const log = createMemoryLog();
  const store = createMemorySessionStore();
  const directory = fixtureDirectory(options.tenants);
  const policy = fixturePolicy(directory, options);
  const dir = mkdtempSync(join(tmpdir(), 'rh-reports-'));
  const reports = createReportLog({ dataDir: dir, clock });
  openReports.push({ close: () => reports.close(), dir });
  const sessions = createSessionService({
    store, limits: createMemoryWindowCounter(), directory, clock, notifier, log,
    publicUrl: 'https://relay.test:8443',
    rateLimits: { joinFailuresPerUser: 5, joinFailuresPerAddress: 20, joinFailureWindowMs: 10 * 60_000, createsPerUser: 30 },
    policy: createPolicyService(policy.source),
    reports,
    ...(options.deviceTrust ? { deviceTrust: options.deviceTrust } : {}),
    compliancePolicy: () => options.compliancePolicy ?? defaultCompliancePolicy,
    ...(options.chatMessagesMax !== undefined ? { chatMessagesMax: options.chatMessagesMax } : {}),
  });
  return { sessions, clock, notifier, log, store, reports, policy };
}
