// The one chat thread of a session as this side sees it: messages confirmed by the relay (ordered by
// their seq, one per clientId however often they arrive — ack, broadcast, history after a resume)
// plus this side's messages still in flight or failed.
import type { ErrorCode } from '#protocol/errors.js';
import type { ChatMessage } from '#protocol/relay-events.js';

export type ChatEntry =
  | { status: 'sent'; message: ChatMessage }
  | { status: 'pending' | 'failed'; clientId: string; text: string; error?: ErrorCode };

interface LocalMessage {
  clientId: string;
  text: string;
  failed: boolean;
  error?: ErrorCode;
}

export class ChatThread {
  private readonly confirmed = new Map<string, ChatMessage>();
  private readonly local = new Map<string, LocalMessage>();

  /** Adds a message from the relay; false when it was already known (a duplicate). */
  receive(message: ChatMessage): boolean {
    this.local.delete(message.clientId);
    if (this.confirmed.has(message.clientId)) return false;
    this.confirmed.set(message.clientId, message);
    return true;
  }

  addPending(clientId: string, text: string): void {
    if (this.confirmed.has(clientId)) return;
    this.local.set(clientId, { clientId, text, failed: false });
  }

  markFailed(clientId: string, error: ErrorCode): void {
    const m = this.local.get(clientId);
    if (m) this.local.set(clientId, { ...m, failed: true, error });
  }

  /** The text of a local message, to send it again. */
  textOf(clientId: string): string | undefined {
    return this.local.get(clientId)?.text;
  }

  /** The highest seq seen: what to resume after. */
  get lastSeq(): number {
    let last = 0;
    for (const m of this.confirmed.values()) last = Math.max(last, m.seq);
    return last;
  }

  entries(): ChatEntry[] {
    const sent = [...this.confirmed.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((message): ChatEntry => ({ status: 'sent', message }));
    const local = [...this.local.values()].map(
      (m): ChatEntry => ({
        status: m.failed ? 'failed' : 'pending',
        clientId: m.clientId,
        text: m.text,
        ...(m.error ? { error: m.error } : {}),
      }),
    );
    return [...sent, ...local];
  }
}
