// What a page remembers of its live session, in this tab only (sessionStorage survives a reload, not a
// closed tab and not another tab): enough to resume it after a reload without a new code or a new
// consent. A stored value is checked before use; anything malformed is forgotten.
import type { SessionRole } from '#protocol/models.js';
import type { CreatedSession } from '#protocol/relay-events.js';

export interface LiveSession {
  sessionId: string;
  /** The helper's code and link, to show them again while nobody has joined yet. */
  created?: CreatedSession;
  /** The code the sharer joined with: a link with another code is a new session, not this one. */
  code?: string;
  /** The device the console started the session from, to open its view again. */
  deviceId?: string;
  /** The helper's view is in the session as an invited colleague (issue 13, point 5), not as its helper. */
  member?: 'colleague';
}

const key = (role: SessionRole) => `rh:live-session:${role}`;

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage blocked: the page still works, it just cannot resume after a reload
  }
}

export function rememberLiveSession(role: SessionRole, live: LiveSession): void {
  try {
    storage()?.setItem(key(role), JSON.stringify(live));
  } catch {
    // full or blocked: nothing to resume after a reload, nothing else lost
  }
}

export function forgetLiveSession(role: SessionRole): void {
  storage()?.removeItem(key(role));
}

export function liveSessionOf(role: SessionRole): LiveSession | undefined {
  const raw = storage()?.getItem(key(role));
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<LiveSession>;
    if (typeof v.sessionId === 'string' && v.sessionId.length > 0 && v.sessionId.length <= 100) {
      const c = v.created;
      const created = c && typeof c.code === 'string' && typeof c.link === 'string' && typeof c.expiresAt === 'string' && c.sessionId === v.sessionId ? c : undefined;
      const code = typeof v.code === 'string' && v.code.length <= 40 ? v.code : undefined;
      const deviceId = typeof v.deviceId === 'string' && v.deviceId.length <= 100 ? v.deviceId : undefined;
      const member = v.member === 'colleague' ? v.member : undefined;
      return {
        sessionId: v.sessionId, ...(created ? { created } : {}), ...(code ? { code } : {}), ...(deviceId ? { deviceId } : {}), ...(member ? { member } : {}),
      };
    }
  } catch {
    // fall through: forgotten below
  }
  forgetLiveSession(role);
  return undefined;
}
