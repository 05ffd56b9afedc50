// Which sessions a person may be in, so that a question about one person reads their sessions and not
// every live one. Two indexes of this shape:
// - 'invited' (issue 13, point 5): the sessions that may hold an open invitation for them, read by
//   session:invitations when a console or a page opens (a reconnect storm after a node restart had each
//   of them read the whole live state, records with their pictures);
// - 'member': the sessions they are or may become a member of (helper, sharer, colleague, invited),
//   read when their account is disabled (endForUser), which read every live session, on every node, once
//   per disabled person: a SCIM push that disables a hundred people read the whole store a hundred times.
//
// Each is a hint, not the truth: an id is added before the write that puts the person in that session,
// so a look at the index after that write finds it; the session record says whether they are in it,
// and an id that outlived its reason is dropped when it is seen to have (or expires). So nothing here
// has to be kept in step with every way a session or an invitation ends (an answer, a withdrawal, the
// session's end, a node dying). A look that came between the addition and the write (a disable while
// they were joining) is covered where the write is: it checks the account again after it.
import type { AuthUser } from '../ports.js';

export interface PersonSessionIndex {
  /** `sessionId` may concern `person`. */
  add(person: Person, sessionId: string): Promise<void>;
  /** It no longer does. */
  remove(person: Person, sessionId: string): Promise<void>;
  /** The sessions that may. */
  sessionsOf(person: Person): Promise<string[]>;
}

/** The two indexes (their names in a shared store). */
export type PersonIndexName = 'invited' | 'member';

/** A person as sameUser() compares them (members.ts). */
export type Person = Pick<AuthUser, 'tenantId' | 'userId'>;

/** Unambiguous: a tenant id has no ':' (operator-config.ts, 1–64 letters, digits, - or _), so the first ':' ends it. */
export const personKey = (p: Person): string => `${p.tenantId}:${p.userId}`;

/** One node's: in this process. */
export function createMemoryPersonIndex(): PersonSessionIndex {
  const byPerson = new Map<string, Set<string>>();
  return {
    async add(person, sessionId) {
      const key = personKey(person);
      let ids = byPerson.get(key);
      if (!ids) byPerson.set(key, (ids = new Set()));
      ids.add(sessionId);
    },
    async remove(person, sessionId) {
      const key = personKey(person);
      const ids = byPerson.get(key);
      ids?.delete(sessionId);
      if (ids?.size === 0) byPerson.delete(key);
    },
    async sessionsOf(person) {
      return [...(byPerson.get(personKey(person)) ?? [])];
    },
  };
}
