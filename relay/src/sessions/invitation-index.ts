// Which sessions a person may have an open invitation to (issue 13, point 5), so that session:invitations
// reads those sessions and not every live one: a console or a page asks when it opens, and a reconnect
// storm after a node restart had each of them read the whole live state (records with their pictures).
//
// It is a hint, not the truth: an id is added when the invitation is made and taken out when it is seen
// to be closed; the session record says whether it is still open (colleagues.ts checks it), and an id
// that outlived its invitation is dropped at the next look. So nothing here has to be kept in step with
// every way an invitation ends (an answer, a withdrawal, the session's end, a node dying).
import type { AuthUser } from '../ports.js';

export interface InvitationIndex {
  /** `sessionId` may hold an open invitation for `person`. */
  add(person: Person, sessionId: string): Promise<void>;
  /** It no longer does. */
  remove(person: Person, sessionId: string): Promise<void>;
  /** The sessions that may hold one. */
  sessionsOf(person: Person): Promise<string[]>;
}

/** A person as sameUser() compares them (members.ts). */
export type Person = Pick<AuthUser, 'tenantId' | 'userId'>;

export const personKey = (p: Person): string => `${p.tenantId}:${p.userId}`;

/** One node's: in this process. */
export function createMemoryInvitationIndex(): InvitationIndex {
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
