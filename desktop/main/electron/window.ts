// The console window and the guards every web contents gets: no navigation away from our page,
// no new windows (https links, clicked plainly or opened in a new window, go to the system browser),
// no webviews, no permissions but clipboard.
import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { consoleCsp } from '../console-csp.js';
import { isOurPage, linkAction, pageUrl } from '../navigation-policy.js';

export { isOurPage, pageUrl } from '../navigation-policy.js';

export interface ConsoleWindowOptions {
  indexFile: string;
  preloadFile: string;
  relayOrigin: string;
}

export function guardWebContents(contents: WebContents, indexFile: string): void {
  contents.on('will-navigate', (event, url) => {
    const action = linkAction(url, indexFile, 'navigate');
    if (action === 'stay') return;
    event.preventDefault();
    if (action === 'system-browser') void shell.openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOurPage(url, indexFile)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (linkAction(url, indexFile, 'new-window') === 'system-browser') void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function installSessionPolicy(opts: ConsoleWindowOptions): void {
  const csp = consoleCsp({ connectSrc: [], relayOrigin: opts.relayOrigin });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write');
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, opts.indexFile));
}

export function openConsoleWindow(opts: ConsoleWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    webPreferences: {
      preload: opts.preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Closing the window is the page's decision (its beforeunload): while a session is live the console
  // holds the close — Electron then shows no prompt of its own and keeps the window — asks in its own
  // dialog, ends the session, and closes the window itself (Electron lets a page's script do so).
  // Nothing here ignores that (no will-prevent-unload handler).
  void win.loadURL(pageUrl(opts.indexFile));
  return win;
}
