// Which socket, on which relay node, speaks for each member of a session (SessionRecord.owners). The
// socket layer takes a member over when it attaches a socket; the session end and the dead-node sweep
// read it. Kept in the record, not beside it, so that taking a member over and marking it away because
// its owner's node died are each one compare-and-set, and cannot cross (presence.ts).
import { isTerminal, sessionStates, type SessionRole, type SessionState } from '#protocol';
import { memberColleague } from './colleague-record.js';
import type { Owner, SessionRecord, SessionStore } from './session-store.js';

const live: readonly SessionState[] = sessionStates.filter((s) => !isTerminal(s));

/** The record's owners with `owner` speaking for `role`: for a write that takes the member over. */
export function ownersWith(owners: SessionRecord['owners'], role: SessionRole, owner: Owner): NonNullable<SessionRecord['owners']> {
  return { ...owners, [role]: { node: owner.node, socket: owner.socket } };
}

/** This socket speaks for the member from now on (the last one to take it over wins). */
export async function takeOver(store: SessionStore, sessionId: string, role: SessionRole, owner: Owner): Promise<void> {
  await store.update(sessionId, live, (s) => {
    // A colleague withdrawn (or out) meanwhile has no place to take: their owner went with them.
    if (role === 'colleague' && !memberColleague(s)) return undefined;
    const current = s.owners?.[role];
    if (current?.node === owner.node && current.socket === owner.socket) return undefined;
    return { owners: ownersWith(s.owners, role, owner) };
  });
}

/** Who speaks for the member of a live session; nobody once the session is over. */
export async function ownerOf(store: SessionStore, sessionId: string, role: SessionRole): Promise<Owner | undefined> {
  const s = await store.get(sessionId);
  return s && !isTerminal(s.state) ? s.owners?.[role] : undefined;
}

/** The members of live sessions a node speaks for. Read only while some node is dead, so a scan of
 * the live sessions is cheap enough, and needs no index to keep in step. */
export async function ownedBy(store: SessionStore, node: string): Promise<{ sessionId: string; role: SessionRole }[]> {
  const owned: { sessionId: string; role: SessionRole }[] = [];
  for (const sessionId of await store.liveSessions()) {
    const s = await store.get(sessionId);
    for (const role of ['helper', 'sharer', 'colleague'] as const) if (s?.owners?.[role]?.node === node) owned.push({ sessionId, role });
  }
  return owned;
}
