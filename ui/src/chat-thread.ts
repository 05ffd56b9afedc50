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
  /** The clientIds of the messages written on this side (this page's life). */
  private readonly mine = new Set<string>();
  /** Seqs up to here are no longer held by the relay (a long chat's oldest): counted as had. */
  private floor = 0;
  /** Whether messages this side never saw were dropped by the relay before it could fetch them. */
  olderDropped = false;

  /** The relay no longer holds messages below `seq`: the run of seqs starts after them. */
  dropBefore(seq: number): void {
    if (seq - 1 <= this.floor) return;
    this.floor = seq - 1;
    this.olderDropped = true;
  }

  /** Adds a message from the relay; false when it was already known (a duplicate). */
  receive(message: ChatMessage): boolean {
    this.local.delete(message.clientId);
    if (this.confirmed.has(message.clientId)) return false;
    this.confirmed.set(message.clientId, message);
    return true;
  }

  addPending(clientId: string, text: string): void {
    this.mine.add(clientId);
    if (this.confirmed.has(clientId)) return;
    this.local.set(clientId, { clientId, text, failed: false });
  }

  markFailed(clientId: string, error: ErrorCode): void {
    const m = this.local.get(clientId);
    if (m) this.local.set(clientId, { ...m, failed: true, error });
  }

  /** Whether the message was written on this side (by its clientId). */
  sentHere(clientId: string): boolean {
    return this.mine.has(clientId);
  }

  /** The highest seq held (0 for none): where a change of this side's role falls in the thread. */
  get highestSeq(): number {
    let max = this.floor;
    for (const m of this.confirmed.values()) max = Math.max(max, m.seq);
    return max;
  }

  /** The text of a local message, to send it again. */
  textOf(clientId: string): string | undefined {
    return this.local.get(clientId)?.text;
  }

  /** What to resume after: the end of the unbroken run of seqs from 1 (the relay numbers a session's
   * messages 1, 2, 3, …). Not the highest seen: a message sent live just after a reconnect can arrive
   * before the resume's answer, and resuming after it would skip the ones missed while away. Asking
   * for too much costs nothing: a message already held is kept once. */
  get lastSeq(): number {
    const seqs = new Set<number>();
    for (const m of this.confirmed.values()) seqs.add(m.seq);
    let last = this.floor;
    while (seqs.has(last + 1)) last++;
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
