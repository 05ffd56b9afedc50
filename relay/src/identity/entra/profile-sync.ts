// The profile of an Entra user from Microsoft Graph: job title, company, photo and group membership
// (role scopes, conditional access), plus the tenant's verified domains. Refreshed in the background
// after a sign-in; a join waits for it at most a bounded time (ProfileFreshness), and a Graph that is
// slow, throttled or down never holds a session longer: the trust screen then says so.
import type { DirectoryStore } from '../../directory/index.js';
import type { Log, ProfileFreshness } from '../../ports.js';
import type { GraphClient } from './graph-client.js';

export interface EntraProfileSync extends ProfileFreshness {
  /** A person of an Entra tenant signed in: refresh their profile unless it is fresh. */
  signedIn(tenantId: string, userId: string, subject: string): void;
}

export interface ProfileSyncDeps {
  /** The Graph client of each Entra tenant, by Remote Help tenant id. */
  graphs: ReadonlyMap<string, GraphClient>;
  directory: DirectoryStore;
  log: Log;
  now?: () => number;
  /** How long a refreshed profile counts as fresh. */
  freshForMs?: number;
  /** How long the verified domains from /organization are kept. */
  domainsForMs?: number;
}

/** A Graph photo larger than this is not kept inline (a trust screen shows it at 72 px). */
const maxPhotoBytes = 256 * 1024;
/** How long after a failed refresh Graph is left alone for that user. */
const retryAfterFailureMs = 60_000;
/** A refresh nobody waits for still ends: a hung Graph must not pile up requests. */
const refreshTimeoutMs = 30_000;

interface Entry { refreshedAt: number; failedAt: number; inFlight: Promise<boolean> | undefined }

export function createEntraProfileSync(deps: ProfileSyncDeps): EntraProfileSync {
  const { graphs, directory, log } = deps;
  const now = deps.now ?? Date.now;
  const freshForMs = deps.freshForMs ?? 15 * 60_000;
  const domainsForMs = deps.domainsForMs ?? 60 * 60_000;
  const entries = new Map<string, Entry>();
  const domainsAt = new Map<string, number>();
  const keyOf = (tenantId: string, userId: string): string => JSON.stringify([tenantId, userId]);

  const refreshDomains = async (tenantId: string, graph: GraphClient): Promise<void> => {
    if (now() - (domainsAt.get(tenantId) ?? -Infinity) < domainsForMs) return;
    domainsAt.set(tenantId, now());
    const found = await graph.verifiedDomains(AbortSignal.timeout(refreshTimeoutMs));
    if (!found.ok) {
      domainsAt.delete(tenantId);
      return;
    }
    // A domain another tenant here verified stays that tenant's (the configuration allows no domain twice);
    // checked and written in one step, so neither a tenant verifying it meanwhile nor an administrator's
    // settings change is overwritten.
    await directory.addVerifiedDomains(tenantId, found.value);
  };

  const refresh = async (tenantId: string, userId: string, subject: string, graph: GraphClient): Promise<boolean> => {
    const signal = AbortSignal.timeout(refreshTimeoutMs);
    const [user, photo, groups] = await Promise.all([graph.user(subject, signal), graph.photo(subject, signal), graph.groupNames(subject, signal), refreshDomains(tenantId, graph)]);
    const row = await directory.user(tenantId, userId);
    if (!row) return false;
    const photoUrl = photo.ok && photo.value && photo.value.bytes.length <= maxPhotoBytes
      ? `data:${photo.value.contentType};base64,${photo.value.bytes.toString('base64')}`
      : photo.ok ? '' : undefined; // no photo at Graph: none here either; Graph failed: keep the one we have
    const linked = await directory.linkSignedInUser(tenantId, 'entra', {
      subject, upn: row.upn,
      ...(user.ok ? { name: user.value.displayName, jobTitle: user.value.jobTitle ?? '', company: user.value.companyName ?? '' } : {}),
      ...(photoUrl !== undefined ? { photoUrl } : {}),
      ...(groups.ok ? { groups: groups.value } : {}),
    });
    const complete = user.ok && photo.ok && groups.ok && linked.ok;
    if (!complete) {
      const why = [user, photo, groups].flatMap((a) => (a.ok ? [] : [`${a.error.code}: ${a.error.message}`]));
      log.warn('graph profile incomplete', { tenantId, userId, problems: why });
    }
    return complete;
  };

  /** The refresh of this user, started if their profile is not fresh; undefined: nothing to wait for. */
  const ensure = (tenantId: string, userId: string, subject?: string): Promise<boolean> | undefined => {
    const graph = graphs.get(tenantId);
    if (!graph) return undefined;
    const key = keyOf(tenantId, userId);
    const entry = entries.get(key) ?? { refreshedAt: -Infinity, failedAt: -Infinity, inFlight: undefined };
    entries.set(key, entry);
    if (entry.inFlight) return entry.inFlight;
    if (now() - entry.refreshedAt < freshForMs) return undefined;
    // A Graph that just failed (throttled, down) is not asked again on every sign-in and join meanwhile.
    if (now() - entry.failedAt < retryAfterFailureMs) return Promise.resolve(false);
    // Set before any await, so concurrent callers share this refresh.
    entry.inFlight = (async () => {
      const who = subject ?? (await directory.user(tenantId, userId))?.subject ?? undefined;
      return who ? refresh(tenantId, userId, who, graph) : false;
    })()
      .catch((error: unknown) => {
        log.error('graph profile refresh failed', { tenantId, userId, error });
        return false;
      })
      .then((complete) => {
        if (complete) entry.refreshedAt = now();
        else entry.failedAt = now();
        entry.inFlight = undefined;
        return complete;
      });
    return entry.inFlight;
  };

  return {
    signedIn(tenantId, userId, subject) {
      void ensure(tenantId, userId, subject);
    },
    async settle(users, maxWaitMs) {
      const stale = new Set<string>();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), maxWaitMs);
      });
      await Promise.all(users.map(async ({ tenantId, userId }) => {
        const pending = ensure(tenantId, userId);
        if (!pending) return;
        const outcome = await Promise.race([pending, deadline]);
        if (outcome !== true) stale.add(userId);
      }));
      clearTimeout(timer);
      return stale;
    },
  };
}
