// Both ways into a session done by keyboard alone (issue 10.5): every action is a key press — Tab,
// Shift+Tab, Enter, Space, arrows, Escape, typing — never a click, fill or focus() on an element. Pages
// are opened with goto (typing a URL is the browser's part, not ours). At every Tab stop the focused
// control must show where the focus is (an outline or a box shadow) and be on screen; each view is also
// tabbed through once round (every control checked, and no focus trap); a view that replaces the one
// the focus was in must put the focus on itself, not leave it on the page. Every control without a
// visible focus is named once, at the end of the test.
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { demoDevices } from '#relay/directory/demo-data.js';
import { useSystem } from '../support/e2e.js';
import { demoPassword } from '../support/sign-in-page.js';
import { waitFor } from '../support/wait.js';
import { expectChatShows, expectFramesAdvancing, expectSessionEnded, readIssuedCode, step, users } from './flows.js';

const device = demoDevices.find((d) => d.name === 'CONTOSO-LT-0178');
if (!device) throw new Error('demo data changed: the device CONTOSO-LT-0178 is gone');

/** What the page's focused control is, as a screen reader and a sighted keyboard user see it. */
interface FocusedControl {
  /** Chromium's computed accessible name and role (the accessibility tree, not a guess from the DOM). */
  name: string;
  role: string;
  /** How it is drawn at this moment: an outline or a box shadow shows the focus. */
  ring: boolean;
  /** Not zero-sized, not hidden, and inside the window (focus scrolls it into view if it can be). */
  onScreen: boolean;
  why: string;
  /** Reachable by Tab (tabindex ≥ 0). A heading or banner the page focused to announce a new view
   * (tabindex -1) is no control, and needs no focus ring. */
  tabStop: boolean;
}

/** The deepest focused element: document.activeElement, then each shadow root's activeElement. The page
 * itself (body) is no control. Source text: tsx's helpers do not exist inside the page. */
