// The session rules of DESIGN §5, with no transport inside: callers pass the verified user and a
// validated request; every expected refusal is an Ack value; the other side is reached through a
// SessionNotifier (Socket.IO rooms in production). Time comes from the injected clock.
import { randomUUID } from 'node:crypto';
import { fail, isTerminal, limits, ok } from '#protocol';
import type {
  Ack, ChatMessage, Invitation, CreatedSession, CompliancePolicy, DeviceProof, PeerStatus, RequestOf, SessionResumed, SessionRole, SessionStateChange, Signal, TrustInfo,
} from '#protocol';
import type { PersonLimits, RateLimits } from '../config.js';
import { createMemoryNodeLiveness, type NodeLiveness } from '../live/node-liveness.js';
import type { PolicyService } from '../policy/policy-service.js';
import type { AuthUser, Clock, DeviceTrust, Directory, Log, ProfileFreshness, ReportLog, WindowCounter } from '../ports.js';
import { rateLimitBucket } from '../net/client-address.js';
import { createAdmit, profileWaitMs } from './admit.js';
import { createChatSetting, type ChatSetting } from './chat-setting.js';
import { colleagueFor, currentColleague, memberColleague } from './colleague-record.js';
import { createColleagues, type FindPerson } from './colleagues.js';
import { createMemoryPersonIndex, type Person, type PersonSessionIndex } from './person-index.js';
import { createFinisher } from './finish.js';
import { createPrecheck, withCurrentRoles, type CurrentRoles } from './precheck.js';
import { createPresence, otherRole, peerStatusOf, type AwayReason, type Timers } from './presence.js';
import { accountDisabled, clientOf, memberOf, refusalOf, sameUser } from './members.js';
import { generateSecurityCode } from './security-code.js';
import { createRefusalReport } from './session-report.js';
import { originOf } from './trust.js';
import { takeOver } from './owners.js';
import type { Owner, SessionRecord, SessionStore } from './session-store.js';
import type { Membership, RequestContext, SessionNotifier } from './types.js';
import { carriesMedia } from './offer-media.js';

export type { Membership, RequestContext, SessionNotifier } from './types.js';

export interface SessionServiceDeps {
  store: SessionStore;
  /** The join and create limits (DESIGN §5): sliding windows, checked and counted in one step. */
  limits: WindowCounter;
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
  compliancePolicy: (tenantId: string) => Promise<CompliancePolicy>;
  /** Profiles from outside the relay (Graph), waited for a bounded time at join. */
  profiles?: ProfileFreshness;
  /** The relay's public origin, for the sharer's link. */
  publicUrl: string;
  rateLimits: RateLimits;
  /** Live sessions per helper and the paging of session:resume (absent: neither limited). */
  personLimits?: Pick<PersonLimits, 'liveSessionsPerHelper' | 'resumeChatPageBytes'>;
  codeLifetimeMs?: number;
  /** How long an ended session answers `session-ended` (rather than `not-found`) before it is forgotten. */
  tombstoneMs?: number;
  drawCode?: () => string;
  /** Messages one session's chat may hold; more is answered `rate-limited`. */
  chatMessagesMax?: number;
  /** How long a session waits for a member whose page or connection went (presence.ts); 0 (the
   * default here; the relay's config says 2 minutes) ends it at once. */
  reconnectGraceMs?: number;
  /** Where the grace timers run (a test drives its own). */
  timers?: Timers;
  /** Which relay nodes are alive (several nodes share `store`); one node alone by default. */
  liveness?: NodeLiveness;
  /** Whether a tenant has chat on, cached (chat-setting.ts); default: a cache of `directory` of its own. */
  chatSetting?: ChatSetting;
  /** The helper's roles in the directory today, checked at create (precheck.ts); absent: the token's. */
  currentRoles?: CurrentRoles;
  /** A person by sign-in name or email, for invitations (colleagues.ts); absent: nobody can be invited. */
  findPerson?: FindPerson;
  /** The sessions each person may be invited to (colleagues.ts; person-index.ts); default: this node's. */
  invitationIndex?: PersonSessionIndex;
  /** The sessions each person is or may become a member of (endForUser; person-index.ts); default: this node's. */
  memberIndex?: PersonSessionIndex;
}

