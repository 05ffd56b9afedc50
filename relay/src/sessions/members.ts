// Small pure helpers on session members and policy decisions, shared by the service and admit.ts.
import type { PolicyDecision } from '../policy/policy-service.js';
import type { AuthUser } from '../ports.js';
import { compact } from './session-report.js';
import type { SessionMember } from './session-store.js';
import type { RequestContext } from './types.js';

export const memberOf = (user: AuthUser): SessionMember => ({ tenantId: user.tenantId, userId: user.userId, name: user.name, upn: user.upn });

export const sameUser = (m: SessionMember | undefined, user: Pick<AuthUser, 'tenantId' | 'userId'>): boolean => !!m && m.tenantId === user.tenantId && m.userId === user.userId;

/** The client as conditional access sees it. */
export const clientOf = (ctx: RequestContext) => ({ ip: ctx.address, platform: ctx.platform ?? null });

/** What a report keeps of a policy refusal: the code and the rule; null when the decision allowed. */
export const refusalOf = (d: PolicyDecision) =>
  d.result.ok ? null : compact({ code: d.result.error.code, ruleId: d.result.error.policy?.ruleId, ruleName: d.result.error.policy?.ruleName });

/** What a person whose account was disabled is answered (account-disabled), wherever they are refused. */
export const accountDisabled = 'your account has been disabled by your organization';
