// Policy evaluation time per create and per join with 1,000 conditional-access rules in the tenant
// (DESIGN §6; issue 3 "Measure and report"). Runs the relay's real policy service over an in-memory
// source, so the figure is the decision itself, not SQLite or the network. Rules are compiled once per
// change of the tenant's rules (measured separately); the per-request figure is the steady state.
// Standalone: tsx bench/policy-evaluation.ts (prints the table, writes bench/results/policy-evaluation.json).
import { fileURLToPath } from 'node:url';
import { noBranding, type CaRule, type RoleDefinition } from '#protocol';
import { builtInRoles } from '#relay/directory/policy-tables.js';
import { compileRules } from '#relay/policy/conditional-access.js';
import { createPolicyService, type PolicySource } from '#relay/policy/policy-service.js';
import type { AuthUser, Tenant } from '#relay/ports.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

const ruleCount = 1000;
const runs = 2000;
const warmup = 200;

/** 1,000 rules of every condition kind; none refuses the benchmark's people, so every rule is evaluated. */
function manyRules(n: number): CaRule[] {
  const rules: CaRule[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 8;
    const conditions: CaRule['conditions'] =
      kind === 0 ? { users: Array.from({ length: 20 }, (_, j) => `user${i}-${j}@contoso.example`) }
        : kind === 1 ? { groups: [`Group ${i}`, `Group ${i + 1}`] }
          : kind === 2 ? { roles: [`Role ${i}`] }
            : kind === 3 ? { ipRanges: Array.from({ length: 10 }, (_, j) => `10.${i % 250}.${j}.0/24`).concat([`2001:db8:${(i % 65535).toString(16)}::/48`]) }
              : kind === 4 ? { platforms: ['Android', 'iOS'] }
                : kind === 5 ? { ipRanges: ['192.0.2.0/24'], deviceEnrolled: false }
                  : kind === 6 ? { groups: ['Finance'], ipRanges: ['198.51.100.0/24'], mfa: false }
                    : { users: [`someone${i}@contoso.example`], deviceCompliant: false };
    rules.push({
      id: `rule-${String(i).padStart(4, '0')}`,
      name: `Rule ${String(i).padStart(4, '0')}`,
      enabled: true,
      mode: i % 10 === 9 ? 'report-only' : 'enforce',
      appliesTo: i % 3 === 0 ? 'helper' : i % 3 === 1 ? 'sharer' : 'both',
      conditions,
      grant: i % 4 === 0 ? 'require-mfa' : i % 4 === 1 ? 'require-compliant-device' : 'block',
    });
  }
  return rules;
}

const tenant: Tenant = {
  id: 'bench-tenant', name: 'Bench', verifiedDomains: ['contoso.example'],
  settings: { remoteHelpEnabled: true, allowUnenrolled: true, chatEnabled: true, allowEnrollment: true, reportRetentionDays: 0, branding: noBranding },
};
const roles: RoleDefinition[] = [
  ...builtInRoles,
  { id: 'finance', name: 'Finance Support', description: '', permissions: ['view-screen'], scope: { deviceGroups: ['Finance devices'], userGroups: ['Finance'] }, builtIn: false, admin: false },
];
const helper: AuthUser = { tenantId: tenant.id, userId: 'helper', upn: 'helper@contoso.example', name: 'Helper', roles: ['Help Desk Operator', 'Finance Support'], amr: ['pwd'] };
const sharer: AuthUser = { tenantId: tenant.id, userId: 'sharer', upn: 'sharer@contoso.example', name: 'Sharer', roles: [], amr: ['pwd'] };

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
/** The policy decides asynchronously (the directory's reads): timed to its answer. */
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const round = (samples: number[]) => samples.map((s) => Math.round(s * 10_000) / 10_000);

export async function policyEvaluation(): Promise<BenchResult> {
  const rules = manyRules(ruleCount);
  const source: PolicySource = {
    tenant: async () => tenant,
    roles: async () => roles,
    rules: async () => rules,
    rulesRevision: async () => 1,
    userGroups: async (_t, userId) => (userId === 'sharer' ? ['Finance'] : ['IT']),
  };
  const policy = createPolicyService(source);
  const client = { ip: '203.0.113.50', platform: 'Windows' };
  const create = () => policy.checkCreate(helper, { deviceGroups: ['Corporate laptops', 'Finance devices'] }, client);
  const join = () => policy.checkJoin(sharer, {
    helper: { tenantId: tenant.id, userId: helper.userId, roles: helper.roles },
    deviceGroups: ['Corporate laptops', 'Finance devices'],
    device: { platform: 'Windows', compliant: true, approved: true },
  }, { ip: '2001:db8:ffff::9', platform: 'Windows' });

  const first = await create();
  if (!first.result.ok || !(await join()).result.ok) throw new Error('the benchmark requests must be allowed, so every rule is evaluated');
  const compile: number[] = [];
  for (let i = 0; i < 50; i++) compile.push(time(() => compileRules(rules)));
  for (let i = 0; i < warmup; i++) {
    await create();
    await join();
  }
  const creates: number[] = [];
  const joins: number[] = [];
  for (let i = 0; i < runs; i++) {
    creates.push(await timeAsync(create));
    joins.push(await timeAsync(join));
  }
  const hits = first.reportOnly.length;
  return {
    name: 'policy-evaluation',
    description: `Policy decision per session:create and per session:join with ${ruleCount} conditional-access rules`,
    measures: [
      measure(`checkCreate, ${ruleCount} rules`, round(creates), '≤ 1'),
      measure(`checkJoin, ${ruleCount} rules`, round(joins), '≤ 1'),
      measure(`compile ${ruleCount} rules (once per rules change)`, round(compile)),
    ],
    notes: [
      `${runs} timed runs each after ${warmup} warm-up runs; process.hrtime around one call; Node ${process.version}.`,
      'Every rule is looked at: none refuses the benchmark\'s people (they are allowed), which is the slowest path.',
      'Rules mix users (20 each), groups, roles, 11 CIDR ranges (IPv4 + IPv6, one node:net BlockList per rule), platforms, device state and MFA; 1 in 10 report-only.',
      `Report-only rules that would have refused at create: ${hits}.`,
      'Role definitions and rules come from memory here; on the relay they are read from SQLite at each decision (compiled rules are cached per tenant and rules revision).',
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await policyEvaluation();
  console.log(`  → ${writeResult(result)}`);
  console.log(`\n${table([result])}`);
}
