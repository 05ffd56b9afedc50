// The session rules of DESIGN §5, with no transport inside: callers pass the verified user and a
// validated request; every expected refusal is an Ack value; the other side is reached through a
// SessionNotifier (Socket.IO rooms in production). Time comes from the injected clock.
import { randomUUID } from 'node:crypto';
import { fail, limits, ok } from '../../../protocol/src/index.js';
import type {
  Ack, ChatMessage, CreatedSession, ServerToClientEvents, SessionEnded, SessionResumed, SessionRole,
  SessionState, SessionStateChange, Signal, TrustInfo,
} from '../../../protocol/src/index.js';
import type { RateLimits } from '../config.js';
import type { AuthUser, Clock, Directory, Log } from '../ports.js';
import { generateSecurityCode } from './security-code.js';
import type { SessionMember, SessionRecord, SessionStore } from './session-store.js';
import { deviceSummary, deviceWarnings, profileOf } from './trust.js';

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
  /** Known only after listen when the port is 0, hence a function. */
  publicUrl: () => string;
  rateLimits: RateLimits;
  codeLifetimeMs?: number;
  /** How long an ended session answers `session-ended` (rather than `not-found`) before it is forgotten. */
  tombstoneMs?: number;
  drawCode?: () => string;
}

export interface RequestContext {
  /** The client's address, for the per-address join limit. */
  address: string;
}

/** What the socket layer needs besides the ack: which room the caller now belongs to. */
export interface Membership<T> {
  role: SessionRole;
  value: T;
}

const live: readonly SessionState[] = ['created', 'joined', 'sharing'];
const terminal: ReadonlySet<SessionState> = new Set(['ended', 'denied', 'expired', 'refused']);

export type SessionService = ReturnType<typeof createSessionService>;

