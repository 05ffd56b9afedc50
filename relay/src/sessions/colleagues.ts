// A second helper, with the sharer's consent (issue 13, point 5; protocol/src/colleague.ts): the helper
// invites a colleague of the organization, the colleague accepts or declines, the sharer allows or
// denies them, the helper withdraws them or hands the session over to them, they leave. Every change of
// the colleague's standing is one compare-and-set on the session record (two nodes cannot cross), then
// the members are told. No transport: rooms move through the notifier's regroup.
import { colleagueInvitationsMax, fail, isTerminal, ok } from '#protocol';
import type { Ack, ColleagueStatus, Invitation, RequestOf, SessionEnded, SessionStateChange, TrustInfo } from '#protocol';
import type { PolicyService } from '../policy/policy-service.js';
import type { AuthUser, Clock, Directory, Log } from '../ports.js';
import {
  colleagueStatusOf, colleagueTrustOf, currentColleague, endFor, invitationOf, memberColleague, sharerHeard, withLast,
} from './colleague-record.js';
import type { Person as IndexedPerson, PersonSessionIndex } from './person-index.js';
import { accountDisabled, clientOf, sameUser } from './members.js';
import { ownersWith } from './owners.js';
import { withCurrentRoles, type CurrentRoles } from './precheck.js';
import type { Owner, SessionColleague, SessionRecord, SessionStore } from './session-store.js';
import { profileOf } from './trust.js';
import type { RequestContext, SessionNotifier } from './types.js';

/** A person of the directory, found by sign-in name or email, as the directory has them today. */
export interface Person {
  tenantId: string;
  userId: string;
  upn: string;
  name: string;
  roles: readonly string[];
  /** False once disabled: nobody to invite. */
  active: boolean;
}

/** The person with this sign-in name (UPN) or email, in any tenant; undefined when nobody has it. */
export type FindPerson = (upnOrEmail: string) => Promise<Person | undefined>;

/** Why a colleague stops being one on their side: they left (their End, or their page's grace ran out),
 * their connection did not come back, or their account was disabled. */
export type ColleagueExit = 'left' | 'connection-lost' | 'account-disabled';

export interface ColleagueDeps {
  store: SessionStore;
  clock: Clock;
  notifier: SessionNotifier;
  log: Log;
  directory: Directory;
  policy: PolicyService;
  /** Absent: nobody can be invited (not-found). */
  findPerson?: FindPerson;
  /** The sessions each person may be invited to (a hint session:invitations reads; person-index.ts). */
  invitationIndex: PersonSessionIndex;
  /** Puts the session in the person's member index (person-index.ts) before they can become a member:
   * an invited colleague may accept. Never rejects (a failure is logged). */
  indexMember(person: IndexedPerson, sessionId: string): Promise<void>;
  currentRoles?: CurrentRoles;
  /** Gives back a helper's place among their live sessions (the former helper's, on a hand-over). */
  releaseSlot(ticket: string): void;
  /** Takes a place among the person's live sessions (the colleague's, on a hand-over): its ticket, or
   * undefined when they have as many as allowed. Absent: not limited. */
  takeSlot?(member: { tenantId: string; userId: string }): Promise<string | undefined>;
}

export type Colleagues = ReturnType<typeof createColleagues>;

const nobody = 'nobody in your organization has this sign-in name';

