// The session rules of DESIGN §5, with no transport inside: callers pass the verified user and a
// validated request; every expected refusal is an Ack value; the other side is reached through a
// SessionNotifier (Socket.IO rooms in production). Time comes from the injected clock.
import { randomUUID } from 'node:crypto';
import { fail, isTerminal, limits, ok } from '../../../protocol/src/index.js';
import type {
  Ack, ChatMessage, CompliancePolicy, CreatedSession, Device, DeviceProof, ServerToClientEvents, SessionEnded, SessionResumed, SessionRole,
  SessionState, SessionStateChange, Signal, TrustInfo,
} from '../../../protocol/src/index.js';
import type { RateLimits } from '../config.js';
import type { PolicyDecision, PolicyService } from '../policy/policy-service.js';
import type { AuthUser, Clock, DeviceTrust, Directory, Log, NewReport, ReportLog } from '../ports.js';
import { rateLimitBucket } from '../net/client-address.js';
import { complianceAtJoin } from './device-freshness.js';
import { generateSecurityCode } from './security-code.js';
import { compact, createRefusalReport, sessionReport, tenantMismatchReport } from './session-report.js';
import type { SessionMember, SessionRecord, SessionStore } from './session-store.js';
import { deviceSummary, joinWarnings, profileOf } from './trust.js';

type EventPayload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** How the service reaches the members of a session, wherever their sockets are. */
export interface SessionNotifier {
  send<E extends keyof ServerToClientEvents>(sessionId: string, role: SessionRole, event: E, payload: EventPayload<E>): void;
  /** The session is over: stop routing to its members. */
  release(sessionId: string): void;
}

export interface SessionServiceDeps {
  store: SessionStore;
  directory: Directory;
  clock: Clock;
  notifier: SessionNotifier;
  log: Log;
  /** Who may help whom: roles, scope, tenant settings, conditional access (DESIGN §6). */
  policy: PolicyService;
  /** Every session and every refusal is one record here. */
  reports: ReportLog;
  /** Device-key proofs at join; without it every proof is refused and every sharer is unenrolled. */
  deviceTrust?: DeviceTrust;
  /** The tenant's compliance policy today: the proven device's check-in age is judged by it at join. */
  compliancePolicy: (tenantId: string) => CompliancePolicy;
  /** Known only after listen when the port is 0, hence a function. */
  publicUrl: () => string;
  rateLimits: RateLimits;
  codeLifetimeMs?: number;
  /** How long an ended session answers `session-ended` (rather than `not-found`) before it is forgotten. */
  tombstoneMs?: number;
  drawCode?: () => string;
  /** Messages one session's chat may hold; more is answered `rate-limited`. */
  chatMessagesMax?: number;
}

export interface RequestContext {
  /** The client's address, for the per-address join limit and conditional access. */
  address: string;
  /** The client's platform from its User-Agent (Windows, macOS, …), null when unknown. */
  platform?: string | null;
}

/** What the socket layer needs besides the ack: which room the caller now belongs to. */
export interface Membership<T> {
  role: SessionRole;
  value: T;
}

/** A join's answer, and whether it was a failed guess at a code (wrong, expired, used, another
 * tenant's): only those stay counted for the join limits. */
interface Admission {
  ack: Ack<Membership<TrustInfo>>;
  failed: boolean;
}

const live: readonly SessionState[] = ['created', 'joined', 'sharing'];

export type SessionService = ReturnType<typeof createSessionService>;

