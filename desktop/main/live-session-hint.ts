// Whether the console is in a live session, as far as main can tell from the requests and events that
// pass through its link to the relay: only for the handshake's claim (protocol's `resumingAuthKey`) that
// lets a member back into a relay past its capacity. A console that claims it with no session costs an
// overloaded relay a sign-in check and a look at its index for nothing, and takes a place members coming
// back need (relay/src/socket/resume-allowance.ts); one that misses a session is refused as anyone new,
// no worse than before. The relay checks every claim.
import { isTerminal, type AckOf, type DesktopEvent, type RelayEvent, type RequestOf } from '#protocol';

export interface LiveSessionHint {
  /** A request the link carried, with its answer. */
  answered<E extends RelayEvent>(event: E, req: RequestOf<E>, res: AckOf<E>): void;
  /** What the relay pushed. */
  pushed(event: DesktopEvent): void;
  /** At least one session may still be live. */
  any(): boolean;
}

export function createLiveSessionHint(): LiveSessionHint {
  const live = new Set<string>();
  return {
    answered(event, req, res) {
      const sessionId = (req as { sessionId?: unknown }).sessionId;
      if (!res.ok) {
        // Over for this console: the relay says the session ended, or it is not theirs (any more).
        if (typeof sessionId === 'string' && ['session-ended', 'not-found', 'forbidden'].includes(res.error.code)) live.delete(sessionId);
        return;
      }
      const value = res.value as Record<string, unknown> | null;
      if (event === 'session:create' && typeof value?.['sessionId'] === 'string') live.add(value['sessionId']);
      if (typeof sessionId !== 'string') return;
      if (event === 'session:resume') {
        if (isTerminal((value as { state: Parameters<typeof isTerminal>[0] }).state)) live.delete(sessionId);
        else live.add(sessionId);
      }
      // Accepted (an answer with the sharer's card) makes them a member; declined (null) does not.
      if (event === 'session:invite-answer' && value !== null) live.add(sessionId);
      if (event === 'session:end') live.delete(sessionId);
    },
    pushed(event) {
      if (event.type === 'session:ended') live.delete(event.payload.sessionId);
    },
    any: () => live.size > 0,
  };
}
