// Conditional access (DESIGN §6): admin-written rules evaluated at create (for the helper) and at join
// (for the sharer). A rule applies when every present condition matches (AND; any entry of a list
// matches, OR); its grant then blocks, or asks for MFA / a compliant device (and, unless the rule says
// approvedDevicesOnly: false, one an administrator approved or Intune manages). Report-only rules never
// refuse; their would-be refusals are recorded. Rules are compiled once per change of the tenant's rules
// (Sets for lists, a node:net BlockList per rule for the CIDR ranges), so evaluating 1,000 rules is a loop
// of set lookups.
import { BlockList, SocketAddress, isIP } from 'node:net';
import type { CaGrant, CaRule, ErrorCode, PolicyRefusal } from '#protocol';

export type CaStep = 'create' | 'join';

/** Who is asking, as conditional access sees it. */
export interface CaSubject {
  userId: string;
  upn: string;
  roles: readonly string[];
  groups: readonly string[];
  amr: readonly string[];
  /** The client's address (IPv4, IPv6, or IPv4-mapped IPv6). */
  ip: string;
  /** The client's platform (Windows, macOS, …), null when unknown. */
  platform: string | null;
  /** The device the person proved to be on; a helper's console proves none. `approved`: Intune-managed,
   * imported, or an enrolled browser an administrator approved (its properties are only self-reported). */
  device: { enrolled: boolean; compliant: boolean; approved: boolean };
}

export interface CaHit {
  ruleId: string;
  ruleName: string;
  grant: CaGrant;
}

export interface CaRefusal {
  code: Extract<ErrorCode, 'policy-blocked' | 'mfa-required' | 'compliant-device-required'>;
  message: string;
  policy: PolicyRefusal & { ruleId: string; ruleName: string };
}

export interface CaOutcome {
  refusal: CaRefusal | null;
  /** Report-only rules that would have refused, in evaluation order. */
  reportOnly: CaHit[];
}

/** The subject with what every rule compares worked out once per evaluation, not once per rule. */
interface Prepared {
  s: CaSubject;
  upn: string;
  userId: string;
  platform: string | null;
  /** Parsed once: BlockList.check with a SocketAddress is an order of magnitude faster than with a string. */
  address: SocketAddress | undefined;
  mfa: boolean;
}

interface CompiledRule {
  rule: CaRule;
  matches(p: Prepared): boolean;
}

export interface CompiledRules {
  /** The enabled rules that apply at each step, in evaluation order. */
  readonly byStep: Readonly<Record<CaStep, readonly CompiledRule[]>>;
}

/** One CIDR ("10.0.0.0/8", "2001:db8::/32") or single address; undefined if it is neither. */
export function parseRange(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { address, prefix, family } : undefined;
}

/** An IPv4-mapped IPv6 address (how a dual-stack socket reports IPv4) is compared as IPv4. */
function socketAddress(ip: string): SocketAddress | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const version = isIP(address);
  return version === 0 ? undefined : new SocketAddress({ address, family: version === 4 ? 'ipv4' : 'ipv6' });
}

const lowerSet = (list: readonly string[]) => new Set(list.map((v) => v.trim().toLowerCase()));
const anyIn = (set: ReadonlySet<string>, values: readonly string[]) => values.some((v) => set.has(v));

function compileRule(rule: CaRule): CompiledRule {
  const c = rule.conditions;
  const checks: ((p: Prepared) => boolean)[] = [];
  if (c.users) {
    const users = lowerSet(c.users);
    checks.push((p) => users.has(p.upn) || users.has(p.userId));
  }
  if (c.groups) {
    const groups = new Set(c.groups);
    checks.push((p) => anyIn(groups, p.s.groups));
  }
  if (c.roles) {
    const roles = new Set(c.roles);
    checks.push((p) => anyIn(roles, p.s.roles));
  }
  if (c.platforms) {
    const platforms = lowerSet(c.platforms);
    checks.push((p) => p.platform !== null && platforms.has(p.platform));
  }
  if (c.deviceEnrolled !== undefined) {
    const wanted = c.deviceEnrolled;
    checks.push((p) => p.s.device.enrolled === wanted);
  }
  if (c.deviceCompliant !== undefined) {
    const wanted = c.deviceCompliant;
    checks.push((p) => (p.s.device.enrolled && p.s.device.compliant) === wanted);
  }
  if (c.mfa !== undefined) {
    const wanted = c.mfa;
    checks.push((p) => p.mfa === wanted);
  }
  // Cheapest checks first: the address ranges come last, after any set lookup had the chance to say no.
  if (c.ipRanges) {
    const ranges = new BlockList();
    for (const text of c.ipRanges) {
      const r = parseRange(text);
      if (r) ranges.addSubnet(r.address, r.prefix, r.family);
    }
    checks.push((p) => !!p.address && ranges.check(p.address));
  }
  return {
    rule,
    matches: (p) => {
      for (const check of checks) if (!check(p)) return false;
      return true;
    },
  };
}

