// The console window and the guards every web contents gets: no navigation away from our page,
// no new windows (https links go to the system browser), no webviews, no permissions but clipboard.
import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { consoleCsp } from '../console-csp.js';

export interface ConsoleWindowOptions {
  indexFile: string;
  preloadFile: string;
  relayOrigin: string;
}

export function pageUrl(indexFile: string): string {
  return pathToFileURL(indexFile).href;
}

/** True when `url` is our console page (whatever its query or hash). */
export function isOurPage(url: string, indexFile: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && `${u.origin}${u.pathname}` === `${new URL(pageUrl(indexFile)).origin}${new URL(pageUrl(indexFile)).pathname}`;
  } catch {
    return false;
  }
}

export function guardWebContents(contents: WebContents, indexFile: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOurPage(url, indexFile)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOurPage(url, indexFile)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
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
  void win.loadURL(pageUrl(opts.indexFile));
  return win;
}
