// Honest warnings and refusals in the shared components, in Chromium: a session for a device joined
// from a browser that did not prove it says "Can't confirm this is NAME" and what to do (not "not
// enrolled"); a refused create offers Try again only where a retry can help, and otherwise no Try
// again, the page's alternatives (its "refused" slot) and rh-create-refused.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { WireError } from '#protocol/ack.js';
import type { SessionWarning } from '#protocol/models.js';
import type { MemoryRelay } from '../fixtures/ui/memory-relay.js';
import type { RhTest } from '../fixtures/ui/test-page.js';
import { useUiPage } from '../support/ui-page.js';

type W = Window & { rhTest: RhTest; relay: MemoryRelay; events: string[] };

describe('honest warnings and refusals in the session views', function () {
  let page: Page;
  useUiPage((p) => (page = p));

  it('warns "Can\'t confirm this is CONTOSO-LT-0142" with what to do, as an alert inside its list item, and not "not enrolled"', async () => {
    const warnings: SessionWarning[] = [{ kind: 'unconfirmed-device', deviceName: 'CONTOSO-LT-0142', reasons: [] }];
    await page.evaluate((warnings) => {
      const w = window as unknown as W;
      const card = document.createElement('rh-trust-card');
      card.person = w.rhTest.sharerProfile;
      card.warnings = warnings;
      document.querySelector('main')?.append(card);
    }, warnings);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Can't confirm this is CONTOSO-LT-0142/);
    assert.match(text, /The person's browser did not prove it is this device\. Ask them to open the link on CONTOSO-LT-0142 itself, or check who you are talking to before you continue\./);
    assert.doesNotMatch(text, /not enrolled/i);
    assert.equal(await page.locator('rh-trust-card').getByRole('listitem').filter({ has: alert }).count(), 1, 'the alert is not inside a list item');
  });

  async function refusedCreate(p: Page, error: WireError): Promise<Locator> {
    await p.evaluate((error) => {
      const w = window as unknown as W;
      w.events = [];
      w.relay = w.rhTest.createMemoryRelay({ helper: w.rhTest.helperProfile, sharer: w.rhTest.sharerProfile, warnings: [], refuse: { create: error } });
      const helper = document.createElement('rh-helper-session');
      helper.link = w.relay.helper;
      helper.addEventListener('rh-create-failed', (e) => w.events.push(`failed:${e.detail.code}`));
      helper.addEventListener('rh-create-refused', (e) => w.events.push(`refused:${e.detail.code}`));
      const alternative = document.createElement('button');
      alternative.slot = 'refused';
      alternative.textContent = 'Sign in with another account';
      helper.append(alternative);
      document.querySelector('main')?.append(helper);
      void helper.start();
    }, error);
    const helper = p.locator('rh-helper-session');
    await helper.getByRole('alert').waitFor();
    return helper;
  }

  for (const code of ['permission-missing', 'unenrolled-not-allowed', 'out-of-scope', 'remote-help-disabled', 'policy-blocked'] as const) {
    it(`a ${code} refusal: no Try again, the page's alternatives instead, and rh-create-refused`, async () => {
      const helper = await refusedCreate(page, { code, message: 'x', ...(code === 'policy-blocked' ? { policy: { ruleName: 'No helpers today', remedy: 'ask-admin' } } : {}) });
      await helper.getByRole('button', { name: 'Sign in with another account' }).waitFor();
      assert.equal(await helper.getByRole('button', { name: 'Try again' }).count(), 0, 'Try again is offered for a refusal it cannot fix');
      assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), [`failed:${code}`, `refused:${code}`]);
    });
  }

  for (const code of ['relay-unreachable', 'internal', 'rate-limited', 'identity-provider-unavailable'] as const) {
    it(`a ${code} failure: Try again, and no alternatives`, async () => {
      const helper = await refusedCreate(page, { code, message: 'x' });
      await helper.getByRole('button', { name: 'Try again' }).waitFor();
      assert.equal(await helper.getByRole('button', { name: 'Sign in with another account' }).isVisible(), false, 'the alternatives show for a failure a retry can fix');
      assert.deepEqual(await page.evaluate(() => (window as unknown as W).events), [`failed:${code}`]);
    });
  }
});
