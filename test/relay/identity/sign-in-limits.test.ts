// Limits on guessing at the provider's sign-in page: wrong passwords per account and client address (a
// delay that grows, never a lock another address can cause), per client address across accounts, per
// account across many addresses as a last resort; wrong verification codes per user across sign-ins. Real provider over HTTPS; the relay's clock is the
// test's, so the 15-minute window passes without waiting.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { demoPassword, demoTenants, type DirectoryStore } from '#relay/directory/index.js';
import { demoMfaUsers, limitMessages, totpCode } from '#relay/identity/index.js';
import { alertText, CookieJar, httpsRequest, parseForm } from '../../support/https-fetch.js';
import { consoleAuthorizeUrl, pkcePair, signInForTokens } from '../../support/sign-in.js';
import { startIdentityHost, type IdentityHost, type IdentityHostOptions } from '../../support/identity-host.js';

const contoso = demoTenants.contoso.id;
const windowMs = 15 * 60_000;

interface LimitedHost {
  host: IdentityHost;
  advance(ms: number): void;
  now(): number;
  /** How often the directory was asked to check a password (each one an scrypt hash). */
  passwordChecks(): number;
}

async function startLimitedHost(options: IdentityHostOptions = {}): Promise<LimitedHost> {
  let offset = 0;
  let checks = 0;
  const clock = { now: () => Date.now() + offset };
  const host = await startIdentityHost(undefined, 0, {
    ...options,
    clock,
    wrapDirectory: (d: DirectoryStore): DirectoryStore => ({
      ...d,
      verifyPassword: (...args) => {
        checks++;
        return d.verifyPassword(...args);
      },
    }),
  });
  return { host, advance: (ms) => void (offset += ms), now: clock.now, passwordChecks: () => checks };
}

/** Another person's network, as the relay sees it (loopback answers on all of 127/8). */
const elsewhere = '127.0.0.2';

/** Opens the provider's sign-in page as the console would: answers the form's action and the cookies. */
async function openSignIn(host: IdentityHost, email: string, localAddress?: string): Promise<{ jar: CookieJar; action: string; localAddress?: string }> {
  const jar = new CookieJar();
  let url = consoleAuthorizeUrl(host.baseUrl, contoso, email, pkcePair().challenge);
  const from = localAddress ? { localAddress } : {};
  let res = await httpsRequest(url, host.ca, from, jar);
  while (res.location) {
    url = res.location;
    res = await httpsRequest(url, host.ca, from, jar);
  }
  const form = parseForm(res.body, url);
  assert.ok(form && /name="password"/.test(res.body), 'the password page');
  return { jar, action: form.action, ...from };
}

async function postPassword(host: IdentityHost, page: { jar: CookieJar; action: string; localAddress?: string }, email: string, password: string) {
  const res = await httpsRequest(page.action, host.ca, { form: { email, password }, ...(page.localAddress ? { localAddress: page.localAddress } : {}) }, page.jar);
  return { ...res, alert: alertText(res.body) ?? '' };
}

/** A whole sign-in with the right password from `localAddress`: answers the signed-in user's UPN. */
async function signInAt(h: LimitedHost, email: string, localAddress?: string): Promise<string> {
  const page = await openSignIn(h.host, email, localAddress);
  const res = await postPassword(h.host, page, email, demoPassword);
  assert.ok(res.location, `signed in (${res.status} ${res.alert})`);
  return email;
}

