import { randomInt } from 'node:crypto';
import { limits, securityCodeAlphabet } from '#protocol';

/** 8 characters of Crockford base32 from the CSPRNG: 32^8 = 2^40 codes, guessed only under the join rate limit. */
export function generateSecurityCode(draw: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < limits.codeLength; i++) code += securityCodeAlphabet[draw(securityCodeAlphabet.length)];
  return code;
}
