// Which request the relay is working on, wherever it is in the call chain: an HTTP request or one
// Socket.IO event. Carried by AsyncLocalStorage so the log lines, the report of a refusal and the
// refusal's answer all name the same id without every part passing it along.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export interface RequestContext {
  readonly requestId: string;
  /** Set when a refusal was put on the session reports during this request: an HTTP answer then carries
   * the id in its body too (socket refusals always do), so the person refused can quote it. */
  refusalRecorded: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

const idBytes = 12;
const poolBytes = idBytes * 512;
let pool = randomBytes(poolBytes);
let used = 0;

/** 16 random characters (96 bits): unique enough to find one request among every node's log lines.
 * Drawn from a pool: one randomBytes call per event would cost more than the rest of the event's
 * bookkeeping together (about 9 µs against 1 µs). */
export function newRequestId(): string {
  if (used + idBytes > poolBytes) {
    pool = randomBytes(poolBytes);
    used = 0;
  }
  used += idBytes;
  return pool.toString('base64url', used - idBytes, used);
}

/** An X-Request-Id a trusted proxy may hand on: short, and only characters that are safe in a log line
 * and a header. Anything else is replaced by an id of our own. */
const saneId = /^[A-Za-z0-9._:-]{8,64}$/;
export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && saneId.test(value) ? value : undefined;
}

/** Runs `fn` as the work of the request `requestId`. */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId, refusalRecorded: false }, fn);
}

/** A request whose id is drawn when first read: most socket events (a chat message) log nothing and
 * are not refused, so they never need one (issue 12: CPU per message). Once read, it stays the same. */
class LazyRequest implements RequestContext {
  #id: string | undefined;
  refusalRecorded = false;
  get requestId(): string {
    return (this.#id ??= newRequestId());
  }
}

/** Runs `fn` as the work of a new request, and gives its context to `fn` (no lookup needed). */
export function runInNewRequest<T>(fn: (request: RequestContext) => T): T {
  const request = new LazyRequest();
  return storage.run(request, fn, request);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