describe('sign-in limits in the embedded provider', () => {
  describe('wrong passwords', () => {
    let h: LimitedHost;
    beforeEach(async () => {
      h = await startLimitedHost();
    });
    afterEach(() => h.host.close());

    it('ten wrong passwords from one address do not lock the owner out: the right one from another address signs in', async () => {
      const email = 'helper@contoso.example';
      const page = await openSignIn(h.host, email);
      const answers = [];
      for (let i = 0; i < 10; i++) answers.push(await postPassword(h.host, page, email, `wrong-${i}`));
      // Three tries are free; then the guesser waits after each failure, and is told so without a hash.
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
      assert.match(answers[0]!.alert, /email or password is not correct/);
      assert.equal(answers[3]!.alert, limitMessages.account);
      assert.match(answers[3]!.body, /name="password"/, 'the form stays, with the message');
      assert.equal(h.passwordChecks(), 3, 'no password hash while waiting');

      // The owner, at their own address, is not held up by any of it.
      const tokens = await signInAt(h, email, elsewhere);
      assert.equal(tokens, email);
      // The guesser's address still waits, right password or not.
      const right = await postPassword(h.host, page, email, demoPassword);
      assert.equal(right.status, 429);
      assert.equal(right.location, undefined, 'no way on to the app');
      assert.equal(right.alert, limitMessages.account);
      assert.ok(h.host.logs.some((l) => l.msg === 'sign-in limited'));
      assert.ok(!JSON.stringify(h.host.logs).includes(email), 'the email stays out of the log');
    });

    it('makes each further try from the same address wait twice as long as the one before', async () => {
      const email = 'helper@contoso.example';
      const page = await openSignIn(h.host, email);
      for (let i = 0; i < 3; i++) assert.equal((await postPassword(h.host, page, email, `wrong-${i}`)).status, 200);
      for (const wait of [1000, 2000, 4000, 8000]) {
        // Half way (the previous wait's length, the real time a request takes aside): still waiting.
        h.advance(wait / 2);
        assert.equal((await postPassword(h.host, page, email, 'early')).status, 429, `before ${wait} ms`);
        h.advance(wait / 2);
        assert.equal((await postPassword(h.host, page, email, 'on time')).status, 200, `after ${wait} ms`);
      }
      assert.equal(h.passwordChecks(), 7);
      // Once the wait is over the right password goes in, from this same address too.
      h.advance(16_000);
      assert.equal(await signInAt(h, email), email);
    });

    it('holds guesses sent in parallel to the free tries, then one at a time', async () => {
      const email = 'helper@contoso.example';
      const page = await openSignIn(h.host, email);
      const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => postPassword(h.host, page, email, `wrong-${i}`)));
      assert.equal(h.passwordChecks(), 3);
      assert.equal(answers.filter((a) => a.alert === limitMessages.account).length, 12);
    });

    it('says the same for an email nobody has, so the limit does not tell who exists', async () => {
      const email = 'nobody@contoso.example';
      const page = await openSignIn(h.host, email);
      for (let i = 0; i < 3; i++) await postPassword(h.host, page, email, `wrong-${i}`);
      const limited = await postPassword(h.host, page, email, demoPassword);
      assert.equal(limited.status, 429);
      assert.equal(limited.alert, limitMessages.account);
    });

    it('limits one client address across many accounts, without checking the password', async () => {
      // The default is 50 an address; five here keeps the test quick (each wrong password is a real hash).
      const few = await startLimitedHost({ signInLimits: { passwordsPerAddress: 5 } });
      try {
        const page = await openSignIn(few.host, 'helper@contoso.example');
        for (let i = 0; i < 5; i++) await postPassword(few.host, page, `user${i}@contoso.example`, 'wrong');
        const limited = await postPassword(few.host, page, 'helper@contoso.example', demoPassword);
        assert.equal(limited.status, 429);
        assert.equal(limited.alert, limitMessages.address);
        assert.equal(few.passwordChecks(), 5);
      } finally {
        await few.host.close();
      }
    });

    it('past the account\'s limit from many addresses, lets only an address that has not failed for it try', async () => {
      const few = await startLimitedHost({ signInLimits: { passwordsPerAccount: 4 } });
      try {
        const email = 'helper@contoso.example';
        const here = await openSignIn(few.host, email);
        const there = await openSignIn(few.host, email, elsewhere);
        for (let i = 0; i < 2; i++) {
          await postPassword(few.host, here, email, `wrong-${i}`);
          await postPassword(few.host, there, email, `wrong-${i}`);
        }
        // Neither guessing address waits yet (two tries each), but the account has had four wrong ones.
        const again = await postPassword(few.host, here, email, demoPassword);
        assert.equal(again.status, 429);
        assert.equal(again.alert, limitMessages.account);
        // The owner at a third address signs in.
        assert.equal(await signInAt(few, email, '127.0.0.3'), email);
      } finally {
        await few.host.close();
      }
    });

    it('does not count a right password, and a right password clears its address\'s count', async () => {
      const email = 'admin@contoso.example';
      const page = await openSignIn(h.host, email);
      for (let i = 0; i < 3; i++) await postPassword(h.host, page, email, `wrong-${i}`);
      h.advance(1000);
      await signInForTokens(h.host.baseUrl, email, demoPassword, h.host.ca, contoso);
      const again = await openSignIn(h.host, email);
      for (let i = 0; i < 3; i++) assert.equal((await postPassword(h.host, again, email, `wrong-${i}`)).status, 200, 'free tries again');
    });
  });

  describe('wrong verification codes', () => {
    let h: LimitedHost;
    before(async () => {
      h = await startLimitedHost();
    });
    after(() => h.host.close());
    const { upn, totpSecret } = demoMfaUsers.sharer;

    /** A 6-digit code that is none of the codes the provider accepts now (one step either side). */
    const wrongCode = (): string => {
      const near = [-30_000, 0, 30_000].map((d) => totpCode(totpSecret, h.now() + d));
      for (let n = 0; ; n++) {
        const code = String(n).padStart(6, '0');
        if (!near.includes(code)) return code;
      }
    };

    it('locks the second factor after 10 wrong codes, and typing the password again does not reset it', async () => {
      const page = await openSignIn(h.host, upn);
      for (let round = 0; round < 2; round++) {
        const codePage = await postPassword(h.host, page, upn, demoPassword);
        const form = parseForm(codePage.body, page.action);
        assert.ok(form && /name="code"/.test(codePage.body), 'the code page after the password');
        let body = '';
        for (let i = 0; i < 5; i++) body = (await httpsRequest(form.action, h.host.ca, { form: { code: wrongCode() } }, page.jar)).body;
        // Five wrong codes in one go send the user back to the password.
        assert.match(alertText(body) ?? '', /Too many wrong verification codes/);
      }
      // Ten wrong codes in all: the right password no longer leads to the code page.
      const locked = await postPassword(h.host, page, upn, demoPassword);
      assert.equal(locked.status, 429);
      assert.equal(locked.alert, limitMessages.code);
      assert.doesNotMatch(locked.body, /name="code"/);
      // Nor does the right code get through.
      const mfaAction = page.action.replace(/\/login$/, '/mfa');
      const right = await httpsRequest(mfaAction, h.host.ca, { form: { code: totpCode(totpSecret, h.now()) } }, page.jar);
      assert.equal(right.location, undefined);
      assert.ok(!JSON.stringify(h.host.logs).includes(upn));
    });

    it('takes the right code again once the window has passed', async () => {
      h.advance(windowMs + 1000);
      const page = await openSignIn(h.host, upn);
      const codePage = await postPassword(h.host, page, upn, demoPassword);
      const form = parseForm(codePage.body, page.action);
      assert.ok(form && /name="code"/.test(codePage.body), 'the code page again');
      const done = await httpsRequest(form.action, h.host.ca, { form: { code: totpCode(totpSecret, h.now()) } }, page.jar);
      assert.ok(done.location, 'on to the app');
      assert.equal(alertText(done.body), undefined);
    });
  });

  describe('after an upgrade', () => {
    it('keeps the failed sign-ins an earlier version counted (for the account\'s limit): a restart onto this one gives no fresh guesses', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'rh-upgrade-'));
      try {
        // The earlier version's table, in the identity folder's mfa.db, with ten wrong passwords just now.
        mkdirSync(join(dataDir, 'identity'), { recursive: true });
        const old = new Database(join(dataDir, 'identity', 'mfa.db'));
        old.exec('CREATE TABLE failures (subject TEXT NOT NULL, at INTEGER NOT NULL)');
        const add = old.prepare('INSERT INTO failures (subject, at) VALUES (?, ?)');
        for (let i = 0; i < 10; i++) add.run('pwd:helper@contoso.example', Date.now() - 1000);
        old.close();

        // Ten is the account's limit here: past it, an address that failed once waits.
        const host = await startIdentityHost(dataDir, 0, { signInLimits: { passwordsPerAccount: 10 } });
        try {
          const email = 'helper@contoso.example';
          const page = await openSignIn(host, email);
          assert.equal((await postPassword(host, page, email, 'wrong')).status, 200);
          const right = await postPassword(host, page, email, demoPassword);
          assert.equal(right.status, 429);
          assert.equal(right.alert, limitMessages.account);
        } finally {
          await host.close();
        }
        const after = new Database(join(dataDir, 'identity', 'mfa.db'), { readonly: true });
        const legacy = after.prepare("SELECT name FROM sqlite_master WHERE name = 'failures'").get();
        after.close();
        assert.equal(legacy, undefined, 'handed over once, then gone');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});

