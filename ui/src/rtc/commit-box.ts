// The commits (protocol/verification-code.ts) the sharer holds from one member (the helper, or the
// colleague), for its next connection to them: it offers only once it holds one. Each commit serves one
// connection; a newer one replaces one not used yet (the member made a new certificate), a repeat of one
// already used is ignored (a resend that crossed the offer), and `drop` forgets the unused one when the
// member's page lost its connection or reloaded (what it committed to before is gone with it).

export class CommitBox {
  private unused: string | undefined;
  private readonly used = new Set<string>();
  /** The one connection waiting (the newest: an older one waiting was closed). */
  private waiting: ((commit: string) => void) | undefined;

  /** A commit from the member. */
  put(commit: string): void {
    if (this.used.has(commit)) return;
    this.unused = commit;
    this.hand();
  }

  /** The commit for a new connection, when there is one; a take before it replaces any earlier take. */
  take(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.hand();
    });
  }

  drop(): void {
    this.unused = undefined;
  }

  private hand(): void {
    const commit = this.unused;
    const waiting = this.waiting;
    if (commit === undefined || !waiting) return;
    this.unused = undefined;
    this.waiting = undefined;
    this.used.add(commit);
    waiting(commit);
  }
}
