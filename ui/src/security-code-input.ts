// What a person types as a code is forgiving (case, spaces, dashes, O for 0, I or L for 1); what is sent is exact.
import { normalizeSecurityCode, securityCode } from '#protocol/relay-events.js';

export const normalizeCode = normalizeSecurityCode;

export function isValidCode(code: string): boolean {
  return securityCode.safeParse(code).success;
}
