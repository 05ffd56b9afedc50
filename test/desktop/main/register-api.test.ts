import assert from 'node:assert/strict';
import { fail, ok, type DesktopApi } from '#protocol';
import { createDispatcher } from '#desktop/main/register-api.js';

/** A DesktopApi whose methods answer what the test says; the dispatcher under test is real. */
function apiWith(overrides: Partial<DesktopApi>): DesktopApi {
  const notHere = async () => fail<never>('internal', 'not used by this test');
  return new Proxy({} as DesktopApi, { get: (_t, key: string) => (overrides as Record<string, unknown>)[key] ?? notHere });
}

describe('desktop API dispatcher', () => {
  const logged: string[] = [];
  const log = { error: (msg: string) => void logged.push(msg) };

  it('refuses an unknown method with validation', async () => {
    const dispatch = createDispatcher(apiWith({}), log);
    for (const method of ['nope', '__proto__', 'constructor', 'toString', 42, null, undefined]) {
      const res = await dispatch(method, []);
      assert.equal(res.ok, false);
      assert.equal(!res.ok && res.error.code, 'validation', `method ${String(method)}`);
    }
  });

  it('refuses bad arguments with validation, before the implementation sees them', async () => {
    let called = 0;
    const dispatch = createDispatcher(apiWith({
      beginSignIn: async () => { called++; return ok({ authUrl: 'x', opened: false }); },
      listDevices: async () => { called++; return ok({ items: [], total: 0, offset: 0 }); },
      relay: async () => { called++; return fail('internal'); },
    }), log);
    const bad: [string, unknown][] = [
      ['beginSignIn', []],
      ['beginSignIn', [{ email: 'not an email' }]],
      ['beginSignIn', [{ email: 'a@b.example', extra: 1 }]],
      ['beginSignIn', { email: 'a@b.example' }],
      ['listDevices', [{ limit: 100_000 }]],
      ['listDevices', [{ compliance: 'sort-of' }]],
      ['listDevices', [{}, {}]],
      ['relay', [{ event: 'chat:send', req: { sessionId: 's', clientId: 'not-a-uuid', text: 'hi' } }]],
      ['relay', [{ event: 'chat:send', req: { sessionId: 's', clientId: crypto.randomUUID(), text: 'x'.repeat(5000) } }]],
      ['relay', [{ event: 'chat:shout', req: { sessionId: 's' } }]],
      ['relay', [{ event: 'session:end', req: { sessionId: 's' }, extra: 1 }]],
      ['getStatus', [1]],
      ['getStatus', 'x'],
    ];
    for (const [method, args] of bad) {
      const res = await dispatch(method, args);
      assert.equal(!res.ok && res.error.code, 'validation', `${method} ${JSON.stringify(args).slice(0, 60)}`);
    }
    assert.equal(called, 0);
  });

  it('passes valid arguments (with defaults filled in) to the implementation and returns its answer', async () => {
    let seen: unknown;
    const dispatch = createDispatcher(apiWith({
      listDevices: async (q) => { seen = q; return ok({ items: [], total: 0, offset: 0 }); },
    }), log);
    const res = await dispatch('listDevices', [{ search: 'pc' }]);
    assert.deepEqual(res, ok({ items: [], total: 0, offset: 0 }));
    assert.deepEqual(seen, {
      search: 'pc', compliance: 'any', platform: '', ownership: 'any', enrollment: 'any', sort: 'name', direction: 'asc', offset: 0, limit: 100,
    });
  });

  it('turns a thrown bug into internal and logs it without the arguments', async () => {
    logged.length = 0;
    const dispatch = createDispatcher(apiWith({
      relay: async () => { throw new Error('boom'); },
    }), log);
    const res = await dispatch('relay', [{ event: 'session:join', req: { code: 'ABCD1234' } }]);
    assert.equal(!res.ok && res.error.code, 'internal');
    assert.equal(logged.length, 1);
    assert.ok(!logged.join(' ').includes('ABCD1234'));
  });
});
