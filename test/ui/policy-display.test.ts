// What the session views show of the relay's policy decisions: a refusal names the rule and what the
// person can do about it; chat is gone on both sides when the tenant turned it off; the trust screen
// says the level of help.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { WireError } from '#protocol/ack.js';
import type { TrustInfo } from '#protocol/relay-events.js';
import type { MemoryRelay } from '../fixtures/ui/memory-relay.js';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; relay: MemoryRelay };
interface Mount {
  trust?: Pick<TrustInfo, 'chatEnabled' | 'permission'>;
  refuse?: { create?: WireError; join?: WireError };
}

async function mountBoth(page: Page, opts: Mount): Promise<{ helper: Locator; sharer: Locator }> {
  await page.evaluate((opts) => {
    const w = window as unknown as W;
    w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [], ...opts });
    const helper = document.createElement('rh-helper-session');
    helper.link = w.relay.helper;
    const sharer = document.createElement('rh-sharer-session');
    sharer.link = w.relay.sharer;
    document.querySelector('main')?.append(helper, sharer);
    void helper.start();
  }, opts);
  return { helper: page.locator('rh-helper-session'), sharer: page.locator('rh-sharer-session') };
}

async function join(helper: Locator, sharer: Locator, code?: string): Promise<void> {
  const typed = code ?? (await helper.getByLabel('Security code').textContent()) ?? '';
  await sharer.getByRole('textbox', { name: 'Security code' }).fill(typed);
  await sharer.getByRole('button', { name: 'Connect' }).click();
}

