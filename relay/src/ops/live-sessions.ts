// Live sessions by state for /metrics, counted at scrape time from the session store itself: with
// several nodes the store is shared, so the figure is the cluster's, whichever node is scraped, and no
// node has to keep a count in step with transitions made by the others.
import type { SessionStore } from '../sessions/session-store.js';

/** At most this many sessions are read per scrape: a scrape must stay cheap whatever the load. */
const liveSessionsReadAtScrape = 10_000;

export async function liveSessionsByState(store: SessionStore): Promise<Record<string, number>> {
  const ids = (await store.liveSessions()).slice(0, liveSessionsReadAtScrape);
  const counts: Record<string, number> = {};
  for (const s of await Promise.all(ids.map((id) => store.get(id)))) {
    if (s) counts[s.state] = (counts[s.state] ?? 0) + 1;
  }
  return counts;
}
