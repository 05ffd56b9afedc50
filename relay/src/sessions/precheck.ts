// "Would session:create refuse me?", asked before the helper presses Get security code or Continue, so a
// refusal that does not depend on the moment is told up front (with what can work instead) rather than
// after a click. The same policy decision as create — tenant settings, a role that helps, the device in
// the role's scope, conditional access — but nothing is recorded and nothing is counted: no report (no
// session was attempted) and no hit on the create limit. What depends on the moment (the create limit,
// a directory that does not answer in time) is left to create itself.
import { fail, ok, type Ack } from '#protocol';
import type { PolicyService } from '../policy/policy-service.js';
import type { AuthUser, Directory, ProfileFreshness } from '../ports.js';
import { profileWaitMs } from './admit.js';
import { clientOf } from './members.js';
import type { RequestContext } from './types.js';

export interface PrecheckDeps {
  directory: Directory;
  policy: PolicyService;
  profiles?: ProfileFreshness;
  currentRoles?: CurrentRoles;
}

/** The roles the directory assigns a user today (undefined: a user the directory does not know). */
export type CurrentRoles = (tenantId: string, userId: string) => Promise<readonly string[] | undefined>;

/**
 * The helper as of now: the token's roles, less any the directory no longer assigns. A token lives an
 * hour, and an administrator who takes a role away means the next session, not the next sign-in (the
 * admin API's guard reads the directory the same way). One directory read per create: never per message.
 * A role added since the sign-in waits for the next token, as before: the token is what was signed.
 */
export async function withCurrentRoles(user: AuthUser, currentRoles: CurrentRoles | undefined): Promise<AuthUser> {
  return { ...user, roles: await stillAssigned(user, user.roles, currentRoles) };
}

/** `roles` less those the directory no longer assigns `who` (all of them for a user it does not know
 * of: the token is then all there is). Also read at join, for the helper's roles recorded at create. */
export async function stillAssigned(
  who: Pick<AuthUser, 'tenantId' | 'userId'>, roles: readonly string[], currentRoles: CurrentRoles | undefined,
): Promise<string[]> {
  const current = await currentRoles?.(who.tenantId, who.userId);
  if (!current) return [...roles];
  const assigned = new Set(current);
  return roles.filter((role) => assigned.has(role));
}

export type Precheck = (user: AuthUser, req: { deviceId?: string | undefined }, ctx?: RequestContext) => Promise<Ack<null>>;

export function createPrecheck({ directory, policy, profiles, currentRoles }: PrecheckDeps): Precheck {
  return async (asSignedIn, req, ctx = { address: '' }) => {
    const user = await withCurrentRoles(asSignedIn, currentRoles);
    const device = req.deviceId !== undefined ? await directory.device(user.tenantId, req.deviceId) : undefined;
    if (req.deviceId !== undefined && !device) return fail('not-found', 'no such device in this tenant');
    // Rules that look at the helper's groups need them current; when the directory does not answer in
    // time there is no answer in advance (create will wait again and say so).
    if (profiles && (await policy.rulesUseGroups(user.tenantId))) {
      const stale = await profiles.settle([{ tenantId: user.tenantId, userId: user.userId }], profileWaitMs);
      if (stale.size > 0) return ok(null);
    }
    const decision = await policy.checkCreate(user, { deviceGroups: device ? (device.groups ?? []) : null }, clientOf(ctx));
    return decision.result.ok ? ok(null) : decision.result;
  };
}
