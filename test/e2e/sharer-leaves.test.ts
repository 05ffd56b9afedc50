// The sharer goes away without clicking anything: the tab is closed, or the whole browser dies.
// The helper must be told at once (DESIGN §1: within a second for a closed tab, seconds for a dead
// browser) that the sharer is gone — "Reconnecting…", since a reload looks the same to the relay — and
// the session ends, saying the sharer left, once the reconnect grace is over (3 s here, 2 min by default).
// Tests wait generously and print what they saw; the figures belong to `npm run bench`.
import { launchKillableBrowser, newPerson, type KillableBrowser } from '../support/browser.js';
import { useSystem } from '../support/e2e.js';
import { openUnenrolledSession, step, whenSessionEndedAppears, whenTextAppears } from './flows.js';

describe('end to end: the sharer leaves without ending the session', function () {
  this.timeout(120_000);
  const e2e = useSystem({ console: false, relayEnv: { RH_RECONNECT_GRACE_MS: '3000' } }); // the web pages only

  it('sharer closes the tab: the helper sees "Reconnecting…" and that the sharer left the page, then "Session ended"', async () => {
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    const told = whenTextAppears(helper, 'Reconnecting…');
    const closedAt = Date.now();
    await sharer.close({ runBeforeUnload: true });
    const at = await step(helper, 'helper sees "Reconnecting…" after the sharer closed the tab', () => told);
    await step(helper, 'helper is told the sharer left the page', () => helper.getByText(/left the page/).first().waitFor());
    console.log(`      helper told ${at - closedAt} ms after the tab closed`);
    await step(helper, 'helper sees "Session ended" once the grace is over', () => whenSessionEndedAppears(helper));
    await step(helper, 'helper is told the sharer left and did not come back', () => helper.getByText(/left/).first().waitFor());
  });

  it('sharer\'s browser is killed outright: the helper is told, then the session ends', async () => {
    let killable: KillableBrowser | undefined;
    try {
      killable = await launchKillableBrowser();
      const sharer = await (await newPerson(killable.browser)).newPage();
      const { helper } = await openUnenrolledSession(await e2e.person('helper'), sharer, e2e.system);
      const told = whenTextAppears(helper, 'Reconnecting…');
      const killedAt = Date.now();
      killable.kill();
      const at = await step(helper, 'helper sees "Reconnecting…" after the sharer\'s browser was killed', () => told);
      console.log(`      helper told ${at - killedAt} ms after the sharer's browser was killed`);
      await step(helper, 'helper sees "Session ended" once the grace is over', () => whenSessionEndedAppears(helper));
      await step(helper, 'helper is told the connection to the sharer was lost', () => helper.getByText(/connection to .* was lost|left/).first().waitFor());
    } finally {
      await killable?.close();
    }
  });
});
