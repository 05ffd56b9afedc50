// One GET to Microsoft Graph, as Graph asks its clients to behave: a bearer token on every request, a
// throttled (429) or unavailable (503, 504) answer waited out for its Retry-After and tried again a
// few times, and the caller's signal obeyed throughout — a session waits two seconds at most, and a
// directory that does not answer must not hold it longer. Failures are values, never throws.
// https://learn.microsoft.com/graph/throttling  https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { fail, ok, type Ack } from '#protocol';
import type { Log } from '../../ports.js';
import type { HttpsFetch } from '../../net/https-fetch.js';
import type { AppToken } from './app-token.js';

export interface GraphResponse {
  /** 2xx, or 404 (what "not found" means is the caller's to say). */
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type GraphGet = (url: string, signal?: AbortSignal) => Promise<Ack<GraphResponse>>;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface GraphRequestOptions {
  token: AppToken;
  /** HTTPS that trusts the system's CAs plus the operator's. */
  fetch: HttpsFetch;
  log: Log;
  /** Tries after the first, for 429, 503 and 504 (default 3). */
  maxRetries?: number;
  /** Waits out a Retry-After; rejects when the signal aborts. */
  sleep?: Sleep;
}

const retryable = new Set([429, 503, 504]);
/** A Retry-After longer than this is not waited for: no caller of ours waits that long. */
const maxRetryAfterMs = 60_000;
/** Without a caller's signal, no single request waits longer than this. */
const requestTimeoutMs = 10_000;

const sleepFor: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});

export function createGraphGet(opts: GraphRequestOptions): GraphGet {
  const maxRetries = opts.maxRetries ?? 3;
  const sleep = opts.sleep ?? sleepFor;
  const timedOut = () => fail<GraphResponse>('identity-provider-unavailable', 'Microsoft Graph did not answer in time.');

  return async (url, signal) => {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) return timedOut();
      const token = await opts.token(signal);
      if (!token.ok) return token;
      let res: GraphResponse;
      try {
        res = await get(opts.fetch, url, token.value, signal);
      } catch (err) {
        if (signal?.aborted) return timedOut();
        opts.log.warn('graph: request failed', { url: redact(url), error: err instanceof Error ? err.message : String(err) });
        return fail('identity-provider-unavailable', 'Microsoft Graph could not be reached.');
      }
      if ((res.status >= 200 && res.status < 300) || res.status === 404) return ok(res);
      if (retryable.has(res.status)) {
        const wait = retryAfterMs(res.headers['retry-after'], attempt);
        if (attempt >= maxRetries || wait > maxRetryAfterMs) {
          opts.log.warn('graph: still throttled or unavailable, giving up', { url: redact(url), status: res.status, attempts: attempt + 1 });
          return fail('identity-provider-unavailable', 'Microsoft Graph is busy; try again shortly.');
        }
        try {
          await sleep(wait, signal);
        } catch {
          return timedOut();
        }
        continue;
      }
      const error = graphErrorCode(res.body);
      if (res.status === 401 || res.status === 403) {
        // The token was refused or lacks an application permission: the operator's to fix, not the user's.
        opts.log.error('graph: the relay\'s token was refused (check the app registration\'s Graph permissions and admin consent)', { url: redact(url), status: res.status, error });
        return fail('identity-provider-unavailable', 'Microsoft Graph refused the relay.');
      }
      if (res.status >= 500) {
        opts.log.warn('graph: server error', { url: redact(url), status: res.status, error });
        return fail('identity-provider-unavailable', 'Microsoft Graph failed.');
      }
      opts.log.error('graph: request refused', { url: redact(url), status: res.status, error });
      return fail('internal', `Microsoft Graph answered ${res.status}.`);
    }
  };
}

/** Retry-After in seconds (what Graph sends) or as an HTTP date; without one, 1, 2, 4… seconds. */
function retryAfterMs(header: string | undefined, attempt: number): number {
  if (header !== undefined && /^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = header ? Date.parse(header) : NaN;
  if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  return 1000 * 2 ** attempt;
}

function graphErrorCode(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}

/** Paths name users; the query (skip tokens) is opaque and long. Logs keep the path only. */
function redact(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(bad url)';
  }
}

async function get(fetch: HttpsFetch, url: string, token: string, signal: AbortSignal | undefined): Promise<GraphResponse> {
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'client-request-id': randomUUID() },
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const headers: IncomingHttpHeaders = Object.fromEntries(res.headers.entries());
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
}
