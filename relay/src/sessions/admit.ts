// Admitting a sharer with a security code (DESIGN §5 "join"), after the join's rate-limit check: the
// code is valid, unexpired, unused and of the same tenant; the device proof if any; the policy at join;
// then both sides are told. Answers whether it was a failed guess, which alone stays counted.
import type { Ack, CompliancePolicy, Device, DeviceProof, TrustInfo } from '#protocol';
import { fail, ok } from '#protocol';
import type { PolicyService } from '../policy/policy-service.js';
import type { AuthUser, DeviceTrust, Directory, Log, ProfileFreshness } from '../ports.js';
import { complianceAtJoin } from './device-freshness.js';
import type { Finisher } from './finish.js';
import { accountDisabled, clientOf, memberOf, refusalOf, sameUser } from './members.js';
import { ownersWith } from './owners.js';
import { stillAssigned, type CurrentRoles } from './precheck.js';
import { tenantMismatchReport } from './session-report.js';
import type { Owner, SessionStore } from './session-store.js';
import { deviceSummary, joinWarnings, profileOf, purposeShown } from './trust.js';
import type { Membership, RequestContext, SessionNotifier } from './types.js';

/** A join's answer, and whether it was a failed guess at a code (wrong, expired, used, another
 * tenant's): only those stay counted for the join limits. */
export interface Admission {
  ack: Ack<Membership<TrustInfo>>;
  failed: boolean;
}

export interface AdmitDeps extends Finisher {
  store: SessionStore;
  directory: Directory;
  policy: PolicyService;
  notifier: SessionNotifier;
  log: Log;
  /** Device-key proofs; without it every proof is refused. */
  deviceTrust?: DeviceTrust;
  compliancePolicy: (tenantId: string) => Promise<CompliancePolicy>;
  /** Outside profiles (Graph) waited for at join, at most profileWaitMs; none: the directory is all. */
  profiles?: ProfileFreshness;
  /** The helper's roles in the directory today (precheck.ts); absent: those recorded at create. */
  currentRoles?: CurrentRoles;
  /** Puts the session in the sharer's member index (person-index.ts) before the write that makes them
   * its sharer. Never rejects (a failure is logged). */
  indexMember(person: { tenantId: string; userId: string }, sessionId: string): Promise<void>;
}

const noSuchCode = 'no session has this code';

/** The longest a join waits for the organization's directory (issue 7): then it goes on, saying so. */
export const profileWaitMs = 2_000;

/** `owner`: the socket joining, which speaks for the sharer from the join's own write on (owners.ts):
 * a node that appends the helper's first message right after it already knows where the sharer is. */
export type Admit = (user: AuthUser, code: string, ctx: RequestContext, now: number, proof: DeviceProof | undefined, owner?: Owner) => Promise<Admission>;

