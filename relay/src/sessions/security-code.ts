import { randomInt } from 'node:crypto';
import { limits } from '#protocol';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 8 characters of [0-9a-z] from the CSPRNG: 36^8 ≈ 2^41 codes, guessed only under the join rate limit. */
export function generateSecurityCode(draw: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < limits.codeLength; i++) code += alphabet[draw(alphabet.length)];
  return code;
}