export type SessionService = ReturnType<typeof createSessionService>;

/** How long a helper's place among their live sessions lasts at most when nothing gives it back. */
const liveSlotWindowMs = 24 * 60 * 60_000;

/** How often one person may list their invitations in a minute (each list reads the sessions the
 * invitation index names for them: a loop of lists is still a loop of reads). */
const invitationListsPerMinute = 20;

/** How long an ended session answers `session-ended` by default. */
export const defaultTombstoneMs = 60 * 60_000;

export function createSessionService(deps: SessionServiceDeps) {
  const { store, directory, clock, notifier, log, rateLimits, policy, reports } = deps;
  const codeLifetimeMs = deps.codeLifetimeMs ?? limits.codeLifetimeMs;
  const tombstoneMs = deps.tombstoneMs ?? defaultTombstoneMs;
  const drawCode = deps.drawCode ?? (() => generateSecurityCode());
  const chatMessagesMax = deps.chatMessagesMax ?? 1000;
  const liveSessionsPerHelper = deps.personLimits?.liveSessionsPerHelper ?? Number.MAX_SAFE_INTEGER;
  const resumeChatPageBytes = deps.personLimits?.resumeChatPageBytes ?? 32 * 1024;
  const liveness = deps.liveness ?? createMemoryNodeLiveness();
  const chatSetting = deps.chatSetting ?? createChatSetting(directory, clock);
  const invitationIndex = deps.invitationIndex ?? createMemoryPersonIndex();
  const memberIndex = deps.memberIndex ?? createMemoryPersonIndex();

  /** Called before the write that makes `person` a member of the session (or invites them), so the index
   * never misses a session they are in. A failure is logged, not a refusal: the index serves a disable,
   * and refusing a session because of it would fail the people it is for. */
  const indexMember = async (person: Person, sessionId: string): Promise<void> => {
    await memberIndex.add({ tenantId: person.tenantId, userId: person.userId }, sessionId)
      .catch((error: unknown) => log.error('indexing a session member failed', { sessionId, error }));
  };
  /** Everyone the member index may hold the session for: its helper (and the one who started it, before a
   * hand-over), its sharer, every colleague invited. */
  const peopleOf = (s: SessionRecord): Person[] => [
    s.helper, ...(s.startedBy ? [s.startedBy] : []), ...(s.sharer ? [s.sharer] : []), ...(s.colleagues ?? []).map((c) => c.member),
  ];
  const unindex = (person: Person, sessionId: string): Promise<void> =>
    memberIndex.remove(person, sessionId).catch((error: unknown) => log.error('unindexing a session member failed', { sessionId, error }));
  const unindexMembers = (s: SessionRecord): void => {
    for (const person of peopleOf(s)) void unindex(person, s.id);
  };

  // A colleague is a member from their accept until they are out (colleague-record.ts).
  const roleIn = (s: SessionRecord, user: Pick<AuthUser, 'tenantId' | 'userId'>): SessionRole | undefined =>
    sameUser(s.helper, user) ? 'helper' : sameUser(s.sharer, user) ? 'sharer' : sameUser(memberColleague(s)?.member, user) ? 'colleague' : undefined;

  /** The session and the caller's role in it, or the refusal: unknown, not a member, or already over. */
  async function membership(user: AuthUser, sessionId: string): Promise<Ack<{ s: SessionRecord; role: SessionRole }>> {
    const s = await store.get(sessionId);
    if (!s) return fail('not-found', 'no such session');
    const role = roleIn(s, user);
    if (!role) return fail('forbidden', 'not a member of this session');
    if (isTerminal(s.state)) return fail('session-ended', 'the session has ended');
    return ok({ s, role });
  }

  let forget = (_sessionId: string): void => undefined;
  const { record, finish } = createFinisher({
    store, clock, notifier, reports, log,
    onEnded: (id, ended) => {
      forget(id);
      if (ended.helperSlot) releaseSlot(ended.helperSlot);
      unindexMembers(ended);
    },
  });
  // A session ended by any node gives its helper's place back there; one whose node died before it could
  // still counts until its window ends, a day (longer than any session's keys live in the store).
  const releaseSlot = (ticket: string): void => {
    deps.limits.refund(ticket).catch((error: unknown) => log.error('giving back a live-session place failed', { error }));
  };
  const colleagues = createColleagues({
    store, clock, notifier, log, directory, policy, releaseSlot,
    // The colleague a session is handed over to takes a place among their own live sessions, as a create would.
    takeSlot: async (member) => {
      const slot = await deps.limits.hit([{ key: `live:${member.tenantId}:${member.userId}`, limit: liveSessionsPerHelper }], liveSlotWindowMs, clock.now());
      return slot.allowed ? slot.ticket : undefined;
    },
    ...(deps.findPerson ? { findPerson: deps.findPerson } : {}), ...(deps.currentRoles ? { currentRoles: deps.currentRoles } : {}),
    invitationIndex, indexMember,
  });
  const presence = createPresence({
    store, clock, notifier, log, finish, graceMs: deps.reconnectGraceMs ?? 0, ...(deps.timers ? { timers: deps.timers } : {}),
    colleagueExit: (sessionId, why, unless) => colleagues.exit(sessionId, why, unless),
  });
  forget = presence.forget;
  const admit = createAdmit({ store, directory, policy, log, notifier, record, finish, compliancePolicy: deps.compliancePolicy,
    ...(deps.deviceTrust ? { deviceTrust: deps.deviceTrust } : {}), ...(deps.profiles ? { profiles: deps.profiles } : {}), currentRoles: deps.currentRoles, indexMember });

  /** What a disable does to one session of theirs (endForUser): it ends, or their colleague's part does
   * ('ended'); their open invitation closes, or nothing is theirs ('none'); or the step lost to another
   * write ('raced'). */
  async function endPartOf(id: string, user: Person): Promise<'ended' | 'none' | 'raced'> {
    const s = await store.get(id);
    // Not stored (yet): a create on its way, which checks the account after its insert.
    if (!s) return 'none';
    if (isTerminal(s.state)) {
      await unindex(user, id);
      return 'none';
    }
    const role = roleIn(s, user);
    if (role === 'colleague') return (await colleagues.exit(id, 'account-disabled')) ? 'ended' : 'raced';
    if (role) return (await finish(id, 'ended', { by: role, reason: 'account-disabled' })) ? 'ended' : 'raced';
    // Only invited (not a member): the invitation closes; the session goes on without them.
    const invited = currentColleague(s);
    if (invited?.state === 'invited' && sameUser(invited.member, user)) return (await colleagues.closeForDisabled(id, user)) ? 'none' : 'raced';
    return 'none';
  }

  return {
    /** The second helper's events (issue 13, point 5; colleagues.ts). */
    invite: colleagues.invite,
    /** The caller's open invitations: a read of each session the invitation index names for them
     * (colleagues.ts), counted per person on the shared counter, 20 in a minute (a page asks once when it
     * opens and after a reconnect): a loop of asks cannot turn into a loop of reads of the store. */
    async invitations(user: AuthUser): Promise<Ack<Invitation[]>> {
      const counted = await deps.limits.hit([{ key: `invitations:${user.tenantId}:${user.userId}`, limit: invitationListsPerMinute }], 60_000, clock.now());
      if (!counted.allowed) return fail('rate-limited', 'asked for invitations too often; try again in a minute');
      return colleagues.invitations(user);
    },
    answerInvite: colleagues.answer,
    withdrawColleague: colleagues.withdraw,
    handOver: colleagues.handOver,

    /** What create would refuse, told in advance: nothing recorded, nothing counted (precheck.ts). */
    precheck: createPrecheck({ directory, policy, ...(deps.profiles ? { profiles: deps.profiles } : {}), currentRoles: deps.currentRoles }),

    async create(asSignedIn: AuthUser, req: { deviceId?: string | undefined; reason?: string | undefined }, ctx: RequestContext = { address: '' }): Promise<Ack<CreatedSession>> {
      // A role taken away since the sign-in counts from this create on (precheck.ts).
      const user = await withCurrentRoles(asSignedIn, deps.currentRoles);
      const device = req.deviceId !== undefined ? await directory.device(user.tenantId, req.deviceId) : undefined;
      if (req.deviceId !== undefined && !device) return fail('not-found', 'no such device in this tenant');
      const now = clock.now();
      // Checked and counted in one step; refused attempts count too, so nobody can fill the reports by
      // asking again and again.
      const counted = await deps.limits.hit([{ key: `create:${user.tenantId}:${user.userId}`, limit: rateLimits.createsPerUser }], rateLimits.joinFailureWindowMs, now);
      if (!counted.allowed) return fail('rate-limited', 'too many sessions opened; try again later');
      // The helper's groups from Graph, for rules that look at them: current, or no decision on them.
      if (deps.profiles && (await policy.rulesUseGroups(user.tenantId))) {
        const stale = await deps.profiles.settle([{ tenantId: user.tenantId, userId: user.userId }], profileWaitMs);
        if (stale.size > 0) return fail('identity-provider-unavailable', 'your organization\'s directory did not answer in time to check its access rules: try again in a moment');
      }
      const decision = await policy.checkCreate(user, { deviceGroups: device ? (device.groups ?? []) : null }, clientOf(ctx));
      const reportDevice = device ? { id: device.id, name: device.name } : undefined;
      // The origin from the caller's credential (ctx.app), never from the request (trust.ts).
      const origin = originOf(ctx.app, device);
      const purpose = { ...(req.reason !== undefined ? { reason: req.reason } : {}), ...(origin ? { origin } : {}) };
      if (!decision.result.ok) {
        await record(createRefusalReport(user, reportDevice ?? null, now, refusalOf(decision)!, decision.reportOnly, purpose));
        log.info('create refused', { tenantId: user.tenantId, reason: decision.result.error.code, ...(decision.result.error.policy?.ruleId ? { ruleId: decision.result.error.policy.ruleId } : {}) });
        return decision.result;
      }
      // Counted in one step with the check, on the counter every node shares, so two nodes cannot both
      // admit the helper's last place; refused like a policy refusal, and on the record as one.
      const slot = await deps.limits.hit([{ key: `live:${user.tenantId}:${user.userId}`, limit: liveSessionsPerHelper }], liveSlotWindowMs, now);
      if (!slot.allowed) {
        await record(createRefusalReport(user, reportDevice ?? null, now, { code: 'too-many-sessions' }, decision.reportOnly, purpose));
        log.info('create refused', { tenantId: user.tenantId, reason: 'too-many-sessions' });
        return fail('too-many-sessions', `you have ${liveSessionsPerHelper} sessions that have not ended: end one first`);
      }
      const session: SessionRecord = {
        id: randomUUID(),
        helperSlot: slot.ticket,
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
        ...purpose,
      };
      await indexMember(user, session.id);
      // No session stored (no free code, the store failed): the place is given back at once.
      for (let attempt = 0; attempt < 10; attempt++) {
        const code = drawCode();
        const inserted = await store.insert(session, code).catch((error: unknown) => {
          releaseSlot(slot.ticket);
          unindexMembers(session);
          throw error;
        });
        if (inserted) {
          // Disabled while this create was on its way, after the disable looked for their sessions (and
          // did not find this one yet): ended here, as that disable would have ended it.
          if (!(await directory.isActive(user.tenantId, user.userId))) {
            await finish(session.id, 'ended', { by: 'helper', reason: 'account-disabled' });
            return fail('account-disabled', accountDisabled);
          }
          log.info('session created', { sessionId: session.id, tenantId: session.tenantId, enrolled: req.deviceId !== undefined });
          return ok({
            sessionId: session.id,
            code,
            link: `${deps.publicUrl}/rh?passcode=${code}`,
            expiresAt: new Date(session.expiresAt).toISOString(),
          });
        }
      }
      releaseSlot(slot.ticket);
      unindexMembers(session);
      throw new Error('could not draw a free security code in 10 attempts');
    },

    /** A fresh challenge for the device-key proof the sharer page sends with its join. */
    async deviceChallenge(user: AuthUser): Promise<Ack<{ challenge: string }>> {
      if (!deps.deviceTrust) return fail('not-found', 'device trust is not available on this relay');
      return ok({ challenge: await deps.deviceTrust.challenge(user) });
    },

    /** `owner`: the socket joining (admit.ts). */
    async join(user: AuthUser, code: string, ctx: RequestContext, proof?: DeviceProof, owner?: Owner): Promise<Ack<Membership<TrustInfo>>> {
      const now = clock.now();
      // Every attempt is counted as a failure up front, in the same step as the check, so a burst of
      // concurrent guesses cannot all pass the check before any is counted; an attempt that turns out not
      // to be a failed guess is taken back.
      // One list of windows for both the counting hit and the tries-left count, so they cannot drift apart.
      const windows = [
        { key: `user:${user.tenantId}:${user.userId}`, limit: rateLimits.joinFailuresPerUser },
        { key: `address:${rateLimitBucket(ctx.address)}`, limit: rateLimits.joinFailuresPerAddress },
      ];
      const counted = await deps.limits.hit(windows, rateLimits.joinFailureWindowMs, now);
      if (!counted.allowed) return fail('rate-limited', 'too many failed attempts; try again later');
      const { ack, failed } = await admit(user, code, ctx, now, proof, owner);
      if (!failed) await deps.limits.refund(counted.ticket);
      else if (!ack.ok && (ack.error.code === 'code-invalid' || ack.error.code === 'code-expired' || ack.error.code === 'code-used')) {
        // Counted now, so a person typing a code knows how many tries are left before the wait.
        const used = await Promise.all(windows.map((w) => deps.limits.count(w.key, rateLimits.joinFailureWindowMs, now)));
        const attemptsLeft = Math.max(0, Math.min(...windows.map((w, i) => w.limit - (used[i] ?? 0))));
        return { ok: false, error: { ...ack.error, attemptsLeft } };
      }
      return ack;
    },

    async consent(user: AuthUser, req: RequestOf<'session:consent'>): Promise<Ack<SessionStateChange>> {
      // The schema refuses this too; said again here for any caller that skips it.
      if (req.allow && req.report) return fail('validation', 'report declines: it goes only with allow: false');
      if (req.member === 'colleague') {
        if (req.report) return fail('validation', 'report is for the session, not for a colleague');
        return colleagues.consent(user, req);
      }
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      if (m.value.role !== 'sharer') return fail('forbidden', 'only the sharer consents');
      if (m.value.s.state !== 'joined') return fail('wrong-state', `consent is asked once, after join (state: ${m.value.s.state})`);
      const consentAt = clock.now();
      if (!req.allow) {
        // Report is a denial in every way the session sees (state `denied`, so the helper cannot tell from
        // a state or a resume); only its end reason, the sharer's copy of the end and the record differ.
        const reason = req.report ? 'reported' : 'denied';
        const denied = await finish(req.sessionId, 'denied', { by: 'sharer', reason }, { consent: 'denied', consentAt }, ['joined']);
        if (!denied) return fail('wrong-state', 'the session changed');
        return ok({ sessionId: req.sessionId, state: 'denied' });
      }
      const s = await store.transition(req.sessionId, ['joined'], { state: 'sharing', consent: 'allowed', consentAt });
      if (!s) return fail('wrong-state', 'the session changed');
      const change: SessionStateChange = { sessionId: s.id, state: 'sharing' };
      // A colleague the sharer allowed before the session itself hears that the screen comes now.
      notifier.send(s.id, ['helper', 'colleague-chat'], 'session:state', change);
      notifier.send(s.id, 'sharer', 'session:state', change);
      log.info('session sharing', { sessionId: s.id });
      return ok(change);
    },

    async end(user: AuthUser, sessionId: string): Promise<Ack<null>> {
      const m = await membership(user, sessionId);
      if (!m.ok) return m;
      // A colleague's End takes only them out; the session goes on.
      if (m.value.role === 'colleague') await colleagues.exit(sessionId, 'left');
      else await finish(sessionId, 'ended', { by: m.value.role, reason: 'ended' });
      return ok(null);
    },

    /** A member is gone for good at once: its create or join finished after its socket went, so nobody
     * holds the session's id to resume it. */
    async leave(sessionId: string, role: SessionRole): Promise<void> {
      if (role === 'colleague') await colleagues.exit(sessionId, 'left');
      else await finish(sessionId, 'ended', { by: role, reason: 'left' });
    },

    /** The socket that spoke for this member went: the session waits for it for the reconnect grace. */
    async away(sessionId: string, role: SessionRole, reason: AwayReason): Promise<void> {
      await presence.away(sessionId, role, reason);
    },

    /** A member's page went while its connection stays (the console): away as 'left', as if its socket
     * had gone; a resume (the reloaded page) brings it back, the grace ends it otherwise. */
    async pageGone(user: AuthUser, sessionId: string): Promise<Ack<null>> {
      const m = await membership(user, sessionId);
      if (!m.ok) return m;
      await presence.away(sessionId, m.value.role, 'left');
      return ok(null);
    },

    /** The sharer pauses or resumes sending the screen; the helper is told, the report keeps it. */
    async pause(user: AuthUser, req: { sessionId: string; paused: boolean }): Promise<Ack<null>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      if (m.value.role !== 'sharer') return fail('forbidden', 'only the sharer pauses sharing');
      if (m.value.s.state !== 'sharing') return fail('wrong-state', `only a session that is sharing can pause (state: ${m.value.s.state})`);
      const r = await presence.pause(req.sessionId, req.paused);
      if (!r) return fail('wrong-state', 'the session changed');
      return ok(null);
    },

    /** `to`: the sharer has one peer connection per helper (the helper's, the colleague's); a helper's or
     * a colleague's signals go to the sharer, whatever `to` says, marked with whose they are (`from`). */
    async signal(user: AuthUser, req: { sessionId: string; signal: Signal; to?: 'helper' | 'colleague' | undefined }): Promise<Ack<null>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      const { s, role } = m.value;
      if (s.state === 'created') return fail('wrong-state', 'nobody has joined yet');
      const to = role === 'sharer' ? (req.to ?? 'helper') : 'sharer';
      const colleague = to === 'colleague' ? memberColleague(s) : undefined;
      if (to === 'colleague' && !colleague) return fail('wrong-state', 'no colleague is in the session');
      // The commit to a certificate (verification-code.ts) is the answering side's: a helper's or an asking
      // or allowed colleague's, to the sharer. The sharer offers and never commits.
      if ('commit' in req.signal && role === 'sharer') return fail('forbidden', 'only the answering side commits to its certificate');
      // The sharer's page makes each connection (it offers), so it is the one to say one could not be made.
      if ('failed' in req.signal && role !== 'sharer') return fail('forbidden', 'only the sharer reports a connection it could not make');
      // Media goes sharer → helper only, and only after the sharer allowed it: the offer is the sharer's.
      // Before Allow it may open the connection without media (the Verification code needs its DTLS).
      // A colleague's connection carries media only once the sharer allowed them too.
      if ('description' in req.signal && req.signal.description.type === 'offer') {
        if (role !== 'sharer') return fail('forbidden', 'only the sharer offers media');
        const mediaAllowed = s.state === 'sharing' && (to === 'helper' || colleague?.state === 'allowed');
        if (!mediaAllowed && carriesMedia(req.signal.description.sdp)) return fail('wrong-state', 'the sharer has not allowed sharing yet');
      }
      notifier.send(s.id, to, 'signal', { sessionId: s.id, signal: req.signal, from: role });
      return ok(null);
    },

    /**
     * `attachedAs`: the role the caller's own socket holds in this session (it created, joined or resumed
     * it), when it does. Then the message needs no read of the session record: the socket's user is that
     * member, and the store refuses, in the same step as the append, a session not joined yet or over.
     * Chat is the one event sent all session long, so this is its cost per message.
     */
    async chat(user: AuthUser, req: { sessionId: string; clientId: string; text: string }, attachedAs?: SessionRole): Promise<Ack<ChatMessage>> {
      let role = attachedAs;
      if (!role) {
        const m = await membership(user, req.sessionId);
        if (!m.ok) return m;
        role = m.value.role;
        // A colleague shares the chat once the sharer allowed them, not before.
        if (role === 'colleague' && memberColleague(m.value.s)?.state !== 'allowed') return fail('forbidden', 'the sharer has not allowed you yet');
      }
      if (!(await chatSetting.enabled(user.tenantId))) return fail('chat-disabled', 'chat is off for this tenant');
      const appended = await store.appendChat(req.sessionId, `${role}:${req.clientId}`, {
        sessionId: req.sessionId,
        clientId: req.clientId,
        from: role,
        // The member's name as its own verified user says it: the one the session recorded at create or join.
        senderName: user.name,
        text: req.text,
        sentAt: new Date(clock.now()).toISOString(),
      }, chatMessagesMax);
      // Refused in the same step as the append: a message racing the end is neither stored nor sent.
      if (!appended.ok) {
        if (appended.reason === 'unjoined') return fail('wrong-state', 'nobody has joined yet');
        return appended.reason === 'ended'
          ? fail('session-ended', 'the session has ended')
          : fail('rate-limited', `this session's chat holds its maximum of ${chatMessagesMax} messages`);
      }
      const { message: msg, added } = appended;
      // To the other member only: the sender has the message in its ack (its chat thread takes it from
      // there), so an echo would be the same message sent twice. A resend (same clientId) is answered,
      // not broadcast again: the other side has it already.
      // An allowed colleague's sockets are in the colleague's chat room (socket/session-routing.ts): one emit
      // to both audiences, with no read of the record to know whether there is one.
      if (added) notifier.send(req.sessionId, role === 'colleague' ? ['helper', 'sharer'] : [otherRole(role), 'colleague-chat'], 'chat:message', msg, appended.nodes);
      return ok(msg);
    },

    /** `owner`: the socket resuming, which speaks for the member from now on. Taken over before the
     * member is back, so a sweep that finds the member's old node dead cannot mark it away after that.
     * `attach`: puts that socket in the member's rooms, before anything the answer says is read: what
     * changes from then on reaches it as it happens (a chat message, the colleague asking, the end), and
     * the answer, read after, is not older than what came before it. The client keeps one of each chat
     * message (by seq). Attached after the reads, a message sent in between was lost to the page until
     * its next resume, and an end in between left it showing a live session. */
    async resume(user: AuthUser, req: { sessionId: string; afterSeq: number; restartMedia?: boolean | undefined }, owner?: Owner,
      attach?: (role: SessionRole) => Promise<void>): Promise<Ack<Membership<SessionResumed>>> {
      const m = await membership(user, req.sessionId);
      if (!m.ok) return m;
      const { role } = m.value;
      // Again, for a session a node of an earlier version let them into (a rolling upgrade), and to keep
      // the entry of a session that outlives the index's expiry: one set addition per reconnect.
      await indexMember(user, req.sessionId);
      if (owner) await takeOver(store, req.sessionId, role, owner);
      if (attach) await attach(role);
      const back = await presence.back(m.value.s, role, req.restartMedia === true);
      // One page: however little the request weighs, the answer is bounded by the page size (issue 12).
      // A colleague the sharer has not allowed (yet) reads none of the chat.
      const page = role === 'colleague' && memberColleague(back)?.state !== 'allowed'
        ? { messages: [], more: false, firstHeld: req.afterSeq + 1 }
        : await store.chatAfter(back.id, req.afterSeq, resumeChatPageBytes);
      const chat = {
        messages: page.messages,
        ...(page.more ? { moreChat: true } : {}),
        ...(req.afterSeq + 1 < page.firstHeld ? { chatDroppedBefore: page.firstHeld } : {}),
      };
      // The record as it is now (ended meanwhile: the page is told so, and finishes); gone altogether: ended.
      const s = (await store.get(req.sessionId)) ?? { ...back, state: 'ended' as const };
      const trust = (role === 'helper' ? s.helperTrust : role === 'sharer' ? s.sharerTrust : memberColleague(s)?.trust) ?? null;
      log.info('session resumed', { sessionId: s.id, role });
      return ok({ role, value: { state: s.state, trust, ...chat, peer: peerStatusOf(s, otherRole(role)), paused: s.paused ?? false, colleague: colleagueFor(s, role) } });
    },

    /** Whether `user` is a member of a live session now (the member index names the sessions to read):
     * a node past its capacity lets such a person's connection in, to resume it (socket/resume-allowance.ts). */
    async inLiveSession(user: AuthUser): Promise<boolean> {
      const records = await Promise.all((await memberIndex.sessionsOf(user)).map((id) => store.get(id)));
      return records.some((s) => !!s && !isTerminal(s.state) && roleIn(s, user) !== undefined);
    },

    /** How the other member is, for a member that has just been attached (a sharer joining a session
     * whose helper is away right now); undefined when there is nothing to say. */
    async peerNotice(sessionId: string, role: SessionRole): Promise<PeerStatus | undefined> {
      const s = await store.get(sessionId);
      if (!s || isTerminal(s.state)) return undefined;
      const status = peerStatusOf(s, otherRole(role));
      return status && !status.present ? status : undefined;
    },

    /** The user was disabled or deleted (admin view, SCIM): each live session they are in ends now,
     * on the record as ended by their side for that reason, and the other side is told why. A colleague's
     * part ends (the session goes on), and an invitation they had not answered closes. */
    async endForUser(tenantId: string, userId: string): Promise<number> {
      const user = { tenantId, userId };
      // The sessions the member index names for them, not every live one (person-index.ts); with those of
      // the invitation index, which a node of an earlier version (during a rolling upgrade) keeps too.
      const [members, invited] = await Promise.all([memberIndex.sessionsOf(user), invitationIndex.sessionsOf(user)]);
      let ended = 0;
      for (const id of new Set([...members, ...invited])) {
        // Decided again on the record as it is when a step lost to another write (an accept made them a
        // colleague, a hand-over their helper): each retry follows a write someone else won.
        for (let attempt = 0; attempt < 3; attempt++) {
          const outcome = await endPartOf(id, user);
          if (outcome === 'ended') ended++;
          if (outcome !== 'raced') break;
        }
      }
      return ended;
    },

    /** Puts every live session in the indexes of its people: once, when a node of several starts, for
     * sessions created by a node of an earlier version, which kept no member index (its invitation index
     * was there already, but one more add costs nothing). The number of sessions read. */
    async indexLive(): Promise<number> {
      let read = 0;
      for (const id of await store.liveSessions()) {
        const s = await store.get(id);
        if (!s || isTerminal(s.state)) continue;
        read++;
        for (const person of peopleOf(s)) await indexMember(person, id);
        const invited = currentColleague(s);
        if (invited?.state === 'invited') {
          await invitationIndex.add(invited.member, id).catch((error: unknown) => log.error('indexing an invitation failed', { sessionId: id, error }));
        }
      }
      return read;
    },

    /** The relay is stopping: every live session ends now, by the relay, and is recorded so. One node
     * of several ends nothing: its sessions live on in the shared store, its members are marked away by
     * the other nodes (it is gone from their liveness) and resume there. */
    async shutdown(): Promise<void> {
      presence.close();
      if (liveness.shared) return;
      for (const id of await store.liveSessions()) await finish(id, 'ended', { by: 'relay', reason: 'ended' });
    },

    /** Expires unjoined codes, takes over the members of dead nodes, ends sessions whose grace ran out,
     * and forgets old tombstones; called every second or so, on every node. */
    async sweep(): Promise<void> {
      const now = clock.now();
      for (const id of await store.expiredUnjoined(now)) await finish(id, 'expired', { by: 'relay', reason: 'expired' });
      await presence.sweep(now, liveness);
      // An ended session and its code are kept at least as long as the join-failure window, so a late
      // join answers code-used or code-expired (and counts) rather than code-invalid.
      await store.purge(now - Math.max(tombstoneMs, rateLimits.joinFailureWindowMs));
    },
  };
}