export function createColleagues(deps: ColleagueDeps) {
  const { store, clock, notifier, log, directory, policy, invitationIndex } = deps;

  /**
   * One compare-and-set on a live session: `decide` sees the record and its current colleague and answers
   * the patch, or a refusal. The record as written, or the refusal (the last `decide` said, since a
   * shared store may call it again after a conflict).
   */
  async function step(
    sessionId: string, decide: (s: SessionRecord, c: SessionColleague | undefined) => Partial<SessionRecord> | Ack<never>,
  ): Promise<Ack<SessionRecord>> {
    let refused: Ack<never> | undefined;
    const r = await store.update(sessionId, ['created', 'joined', 'sharing'], (s) => {
      const d = decide(s, currentColleague(s));
      refused = 'ok' in d && d.ok === false ? d : undefined;
      return refused ? undefined : (d as Partial<SessionRecord>);
    });
    if (refused) return refused;
    if (!r) return fail('wrong-state', 'the session is over');
    return ok(r.record);
  }

  /** The session's device groups (null: not bound to a device), for role scopes. */
  async function deviceGroupsOf(s: SessionRecord): Promise<string[] | null> {
    if (s.deviceId === undefined) return null;
    return (await directory.device(s.tenantId, s.deviceId))?.groups ?? [];
  }

  const statusTo = (s: SessionRecord, c: SessionColleague, ...to: Array<'helper' | 'sharer' | 'colleague'>): ColleagueStatus => {
    const status = colleagueStatusOf(s, c);
    for (const role of to) notifier.send(s.id, role, 'session:colleague', status);
    return status;
  };
  const lastOf = (s: SessionRecord): SessionColleague => s.colleagues!.at(-1)!;

  /** A colleague who had accepted is out of the session now: the others are told, their sockets leave. */
  function out(s: SessionRecord, ended: SessionEnded): void {
    const c = lastOf(s);
    statusTo(s, c, 'helper', ...(sharerHeard(c) ? ['sharer' as const] : []), 'colleague');
    notifier.send(s.id, 'colleague', 'session:ended', ended);
    notifier.regroup(s.id, 'colleague-out');
  }

  /** The colleague's owner and absence go with them; an absence still open stays a gap with no end. */
  const withoutColleague = (s: SessionRecord): Partial<SessionRecord> => {
    const owners = { ...s.owners };
    delete owners.colleague;
    const away = { ...s.away };
    delete away.colleague;
    return { owners, away };
  };

  /** The colleague is out on their own side (their End, a grace run out, a disabled account); the
   * session goes on. False when they were not in it (or `unless` holds, checked in the same step). */
  async function exit(sessionId: string, why: ColleagueExit, unless?: (s: SessionRecord) => boolean): Promise<boolean> {
    const now = clock.now();
    const r = await step(sessionId, (cur) => {
      const c = memberColleague(cur);
      if (!c || unless?.(cur)) return fail('wrong-state', 'no colleague in the session');
      return { ...withoutColleague(cur), colleagues: withLast(cur, { state: 'left', leftAt: now }) };
    });
    if (!r.ok) return false;
    out(r.value, endFor(sessionId, 'colleague', why, now));
    log.info('colleague left', { sessionId, why });
    return true;
  }

  return {
    async invite(user: AuthUser, req: { sessionId: string; colleague: string }): Promise<Ack<ColleagueStatus>> {
      const s = await store.get(req.sessionId);
      if (!s) return fail('not-found', 'no such session');
      if (!sameUser(s.helper, user)) return fail('forbidden', 'only the session\'s helper invites a colleague');
      if (s.state !== 'joined' && s.state !== 'sharing') return fail('wrong-state', `a colleague is invited once the sharer has joined (state: ${s.state})`);
      if (currentColleague(s)) return fail('wrong-state', 'a colleague is already invited to this session');
      if ((s.colleagues?.length ?? 0) >= colleagueInvitationsMax) return fail('rate-limited', `a session invites at most ${colleagueInvitationsMax} colleagues`);
      const person = await deps.findPerson?.(req.colleague);
      // Another organization's person reads as nobody: the helper learns nothing of other tenants.
      if (!person || person.tenantId !== s.tenantId || !person.active || !(await directory.isActive(person.tenantId, person.userId))) {
        return fail('not-found', nobody);
      }
      if (person.userId === s.helper.userId || person.userId === s.sharer?.userId) {
        return fail('validation', 'invite someone other than yourself or the person you help');
      }
      const allowed = await policy.checkColleague(s.tenantId, person.roles, { deviceGroups: await deviceGroupsOf(s), sharer: s.sharer! });
      if (!allowed.ok) return allowed;
      const member = { tenantId: person.tenantId, userId: person.userId, name: person.name, upn: person.upn };
      const entry: SessionColleague = {
        member,
        profile: await profileOf(directory, { ...member, roles: [], amr: [] }),
        state: 'invited',
        invitedAt: clock.now(),
        invitedBy: { userId: user.userId, name: s.helper.name },
        roles: [...person.roles],
      };
      // Before the write that invites them: from then on a disable of their account finds this session.
      await deps.indexMember(member, s.id);
      const r = await step(req.sessionId, (cur, c) => {
        if (!sameUser(cur.helper, user)) return fail('forbidden', 'only the session\'s helper invites a colleague');
        if (cur.state !== 'joined' && cur.state !== 'sharing') return fail('wrong-state', 'the session changed');
        if (c) return fail('wrong-state', 'a colleague is already invited to this session');
        if ((cur.colleagues?.length ?? 0) >= colleagueInvitationsMax) return fail('rate-limited', `a session invites at most ${colleagueInvitationsMax} colleagues`);
        return { colleagues: [...(cur.colleagues ?? []), entry] };
      });
      if (!r.ok) return r;
      // Before they are told: a page that opens on the push and asks for its invitations finds this one.
      await invitationIndex.add(member, s.id).catch((error: unknown) => log.error('indexing an invitation failed', { sessionId: s.id, error }));
      const status = statusTo(r.value, entry, 'helper');
      notifier.sendToUser(member.tenantId, member.userId, 'session:invitation', invitationOf(r.value, entry, true));
      log.info('colleague invited', { sessionId: s.id, invitation: r.value.colleagues!.length });
      return ok(status);
    },

    /** The caller's open invitations: the sessions the index names for them, each checked on its record
     * (an id whose invitation is no longer open is dropped from the index). Asked when a console or a
     * page opens, never per message. */
    async invitations(user: AuthUser): Promise<Ack<Invitation[]>> {
      const openIn = async (id: string): Promise<Invitation | undefined> => {
        const s = await store.get(id);
        const c = s && !isTerminal(s.state) ? currentColleague(s) : undefined;
        return s && c?.state === 'invited' && sameUser(c.member, user) ? invitationOf(s, c, true) : undefined;
      };
      const found: Invitation[] = [];
      for (const id of await invitationIndex.sessionsOf(user)) {
        let open = await openIn(id);
        if (!open) {
          await invitationIndex.remove(user, id);
          // Invited again between the read and the removal (the helper asked once more): kept.
          open = await openIn(id);
          if (open) await invitationIndex.add(user, id);
        }
        if (open) found.push(open);
      }
      return ok(found);
    },

    /**
     * The invited colleague answers. Accept: conditional access decides on them as a helper with their
     * own client (a refusal leaves them invited); then `attach` makes the answering socket the session's
     * 'colleague' member before anyone is told, so it hears what the others hear. An `attach` that
     * answers false (the socket went before its answer) leaves them out at once: nobody holds their place.
     */
    async answer(
      user: AuthUser, req: { sessionId: string; accept: boolean }, ctx: RequestContext = { address: '' },
      attach?: () => Promise<boolean>, owner?: Owner,
    ): Promise<Ack<TrustInfo | null>> {
      const s = await store.get(req.sessionId);
      if (!s) return fail('not-found', 'no such session');
      const c = currentColleague(s);
      if (!c || !sameUser(c.member, user)) return fail('forbidden', 'you are not invited to this session');
      if (c.state !== 'invited' || isTerminal(s.state)) return fail('wrong-state', `this invitation is no longer open (${c.state})`);
      const now = clock.now();
      const stillInvited = (cur: SessionRecord, cc: SessionColleague | undefined): Ack<never> | undefined =>
        !cc || cc.invitedAt !== c.invitedAt || !sameUser(cc.member, user) || cc.state !== 'invited'
          ? fail('wrong-state', 'this invitation is no longer open') : cur.state === 'created' ? fail('wrong-state', 'the session changed') : undefined;
      if (!req.accept) {
        const r = await step(req.sessionId, (cur, cc) => stillInvited(cur, cc) ?? { colleagues: withLast(cur, { state: 'declined', answeredAt: now, accepted: false }) });
        if (!r.ok) return r;
        statusTo(r.value, lastOf(r.value), 'helper');
        notifier.sendToUser(user.tenantId, user.userId, 'session:invitation', invitationOf(r.value, lastOf(r.value), false), owner?.socket);
        log.info('colleague declined', { sessionId: s.id });
        return ok(null);
      }
      // As session:create decides on a helper: today's roles, their client, the tenant's rules.
      const asHelper = await withCurrentRoles(user, deps.currentRoles);
      const decision = await policy.checkCreate(asHelper, { deviceGroups: await deviceGroupsOf(s) }, clientOf(ctx));
      if (!decision.result.ok) {
        log.info('colleague refused at accept', { sessionId: s.id, reason: decision.result.error.code });
        return decision.result;
      }
      const r = await step(req.sessionId, (cur, cc) => {
        const refused = stillInvited(cur, cc);
        if (refused) return refused;
        const trust = colleagueTrustOf(cur);
        if (!trust) return fail('wrong-state', 'the session changed');
        // The accepting socket speaks for the colleague from this write on, as a joining sharer's does
        // (admit.ts): a node alone with the others in the session knows that it is no longer alone.
        return {
          colleagues: withLast(cur, { state: 'asking', answeredAt: now, accepted: true, trust }),
          ...(owner ? { owners: ownersWith(cur.owners, 'colleague', owner) } : {}),
        };
      });
      if (!r.ok) return r;
      // Disabled while this answer was on its way, after the disable looked for their sessions (and found
      // them only invited there): out again at once, as that disable would have put them.
      if (!(await directory.isActive(user.tenantId, user.userId))) {
        await exit(req.sessionId, 'account-disabled');
        return fail('account-disabled', accountDisabled);
      }
      const accepted = lastOf(r.value);
      if (attach && !(await attach())) {
        log.info('colleague gone before its answer', { sessionId: s.id });
        await exit(req.sessionId, 'left');
        return ok(accepted.trust!);
      }
      // Read again after the attach: a Withdraw (or the session's end) that came while the socket was
      // being attached has told everyone its final word already, and an 'asking' from the record above
      // would now contradict it (the helper could not invite again, the sharer would see a card for
      // someone who is out). The socket, put in the colleague's rooms after that word, leaves them.
      const after = attach ? await store.get(req.sessionId) : r.value;
      const still = after && !isTerminal(after.state) ? memberColleague(after) : undefined;
      if (!after || !still || still.invitedAt !== accepted.invitedAt || !sameUser(still.member, user)) {
        if (after && !memberColleague(after)) notifier.regroup(req.sessionId, 'colleague-out');
        log.info('colleague accept overtaken', { sessionId: s.id });
        return fail('wrong-state', 'this invitation is no longer open');
      }
      statusTo(after, still, 'helper', 'sharer', 'colleague');
      notifier.sendToUser(user.tenantId, user.userId, 'session:invitation', invitationOf(after, still, false), owner?.socket);
      log.info('colleague accepted', { sessionId: s.id });
      return ok(still.trust ?? accepted.trust!);
    },

    /** The sharer allows or denies the colleague who is asking: `colleague`, the invitation their card
     * showed. The helper may have withdrawn it and invited someone else (or the same person again, on a
     * new connection), who asked as the sharer chose: the choice was not about that one, and is refused
     * (`wrong-state`) instead of applied to them. A page from before this names none: the one asking. */
    async consent(user: AuthUser, req: Pick<RequestOf<'session:consent'>, 'sessionId' | 'allow' | 'colleague'>): Promise<Ack<SessionStateChange>> {
      const s = await store.get(req.sessionId);
      if (!s) return fail('not-found', 'no such session');
      if (!sameUser(s.sharer, user)) return fail('forbidden', 'only the sharer decides on a colleague');
      if (isTerminal(s.state)) return fail('session-ended', 'the session has ended');
      const now = clock.now();
      const r = await step(req.sessionId, (cur, c) => {
        if (c?.state !== 'asking') return fail('wrong-state', `no colleague is asking to join (${c?.state ?? 'none'})`);
        if (req.colleague && (!sameUser(c.member, req.colleague) || new Date(c.invitedAt).toISOString() !== req.colleague.invitedAt)) {
          return fail('wrong-state', 'another invitation is asking now: decide on it as its card shows it');
        }
        return req.allow
          ? { colleagues: withLast(cur, { state: 'allowed', consentAt: now }) }
          : { ...withoutColleague(cur), colleagues: withLast(cur, { state: 'denied', consentAt: now, leftAt: now }) };
      });
      if (!r.ok) return r;
      const s2 = r.value;
      if (req.allow) {
        // Into the chat before they hear they are allowed: their first message is not refused.
        notifier.regroup(s2.id, 'colleague-allowed');
        statusTo(s2, lastOf(s2), 'helper', 'sharer', 'colleague');
      } else {
        out(s2, endFor(s2.id, 'sharer', 'denied', now));
      }
      log.info(req.allow ? 'colleague allowed' : 'colleague denied', { sessionId: s2.id });
      return ok({ sessionId: s2.id, state: s2.state });
    },

    /** The helper takes the invitation back, or removes the colleague (allowed or not). */
    async withdraw(user: AuthUser, sessionId: string): Promise<Ack<null>> {
      const s = await store.get(sessionId);
      if (!s) return fail('not-found', 'no such session');
      if (!sameUser(s.helper, user)) return fail('forbidden', 'only the session\'s helper withdraws a colleague');
      if (isTerminal(s.state)) return fail('session-ended', 'the session has ended');
      const now = clock.now();
      const r = await step(sessionId, (cur, c) => {
        if (!sameUser(cur.helper, user)) return fail('forbidden', 'only the session\'s helper withdraws a colleague');
        if (!c) return fail('wrong-state', 'no colleague is invited');
        const accepted = c.state !== 'invited';
        return { ...(accepted ? withoutColleague(cur) : {}), colleagues: withLast(cur, { state: 'withdrawn', ...(accepted ? { leftAt: now } : {}) }) };
      });
      if (!r.ok) return r;
      const c = lastOf(r.value);
      if (c.accepted) out(r.value, endFor(sessionId, 'helper', 'removed', now));
      else {
        statusTo(r.value, c, 'helper');
        notifier.sendToUser(c.member.tenantId, c.member.userId, 'session:invitation', invitationOf(r.value, c, false));
      }
      log.info('colleague withdrawn', { sessionId, accepted: c.accepted === true });
      return ok(null);
    },

    exit,

    /** The invited colleague's account was disabled or deleted before they answered: the invitation
     * closes (withdrawn, and why); the helper is told, and so are the colleague's other connections.
     * False when they were not the one invited. */
    async closeForDisabled(sessionId: string, user: Pick<AuthUser, 'tenantId' | 'userId'>): Promise<boolean> {
      const r = await step(sessionId, (cur, c) => (c?.state === 'invited' && sameUser(c.member, user)
        ? { colleagues: withLast(cur, { state: 'withdrawn', closedBecause: 'account-disabled' }) }
        : fail('wrong-state', 'not invited to this session')));
      if (!r.ok) return false;
      const c = lastOf(r.value);
      statusTo(r.value, c, 'helper');
      notifier.sendToUser(c.member.tenantId, c.member.userId, 'session:invitation', invitationOf(r.value, c, false));
      log.info('invitation closed: account disabled', { sessionId });
      return true;
    },

    /** The helper hands the session over to the allowed colleague, who is there, and is out of it. */
    async handOver(user: AuthUser, sessionId: string): Promise<Ack<null>> {
      const s = await store.get(sessionId);
      if (!s) return fail('not-found', 'no such session');
      if (!sameUser(s.helper, user)) return fail('forbidden', 'only the session\'s helper hands it over');
      if (isTerminal(s.state)) return fail('session-ended', 'the session has ended');
      const now = clock.now();
      const target = currentColleague(s);
      if (target?.state !== 'allowed') return fail('wrong-state', 'a session is handed over to an allowed colleague who is there');
      // The session becomes one of the colleague's live sessions: counted against their limit, as a
      // create of theirs would be (a hand-over must not get around it).
      const slot = deps.takeSlot ? await deps.takeSlot(target.member) : undefined;
      if (deps.takeSlot && slot === undefined) {
        return fail('too-many-sessions', `${target.member.name} has as many live sessions as allowed: they must end one first`);
      }
      let formerSlot: string | undefined;
      const r = await step(sessionId, (cur, c) => {
        formerSlot = cur.helperSlot;
        if (!sameUser(cur.helper, user)) return fail('forbidden', 'only the session\'s helper hands it over');
        if (c?.state !== 'allowed' || cur.away?.colleague || !c.trust || !cur.sharerTrust || !sameUser(c.member, target.member)) {
          return fail('wrong-state', 'a session is handed over to an allowed colleague who is there');
        }
        const helperTrust: TrustInfo = { ...c.trust, role: 'helper' };
        delete helperTrust.invitedBy;
        const owners = { ...cur.owners };
        if (owners.colleague) owners.helper = owners.colleague;
        else delete owners.helper;
        delete owners.colleague;
        // The former helper is out, not away: an absence of theirs closes now.
        const away = { ...cur.away };
        const helperAway = away.helper;
        delete away.helper;
        const gaps = helperAway ? (cur.gaps ?? []).map((g, i) => (i === helperAway.gap ? { ...g, to: now } : g)) : cur.gaps;
        return {
          helper: c.member,
          startedBy: cur.startedBy ?? cur.helper,
          helperRoles: [...(c.roles ?? [])],
          helperTrust,
          sharerTrust: { ...cur.sharerTrust, peer: c.profile },
          owners,
          away,
          ...(gaps ? { gaps } : {}),
          helperSlot: slot,
          colleagues: withLast(cur, { state: 'handed-over', handedOverAt: now }),
        };
      });
      if (!r.ok && slot) deps.releaseSlot(slot);
      if (!r.ok) return r;
      const s2 = r.value;
      if (formerSlot) deps.releaseSlot(formerSlot);
      // The former helper hears it while its sockets are still in the helper's room; the new helper
      // while theirs are still in the colleague's; then the rooms move.
      notifier.send(sessionId, 'helper', 'session:ended', endFor(sessionId, 'helper', 'handed-over', now));
      const c = lastOf(s2);
      statusTo(s2, c, 'colleague');
      notifier.regroup(sessionId, 'handed-over');
      statusTo(s2, c, 'sharer');
      notifier.send(sessionId, 'sharer', 'session:trust', s2.sharerTrust!);
      log.info('session handed over', { sessionId });
      return ok(null);
    },
  };
}
