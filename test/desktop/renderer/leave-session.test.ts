// Nothing ends a session by accident (issue 9, point 2, the console): while a session is live, going to
// Devices, signing out, or closing or reloading the page asks first, in words that name the person (or
// the device, before anyone joined); Stay keeps the session for both sides, confirming ends it at the
// relay for the other side too. The session link opens in a new tab and leaves the console where it
// is. After the end, leaving asks nothing, and New session starts another for the same device.
// The real relay, the console host with the real main, Chromium; the sharer is a real socket.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { SessionEnded } from '#protocol';
import { demoDevices, demoUsers } from '#relay/directory/index.js';
import { demo, next, request, type ClientSocket } from '../../support/relay.js';
import { waitFor } from '../../support/wait.js';
import { countShown, devicesGrid, startDeviceConsole, type DeviceConsole } from './device-console.js';

const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0142')!;
const sharerName = demoUsers.contosoSharer.name;

/** The name and text of the control that has the keyboard focus, through shadow roots. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return (a?.getAttribute('aria-label') ?? a?.textContent ?? '').trim();
  });
}

describe('leaving a live session in the console (real relay, real main)', function () {
  this.timeout(180_000);
  let rh: DeviceConsole;
  let page: Page;
  const sharers: ClientSocket[] = [];

  const leaveDialog = (): Locator => page.getByRole('dialog', { name: /^End the session/ });
  const codeShown = (): Locator => page.getByLabel('Security code');
  const nav = (name: string): Locator => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  /** Devices > the device > New remote assistance session > Remote help > Continue: the code shown, without its space. */
  async function startSession(): Promise<string> {
    await nav('All devices').click();
    await page.getByRole('searchbox', { name: 'Search devices' }).fill(device.name);
    await countShown(page, 1);
    await devicesGrid(page).getByRole('link', { name: device.name, exact: true }).click();
    await page.getByRole('heading', { name: device.name, exact: true }).waitFor();
    await page.getByRole('button', { name: 'New remote assistance session' }).click();
    await page.getByRole('radio', { name: /Remote help/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await codeShown().waitFor();
    return (await codeShown().innerText()).replace(/\s/g, '');
  }

  /** The sharer enters the code; the helper's console shows who joined. */
  async function sharerJoins(code: string): Promise<{ socket: ClientSocket; sessionId: string; ended: SessionEnded[] }> {
    const socket = await rh.relay.connect(demo.contosoSharer);
    sharers.push(socket);
    const ended: SessionEnded[] = [];
    socket.on('session:ended', (e) => void ended.push(e));
    const joined = await request(socket, 'session:join', { code });
    assert.ok(joined.ok, JSON.stringify(joined));
    await page.getByText(`Waiting for ${sharerName} to allow…`).waitFor();
    return { socket, sessionId: joined.value.sessionId, ended };
  }

  before(async function () {
    this.timeout(240_000);
    rh = await startDeviceConsole(() => undefined);
    page = rh.page;
  });
  after(async () => {
    for (const s of sharers) s.disconnect();
    await rh?.close();
  });

  it('asks before leaving a session still waiting for its code; Escape stays, focus back where it was', async () => {
    await startSession();
    await nav('All devices').click();
    await leaveDialog().waitFor();
    assert.match(await leaveDialog().innerText(), new RegExp(`End the session for ${device.name}\\?`));
    assert.ok(await leaveDialog().getByRole('button', { name: 'End session and leave' }).isVisible());
    assert.equal(await focused(page), 'Stay', 'the dialog takes the focus, on the harmless answer');
    await page.keyboard.press('Escape');
    await leaveDialog().waitFor({ state: 'hidden' });
    assert.ok(await codeShown().isVisible(), 'the code is still shown');
    assert.equal(await focused(page), 'All devices', 'the focus is back on the link that asked');
  });

  it('names the person who joined; Stay on Sign out keeps the session for both', async () => {
    const code = (await codeShown().innerText()).replace(/\s/g, '');
    const sharer = await sharerJoins(code);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await leaveDialog().waitFor();
    assert.match(await leaveDialog().getByRole('heading').innerText(), new RegExp(`^End the session with ${sharerName}\\?$`));
    await leaveDialog().getByRole('button', { name: 'Stay' }).click();
    await leaveDialog().waitFor({ state: 'hidden' });
    assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible(), 'still signed in');
    assert.ok(await page.getByText(`Waiting for ${sharerName} to allow…`).isVisible(), 'the session is still on screen');
    // The relay still has the session live: the sharer can still answer it.
    const consent = await request(sharer.socket, 'session:consent', { sessionId: sharer.sessionId, allow: false });
    assert.ok(consent.ok, JSON.stringify(consent));
    await page.getByText('Session ended').first().waitFor();
    // …and it ended the one time, by that answer, not by the Sign out the helper did not confirm.
    await waitFor(() => sharer.ended.length > 0, 5_000, 'the sharer was not told the end');
    assert.deepEqual(sharer.ended.map((e) => e.reason), ['denied']);
  });

  it('End session and leave ends the session for the sharer too, and goes where it was asked', async () => {
    const code = await startSession();
    const sharer = await sharerJoins(code);
    const ended = next(sharer.socket, 'session:ended');
    await nav('Devices').click();
    await leaveDialog().getByRole('button', { name: 'End session and leave' }).click();
    await page.getByRole('heading', { name: 'All devices', exact: true }).waitFor();
    const e = await ended;
    assert.equal(e.by, 'helper');
    assert.equal(await leaveDialog().count(), 0);
  });

  it('opens the session link in a new tab and keeps the console, and its session, where they are', async () => {
    await startSession();
    const consoleUrl = page.url();
    const tab = page.context().waitForEvent('page');
    await page.getByRole('link', { name: /\/rh\?passcode=/ }).click();
    const opened = await tab;
    await opened.waitForLoadState('domcontentloaded');
    assert.match(opened.url(), /\/rh\?passcode=/);
    assert.equal(page.url(), consoleUrl);
    assert.ok(await codeShown().isVisible(), 'the session is still on screen');
    await opened.close();
  });

  it('asks the browser before the page is closed or reloaded while live; reloaded anyway, the sharer is told at once and the page comes back into the same session', async () => {
    const code = (await codeShown().innerText()).replace(/\s/g, '');
    const sharer = await sharerJoins(code);
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.type());
      void (asked.length === 1 ? d.dismiss() : d.accept());
    });
    await page.close({ runBeforeUnload: true });
    await waitFor(() => asked.length === 1, 10_000, 'no beforeunload prompt');
    assert.deepEqual(asked, ['beforeunload']);
    assert.equal(page.isClosed(), false);
    assert.ok(await page.getByText(`Waiting for ${sharerName} to allow…`).isVisible());
    const away = next(sharer.socket, 'session:peer', (p) => p.role === 'helper' && !p.present, 15_000);
    const back = next(sharer.socket, 'session:peer', (p) => p.role === 'helper' && p.present, 30_000);
    await page.reload();
    assert.deepEqual(asked, ['beforeunload', 'beforeunload']);
    assert.equal((await away).away, 'left', 'the sharer was not told the helper\'s page went');
    assert.equal((await back).restartMedia, true, 'the reloaded console did not come back into the session');
    await page.getByText(`Waiting for ${sharerName} to allow…`).waitFor();
    assert.equal(sharer.ended.length, 0, 'the reload ended the session');
    page.removeAllListeners('dialog');
    // Over from the sharer's side, so the next test starts from a console with nothing live.
    assert.ok((await request(sharer.socket, 'session:end', { sessionId: sharer.sessionId })).ok);
    await page.getByText('Session ended', { exact: true }).waitFor();
  });

  it('under Electron, a held close asks in the console\'s own dialog, then ends the session and closes the window', async () => {
    // Electron shows no prompt for beforeunload: it keeps the window open and leaves the asking to the
    // page, and lets the page close its window. Here: the page is told its shell is Electron, the
    // browser's prompt is dismissed at once, and the window is one a script opened (so a script may close it).
    const [electron] = await Promise.all([page.context().waitForEvent('page'), page.evaluate(() => void window.open('about:blank', '_blank'))]);
    await electron.routeWebSocket(/\/api\?k=/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        const answer = JSON.parse(String(m)) as { result?: { ok: boolean; value?: { shell?: string } } };
        if (answer.result?.ok && answer.result.value?.shell === 'console-host') answer.result.value.shell = 'electron';
        ws.send(JSON.stringify(answer));
      });
    });
    electron.on('dialog', (d) => void d.dismiss());
    const before = page;
    page = electron;
    try {
      await electron.goto(rh.host.url);
      const code = await startSession();
      const sharer = await sharerJoins(code);
      await electron.close({ runBeforeUnload: true });
      await leaveDialog().waitFor();
      assert.match(await leaveDialog().getByRole('heading').innerText(), new RegExp(`^End the session with ${sharerName}\\?$`));
      await leaveDialog().getByRole('button', { name: 'Stay' }).click();
      assert.equal(electron.isClosed(), false);
      assert.ok(await electron.getByText(`Waiting for ${sharerName} to allow…`).isVisible(), 'Stay keeps the session');
      const ended = next(sharer.socket, 'session:ended');
      const closed = electron.waitForEvent('close');
      await electron.close({ runBeforeUnload: true });
      await leaveDialog().getByRole('button', { name: 'End session and leave' }).click();
      assert.equal((await ended).by, 'helper');
      await closed;
    } finally {
      page = before;
      if (!electron.isClosed()) await electron.close();
    }
  });

  it('after the end leaving asks nothing, and New session starts another session for the same device', async () => {
    const first = await startSession();
    const sharer = await sharerJoins(first);
    assert.ok((await request(sharer.socket, 'session:end', { sessionId: sharer.sessionId })).ok);
    await page.getByText('Session ended').first().waitFor();
    // The ended view's New session button (in <rh-helper-session>) fires rh-new-session; fired here as it will.
    await page.evaluate(() => {
      const session = document.querySelector('rh-console-app')?.shadowRoot?.querySelector('rh-helper-session');
      session?.shadowRoot?.firstElementChild?.dispatchEvent(new CustomEvent('rh-new-session', { bubbles: true, composed: true }));
    });
    await waitFor(async () => (await codeShown().count()) === 1 && (await codeShown().innerText()).replace(/\s/g, '') !== first, 15_000, 'no new code');
    const second = (await codeShown().innerText()).replace(/\s/g, '');
    const again = await sharerJoins(second);
    assert.notEqual(again.sessionId, sharer.sessionId);
    await page.getByRole('button', { name: 'End session' }).click();
    await page.getByText('Session ended').first().waitFor();
    await nav('Devices').click();
    await page.getByRole('heading', { name: 'All devices', exact: true }).waitFor();
    assert.equal(await leaveDialog().count(), 0, 'nothing asked once the session is over');
  });

  it('Sign out, confirmed, ends the session for the sharer and signs out', async () => {
    const code = await startSession();
    const sharer = await sharerJoins(code);
    const ended = next(sharer.socket, 'session:ended');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await leaveDialog().getByRole('button', { name: 'End session and leave' }).click();
    await page.getByLabel('Email', { exact: true }).waitFor();
    assert.equal((await ended).by, 'helper');
  });
});
