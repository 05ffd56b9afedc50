// The relay's policy decisions at the two steps of a session (DESIGN §6): at create, for the helper
// (tenant settings, a role with a help permission, the device inside the role's scope, conditional
// access); at join, for the sharer (settings again, the helper's roles covering the sharer's user groups,
// conditional access with the device the sharer proved). Definitions are read at decision time, so an
// admin's change applies to the next session; compiled rules are cached per tenant until the rules change.
import { fail, ok, type Ack, type CaRule, type Permission, type RoleDefinition } from '#protocol';
import type { AuthUser, Tenant } from '../ports.js';
import { compileRules, evaluateRules, type CaHit, type CaStep, type CaSubject, type CompiledRules } from './conditional-access.js';
import { canHelp, coversDevice, coversUser, definedRoles, permissionLevel } from './permissions.js';

/** What the policy service reads; the directory's PolicyStore in production. */
export interface PolicySource {
  tenant(tenantId: string): Promise<Tenant | undefined>;
  roles(tenantId: string): Promise<RoleDefinition[]>;
  rules(tenantId: string): Promise<CaRule[]>;
  rulesRevision(tenantId: string): Promise<number>;
  userGroups(tenantId: string, userId: string): Promise<string[]>;
}

/** Where the request comes from. */
export interface ClientContext {
  ip: string;
  platform: string | null;
}

/** The device the sharer proved to be on at join (undefined: no proof, unenrolled). */
export interface JoiningDevice {
  platform: string;
  compliant: boolean;
  /** Intune-managed, imported, or an enrolled browser an administrator approved. */
  approved: boolean;
}

export interface PolicyGrant {
  /** The level of help granted: the helper's strongest at create; at join always view-screen (a web sharer). */
  permission: Permission;
}

export interface PolicyDecision {
  step: CaStep;
  result: Ack<PolicyGrant>;
  /** Report-only rules that would have refused: recorded, never enforced. */
  reportOnly: CaHit[];
}

export interface CreateCheck {
  /** The device groups of the device the session is for, or null for the unenrolled way in. */
  deviceGroups: string[] | null;
}

export interface JoinCheck {
  /** The helper as recorded at create: his token's roles are re-read against today's definitions. */
  helper: { tenantId: string; userId: string; roles: string[] };
  /** The device groups of the device the session is bound to, or null for an unbound session. */
  deviceGroups: string[] | null;
  device: JoiningDevice | undefined;
}

export type PolicyService = ReturnType<typeof createPolicyService>;

