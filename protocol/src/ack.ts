import type { ErrorCode } from './errors.js';
import type { PolicyRefusal } from './policy.js';

export interface WireError {
  code: ErrorCode;
  message: string;
  /** For a refusal by policy: which rule, and what would satisfy it. */
  policy?: PolicyRefusal;
  /** For a refused file (a CSV import): what is wrong, by line, so every line can be fixed at once. */
  problems?: LineProblem[];
  /** For a refused code at join: how many more failed attempts are allowed before `rate-limited`. */
  attemptsLeft?: number;
  /** For a refusal over a socket: the request's id, which the relay's log lines (and the session
   * reports, when the refusal is recorded) carry too, for a person to quote. */
  requestId?: string;
}
export interface LineProblem {
  line: number;
  message: string;
}
/** Every request over the relay or the desktop API answers one of these; expected failures are values, not throws. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function ok<T>(value: T): Ack<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string = code, policy?: PolicyRefusal): Ack<T> {
  return { ok: false, error: policy ? { code, message, policy } : { code, message } };
}
