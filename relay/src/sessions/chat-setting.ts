// Whether a tenant has chat on, read on every chat message: from the directory (a database row and a
// JSON parse) at most once per `ttlMs` per tenant, not per message. A change made on this node (the
// admin settings write) is seen at once through `invalidate`; one made on another node of several is
// seen within `ttlMs`, since nothing tells this node.
import type { Clock, Directory, PolicyStore } from '../ports.js';

export interface ChatSetting {
  enabled(tenantId: string): Promise<boolean>;
  /** The tenant's settings were written: the next read goes to the directory. */
  invalidate(tenantId: string): void;
}

/** A second: an admin turning chat off reaches live sessions on every node within it. */
export const chatSettingTtlMs = 1000;

export function createChatSetting(directory: Pick<Directory, 'tenant'>, clock: Clock, ttlMs = chatSettingTtlMs): ChatSetting {
  const cache = new Map<string, { enabled: Promise<boolean>; readAt: number }>();
  return {
    enabled(tenantId) {
      const now = clock.now();
      const hit = cache.get(tenantId);
      if (hit && now - hit.readAt < ttlMs && now >= hit.readAt) return hit.enabled;
      const enabled = directory.tenant(tenantId).then((t) => t?.settings.chatEnabled === true);
      const entry = { enabled, readAt: now };
      cache.set(tenantId, entry);
      // A failed read is not remembered: the next message asks again.
      enabled.catch(() => {
        if (cache.get(tenantId) === entry) cache.delete(tenantId);
      });
      return enabled;
    },
    invalidate(tenantId) {
      cache.delete(tenantId);
    },
  };
}

/** `directory` as is, except that each settings write then tells `written` which tenant changed: what
 * the admin service writes through, so this node's cache is invalidated by the write itself. */
export function withSettingsWrites<D extends Pick<PolicyStore, 'updateSettings'>>(directory: D, written: (tenantId: string) => void): D {
  const wrapped = Object.create(directory) as D;
  wrapped.updateSettings = async (tenantId, settings) => {
    try {
      return await directory.updateSettings(tenantId, settings);
    } finally {
      written(tenantId);
    }
  };
  return wrapped;
}
