// Composition root under Electron: the same services and dispatcher as the console host, carried
// over IPC. Thin on purpose: everything that can run without Electron lives outside this folder.
import { app, BrowserWindow, ipcMain, safeStorage, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { desktopChannels, fail } from '#protocol';
import { filePermissionProtector } from '../auth/token-protector.js';
import { loadConfig } from '../config.js';
import { createConsoleServices } from '../services.js';
import { safeStorageProtector } from './safe-storage-protector.js';
import { installSessionPolicy, isOurPage, openConsoleWindow } from './window.js';

const log = {
  error: (msg: string, fields?: Record<string, unknown>) => console.error(msg, fields ?? ''),
};

async function start(): Promise<void> {
  const config = loadConfig(process.env, { dataDir: join(app.getPath('userData'), 'console') });
  const root = app.getAppPath();
  const indexFile = join(root, 'dist', 'console', 'index.html');
  const preloadFile = join(root, 'dist', 'desktop', 'preload.cjs');
  const relayOrigin = new URL(config.relayUrl).origin;

  const protector = safeStorage.isEncryptionAvailable() ? safeStorageProtector() : filePermissionProtector();
  if (!safeStorage.isEncryptionAvailable()) log.error('safeStorage is not available: the token cache relies on file permissions only');

  const services = await createConsoleServices(config, {
    shell: 'electron',
    protector,
    // The console speaks the operating system's language first (a Chromium window's own languages are
    // the app's locale, not the person's list).
    systemLanguages: app.getPreferredSystemLanguages(),
    openBrowser: async (url) => {
      await shell.openExternal(url);
      return true;
    },
    log,
  });

  installSessionPolicy({ indexFile, preloadFile, relayOrigin });

  // Only our own page, in the main frame of our window, may call the API.
  ipcMain.handle(desktopChannels.invoke, (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
    const frame = event.senderFrame;
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!frame || !win || frame !== event.sender.mainFrame || !isOurPage(frame.url, indexFile)) {
      return fail('forbidden', 'sender is not the console page');
    }
    return services.dispatch(method, args);
  });

  const win = openConsoleWindow({ indexFile, preloadFile, relayOrigin });
  const unsubscribe = services.events.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(desktopChannels.event, event);
  });
  win.on('closed', unsubscribe);

  app.on('window-all-closed', () => {
    void services.close().finally(() => app.quit());
  });
}

app.enableSandbox();
app.whenReady().then(start).catch((e: unknown) => {
  log.error('console failed to start', { error: String(e) });
  app.exit(1);
});
