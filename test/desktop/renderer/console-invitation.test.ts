// A second helper in the console (issue 13, point 5): the person signed in to the console is invited as
// a colleague by another helper; the invitation shows above the devices, is said in a live region, and
// Accept opens the colleague's view of the session; Decline answers the helper. The real relay, the
// console host with the real main, Chromium; the inviting helper and the sharer are real sockets.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import type { ColleagueStatus } from '#protocol';
import { demoDevices, demoUsers } from '#relay/directory/index.js';
import { axeViolations } from '../../support/axe.js';
import { demo, next, request, valueOf, type ClientSocket } from '../../support/relay.js';
import { startDeviceConsole, type DeviceConsole } from './device-console.js';

const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0142')!;
const inviter = demoUsers.contosoAdmin.name;
const sharerName = demoUsers.contosoSharer.name;
const colleagueUpn = demo.contosoHelper;

describe('an invitation to help, in the console (real relay, real main)', function () {
  this.timeout(180_000);
  let rh: DeviceConsole;
  let page: Page;
  const sockets: ClientSocket[] = [];

  const invitationItem = (): Locator => page.getByRole('listitem', { name: `${inviter} asks you to help ${sharerName}` });

  /** A session of the inviting helper for the device, the sharer joined: its id, and both sockets. */
  async function sessionWithSharer(): Promise<{ helper: ClientSocket; sharer: ClientSocket; sessionId: string }> {
    const helper = await rh.relay.connect(demo.contosoAdmin);
    const sharer = await rh.relay.connect(demo.contosoSharer);
    sockets.push(helper, sharer);
    const created = valueOf(await request(helper, 'session:create', { deviceId: device.id, reason: 'Ticket 4711' }));
    valueOf(await request(sharer, 'session:join', { code: created.code }));
    return { helper, sharer, sessionId: created.sessionId };
  }

  before(async function () {
    this.timeout(240_000);
    rh = await startDeviceConsole(() => undefined);
    page = rh.page;
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await rh?.close();
  });

  it('shows an invitation above the devices and announces it; Decline tells the helper', async () => {
    const { helper, sessionId } = await sessionWithSharer();
    const invited = valueOf(await request(helper, 'session:invite', { sessionId, colleague: colleagueUpn }));
    assert.equal(invited.state, 'invited');
    await invitationItem().getByText(device.name, { exact: true }).waitFor();
    await invitationItem().getByText('Ticket 4711').waitFor();
    await page.getByRole('status').getByText(`${inviter} asks you to help ${sharerName}`).waitFor();
    assert.deepEqual((await axeViolations(page)).map((v) => v.id), [], 'the console with an invitation is axe-clean');

    const declined = next(helper, 'session:colleague', (c: ColleagueStatus) => c.state === 'declined');
    await invitationItem().getByRole('button', { name: 'Decline' }).click();
    await declined;
    await invitationItem().waitFor({ state: 'detached' });
    valueOf(await request(helper, 'session:end', { sessionId }));
  });

  it('Accept opens the colleague\'s view: the sharer\'s card, who invited, waiting; allowed, the screen; removed, said so', async () => {
    const { helper, sharer, sessionId } = await sessionWithSharer();
    // Invited before the console looks: the list asks on reconnect too, and the push comes meanwhile.
    valueOf(await request(helper, 'session:invite', { sessionId, colleague: colleagueUpn }));
    const asking = next(sharer, 'session:colleague', (c: ColleagueStatus) => c.state === 'asking');
    await invitationItem().getByRole('button', { name: 'Accept' }).click();
    await asking;
    await page.getByText(`Invited by ${inviter}`).waitFor();
    await page.getByText(`Waiting for ${sharerName} to allow you`, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Leave' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'End session' }).count(), 0);

    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));
    await page.getByLabel('Shared screen').waitFor();

    // Reloaded (the browser asks first: a live session), the console comes back into the session as the colleague.
    page.once('dialog', (d) => void d.accept());
    const back = next(sharer, 'session:colleague', (c: ColleagueStatus) => c.present === true);
    await page.reload();
    await back;
    await page.getByLabel('Shared screen').waitFor();
    await page.getByText(`Invited by ${inviter}`).waitFor();
    await page.getByRole('button', { name: 'Leave' }).waitFor();

    valueOf(await request(helper, 'session:withdraw-invite', { sessionId }));
    await page.getByText(`${inviter} removed you from the session.`).waitFor();
    await page.getByRole('button', { name: 'Back to devices' }).click();
    await page.getByRole('heading', { name: 'All devices', exact: true }).waitFor();
  });

  it('in a session, a new invitation is a notice there: Accept asks to leave the session first, then opens the new one', async () => {
    const first = await sessionWithSharer();
    valueOf(await request(first.helper, 'session:invite', { sessionId: first.sessionId, colleague: colleagueUpn }));
    await invitationItem().getByRole('button', { name: 'Accept' }).click();
    await page.getByText(`Waiting for ${sharerName} to allow you`, { exact: true }).waitFor();

    const second = await sessionWithSharer();
    valueOf(await request(second.helper, 'session:invite', { sessionId: second.sessionId, colleague: colleagueUpn }));
    const notice = page.getByRole('complementary', { name: `${inviter} asks you to help ${sharerName}` });
    await notice.getByText(`${device.name} · Ticket 4711`).waitFor();
    assert.equal(await notice.count(), 1, 'only the new invitation: the one being answered is not offered again');
    assert.deepEqual((await axeViolations(page)).map((v) => v.id), [], 'the session view with a notice is axe-clean');

    // Accept: the console asks before it leaves the session it is in; then the colleague's view of the new one.
    const left = next(first.helper, 'session:colleague', (c: ColleagueStatus) => c.state === 'left');
    const asking = next(second.sharer, 'session:colleague', (c: ColleagueStatus) => c.state === 'asking');
    await notice.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Leave the session' }).click();
    await left;
    await asking;
    await page.getByText(`Waiting for ${sharerName} to allow you`, { exact: true }).waitFor();
    assert.equal(await notice.count(), 0);
    for (const { helper, sessionId } of [first, second]) valueOf(await request(helper, 'session:end', { sessionId }));
    await page.getByRole('button', { name: 'Back to devices' }).click();
    await page.getByRole('heading', { name: 'All devices', exact: true }).waitFor();
  });

  it('an allowed colleague gets the chat so far; handed the session, the console is its helper and can end it', async () => {
    const { helper, sharer, sessionId } = await sessionWithSharer();
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true }));
    valueOf(await request(sharer, 'chat:send', { sessionId, clientId: randomUUID(), text: 'The printer says PC LOAD LETTER' }));
    valueOf(await request(helper, 'session:invite', { sessionId, colleague: colleagueUpn }));
    await invitationItem().getByRole('button', { name: 'Accept' }).click();
    await page.getByText(`Waiting for ${sharerName} to allow you`, { exact: true }).waitFor();
    valueOf(await request(sharer, 'session:consent', { sessionId, allow: true, member: 'colleague' }));
    await page.getByRole('log', { name: 'Chat' }).getByText('The printer says PC LOAD LETTER').waitFor();

    const handedOver = next(helper, 'session:ended');
    valueOf(await request(helper, 'session:hand-over', { sessionId }));
    assert.equal((await handedOver).reason, 'handed-over');
    await page.getByRole('region', { name: 'Invite a colleague' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Leave' }).count(), 0);

    // Reloaded, it comes back as the session's helper (no code to show: the sharer is there).
    page.once('dialog', (d) => void d.accept());
    await page.reload();
    await page.getByRole('region', { name: 'Invite a colleague' }).waitFor();
    await page.getByRole('log', { name: 'Chat' }).getByText('The printer says PC LOAD LETTER').waitFor();
    assert.equal(await page.getByLabel('Security code').count(), 0);

    const ended = next(sharer, 'session:ended');
    await page.getByRole('button', { name: 'End session' }).click();
    assert.equal((await ended).by, 'helper', 'the console ended the session as its helper');
    await page.getByText('You ended the session.').waitFor();
  });
});
