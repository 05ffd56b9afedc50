// The renderer's DesktopApi client, generated from the protocol's method list. Under Electron it
// calls the preload bridge (window.remoteHelp); in a browser it speaks to the console host over a
// WebSocket, passing on the per-launch secret from the page's own URL.
import { desktopMethods, fail, type Ack, type DesktopApi, type DesktopEvent, type DesktopMethod, type SyncProgress } from '#protocol';

export type EventListener = (event: DesktopEvent) => void;

export interface DesktopClient extends DesktopApi {
  onEvent(listener: EventListener): () => void;
}

/** What the preload exposes: one function per method, plus onEvent. */
export type DesktopBridge = { [K in DesktopMethod]: (...args: unknown[]) => Promise<Ack<unknown>> } & {
  onEvent(listener: EventListener): () => void;
};

declare global {
  interface Window {
    remoteHelp?: DesktopBridge;
  }
}

type Call = (method: DesktopMethod, args: unknown[]) => Promise<Ack<unknown>>;

function generate(call: Call, onEvent: (l: EventListener) => () => void): DesktopClient {
  const client: Record<string, unknown> = { onEvent };
  for (const method of desktopMethods) client[method] = (...args: unknown[]) => call(method, args);
  return client as unknown as DesktopClient;
}

function bridgeClient(bridge: DesktopBridge): DesktopClient {
  return generate(
    (method, args) => bridge[method](...args).catch(() => fail('internal', 'IPC call failed')),
    (listener) => bridge.onEvent(listener),
  );
}

function webSocketClient(win: Window): DesktopClient {
  const secret = new URL(win.location.href).searchParams.get('k') ?? '';
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${win.location.host}/api?k=${encodeURIComponent(secret)}`;
  const listeners = new Set<EventListener>();
  const pending = new Map<number, (ack: Ack<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket | null> | null = null;

  const emit = (event: DesktopEvent) => listeners.forEach((l) => l(event));

  function connect(): Promise<WebSocket | null> {
    opened ??= new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (e: MessageEvent) => {
        let data: { id?: number; result?: Ack<unknown>; event?: DesktopEvent };
        try {
          data = JSON.parse(String(e.data)) as typeof data;
        } catch {
          return;
        }
        if (data.event) emit(data.event);
        else if (typeof data.id === 'number' && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      });
      ws.addEventListener('close', () => {
        const wasOpen = socket === ws;
        socket = null;
        opened = null;
        resolve(null);
        for (const done of pending.values()) done(fail('relay-unreachable', 'the console host closed the connection'));
        pending.clear();
        // Main is gone, and with it the relay link: a session view shows that as a lost connection.
        if (wasOpen) emit({ type: 'connection', payload: { connected: false } });
      });
    });
    return opened;
  }

  return generate(
    async (method, args) => {
      const ws = socket ?? (await connect());
      if (!ws) return fail('relay-unreachable', 'cannot reach the console host');
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, args }));
      });
    },
    (listener) => {
      listeners.add(listener);
      void connect(); // events only flow over an open socket
      return () => listeners.delete(listener);
    },
  );
}

export function createDesktopClient(win: Window): DesktopClient {
  return win.remoteHelp ? bridgeClient(win.remoteHelp) : webSocketClient(win);
}

/** The inventory's sync progress, whoever started the sync (main at sign-in or on its interval, or the
 * Sync button): every step while it runs, then once when it ends. Returns the unsubscribe function. */
export function onSyncProgress(client: DesktopClient, listener: (progress: SyncProgress) => void): () => void {
  return client.onEvent((e) => {
    if (e.type === 'inventory:sync') listener(e.payload);
  });
}