/** Enabled rules in a fixed order (name, then id), so the same request always meets the same rule first. */
export function compileRules(rules: readonly CaRule[]): CompiledRules {
  const ordered = rules
    .filter((r) => r.enabled)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const compiled = ordered.map(compileRule);
  return {
    byStep: {
      create: compiled.filter((c) => c.rule.appliesTo !== 'sharer'),
      join: compiled.filter((c) => c.rule.appliesTo !== 'helper'),
    },
  };
}

/** Absent means true: a browser's word alone (self-reported properties) does not pass such a rule. */
export const requiresApproval = (rule: Pick<CaRule, 'grant' | 'approvedDevicesOnly'>): boolean =>
  rule.grant === 'require-compliant-device' && rule.approvedDevicesOnly !== false;

function satisfied(rule: CaRule, s: CaSubject): boolean {
  if (rule.grant === 'require-mfa') return s.amr.includes('mfa');
  if (rule.grant === 'require-compliant-device') return s.device.enrolled && s.device.compliant && (s.device.approved || !requiresApproval(rule));
  return false;
}

function refusalOf(rule: CaRule, s: CaSubject): CaRefusal {
  const who = { ruleId: rule.id, ruleName: rule.name };
  if (rule.grant === 'require-mfa') {
    return { code: 'mfa-required', message: `The rule "${rule.name}" requires multi-factor authentication: sign in again with a second factor.`, policy: { ...who, remedy: 'sign-in-with-mfa' } };
  }
  if (rule.grant === 'require-compliant-device') {
    // Compliant by its own report, but nobody vouched for it yet: the remedy is the administrator's approval.
    if (s.device.enrolled && s.device.compliant) {
      return {
        code: 'compliant-device-required',
        message: `The rule "${rule.name}" requires a compliant device approved by an administrator: this device waits for an administrator's approval.`,
        policy: { ...who, remedy: 'await-device-approval' },
      };
    }
    return { code: 'compliant-device-required', message: `The rule "${rule.name}" requires an enrolled, compliant device: use one.`, policy: { ...who, remedy: 'use-compliant-device' } };
  }
  return { code: 'policy-blocked', message: `The rule "${rule.name}" blocks this: ask your administrator.`, policy: { ...who, remedy: 'ask-admin' } };
}

export function evaluateRules(compiled: CompiledRules, step: CaStep, subject: CaSubject): CaOutcome {
  const prepared: Prepared = {
    s: subject,
    upn: subject.upn.trim().toLowerCase(),
    userId: subject.userId.toLowerCase(),
    platform: subject.platform?.toLowerCase() ?? null,
    address: socketAddress(subject.ip),
    mfa: subject.amr.includes('mfa'),
  };
  const reportOnly: CaHit[] = [];
  let refusal: CaRefusal | null = null;
  for (const { rule, matches } of compiled.byStep[step]) {
    // Once an enforced rule has refused, only report-only rules still need a look (to be recorded).
    if (refusal && rule.mode === 'enforce') continue;
    if (!matches(prepared) || satisfied(rule, subject)) continue;
    if (rule.mode === 'report-only') reportOnly.push({ ruleId: rule.id, ruleName: rule.name, grant: rule.grant });
    else refusal = refusalOf(rule, subject);
  }
  return { refusal, reportOnly };
}
