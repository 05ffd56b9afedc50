// What the Electron console window (electron/window.ts) does with a link or a navigation, decided
// without Electron so it can be tested under plain Node: our own page stays; an https link (the
// session link, a sign-in page) goes to the system browser, never into the console's window, whose
// session would end with the page; anything else goes nowhere.
import { pathToFileURL } from 'node:url';

export function pageUrl(indexFile: string): string {
  return pathToFileURL(indexFile).href;
}

/** True when `url` is our console page (whatever its query or hash). */
export function isOurPage(url: string, indexFile: string): boolean {
  try {
    const u = new URL(url);
    const ours = new URL(pageUrl(indexFile));
    return u.protocol === 'file:' && u.origin === ours.origin && u.pathname === ours.pathname;
  } catch {
    return false;
  }
}

export type LinkAction = 'stay' | 'system-browser' | 'nothing';

/**
 * A navigation of the console's window (`will-navigate`: a plain click on `<a href>`, a form, a script)
 * or a new window it asks for (`window.open`, `target="_blank"`): `stay` lets our own page load (only
 * for a navigation), `system-browser` hands the URL to the system browser instead.
 */
export function linkAction(url: string, indexFile: string, kind: 'navigate' | 'new-window'): LinkAction {
  if (isOurPage(url, indexFile)) return kind === 'navigate' ? 'stay' : 'nothing';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'nothing';
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' ? 'system-browser' : 'nothing';
}
