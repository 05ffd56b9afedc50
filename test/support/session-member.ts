// One member of a session as the pages behave toward the relay (ui/src/session-controller.ts, chat.ts),
// without a browser: after every reconnect it resumes the session with the last message it has, and
// it sends a chat message until the relay acknowledges it, under one clientId (the relay stores it
// once). It keeps everything it was told, so a test can check that each message came once, in order.
import { randomUUID } from 'node:crypto';
import type { Ack, ChatMessage, PeerStatus, SessionEnded, SessionResumed, SessionRole } from '#protocol';
import type { ClientSocket } from './relay.js';
import { waitFor } from './wait.js';

export interface Member {
  readonly socket: ClientSocket;
  readonly role: SessionRole;
  /** The session it takes part in, once it created or joined one. */
  sessionId: string | undefined;
  /** Every chat:message pushed to it, in arrival order (duplicates kept, to be found). */
  readonly pushed: ChatMessage[];
  /** The thread as the page holds it, by seq: pushes, acks of its own messages and resume answers. */
  readonly thread: Map<number, ChatMessage>;
  readonly ended: SessionEnded[];
  readonly peer: PeerStatus[];
  /** The answer to each resume after a reconnect, in order. */
  readonly resumes: Ack<SessionResumed>[];
  /** The last seq it holds with nothing missing before it (what the pages send as afterSeq). */
  lastSeq(): number;
  /** Sends a chat message as the page does, retrying the same clientId until the relay takes it. */
  say(text: string, timeoutMs?: number): Promise<ChatMessage>;
  /** Resolves once it has resumed `count` times in all, whatever the answers were. */
  resumed(count: number, timeoutMs?: number): Promise<Ack<SessionResumed>>;
}

export function follow(socket: ClientSocket, role: SessionRole): Member {
  const member: Member = {
    socket, role, sessionId: undefined, pushed: [], thread: new Map(), ended: [], peer: [], resumes: [],
    lastSeq() {
      let seq = 0;
      while (member.thread.has(seq + 1)) seq++;
      return seq;
    },
    async say(text, timeoutMs = 30_000) {
      const sessionId = member.sessionId;
      if (!sessionId) throw new Error(`the ${role} is in no session`);
      const clientId = randomUUID();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // While the socket is between nodes the emit waits in socket.io-client's buffer; an answer that
        // never comes (the node died holding it) is a timeout, and the page sends again.
        const res = await (socket.timeout(5000).emitWithAck as (e: string, p: unknown) => Promise<Ack<ChatMessage>>)(
          'chat:send', { sessionId, clientId, text },
        ).catch((): undefined => undefined);
        if (res?.ok) {
          member.thread.set(res.value.seq, res.value);
          return res.value;
        }
        if (res && res.error.code !== 'relay-unreachable' && res.error.code !== 'internal') {
          throw new Error(`chat refused: ${res.error.code}: ${res.error.message}`);
        }
        if (Date.now() > deadline) throw new Error(`the ${role}'s message was not taken within ${timeoutMs} ms`);
      }
    },
    async resumed(count, timeoutMs = 30_000) {
      await waitFor(() => member.resumes.length >= count, timeoutMs, `the ${role} never resumed ${count} time(s)`);
      return member.resumes[count - 1]!;
    },
  };
  socket.on('chat:message', (m) => {
    member.pushed.push(m);
    member.thread.set(m.seq, m);
  });
  socket.on('session:ended', (e) => member.ended.push(e));
  socket.on('session:peer', (p) => member.peer.push(p));
  // Every connect after the session began is a reconnect (to this node or another).
  socket.on('connect', () => {
    const sessionId = member.sessionId;
    if (!sessionId) return;
    void (socket.timeout(10_000).emitWithAck as (e: string, p: unknown) => Promise<Ack<SessionResumed>>)(
      'session:resume', { sessionId, afterSeq: member.lastSeq() },
    ).then((res) => {
      if (res.ok) for (const m of res.value.messages) member.thread.set(m.seq, m);
      member.resumes.push(res);
    }, () => member.resumes.push({ ok: false, error: { code: 'relay-unreachable', message: 'no answer to session:resume' } }));
  });
  return member;
}