export function createPolicyService(source: PolicySource) {
  type Compiled = { revision: number; rules: CompiledRules; usesGroups: boolean };
  const compiled = new Map<string, Compiled>();
  /** The tenant's rules compiled, read again only when their revision moved (one small read otherwise). */
  const rulesOf = async (tenantId: string): Promise<Compiled> => {
    const revision = await source.rulesRevision(tenantId);
    const cached = compiled.get(tenantId);
    if (cached && cached.revision === revision) return cached;
    const list = await source.rules(tenantId);
    const entry: Compiled = {
      revision,
      rules: compileRules(list),
      usesGroups: list.some((r) => r.enabled && r.mode === 'enforce' && (r.conditions.groups?.length ?? 0) > 0),
    };
    // The rules read may be newer than `revision` (a save in between): then the next call reads them
    // again, never the other way round, since a save bumps the revision after writing the rule.
    const current = compiled.get(tenantId);
    if (!current || current.revision <= revision) compiled.set(tenantId, entry);
    return entry;
  };

  const decide = (step: CaStep, result: Ack<PolicyGrant>, reportOnly: CaHit[] = []): PolicyDecision => ({ step, result, reportOnly });

  const conditionalAccess = (rules: CompiledRules, step: CaStep, subject: CaSubject, grant: PolicyGrant): PolicyDecision => {
    const outcome = evaluateRules(rules, step, subject);
    if (outcome.refusal) return decide(step, fail(outcome.refusal.code, outcome.refusal.message, outcome.refusal.policy), outcome.reportOnly);
    return decide(step, ok(grant), outcome.reportOnly);
  };

  return {
    /** Whether an enforced rule of the tenant looks at user groups: then a stale group list may not decide. */
    async rulesUseGroups(tenantId: string): Promise<boolean> {
      return (await rulesOf(tenantId)).usesGroups;
    },

    async checkCreate(user: AuthUser, req: CreateCheck, client: ClientContext): Promise<PolicyDecision> {
      // Everything the decision may need, read at once: one round of reads, not one after another.
      const [tenant, roles, groups, rules] = await Promise.all([
        source.tenant(user.tenantId), source.roles(user.tenantId), source.userGroups(user.tenantId, user.userId), rulesOf(user.tenantId),
      ]);
      if (!tenant) return decide('create', fail('forbidden', 'unknown tenant'));
      if (!tenant.settings.remoteHelpEnabled) return decide('create', fail('remote-help-disabled', 'remote help is off for this tenant'));
      const helping = definedRoles(user.roles, roles).filter(canHelp);
      if (helping.length === 0) {
        return decide('create', fail('permission-missing', 'your roles grant no remote help permission: ask your administrator for one'));
      }
      if (req.deviceGroups === null && !tenant.settings.allowUnenrolled) {
        return decide('create', fail('unenrolled-not-allowed', 'this tenant does not allow help for unenrolled devices'));
      }
      const covering = helping.filter((r) => coversDevice(r, req.deviceGroups));
      if (covering.length === 0) {
        return decide('create', fail('out-of-scope', req.deviceGroups === null
          ? 'your roles cover only devices in certain groups: an unenrolled device is outside them'
          : 'this device is outside the device groups your roles cover'));
      }
      const subject: CaSubject = {
        userId: user.userId, upn: user.upn, roles: user.roles, groups, amr: user.amr,
        ip: client.ip, platform: client.platform,
        // The helper's console proves no device key: for conditional access it is an unenrolled device.
        device: { enrolled: false, compliant: false, approved: false },
      };
      return conditionalAccess(rules.rules, 'create', subject, { permission: permissionLevel(covering) ?? 'view-screen' });
    },

    /**
     * Whether a colleague the helper invites could help in this session (issue 13, point 5), by the roles
     * the directory assigns them today: a role that helps at all (permission-missing), and one whose scope
     * covers the session's device and the sharer (out-of-scope), as at join for the helper. Conditional
     * access waits for their accept, where their own client is known (checkCreate).
     */
    async checkColleague(tenantId: string, colleagueRoles: readonly string[], req: { deviceGroups: string[] | null; sharer: { tenantId: string; userId: string } }): Promise<Ack<null>> {
      const [roles, sharerGroups] = await Promise.all([source.roles(tenantId), source.userGroups(req.sharer.tenantId, req.sharer.userId)]);
      const helping = definedRoles(colleagueRoles, roles).filter(canHelp);
      if (helping.length === 0) return fail('permission-missing', 'this colleague\'s roles grant no remote help permission');
      if (!helping.some((r) => coversDevice(r, req.deviceGroups) && coversUser(r, sharerGroups))) {
        return fail('out-of-scope', 'this colleague\'s roles do not cover this device or this person');
      }
      return ok(null);
    },

    async checkJoin(sharer: AuthUser, req: JoinCheck, client: ClientContext): Promise<PolicyDecision> {
      const [tenant, helperRoles, sharerGroups, rules] = await Promise.all([
        source.tenant(sharer.tenantId), source.roles(req.helper.tenantId), source.userGroups(sharer.tenantId, sharer.userId), rulesOf(sharer.tenantId),
      ]);
      if (!tenant) return decide('join', fail('forbidden', 'unknown tenant'));
      if (!tenant.settings.remoteHelpEnabled) return decide('join', fail('remote-help-disabled', 'remote help is off for this tenant'));
      if (req.deviceGroups === null && !req.device && !tenant.settings.allowUnenrolled) {
        return decide('join', fail('unenrolled-not-allowed', 'this tenant does not allow help for unenrolled devices'));
      }
      const helping = definedRoles(req.helper.roles, helperRoles).filter(canHelp);
      if (helping.length === 0) return decide('join', fail('permission-missing', 'the helper\'s roles no longer grant remote help'));
      const covering = helping.filter((r) => coversDevice(r, req.deviceGroups) && coversUser(r, sharerGroups));
      if (covering.length === 0) {
        return decide('join', fail('out-of-scope', 'the helper\'s roles do not cover you: the helper cannot help you with this session'));
      }
      const subject: CaSubject = {
        userId: sharer.userId, upn: sharer.upn, roles: sharer.roles, groups: sharerGroups, amr: sharer.amr,
        ip: client.ip, platform: req.device?.platform ?? client.platform,
        device: req.device
          ? { enrolled: true, compliant: req.device.compliant, approved: req.device.approved }
          : { enrolled: false, compliant: false, approved: false },
      };
      // The sharer shares from a browser page: view only, whatever the helper's roles would allow.
      return conditionalAccess(rules.rules, 'join', subject, { permission: 'view-screen' });
    },
  };
}