export function createSessionService(deps: SessionServiceDeps) {
  const { store, directory, clock, notifier, log, rateLimits } = deps;
  const codeLifetimeMs = deps.codeLifetimeMs ?? limits.codeLifetimeMs;
  const tombstoneMs = deps.tombstoneMs ?? 60 * 60_000;
  const drawCode = deps.drawCode ?? (() => generateSecurityCode());

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
    if (terminal.has(s.state)) return fail('session-ended', 'the session has ended');
    return ok({ s, role });
  }

  /** Moves a live session to a terminal state once, and tells both sides at the same moment. */
  async function finish(sessionId: string, state: SessionState, ended: Omit<SessionEnded, 'sessionId'>): Promise<boolean> {
    const msg: SessionEnded = { sessionId, ...ended };
    const s = await store.transition(sessionId, live, { state, endedAt: clock.now(), ended: msg });
    if (!s) return false;
    await store.dropChat(sessionId);
    notifier.send(sessionId, 'helper', 'session:ended', msg);
    if (s.sharer) notifier.send(sessionId, 'sharer', 'session:ended', msg);
    notifier.release(sessionId);
    log.info('session ended', { sessionId, state, by: msg.by, reason: msg.reason });
    return true;
  }

  return {
    async create(user: AuthUser, req: { deviceId?: string | undefined }): Promise<Ack<CreatedSession>> {
      // Roles and their scopes are refined later (DESIGN §6); with no role at all there is nothing to allow.
      if (user.roles.length === 0) return fail('forbidden', 'no remote help role');
      const tenant = directory.tenant(user.tenantId);
      if (!tenant) return fail('forbidden', 'unknown tenant');
      if (!tenant.settings.remoteHelpEnabled) return fail('remote-help-disabled', 'remote help is off for this tenant');
      if (req.deviceId !== undefined) {
        if (!directory.device(user.tenantId, req.deviceId)) return fail('not-found', 'no such device in this tenant');
      } else if (!tenant.settings.allowUnenrolled) {
        return fail('unenrolled-not-allowed', 'this tenant does not allow help for unenrolled devices');
      }
      const now = clock.now();
      const createKey = `create:${user.tenantId}:${user.userId}`;
      if ((await store.failures(createKey, now, rateLimits.joinFailureWindowMs)) >= rateLimits.createsPerUser) {
        return fail('rate-limited', 'too many sessions opened; try again later');
      }
      await store.recordFailure(createKey, now);
      const record: SessionRecord = {
        id: randomUUID(),
        tenantId: user.tenantId,
        state: 'created',
        createdAt: now,
        expiresAt: now + codeLifetimeMs,
        helper: memberOf(user),
        ...(req.deviceId !== undefined ? { deviceId: req.deviceId } : {}),
      };
      for (let attempt = 0; attempt < 10; attempt++) {
        const code = drawCode();
        if (await store.insert(record, code)) {
          log.info('session created', { sessionId: record.id, tenantId: record.tenantId, enrolled: req.deviceId !== undefined });
          return ok({
            sessionId: record.id,
            code,
            link: `${deps.publicUrl()}/rh?passcode=${code}`,
            expiresAt: new Date(record.expiresAt).toISOString(),
          });
        }
      }
      throw new Error('could not draw a free security code in 10 attempts');
    },

    async join(user: AuthUser, code: string, ctx: RequestContext): Promise<Ack<Membership<TrustInfo>>> {
      const now = clock.now();
      const userKey = `user:${user.tenantId}:${user.userId}`;
      const addressKey = `address:${ctx.address}`;
      if (
        (await store.failures(userKey, now, rateLimits.joinFailureWindowMs)) >= rateLimits.joinFailuresPerUser ||
        (await store.failures(addressKey, now, rateLimits.joinFailureWindowMs)) >= rateLimits.joinFailuresPerAddress
      ) {
        return fail('rate-limited', 'too many failed attempts; try again later');
      }
      const refuse = async (code: 'code-invalid' | 'code-expired' | 'code-used' | 'tenant-mismatch', message: string, sessionId?: string) => {
        await store.recordFailure(userKey, now);
        await store.recordFailure(addressKey, now);
        log.info('join refused', { reason: code, ...(sessionId ? { sessionId } : {}) });
        return fail<Membership<TrustInfo>>(code, message);
      };
      const found = await store.lookupCode(code, now);
      if (!found) return refuse('code-invalid', 'no session has this code');
      if (found.status === 'used') return refuse('code-used', 'this code was already used', found.sessionId);
      if (found.status === 'expired') return refuse('code-expired', 'this code has expired', found.sessionId);
      const s = await store.get(found.sessionId);
      if (!s || s.state !== 'created') return refuse('code-used', 'this code is no longer open', found.sessionId);
      // Checked before claiming, so someone of another tenant cannot burn a code meant for this one.
      if (s.tenantId !== user.tenantId) return refuse('tenant-mismatch', 'the helper is in another organization', s.id);
      if (same(s.helper, user)) return fail('forbidden', 'you cannot join your own session');
      if (!(await store.claimCode(code, now))) return refuse('code-used', 'this code was already used', s.id);

      const helperUser: AuthUser = { ...s.helper, roles: [], amr: [] };
      const device = s.deviceId !== undefined ? directory.device(s.tenantId, s.deviceId) : undefined;
      const sharerTrust: TrustInfo = { sessionId: s.id, role: 'sharer', peer: profileOf(directory, helperUser), warnings: [] };
      const helperTrust: TrustInfo = {
        sessionId: s.id,
        role: 'helper',
        peer: profileOf(directory, user),
        ...(device ? { device: deviceSummary(device) } : {}),
        warnings: deviceWarnings(device),
      };
      const joined = await store.transition(s.id, ['created'], { state: 'joined', sharer: memberOf(user), helperTrust, sharerTrust });
      if (!joined) return fail('code-used', 'this code is no longer open');
      notifier.send(s.id, 'helper', 'session:trust', helperTrust);
      notifier.send(s.id, 'helper', 'session:state', { sessionId: s.id, state: 'joined' });
      log.info('session joined', { sessionId: s.id, warnings: helperTrust.warnings.map((w) => w.kind) });
      return ok({ role: 'sharer', value: sharerTrust });
    },

    async consent(user: AuthUser, req: { sessionId: string; allow: boolean }): Promise<Ack<SessionStateChange>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      if (m.value.role !== 'sharer') return fail('forbidden', 'only the sharer consents');
      if (m.value.s.state !== 'joined') return fail('wrong-state', `consent is asked once, after join (state: ${m.value.s.state})`);
      if (!req.allow) {
        if (!(await finish(req.sessionId, 'denied', { by: 'sharer', reason: 'denied' }))) return fail('wrong-state', 'the session changed');
        return ok({ sessionId: req.sessionId, state: 'denied' });
      }
      const s = await store.transition(req.sessionId, ['joined'], { state: 'sharing' });
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
      const { message: msg, added } = await store.appendChat(s.id, `${role}:${req.clientId}`, {
        sessionId: s.id,
        clientId: req.clientId,
        from: role,
        senderName: role === 'helper' ? s.helper.name : (s.sharer?.name ?? ''),
        text: req.text,
        sentAt: new Date(clock.now()).toISOString(),
      });
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

    /** Expires unjoined codes and forgets old tombstones; called every second or so. */
    async sweep(): Promise<void> {
      const now = clock.now();
      for (const id of await store.expiredUnjoined(now)) await finish(id, 'expired', { by: 'relay', reason: 'expired' });
      await store.purge(now - Math.max(tombstoneMs, rateLimits.joinFailureWindowMs));
    },
  };
}
