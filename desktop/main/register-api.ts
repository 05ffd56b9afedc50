// Transport-neutral dispatcher: Electron IPC and the console host's WebSocket both hand it
// (method name, raw args) and send back what it answers. Every argument is validated here.
import { desktopApiSchemas, fail, type Ack, type DesktopApi, type DesktopMethod } from '#protocol';

export type Dispatch = (method: unknown, args: unknown) => Promise<Ack<unknown>>;

export interface DispatchLog {
  error(msg: string, fields?: Record<string, unknown>): void;
}

function isMethod(name: unknown): name is DesktopMethod {
  return typeof name === 'string' && Object.hasOwn(desktopApiSchemas, name);
}

export function createDispatcher(api: DesktopApi, log: DispatchLog): Dispatch {
  return async (method, args) => {
    if (!isMethod(method)) return fail('validation', 'unknown desktop API method');
    const parsed = desktopApiSchemas[method].safeParse(args);
    if (!parsed.success) return fail('validation', `bad arguments for ${method}`);
    try {
      // The schema table and the interface are keyed alike, so the parsed tuple fits the method.
      const fn = api[method] as (...a: unknown[]) => Promise<Ack<unknown>>;
      return await fn.apply(api, parsed.data as unknown[]);
    } catch (e) {
      log.error('desktop API method failed', { method, error: (e as Error)?.stack ?? String(e) });
      return fail('internal', 'internal error');
    }
  };
}
