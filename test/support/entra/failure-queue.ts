// Failures a Graph stand-in answers before its next requests: throttling (429 with Retry-After) and
// outages (503), as https://learn.microsoft.com/graph/throttling and
// https://learn.microsoft.com/graph/errors describe them. Shared by the Graph stand-in's parts.
export interface GraphFailure {
  status: number;
  code: string;
  message: string;
  /** Seconds, for the Retry-After header. */
  retryAfter?: number;
}

export interface FailureQueue {
  /** The next `n` requests are answered 429 with Retry-After. */
  throttleNext(n: number, retryAfterSeconds: number): void;
  /** The next `n` requests are answered with `status` (Retry-After if given). */
  failNext(n: number, status: number, retryAfterSeconds?: number): void;
  /** The failure for this request, if one is queued. */
  take(): GraphFailure | undefined;
}

const codes: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Please retry again later.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable.'],
};

export function createFailureQueue(): FailureQueue {
  const queued: GraphFailure[] = [];
  const failure = (status: number, retryAfter?: number): GraphFailure => {
    const [code, message] = codes[status] ?? ['generalException', 'An unexpected error occurred.'];
    return { status, code, message, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  };
  return {
    throttleNext(n, retryAfterSeconds) {
      for (let i = 0; i < n; i++) queued.push(failure(429, retryAfterSeconds));
    },
    failNext(n, status, retryAfterSeconds) {
      for (let i = 0; i < n; i++) queued.push(failure(status, retryAfterSeconds));
    },
    take: () => queued.shift(),
  };
}