export function createAdmit(deps: AdmitDeps): Admit {
  const { store, directory, policy, notifier, log, record, finish } = deps;
  return async (user, code, ctx, now, proof, owner) => {
    const refuse = (reason: 'code-invalid' | 'code-expired' | 'code-used' | 'tenant-mismatch', message: string, sessionId?: string): Admission => {
      log.info('join refused', { reason, ...(sessionId ? { sessionId } : {}) });
      // Another organization's code is, to the person typing it, no code at all: the same answer as a
      // code nobody has, so a guess does not learn that it hit a live session elsewhere. The log and
      // the code's tenant's report keep the difference.
      return { ack: reason === 'tenant-mismatch' ? fail('code-invalid', noSuchCode) : fail(reason, message), failed: true };
    };
    const answer = (ack: Ack<Membership<TrustInfo>>): Admission => ({ ack, failed: false });
    const found = await store.lookupCode(code, now);
    if (!found) return refuse('code-invalid', noSuchCode);
    // Whose code it is comes first, whatever its state: that a code was used or has expired is told only
    // to its own organization (another one's used code told as used would say it exists). A code whose
    // session is no longer remembered is no code to anyone: its organization cannot be told.
    const s = await store.get(found.sessionId);
    if (!s) return refuse('code-invalid', noSuchCode, found.sessionId);
    // Checked before claiming, so someone of another tenant cannot burn a code meant for this one.
    if (s.tenantId !== user.tenantId) {
      // On the record of the code's tenant, like every refusal (issue 3), naming only who tried.
      await record(tenantMismatchReport(s.tenantId, s.id, user, now));
      return refuse('tenant-mismatch', 'the helper is in another organization', s.id);
    }
    if (found.status === 'used') return refuse('code-used', 'this code was already used', s.id);
    if (found.status === 'expired') return refuse('code-expired', 'this code has expired', s.id);
    if (s.state !== 'created') return refuse('code-used', 'this code is no longer open', s.id);
    if (sameUser(s.helper, user)) return answer(fail('forbidden', 'you cannot join your own session'));
    // A bad proof is not a guessed code: it does not count as a failure, and the code stays open for a retry.
    let proven: Device | undefined;
    if (proof) {
      const verified = deps.deviceTrust ? await deps.deviceTrust.verifyProof(user, proof) : fail<{ deviceId: string }>('device-proof-invalid', 'device trust is not available');
      if (!verified.ok) {
        log.info('join refused', { reason: 'device-proof-invalid', sessionId: s.id });
        return answer(fail('device-proof-invalid', 'this browser could not prove it is the enrolled device'));
      }
      const [device, compliance] = await Promise.all([directory.device(user.tenantId, verified.value.deviceId), deps.compliancePolicy(user.tenantId)]);
      // Judged now, not as of its last report: a device that stopped checking in is no longer compliant.
      proven = device && complianceAtJoin(device, compliance, now);
    }
    // Job titles, photos and groups (for role scopes) from Graph, refreshed since the sign-in; a slow or
    // throttled Graph holds the join at most profileWaitMs. Before the code is claimed: a join refused
    // for what happened meanwhile leaves the code for a retry.
    const stale = deps.profiles
      ? await deps.profiles.settle([{ tenantId: s.tenantId, userId: s.helper.userId }, { tenantId: user.tenantId, userId: user.userId }], profileWaitMs)
      : new Set<string>();
    // Disabled while waiting: the session ending for the helper is the finisher's; the sharer is refused here.
    if (!(await directory.isActive(user.tenantId, user.userId))) return answer(fail('account-disabled', accountDisabled));
    // Rules that look at groups decide on groups known to be current, never on a list Graph could not refresh.
    if (stale.size > 0 && (await policy.rulesUseGroups(s.tenantId))) {
      log.warn('join waits for the directory', { sessionId: s.id, stale: stale.size });
      return answer(fail('identity-provider-unavailable', 'your organization\'s directory did not answer in time to check its access rules: try again in a moment'));
    }
    if (!(await store.claimCode(code, now))) return refuse('code-used', 'this code was already used', s.id);

    const boundDevice = s.deviceId !== undefined ? (proven?.id === s.deviceId ? proven : await directory.device(s.tenantId, s.deviceId)) : undefined;
    const bound = s.deviceId !== undefined ? { id: s.deviceId, device: boundDevice } : undefined;
    const joining = proven?.enrolled ? proven : undefined;
    // The helper's roles as assigned now, not as at create: a role taken away while the code waited
    // stops the join (permission-missing), as it stops the helper's next create.
    const helperRoles = await stillAssigned({ tenantId: s.tenantId, userId: s.helper.userId }, s.helperRoles ?? [], deps.currentRoles);
    const decision = await policy.checkJoin(user, {
      helper: { tenantId: s.tenantId, userId: s.helper.userId, roles: helperRoles },
      deviceGroups: bound ? (bound.device?.groups ?? []) : null,
      device: joining ? { platform: joining.platform, compliant: joining.compliance === 'compliant', approved: joining.approved } : undefined,
    }, clientOf(ctx));
    const reportOnly = [...(s.reportOnly ?? []), ...decision.reportOnly];
    const reportDevice = s.reportDevice ?? (joining ? { id: joining.id, name: joining.name } : undefined);
    const warnings = joinWarnings(bound, joining);
    if (!decision.result.ok) {
      const refusal = refusalOf(decision)!;
      // The helper is told which refusal ended it (its own role removed reads differently from a rule).
      await finish(s.id, 'refused', { by: 'relay', reason: 'refused', code: decision.result.error.code }, {
        sharer: memberOf(user), sharerAddress: ctx.address, joinedAt: now, reportOnly, refusal,
        ...(reportDevice ? { reportDevice } : {}),
        // What the helper would have been shown, for the record.
        helperTrust: { sessionId: s.id, role: 'helper', peer: await profileOf(directory, user, stale.has(user.userId)), warnings },
      }, ['created']);
      log.info('join refused', { reason: decision.result.error.code, sessionId: s.id, ...(refusal.ruleId ? { ruleId: refusal.ruleId } : {}) });
      return answer(decision.result);
    }

    const permission = decision.result.value.permission;
    const helperUser: AuthUser = { ...s.helper, roles: [], amr: [] };
    // The tenant and both profiles at once: one round of reads.
    const [tenant, helperProfile, sharerProfile] = await Promise.all([
      directory.tenant(s.tenantId), profileOf(directory, helperUser, stale.has(helperUser.userId)), profileOf(directory, user, stale.has(user.userId)),
    ]);
    const chatEnabled = tenant?.settings.chatEnabled ?? true;
    const shownDevice = bound?.device ?? joining;
    const sharerTrust: TrustInfo = { sessionId: s.id, role: 'sharer', peer: helperProfile, warnings: [], permission, chatEnabled, ...purposeShown(s, 'sharer') };
    const helperTrust: TrustInfo = {
      sessionId: s.id,
      role: 'helper',
      peer: sharerProfile,
      ...(shownDevice ? { device: deviceSummary(shownDevice) } : {}),
      warnings,
      permission,
      chatEnabled,
      ...purposeShown(s, 'helper'),
    };
    // Before the write: from then on a disable of their account finds this session (session-service.ts).
    // A join that loses the code to another leaves the entry: harmless (a disable reading it finds them in
    // no role), and safer than taking it out, which could race a write that does make them a member (an
    // invitation as a colleague); the entry goes when seen to be stale, or expires (person-index.ts).
    await deps.indexMember(user, s.id);
    const joined = (await store.update(s.id, ['created'], (current) => ({
      state: 'joined', sharer: memberOf(user), sharerAddress: ctx.address, helperTrust, sharerTrust, joinedAt: now, permission, reportOnly,
      ...(reportDevice ? { reportDevice } : {}),
      // Read from the record as it is now: the helper's socket may have taken over meanwhile.
      ...(owner ? { owners: ownersWith(current.owners, 'sharer', owner) } : {}),
    })))?.record;
    if (!joined) return answer(fail('code-used', 'this code is no longer open'));
    // Disabled while this join was on its way, after the disable looked for their sessions (and found this
    // one without them): ended here, as that disable would have ended it, rather than when their page's grace runs out.
    if (!(await directory.isActive(user.tenantId, user.userId))) {
      await finish(s.id, 'ended', { by: 'sharer', reason: 'account-disabled' });
      return answer(fail('account-disabled', accountDisabled));
    }
    notifier.send(s.id, 'helper', 'session:trust', helperTrust);
    notifier.send(s.id, 'helper', 'session:state', { sessionId: s.id, state: 'joined' });
    log.info('session joined', { sessionId: s.id, warnings: helperTrust.warnings.map((w) => w.kind), proven: joining !== undefined });
    return answer(ok({ role: 'sharer', value: sharerTrust }));
  };
}