export function createSessionService(deps: SessionServiceDeps) {
  const { store, directory, clock, notifier, log, rateLimits, policy, reports } = deps;
  const codeLifetimeMs = deps.codeLifetimeMs ?? limits.codeLifetimeMs;
  const tombstoneMs = deps.tombstoneMs ?? 60 * 60_000;
  const drawCode = deps.drawCode ?? (() => generateSecurityCode());
  const chatMessagesMax = deps.chatMessagesMax ?? 1000;

  const memberOf = (user: AuthUser): SessionMember => ({ tenantId: user.tenantId, userId: user.userId, name: user.name, upn: user.upn });
  const same = (m: SessionMember | undefined, user: AuthUser) => !!m && m.tenantId === user.tenantId && m.userId === user.userId;
  const roleIn = (s: SessionRecord, user: AuthUser): SessionRole | undefined =>
    same(s.helper, user) ? 'helper' : same(s.sharer, user) ? 'sharer' : undefined;

  /** The session and the caller's role in it, or the refusal: unknown, not a member, or already over. */
  async function membership(user: AuthUser, sessionId: string): Promise<Ack<{ s: SessionRecord; role: SessionRole }>> {
    const s = await store.get(sessionId);
    if (!s) return fail('not-found', 'no such session');
    const role = roleIn(s, user);
    if (!role) return fail('forbidden', 'not a member of this session');
    if (isTerminal(s.state)) return fail('session-ended', 'the session has ended');
    return ok({ s, role });
  }

  /** A failure to record must not undo what the people saw happen: it is logged as the bug it is. */
  function record(report: NewReport): void {
    try {
      reports.append(report);
    } catch (error) {
      log.error('report append failed', { error, sessionId: report.sessionId, outcome: report.outcome });
    }
  }

  /** Moves a live session to a terminal state once, tells both sides at the same moment, and reports it. */
  async function finish(
    sessionId: string, state: SessionState, ended: Omit<SessionEnded, 'sessionId'>, patch: Partial<SessionRecord> = {},
    from: readonly SessionState[] = live,
  ): Promise<boolean> {
    const msg: SessionEnded = { sessionId, ...ended };
    const s = await store.transition(sessionId, from, { ...patch, state, endedAt: clock.now(), ended: msg });
    if (!s) return false;
    await store.dropChat(sessionId);
    notifier.send(sessionId, 'helper', 'session:ended', msg);
    // A sharer refused at join hears it in the join ack, not as an end of a session it never entered.
    if (s.sharer && state !== 'refused') notifier.send(sessionId, 'sharer', 'session:ended', msg);
    notifier.release(sessionId);
    record(sessionReport(s));
    log.info('session ended', { sessionId, state, by: msg.by, reason: msg.reason });
    return true;
  }

  const client = (ctx: RequestContext) => ({ ip: ctx.address, platform: ctx.platform ?? null });
  const refusalOf = (d: PolicyDecision) =>
    d.result.ok ? null : compact({ code: d.result.error.code, ruleId: d.result.error.policy?.ruleId, ruleName: d.result.error.policy?.ruleName });

  /** The join after its rate-limit check: what to answer, and whether it was a failed guess. */
  async function admit(user: AuthUser, code: string, ctx: RequestContext, now: number, proof: DeviceProof | undefined): Promise<Admission> {
    const refuse = (reason: 'code-invalid' | 'code-expired' | 'code-used' | 'tenant-mismatch', message: string, sessionId?: string): Admission => {
      log.info('join refused', { reason, ...(sessionId ? { sessionId } : {}) });
      return { ack: fail(reason, message), failed: true };
    };
    const answer = (ack: Ack<Membership<TrustInfo>>): Admission => ({ ack, failed: false });
    const found = await store.lookupCode(code, now);
    if (!found) return refuse('code-invalid', 'no session has this code');
    if (found.status === 'used') return refuse('code-used', 'this code was already used', found.sessionId);
    if (found.status === 'expired') return refuse('code-expired', 'this code has expired', found.sessionId);
    const s = await store.get(found.sessionId);
    if (!s || s.state !== 'created') return refuse('code-used', 'this code is no longer open', found.sessionId);
    // Checked before claiming, so someone of another tenant cannot burn a code meant for this one.
    if (s.tenantId !== user.tenantId) {
      // On the record of the code's tenant, like every refusal (issue 3), naming only who tried.
      record(tenantMismatchReport(s.tenantId, s.id, user, now));
      return refuse('tenant-mismatch', 'the helper is in another organization', s.id);
    }
    if (same(s.helper, user)) return answer(fail('forbidden', 'you cannot join your own session'));
    // A bad proof is not a guessed code: it does not count as a failure, and the code stays open for a retry.
    let proven: Device | undefined;
    if (proof) {
      const verified = deps.deviceTrust ? await deps.deviceTrust.verifyProof(user, proof) : fail<{ deviceId: string }>('device-proof-invalid', 'device trust is not available');
      if (!verified.ok) {
        log.info('join refused', { reason: 'device-proof-invalid', sessionId: s.id });
        return answer(fail('device-proof-invalid', 'this browser could not prove it is the enrolled device'));
      }
      const device = directory.device(user.tenantId, verified.value.deviceId);
      // Judged now, not as of its last report: a device that stopped checking in is no longer compliant.
      proven = device && complianceAtJoin(device, deps.compliancePolicy(user.tenantId), now);
    }
    if (!(await store.claimCode(code, now))) return refuse('code-used', 'this code was already used', s.id);

    const boundDevice = s.deviceId !== undefined ? (proven?.id === s.deviceId ? proven : directory.device(s.tenantId, s.deviceId)) : undefined;
    const bound = s.deviceId !== undefined ? { id: s.deviceId, device: boundDevice } : undefined;
    const joining = proven?.enrolled ? proven : undefined;
    const decision = policy.checkJoin(user, {
      helper: { tenantId: s.tenantId, userId: s.helper.userId, roles: s.helperRoles ?? [] },
      deviceGroups: bound ? (bound.device?.groups ?? []) : null,
      device: joining ? { platform: joining.platform, compliant: joining.compliance === 'compliant' } : undefined,
    }, client(ctx));
    const reportOnly = [...(s.reportOnly ?? []), ...decision.reportOnly];
    const reportDevice = s.reportDevice ?? (joining ? { id: joining.id, name: joining.name } : undefined);
    const warnings = joinWarnings(bound, joining);
    if (!decision.result.ok) {
      const refusal = refusalOf(decision)!;
      await finish(s.id, 'refused', { by: 'relay', reason: 'refused' }, {
        sharer: memberOf(user), joinedAt: now, reportOnly, refusal,
        ...(reportDevice ? { reportDevice } : {}),
        // What the helper would have been shown, for the record.
        helperTrust: { sessionId: s.id, role: 'helper', peer: profileOf(directory, user), warnings },
      }, ['created']);
      log.info('join refused', { reason: decision.result.error.code, sessionId: s.id, ...(refusal.ruleId ? { ruleId: refusal.ruleId } : {}) });
      return answer(decision.result);
    }

    const tenant = directory.tenant(s.tenantId);
    const chatEnabled = tenant?.settings.chatEnabled ?? true;
    const permission = decision.result.value.permission;
    const helperUser: AuthUser = { ...s.helper, roles: [], amr: [] };
    const shownDevice = bound?.device ?? joining;
    const sharerTrust: TrustInfo = { sessionId: s.id, role: 'sharer', peer: profileOf(directory, helperUser), warnings: [], permission, chatEnabled };
    const helperTrust: TrustInfo = {
      sessionId: s.id,
      role: 'helper',
      peer: profileOf(directory, user),
      ...(shownDevice ? { device: deviceSummary(shownDevice) } : {}),
      warnings,
      permission,
      chatEnabled,
    };
    const joined = await store.transition(s.id, ['created'], {
      state: 'joined', sharer: memberOf(user), helperTrust, sharerTrust, joinedAt: now, permission, reportOnly,
      ...(reportDevice ? { reportDevice } : {}),
    });
    if (!joined) return answer(fail('code-used', 'this code is no longer open'));
    notifier.send(s.id, 'helper', 'session:trust', helperTrust);
    notifier.send(s.id, 'helper', 'session:state', { sessionId: s.id, state: 'joined' });
    log.info('session joined', { sessionId: s.id, warnings: helperTrust.warnings.map((w) => w.kind), proven: joining !== undefined });
    return answer(ok({ role: 'sharer', value: sharerTrust }));
  }

  return {
    async create(user: AuthUser, req: { deviceId?: string | undefined }, ctx: RequestContext = { address: '' }): Promise<Ack<CreatedSession>> {
      const device = req.deviceId !== undefined ? directory.device(user.tenantId, req.deviceId) : undefined;
      if (req.deviceId !== undefined && !device) return fail('not-found', 'no such device in this tenant');
      const now = clock.now();
      // Checked and counted in one step; refused attempts count too, so nobody can fill the reports by
      // asking again and again.
      const counted = await store.hit([{ key: `create:${user.tenantId}:${user.userId}`, max: rateLimits.createsPerUser }], now, rateLimits.joinFailureWindowMs);
      if (!counted.allowed) return fail('rate-limited', 'too many sessions opened; try again later');
      const decision = policy.checkCreate(user, { deviceGroups: device ? (device.groups ?? []) : null }, client(ctx));
      const reportDevice = device ? { id: device.id, name: device.name } : undefined;
      if (!decision.result.ok) {
        record(createRefusalReport(user, reportDevice ?? null, now, refusalOf(decision)!, decision.reportOnly));
        log.info('create refused', { tenantId: user.tenantId, reason: decision.result.error.code, ...(decision.result.error.policy?.ruleId ? { ruleId: decision.result.error.policy.ruleId } : {}) });
        return decision.result;
      }
      const session: SessionRecord = {
        id: randomUUID(),
        tenantId: user.tenantId,
        state: 'created',
        createdAt: now,
        expiresAt: now + codeLifetimeMs,
        helper: memberOf(user),
        helperRoles: [...user.roles],
        permission: decision.result.value.permission,
        reportOnly: decision.reportOnly,
        ...(req.deviceId !== undefined ? { deviceId: req.deviceId } : {}),
        ...(reportDevice ? { reportDevice } : {}),
      };
      for (let attempt = 0; attempt < 10; attempt++) {
        const code = drawCode();
        if (await store.insert(session, code)) {
          log.info('session created', { sessionId: session.id, tenantId: session.tenantId, enrolled: req.deviceId !== undefined });
          return ok({
            sessionId: session.id,
            code,
            link: `${deps.publicUrl()}/rh?passcode=${code}`,
            expiresAt: new Date(session.expiresAt).toISOString(),
          });
        }
      }
      throw new Error('could not draw a free security code in 10 attempts');
    },

    /** A fresh challenge for the device-key proof the sharer page sends with its join. */
    async deviceChallenge(user: AuthUser): Promise<Ack<{ challenge: string }>> {
      if (!deps.deviceTrust) return fail('not-found', 'device trust is not available on this relay');
      return ok({ challenge: await deps.deviceTrust.challenge(user) });
    },

    async join(user: AuthUser, code: string, ctx: RequestContext, proof?: DeviceProof): Promise<Ack<Membership<TrustInfo>>> {
      const now = clock.now();
      // Every attempt is counted as a failure up front, in the same step as the check, so a burst of
      // concurrent guesses cannot all pass the check before any is counted; an attempt that turns out not
      // to be a failed guess is taken back.
      const counted = await store.hit([
        { key: `user:${user.tenantId}:${user.userId}`, max: rateLimits.joinFailuresPerUser },
        { key: `address:${rateLimitBucket(ctx.address)}`, max: rateLimits.joinFailuresPerAddress },
      ], now, rateLimits.joinFailureWindowMs);
      if (!counted.allowed) return fail('rate-limited', 'too many failed attempts; try again later');
      const { ack, failed } = await admit(user, code, ctx, now, proof);
      if (!failed) await store.refund(counted.ticket);
      return ack;
    },

    async consent(user: AuthUser, req: { sessionId: string; allow: boolean }): Promise<Ack<SessionStateChange>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      if (m.value.role !== 'sharer') return fail('forbidden', 'only the sharer consents');
      if (m.value.s.state !== 'joined') return fail('wrong-state', `consent is asked once, after join (state: ${m.value.s.state})`);
      const consentAt = clock.now();
      if (!req.allow) {
        const denied = await finish(req.sessionId, 'denied', { by: 'sharer', reason: 'denied' }, { consent: 'denied', consentAt }, ['joined']);
        if (!denied) return fail('wrong-state', 'the session changed');
        return ok({ sessionId: req.sessionId, state: 'denied' });
      }
      const s = await store.transition(req.sessionId, ['joined'], { state: 'sharing', consent: 'allowed', consentAt });
      if (!s) return fail('wrong-state', 'the session changed');
      const change: SessionStateChange = { sessionId: s.id, state: 'sharing' };
      notifier.send(s.id, 'helper', 'session:state', change);
      notifier.send(s.id, 'sharer', 'session:state', change);
      log.info('session sharing', { sessionId: s.id });
      return ok(change);
    },

    async end(user: AuthUser, sessionId: string): Promise<Ack<null>> {
      const m = await membership(user, sessionId);
      if (!m.ok) return m;
      await finish(sessionId, 'ended', { by: m.value.role, reason: 'ended' });
      return ok(null);
    },

    /** A member's connection is gone for good (no resume within the grace). */
    async leave(sessionId: string, role: SessionRole): Promise<void> {
      await finish(sessionId, 'ended', { by: role, reason: 'left' });
    },

    async signal(user: AuthUser, req: { sessionId: string; signal: Signal }): Promise<Ack<null>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      const { s, role } = m.value;
      if (s.state === 'created') return fail('wrong-state', 'nobody has joined yet');
      // Media goes sharer → helper only, and only after the sharer allowed it: the offer is the sharer's.
      if ('description' in req.signal && req.signal.description.type === 'offer') {
        if (role !== 'sharer') return fail('forbidden', 'only the sharer offers media');
        if (s.state !== 'sharing') return fail('wrong-state', 'the sharer has not allowed sharing yet');
      }
      notifier.send(s.id, role === 'helper' ? 'sharer' : 'helper', 'signal', { sessionId: s.id, signal: req.signal });
      return ok(null);
    },

    async chat(user: AuthUser, req: { sessionId: string; clientId: string; text: string }): Promise<Ack<ChatMessage>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      const { s, role } = m.value;
      if (!directory.tenant(s.tenantId)?.settings.chatEnabled) return fail('chat-disabled', 'chat is off for this tenant');
      if (s.state === 'created') return fail('wrong-state', 'nobody has joined yet');
      const appended = await store.appendChat(s.id, `${role}:${req.clientId}`, {
        sessionId: s.id,
        clientId: req.clientId,
        from: role,
        senderName: role === 'helper' ? s.helper.name : (s.sharer?.name ?? ''),
        text: req.text,
        sentAt: new Date(clock.now()).toISOString(),
      }, chatMessagesMax);
      // Refused in the same step as the append: a message racing the end is neither stored nor sent.
      if (!appended.ok) {
        return appended.reason === 'ended'
          ? fail('session-ended', 'the session has ended')
          : fail('rate-limited', `this session's chat holds its maximum of ${chatMessagesMax} messages`);
      }
      const { message: msg, added } = appended;
      // A resend (same clientId) is answered, not broadcast again: the other side has it already.
      if (added) {
        notifier.send(s.id, 'helper', 'chat:message', msg);
        notifier.send(s.id, 'sharer', 'chat:message', msg);
      }
      return ok(msg);
    },

    async resume(user: AuthUser, req: { sessionId: string; afterSeq: number }): Promise<Ack<Membership<SessionResumed>>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      const { s, role } = m.value;
      const trust = (role === 'helper' ? s.helperTrust : s.sharerTrust) ?? null;
      const messages = await store.chatAfter(s.id, req.afterSeq);
      log.info('session resumed', { sessionId: s.id, role });
      return ok({ role, value: { state: s.state, trust, messages } });
    },

    /** The relay is stopping: every live session ends now, by the relay, and is recorded so. */
    async shutdown(): Promise<void> {
      for (const id of await store.liveSessions()) await finish(id, 'ended', { by: 'relay', reason: 'ended' });
    },

    /** Expires unjoined codes and forgets old tombstones; called every second or so. */
    async sweep(): Promise<void> {
      const now = clock.now();
      for (const id of await store.expiredUnjoined(now)) await finish(id, 'expired', { by: 'relay', reason: 'expired' });
      await store.purge(now - Math.max(tombstoneMs, rateLimits.joinFailureWindowMs));
    },
  };
}