const deepActiveElement = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el === document.body || el === document.documentElement ? null : el;
})()`;

/** Runs on the focused element after two frames (a focus style is drawn by then): its focus ring and
 * whether it is on screen. */
const describeFocus = `async function () {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const s = getComputedStyle(this);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'transparent' && !/, 0\\)$/.test(s.outlineColor);
  const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
  const r = this.getBoundingClientRect();
  const why = [];
  if (r.width < 1 || r.height < 1) why.push('zero size (' + r.width + '×' + r.height + ')');
  if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) why.push('outside the window at ' + Math.round(r.left) + ',' + Math.round(r.top));
  if (this.checkVisibility && !this.checkVisibility({ visibilityProperty: true, opacityProperty: true })) why.push('hidden (visibility or opacity)');
  return { ring: outline || shadow, onScreen: why.length === 0, why: why.join(', '), tag: this.localName, tabStop: this.tabIndex >= 0 };
}`;

/** A page's DevTools session (one per page), for the accessibility tree's names. */
const sessions = new WeakMap<Page, Promise<CDPSession>>();
function cdp(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = page.context().newCDPSession(page).then(async (session) => {
      await session.send('Accessibility.enable');
      return session;
    });
    sessions.set(page, s);
  }
  return s;
}

async function focusedControl(page: Page): Promise<FocusedControl | undefined> {
  const session = await cdp(page);
  const { result } = await session.send('Runtime.evaluate', { expression: deepActiveElement });
  if (!result.objectId || result.subtype === 'null') return undefined;
  try {
    const { nodes } = await session.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
    const node = nodes[0];
    const drawn = await session.send('Runtime.callFunctionOn', {
      objectId: result.objectId, functionDeclaration: describeFocus, awaitPromise: true, returnByValue: true,
    });
    const look = drawn.result.value as { ring: boolean; onScreen: boolean; why: string; tag: string; tabStop: boolean };
    const role = String(node?.role?.value ?? look.tag);
    return { name: String(node?.name?.value ?? '').replace(/\s+/g, ' ').trim(), role, ring: look.ring, onScreen: look.onScreen, why: look.why, tabStop: look.tabStop };
  } finally {
    await session.send('Runtime.releaseObject', { objectId: result.objectId }).catch(() => undefined);
  }
}

/** What was wrong with the Tab stops of one test, named once at its end. */
class FocusAudit {
  readonly noRing = new Set<string>();
  readonly offScreen = new Set<string>();
  stops = 0;

  check(who: string, page: Page, c: FocusedControl): void {
    if (!c.tabStop) return;
    this.stops++;
    const where = `${who} ${new URL(page.url()).pathname}: ${c.role} "${c.name}"`;
    if (!c.ring) this.noRing.add(where);
    if (!c.onScreen) this.offScreen.add(`${where} (${c.why})`);
  }

  expectAllVisible(): void {
    const problems = [
      ...[...this.noRing].map((n) => `no visible focus: ${n}`),
      ...[...this.offScreen].map((n) => `a Tab stop that cannot be seen: ${n}`),
    ];
    assert.deepEqual(problems, [], `of ${this.stops} Tab stops, these fail (focus must be visible on every control):\n${problems.join('\n')}`);
  }
}

interface TabOptions {
  who: string;
  audit: FocusAudit;
  /** The most Tab presses before giving up (default 40). */
  max?: number;
  /** Shift+Tab instead of Tab. */
  back?: boolean;
  /** The focused control must also have this role (e.g. 'button'). */
  role?: string;
}

const describeStop = (c: FocusedControl | undefined): string => (c ? `${c.role} "${c.name}"` : '(the page)');
const matches = (c: FocusedControl | undefined, name: string | RegExp, role?: string): boolean =>
  c !== undefined && (typeof name === 'string' ? c.name === name : name.test(c.name)) && (role === undefined || c.role === role);

/**
 * Presses Tab until the focused control has the accessible name `name` (already focused: no key at all).
 * Every stop passed is checked for a visible focus and being on screen (recorded in the audit); not
 * reached within `max` presses, it fails with the stops it went through.
 */
async function tabTo(page: Page, name: string | RegExp, opts: TabOptions): Promise<void> {
  const passed: string[] = [];
  let focused = await focusedControl(page);
  if (focused) opts.audit.check(opts.who, page, focused);
  for (let i = 0; !matches(focused, name, opts.role); i++) {
    passed.push(describeStop(focused));
    if (i >= (opts.max ?? 40)) {
      throw new Error(`${opts.who}: ${opts.back ? 'Shift+' : ''}Tab never reached ${opts.role ?? 'a control'} "${String(name)}" on ${page.url()}; it went through: ${passed.join(' → ')}`);
    }
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    focused = await focusedControl(page);
    if (focused) opts.audit.check(opts.who, page, focused);
  }
}

/** Where the focus is, as one element the page can compare later (a global of the test's own, never read by the page). */
const markFocus = (slot: string): string => `window.${slot} = ${deepActiveElement}`;
const focusIs = (slot: string): string => `(${deepActiveElement}) === window.${slot}`;

/**
 * Every Tab stop of the view, once round: Tab until the focus is back where it started (or, from a
 * heading the page focused, back on the first stop after it), each stop checked as in tabTo. A view
 * that never gives the focus back within `max` presses traps it, and fails saying where it went.
 */
async function sweep(page: Page, who: string, audit: FocusAudit, max = 80): Promise<void> {
  const session = await cdp(page);
  const check = async (expression: string): Promise<boolean> => (await session.send('Runtime.evaluate', { expression, returnByValue: true })).result.value === true;
  await session.send('Runtime.evaluate', { expression: markFocus('rhSweepStart') });
  const start = await focusedControl(page);
  const fromTabStop = start?.tabStop ?? false;
  const passed: string[] = [describeStop(start)];
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const c = await focusedControl(page);
    if (c) audit.check(who, page, c);
    if (i === 1 && !fromTabStop) await session.send('Runtime.evaluate', { expression: markFocus('rhSweepStart') });
    else if (await check(focusIs('rhSweepStart'))) return;
    passed.push(describeStop(c));
  }
  throw new Error(`${who}: the focus never came back round on ${page.url()} within ${max} Tab presses (a trap?): ${passed.join(' → ')}`);
}

/** Waits (without acting) until the page shows a control with this role and name: it may render late. */
async function shown(page: Page, role: Parameters<Page['getByRole']>[0], name: string): Promise<void> {
  await page.getByRole(role, { name, exact: true }).first().waitFor({ timeout: 20_000 });
}

/** Where the focus is now, for a step that expects the page to have moved it. */
async function expectFocusOn(page: Page, who: string, what: string, test: (c: FocusedControl | undefined) => boolean): Promise<void> {
  let last: FocusedControl | undefined;
  await step(page, `${who}: the focus moves to ${what}`, async () => {
    try {
      await waitFor(async () => test((last = await focusedControl(page))), 10_000, `the focus never moved to ${what}`);
    } catch (e) {
      throw new Error(`the focus is on ${describeStop(last)}, not ${what}`, { cause: e });
    }
  });
}

/**
 * The web sign-in by keyboard: the page's "Sign in", then the relay's "Email" + "Next", then the
 * provider's "Password" + "Sign in"; back on the page it started from.
 */
async function webSignInByKeyboard(page: Page, who: string, email: string, audit: FocusAudit): Promise<void> {
  const startedOn = new URL(page.url());
  const o = { who, audit };
  await step(page, `${who} tabs to "Sign in" and presses Enter`, async () => {
    await shown(page, 'link', 'Sign in');
    await sweep(page, who, audit);
    await tabTo(page, 'Sign in', o);
    await page.keyboard.press('Enter');
  });
  await step(page, `${who} types the email in "Email", tabs to "Next", presses Enter`, async () => {
    await shown(page, 'button', 'Next');
    await sweep(page, who, audit);
    await tabTo(page, 'Email', o);
    await page.keyboard.type(email);
    await tabTo(page, 'Next', { ...o, role: 'button' });
    await page.keyboard.press('Enter');
  });
  await step(page, `${who} types the password in "Password", tabs to "Sign in", presses Enter`, async () => {
    await page.waitForURL((u) => /\/v2\.0\//.test(u.pathname));
    await shown(page, 'button', 'Sign in');
    await sweep(page, who, audit);
    await tabTo(page, 'Password', o);
    await page.keyboard.type(demoPassword);
    await tabTo(page, 'Sign in', { ...o, role: 'button' });
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.origin === startedOn.origin && u.pathname === startedOn.pathname, { timeout: 15_000 });
  });
}

describe('end to end: both ways into a session by keyboard alone, with the focus visible on every control', function () {
  this.timeout(240_000);
  const e2e = useSystem();

  it('unenrolled: /rhh code, /rh typed code, Allow, frames, chat both ways and End session — keys only', async () => {
    const audit = new FocusAudit();
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const h = { who: 'helper', audit };
    const s = { who: 'sharer', audit };

    await step(helper, 'helper opens /rhh', () => helper.goto(e2e.system.webHelperUrl));
    await webSignInByKeyboard(helper, 'helper', users.helper, audit);
    await step(helper, 'helper tabs to "Get security code" and presses Enter', async () => {
      await shown(helper, 'button', 'Get security code');
      await sweep(helper, 'helper', audit);
      await tabTo(helper, 'Get security code', { ...h, role: 'button' });
      await helper.keyboard.press('Enter');
    });
    const { code } = await readIssuedCode(helper);
    await expectFocusOn(helper, 'helper', 'the security code', (c) => /Security code/.test(c?.name ?? ''));
    await sweep(helper, 'helper', audit);

    await step(sharer, 'sharer opens /rh', () => sharer.goto(e2e.system.sharerUrl));
    await webSignInByKeyboard(sharer, 'sharer', users.sharer, audit);
    await step(sharer, 'sharer tabs to "Security code", types the code, tabs to "Connect", presses Enter', async () => {
      await shown(sharer, 'textbox', 'Security code');
      await sweep(sharer, 'sharer', audit);
      await tabTo(sharer, 'Security code', s);
      await sharer.keyboard.type(code.toLowerCase());
      await tabTo(sharer, 'Connect', { ...s, role: 'button' });
      await sharer.keyboard.press('Enter');
    });
    // Each side's view changed under its focus: the focus goes to the new view, never to the page itself.
    await expectFocusOn(sharer, 'sharer', 'the trust screen\'s question', (c) => c?.name === 'Someone wants to see your screen');
    await expectFocusOn(helper, 'helper', 'the trust screen\'s heading', (c) => c?.name === 'The person you are helping');
    await sweep(helper, 'helper', audit);
    await step(sharer, 'sharer sees the trust screen and presses Enter on "Allow"', async () => {
      await shown(sharer, 'button', 'Allow');
      await sweep(sharer, 'sharer', audit);
      await tabTo(sharer, 'Allow', { ...s, role: 'button' });
      await sharer.keyboard.press('Enter');
    });
    await expectFramesAdvancing(helper);
    await expectFocusOn(sharer, 'sharer', '"You are sharing your screen"', (c) => c?.name === 'You are sharing your screen');
    await expectFocusOn(helper, 'helper', 'the shared screen\'s first control', (c) => c?.name === 'Fit to window');

    await step(helper, 'helper tabs to "Message", types, and sends with Enter', async () => {
      await shown(helper, 'textbox', 'Message');
      await tabTo(helper, 'Message', h);
      await helper.keyboard.type('Hello, I can see your screen');
      await helper.keyboard.press('Enter');
    });
    await expectChatShows(sharer, 'sharer', 'Hello, I can see your screen');
    await step(sharer, 'sharer tabs to "Message", types, tabs to "Send" and presses Enter', async () => {
      await shown(sharer, 'textbox', 'Message');
      await tabTo(sharer, 'Message', s);
      await sharer.keyboard.type('Thanks — 谢谢');
      await tabTo(sharer, 'Send', { ...s, role: 'button', max: 3 });
      await sharer.keyboard.press('Enter');
    });
    await expectChatShows(helper, 'helper', 'Thanks — 谢谢');
    await sweep(helper, 'helper', audit);
    await sweep(sharer, 'sharer', audit);

    await step(helper, 'helper goes back from the chat to "End session" with Shift+Tab and presses Enter', async () => {
      await tabTo(helper, 'Message', h);
      await tabTo(helper, 'End session', { ...h, role: 'button', back: true, max: 4 });
      await helper.keyboard.press('Enter');
    });
    await expectSessionEnded(sharer, 'sharer');
    await expectSessionEnded(helper, 'helper');
    await expectFocusOn(helper, 'helper', '"Session ended"', (c) => c?.name === 'Session ended');
    await expectFocusOn(sharer, 'sharer', '"Session ended"', (c) => c?.name === 'Session ended');
    await sweep(helper, 'helper', audit);
    await sweep(sharer, 'sharer', audit);
    audit.expectAllVisible();
  });

  it('enrolled: console sign-in, Devices, Search devices, the device, New remote assistance session → Remote help → Continue, the sharer joins by the link, End session — keys only', async () => {
    const audit = new FocusAudit();
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const h = { who: 'console', audit };
    const s = { who: 'sharer', audit };

    await step(helper, 'helper opens the console', () => helper.goto(e2e.system.consoleUrl));
    const provider = await step(helper, 'helper types the email in "Email" and presses Enter on "Sign in"', async () => {
      await helper.getByLabel('Email', { exact: true }).waitFor();
      await sweep(helper, 'console', audit);
      await tabTo(helper, 'Email', h);
      await helper.keyboard.type(users.helper);
      await tabTo(helper, 'Sign in', { ...h, role: 'button' });
      const popup = helper.context().waitForEvent('page', { timeout: 15_000 });
      await helper.keyboard.press('Enter');
      return popup;
    });
    await step(provider, 'helper signs in on the provider window by keyboard', async () => {
      await provider.waitForURL((u) => /\/v2\.0\//.test(u.pathname));
      await shown(provider, 'button', 'Sign in');
      const p = { who: 'provider window', audit };
      await sweep(provider, p.who, audit);
      await tabTo(provider, 'Password', p);
      await provider.keyboard.type(demoPassword);
      await tabTo(provider, 'Sign in', { ...p, role: 'button' });
      await provider.keyboard.press('Enter');
    });

    await step(helper, 'helper tabs to "Devices" and presses Enter', async () => {
      await helper.getByRole('link', { name: 'Devices' }).or(helper.getByRole('button', { name: 'Devices' })).first().waitFor({ timeout: 20_000 });
      await expectFocusOn(helper, 'console', 'the heading "All devices" once signed in', (c) => c?.name === 'All devices');
      await tabTo(helper, 'Devices', h);
      await helper.keyboard.press('Enter');
    });
    await step(helper, 'helper moves through the device grid with the arrow keys, then back to "Search devices" with Shift+Tab', async () => {
      await helper.getByRole('row').filter({ hasText: 'CONTOSO-' }).nth(1).waitFor();
      await tabTo(helper, /^CONTOSO-/, { ...h, role: 'row' });
      const first = await focusedControl(helper);
      await helper.keyboard.press('ArrowDown');
      await expectFocusOn(helper, 'console', 'the next row', (c) => c?.role === 'row' && /^CONTOSO-/.test(c.name) && c.name !== first?.name);
      const next = await focusedControl(helper);
      if (next) audit.check('console', helper, next);
      await helper.keyboard.press('ArrowUp');
      await expectFocusOn(helper, 'console', 'the first row again', (c) => c?.role === 'row' && c.name === first?.name);
      await tabTo(helper, 'Search devices', { ...h, back: true });
    });
    await step(helper, `helper types "${device.name}" in "Search devices"`, async () => {
      await tabTo(helper, 'Search devices', h);
      await helper.keyboard.type(device.name);
      // The grid shows the one match.
      await helper.getByRole('link', { name: device.name, exact: true }).first().waitFor();
      await waitFor(async () => (await helper.getByRole('row').filter({ hasText: 'CONTOSO-' }).count()) === 1, 10_000, 'the search did not narrow the grid to one device');
      await sweep(helper, 'console', audit);
    });
    await step(helper, `helper tabs to the device "${device.name}" and opens it with Enter`, async () => {
      await tabTo(helper, new RegExp(`^${device.name}\\b`), h);
      await helper.keyboard.press('Enter');
    });
    await expectFocusOn(helper, 'console', `the device view's heading "${device.name}"`, (c) => c?.role === 'heading' && c.name === device.name);
    await step(helper, 'helper goes Back with Shift+Tab and Enter: the focus is on the row just opened; Enter opens it again', async () => {
      await tabTo(helper, 'Back to all devices', { ...h, back: true });
      await helper.keyboard.press('Enter');
      await expectFocusOn(helper, 'console', `the row of "${device.name}"`, (c) => c?.role === 'row' && new RegExp(`^${device.name}\\b`).test(c.name));
      await helper.keyboard.press('Enter');
    });
    await expectFocusOn(helper, 'console', `the device view's heading "${device.name}" again`, (c) => c?.role === 'heading' && c.name === device.name);
    await step(helper, 'helper tabs to "New remote assistance session" and presses Enter', async () => {
      await shown(helper, 'button', 'New remote assistance session');
      await sweep(helper, 'console', audit);
      await tabTo(helper, 'New remote assistance session', { ...h, role: 'button' });
      await helper.keyboard.press('Enter');
    });
    await expectFocusOn(helper, 'console', 'the dialog\'s first control', (c) => c?.role === 'radio' && c.name === 'Remote help');
    await sweep(helper, 'console (dialog)', audit, 10);
    await step(helper, 'helper closes the dialog with Escape: the focus is back on "New remote assistance session"; Enter opens it again', async () => {
      await helper.keyboard.press('Escape');
      await expectFocusOn(helper, 'console', '"New remote assistance session" again', (c) => c?.role === 'button' && c.name === 'New remote assistance session');
      await helper.keyboard.press('Enter');
    });
    await step(helper, 'the dialog takes the focus; helper picks "Remote help" and presses Enter on "Continue"', async () => {
      await shown(helper, 'dialog', 'New remote assistance session');
      await tabTo(helper, 'Remote help', { ...h, role: 'radio', max: 6 });
      await helper.keyboard.press('Space');
      await tabTo(helper, 'Continue', { ...h, role: 'button', max: 6 });
      await helper.keyboard.press('Enter');
    });
    const { link } = await readIssuedCode(helper);
    await expectFocusOn(helper, 'console', 'the security code', (c) => /Security code/.test(c?.name ?? ''));
    await sweep(helper, 'console', audit);

    await step(sharer, 'sharer opens the link', () => sharer.goto(link));
    await webSignInByKeyboard(sharer, 'sharer', users.sharer, audit);
    await step(sharer, 'sharer finds the code filled in, tabs to "Connect" and presses Enter', async () => {
      await shown(sharer, 'button', 'Connect');
      await tabTo(sharer, 'Connect', { ...s, role: 'button' });
      await sharer.keyboard.press('Enter');
    });
    await expectFocusOn(helper, 'console', 'the trust screen\'s heading', (c) => c?.name === 'The person you are helping');
    await step(sharer, 'sharer tabs to "Allow" and presses Enter', async () => {
      await shown(sharer, 'button', 'Allow');
      await tabTo(sharer, 'Allow', { ...s, role: 'button' });
      await sharer.keyboard.press('Enter');
    });
    await expectFramesAdvancing(helper);
    await expectFocusOn(helper, 'console', 'the shared screen\'s first control', (c) => c?.name === 'Fit to window');
    await sweep(helper, 'console', audit);

    await step(helper, 'helper tabs to "End session" and presses Enter', async () => {
      await tabTo(helper, 'End session', { ...h, role: 'button' });
      await helper.keyboard.press('Enter');
    });
    await expectSessionEnded(sharer, 'sharer');
    await expectSessionEnded(helper, 'console');
    await expectFocusOn(helper, 'console', '"Session ended"', (c) => c?.name === 'Session ended');
    await sweep(helper, 'console', audit);
    audit.expectAllVisible();
  });
});
