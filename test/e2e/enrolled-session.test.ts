// The enrolled way in, from the helper console (console host): sign in through the provider window,
// find a non-compliant device, start remote help on it; the sharer joins; the helper is warned.
import assert from 'node:assert/strict';
import { demoDevices, demoUsers } from '#relay/directory/demo-data.js';
import { useSystem } from '../support/e2e.js';
import {
  consoleHelperGetsCode, consoleSignIn, expectCompactSharingLayout, expectFramesAdvancing, expectTrustScreenShows, sharerAnswers,
  sharerOpensLinkAndConnects, step,
} from './flows.js';

const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0178');
if (!device) throw new Error('demo data changed: the non-compliant device CONTOSO-LT-0178 is gone');

describe('end to end: a session on an enrolled device, from the helper console', function () {
  this.timeout(180_000);
  const e2e = useSystem();

  it('helper signs in to the console, starts remote help on a non-compliant device, sees the warning with its reasons, then the screen', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    await consoleSignIn(helper, e2e.system);
    const reason = 'Ticket 4711: VPN drops every hour';
    const { link } = await consoleHelperGetsCode(helper, device.name, { reason });

    await sharerOpensLinkAndConnects(sharer, link);
    await expectTrustScreenShows(helper, 'helper', { ...demoUsers.contosoSharer, domain: 'contoso.example' });
    await expectTrustScreenShows(sharer, 'sharer', { ...demoUsers.contosoHelper, domain: 'contoso.example' });
    await step(sharer, 'sharer sees the helper\'s reason, and that it was started from the console for this device', async () => {
      await sharer.locator('rh-trust-card dd.reason').getByText(reason, { exact: true }).waitFor();
      await sharer.locator('rh-trust-card dd.origin').getByText(`Remote Help console, for device \u2068${device.name}\u2069`).waitFor();
    });
    await step(helper, 'helper sees the warning that the device is not compliant, with the reasons', async () => {
      const warning = helper.getByRole('alert').filter({ hasText: /not compliant/i }).first();
      await warning.waitFor();
      for (const reason of device.complianceReasons) await warning.getByText(reason).waitFor();
    });
    await step(helper, 'an imported device is not marked "Self-reported" nor "Awaiting approval"', async () => {
      const line = helper.locator('rh-trust-card dd.device').filter({ hasText: device.name });
      await line.waitFor();
      if (await line.getByText(/Self-reported|Awaiting approval/).count()) throw new Error(`${device.name} (imported) is marked self-reported or awaiting approval`);
    });

    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
    await step(helper, 'the sharing view (screen, the sharer, warnings, chat) fits the console window: nothing cut off at the side', async () => {
      await helper.setViewportSize({ width: 1280, height: 800 });
      const widths = await helper.evaluate('({ page: document.documentElement.scrollWidth, window: innerWidth })') as { page: number; window: number };
      assert.ok(widths.page <= widths.window, `the page is ${widths.page} px wide in a ${widths.window} px window`);
    });
    await expectCompactSharingLayout(helper, 'console');

    // The console page reloads mid-session (its socket lives on in main): the sharer sees the helper is
    // away, and the console comes back into the same session with the screen.
    const reloaded = helper.reload();
    await step(sharer, 'sharer sees "Reconnecting…" while the console reloads', () => sharer.getByText('Reconnecting…', { exact: true }).first().waitFor());
    await reloaded;
    await expectFramesAdvancing(helper);
    await step(sharer, 'sharer no longer sees "Reconnecting…"', () => sharer.getByText('Reconnecting…', { exact: true }).first().waitFor({ state: 'hidden' }));
    assert.ok(await sharer.getByText('You are sharing your screen').isVisible(), 'the sharer is no longer sharing after the console reloaded');
  });
});