describe('policy decisions in the session views', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  describe('rh-policy-refusal', () => {
    async function show(p: Page, error: WireError): Promise<Locator> {
      await p.evaluate((error) => {
        const el = document.createElement('rh-policy-refusal');
        el.error = error;
        document.querySelector('main')?.replaceChildren(el);
      }, error);
      const alert = p.getByRole('alert');
      await alert.waitFor();
      return alert;
    }

    it('names the rule that refused and says to sign in with multi-factor authentication', async () => {
      const alert = await show(page, { code: 'mfa-required', message: 'x', policy: { ruleId: 'r1', ruleName: 'Helpers need MFA', remedy: 'sign-in-with-mfa' } });
      const text = await alert.innerText();
      assert.match(text, /multi-factor authentication for this session\./);
      assert.match(text, /Blocked by the rule “Helpers need MFA”/);
      assert.match(text, /Sign in again with multi-factor authentication\./);
    });

    it('tells a person on a non-compliant device to use a compliant one', async () => {
      const alert = await show(page, { code: 'compliant-device-required', message: 'x', policy: { ruleName: 'Compliant devices only', remedy: 'use-compliant-device' } });
      assert.match(await alert.innerText(), /Blocked by the rule “Compliant devices only”[\s\S]*Use a compliant device\./);
    });

    it('tells a person on a compliant but unapproved device that it waits for an administrator\'s approval', async () => {
      const alert = await show(page, { code: 'compliant-device-required', message: 'x', policy: { ruleName: 'Approved devices only', remedy: 'await-device-approval' } });
      assert.match(await alert.innerText(), /Blocked by the rule “Approved devices only”[\s\S]*This device waits for an administrator’s approval\. Ask your administrator to approve it\./);
    });

    it('sends a person blocked outright to the administrator, with the request id to quote', async () => {
      const alert = await show(page, {
        code: 'policy-blocked', message: 'x', policy: { ruleName: 'No help from outside the office', remedy: 'ask-admin' }, requestId: 'Kq3v9XbT2mLp0aZc',
      });
      assert.match(await alert.innerText(), /Blocked by the rule “No help from outside the office”[\s\S]*Ask your administrator\.\s*Request ID: Kq3v9XbT2mLp0aZc$/);
    });

    it('shows a plain error without a rule line', async () => {
      const alert = await show(page, { code: 'code-invalid', message: 'x' });
      assert.equal(await alert.innerText(), 'That security code is not valid. Check it and try again.');
    });

    it('shows a rule name as text, in its own direction', async () => {
      const hostile = '<img src=x onerror=alert(1)> قاعدة';
      const alert = await show(page, { code: 'policy-blocked', message: 'x', policy: { ruleName: hostile, remedy: 'ask-admin' } });
      assert.ok((await alert.innerText()).includes(hostile));
      assert.equal(await page.locator('rh-policy-refusal img').count(), 0);
    });
  });

  it('shows the helper why creating a session was refused, with the rule and the remedy', async () => {
    const { helper } = await mountBoth(page, {
      refuse: { create: { code: 'policy-blocked', message: 'blocked', policy: { ruleId: 'r9', ruleName: 'Office network only', remedy: 'ask-admin' } } },
    });
    const alert = helper.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /A conditional access rule of your organization blocks this session\./);
    assert.match(text, /Blocked by the rule “Office network only”/);
    assert.match(text, /Ask your administrator\./);
    // A rule answers the same on a second try: no Try again (the page offers its alternatives).
    assert.equal(await helper.getByRole('button', { name: 'Try again' }).count(), 0);
  });

  it('shows the helper a missing permission clearly', async () => {
    const { helper } = await mountBoth(page, { refuse: { create: { code: 'permission-missing', message: 'no role' } } });
    const alert = helper.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Your role does not allow you to give remote help\./);
  });

  it('shows the sharer why joining was refused, and keeps the code form for another try', async () => {
    const { helper, sharer } = await mountBoth(page, {
      refuse: { join: { code: 'compliant-device-required', message: 'x', policy: { ruleName: 'Compliant devices only', remedy: 'use-compliant-device' } } },
    });
    await join(helper, sharer);
    const alert = sharer.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Blocked by the rule “Compliant devices only”[\s\S]*Use a compliant device\./);
    assert.ok(await sharer.getByRole('button', { name: 'Connect' }).isEnabled());
  });

  it('tells a helper who was away when the sharer was refused, once back, that policy ended the session', async () => {
    const { helper, sharer } = await mountBoth(page, {
      refuse: { join: { code: 'policy-blocked', message: 'x', policy: { ruleName: 'Office network only', remedy: 'ask-admin' } } },
    });
    const code = (await helper.getByLabel('Security code').textContent()) ?? '';
    await page.evaluate(() => (window as unknown as W).relay.disconnect('helper'));
    await helper.getByText('Connection lost. Reconnecting…').waitFor();
    await join(helper, sharer, code);
    await sharer.getByRole('alert').getByText(/Office network only/).waitFor();
    // The relay's session:ended went to a helper that was not there; the resume answers `refused`.
    await page.evaluate(() => (window as unknown as W).relay.reconnect('helper'));
    await helper.getByText('Session ended').waitFor();
    await helper.getByText("Your organization's access policy did not allow the other person to join this session.").waitFor();
    assert.equal(await helper.getByText('Connection lost. Reconnecting…').count(), 0);
  });

  it('hides chat on both sides when the tenant turned chat off', async () => {
    const { helper, sharer } = await mountBoth(page, { trust: { chatEnabled: false, permission: 'view-screen' } });
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await sharer.getByText('You are sharing your screen').waitFor();
    await helper.locator('rh-shared-screen').waitFor();
    assert.equal(await page.getByRole('log', { name: 'Chat' }).count(), 0, 'no chat log on either side');
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).count(), 0);
    assert.ok(await helper.getByRole('button', { name: 'End session' }).isVisible());
  });

  it('shows chat on both sides when chat is on', async () => {
    const { helper, sharer } = await mountBoth(page, { trust: { chatEnabled: true } });
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).click();
    await sharer.getByRole('log', { name: 'Chat' }).waitFor();
    await helper.getByRole('log', { name: 'Chat' }).waitFor();
  });

  it('says "View only" on both trust screens for a view-screen session', async () => {
    const { helper, sharer } = await mountBoth(page, { trust: { permission: 'view-screen' } });
    await join(helper, sharer);
    await sharer.getByRole('button', { name: 'Allow' }).waitFor();
    assert.equal(await sharer.locator('rh-trust-card .permission').innerText(), 'View only');
    await helper.getByText('Waiting for Sam Sharer to allow…').waitFor();
    assert.equal(await helper.locator('rh-trust-card .permission').innerText(), 'View only');
    assert.ok(await helper.getByText('Permission', { exact: true }).isVisible());
  });
});
