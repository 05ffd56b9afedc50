// Every error code has its own user-facing sentence (the Record type makes a missing one a compile
// error; this shows none is empty, a bare code, or shared with another code).
import assert from 'node:assert/strict';
import { errorCodes, type ErrorCode } from '#protocol/errors.js';
import { errorMessage } from '#ui/i18n/error-messages.js';

describe('errorMessage', () => {
  it('gives a distinct sentence for every error code', () => {
    const seen = new Map<string, string>();
    for (const code of errorCodes) {
      const text = errorMessage(code);
      assert.ok(text.length > 10 && text !== code, `${code} has a real message`);
      assert.match(text, /[.!]$/, `${code}: a full sentence`);
      assert.equal(seen.get(text), undefined, `${code} shares its message with ${seen.get(text)}`);
      seen.set(text, code);
    }
  });

  it('says the examples the product needs in plain words', () => {
    assert.equal(errorMessage('code-invalid'), 'That security code is not valid. Check it and try again.');
    assert.equal(errorMessage('code-used'), 'That security code has already been used. Ask your helper for a new one.');
    assert.equal(errorMessage('tenant-mismatch'), 'You can only share your screen with a helper from your own organization.');
  });

  it('reads a code it does not know (from a newer relay) as "something went wrong", never as the bare code', () => {
    for (const unknown of ['teapot', 'toString', '__proto__', '']) {
      assert.equal(errorMessage(unknown as ErrorCode), errorMessage('internal'), unknown);
    }
  });
});
