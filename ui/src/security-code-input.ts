// What a person types as a code is forgiving (case, spaces, dashes); what is sent is exact.
import { securityCode } from '#protocol/relay-events.js';

export function normalizeCode(raw: string): string {
  return raw.toLowerCase().replace(/[\s\-–]/g, '');
}

export function isValidCode(code: string): boolean {
  return securityCode.safeParse(code).success;
}
