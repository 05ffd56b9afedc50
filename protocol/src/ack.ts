import type { ErrorCode } from './errors.js';

export interface WireError {
  code: ErrorCode;
  message: string;
}
/** Every request over the relay or the desktop API answers one of these; expected failures are values, not throws. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function ok<T>(value: T): Ack<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string = code): Ack<T> {
  return { ok: false, error: { code, message } };
}
