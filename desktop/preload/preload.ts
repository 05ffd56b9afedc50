// The bridge, and nothing else: one function per desktop API method (generated from the protocol's
// method list), plus onEvent. The page never sees ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { desktopChannels, desktopMethods, type DesktopEvent } from '#protocol';

const api: Record<string, unknown> = {};
for (const method of desktopMethods) {
  api[method] = (...args: unknown[]) => ipcRenderer.invoke(desktopChannels.invoke, method, args);
}
api['onEvent'] = (listener: (event: DesktopEvent) => void) => {
  const handler = (_e: IpcRendererEvent, event: DesktopEvent) => listener(event);
  ipcRenderer.on(desktopChannels.event, handler);
  return () => {
    ipcRenderer.removeListener(desktopChannels.event, handler);
  };
};

contextBridge.exposeInMainWorld('remoteHelp', api);
