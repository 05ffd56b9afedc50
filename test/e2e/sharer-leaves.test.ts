// The sharer goes away without clicking anything: the tab is closed, or the whole browser dies.
// The helper must be told (DESIGN §1: within a second for a closed tab, seconds for a dead browser).
// Tests wait generously and print what they saw; the figures belong to `npm run bench`.
import { launchKillableBrowser, newPerson, type KillableBrowser } from '../support/browser.js';
import { useSystem } from '../support/e2e.js';
import { openUnenrolledSession, step, whenSessionEndedAppears } from './flows.js';

describe('end to end: the sharer leaves without ending the session', function () {
  this.timeout(120_000);
  const e2e = useSystem({ console: false }); // the web pages only: no console needed

  it('sharer closes the tab: the helper sees "Session ended" and that the sharer left', async () => {
    const { helper, sharer } = await openUnenrolledSession(await e2e.person('helper'), await e2e.person('sharer'), e2e.system);
    const told = whenSessionEndedAppears(helper);
    const closedAt = Date.now();
    await sharer.close({ runBeforeUnload: true });
    const at = await step(helper, 'helper sees "Session ended" after the sharer closed the tab', () => told);
    await step(helper, 'helper is told the sharer left', () => helper.getByText(/left the session/).first().waitFor());
    console.log(`      helper told ${at - closedAt} ms after the tab closed`);
  });

  it('sharer\'s browser is killed outright: the helper is told', async () => {
    let killable: KillableBrowser | undefined;
    try {
      killable = await launchKillableBrowser();
      const sharer = await (await newPerson(killable.browser)).newPage();
      const { helper } = await openUnenrolledSession(await e2e.person('helper'), sharer, e2e.system);
      const told = whenSessionEndedAppears(helper);
      const killedAt = Date.now();
      killable.kill();
      const at = await step(helper, 'helper sees "Session ended" after the sharer\'s browser was killed', () => told);
      await step(helper, 'helper is told the sharer left', () => helper.getByText(/left the session/).first().waitFor());
      console.log(`      helper told ${at - killedAt} ms after the sharer's browser was killed`);
    } finally {
      await killable?.close();
    }
  });
});
