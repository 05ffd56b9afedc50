// A draining node (SIGTERM with several nodes) has closed its clients' connections; they reconnect
// through the load balancer and resume on another node within a second or two, which takes each member
// over in the session record. Until then the record still names this node: were it to say it is gone
// now (its liveness key), the other nodes' sweep would mark those members away and their peers would
// see "Reconnecting…" for a move they need not notice. So it waits for the hand-over, for a bounded
// time: a member whose client does not come back is then left to the dead-node sweep, as after a crash.
import type { Log } from '../ports.js';
import { ownedBy } from '../sessions/owners.js';
import type { SessionStore } from '../sessions/session-store.js';

export async function waitForHandOver(store: SessionStore, node: string, log: Log, maxMs: number, pollMs = 200): Promise<void> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const left = await ownedBy(store, node);
    if (left.length === 0) return;
    if (Date.now() >= deadline) {
      log.warn('members not taken over by another node before this one stopped', { members: left.length });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
