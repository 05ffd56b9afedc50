// The web pages' sign-in state lives in the relay's HttpOnly session cookie; the page only asks.
import type { WebSessionInfo } from '#protocol/identity.js';

export async function fetchSession(): Promise<WebSessionInfo | null> {
  try {
    const res = await fetch('/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!res.ok) return res.status === 401 ? { signedIn: false } : null;
    const body: unknown = await res.json();
    if (typeof body !== 'object' || body === null || typeof (body as WebSessionInfo).signedIn !== 'boolean') return null;
    return body as WebSessionInfo;
  } catch {
    return null;
  }
}

/** Where "Sign in" goes: back to this very page (path and query, so ?passcode= survives). */
export function signInUrl(loc: Location): string {
  return `/auth/signin?returnTo=${encodeURIComponent(loc.pathname + loc.search)}`;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/signout', { method: 'POST', credentials: 'same-origin', redirect: 'manual' }).catch(() => undefined);
}
