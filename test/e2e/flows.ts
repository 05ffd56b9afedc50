// What a helper and a sharer do, step by step, by the names on screen (DESIGN §9). The end-to-end
// tests and the benchmarks share these, so a benchmark measures exactly what a test proves works.
import type { Locator, Page } from 'playwright-core';
import { signInOnConsole, signInOnWebPage, signInOnWebPageIfAsked, type SignInOptions } from '../support/sign-in-page.js';
import type { RunningSystem } from '../support/system.js';
import { waitFor } from '../support/wait.js';

export const users = {
  helper: 'helper@contoso.example',
  admin: 'admin@contoso.example',
  sharer: 'sharer@contoso.example',
  fabrikamHelper: 'helper@fabrikam.example',
  fabrikamSharer: 'sharer@fabrikam.example',
} as const;

/** How a person signs in, beyond the email: the password (the demo's by default), an authenticator's
 * secret, and the tenant's provider page (the relay's embedded provider by default). */
export type Credentials = SignInOptions & { password?: string };

export interface IssuedCode {
  code: string;
  link: string;
}

/** What the page says, for failure messages: a failed step reports what the user saw. Walks into
 * shadow roots (the UI is made of web components; body.innerText would miss them). */
export async function visibleText(page: Page): Promise<string> {
  try {
    const text = await page.evaluate<string>(`(() => {
      const out = [];
      const walk = (node) => {
        for (const child of node.childNodes) {
          if (child.nodeType === 3) { out.push(child.textContent); continue; }
          if (child.nodeType !== 1) continue;
          const tag = child.tagName;
          if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE') continue;
          if (child.checkVisibility && !child.checkVisibility()) continue;
          if (tag === 'INPUT' || tag === 'TEXTAREA') out.push('[' + (child.getAttribute('aria-label') || child.name || 'field') + ': ' + child.value + ']');
          if (child.shadowRoot) walk(child.shadowRoot);
          walk(child);
          if (tag === 'SLOT') for (const n of child.assignedNodes()) walk(n.parentNode === child ? n : { childNodes: [n] });
        }
      };
      walk(document.body);
      return out.join(' ');
    })()`);
    return text.replace(/\s+/g, ' ').trim().slice(0, 800) || '(an empty page)';
  } catch {
    return '(the page could not be read)';
  }
}

/** The browser's "Leave site?" (beforeunload, on a page with a live session) is answered Leave, as by
 * a person who means to reload or go; any other dialog is dismissed. */
export function acceptLeavingLiveSessions(page: Page): Page {
  page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
  return page;
}

/** Runs a step; on failure says what the user was doing and what the page showed instead. */
export async function step<T>(page: Page, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const seen = await visibleText(page);
    const cause = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`${what} — failed. The ${new URL(page.url()).pathname} page showed: "${seen}" (${cause})`, { cause: err });
  }
}

/** What the helper types along with asking for a code: the optional "Reason or ticket number". */
export interface CodeRequest { reason?: string }

export async function typeReason(page: Page, reason: string | undefined): Promise<void> {
  if (reason === undefined) return;
  await step(page, `helper types the reason "${reason.slice(0, 40)}"`, () => page.getByLabel('Reason or ticket number').fill(reason));
}

/** /rhh: sign in as a helper and get a security code (`signIn.totpSecret` for a user with MFA). */
export async function webHelperGetsCode(page: Page, system: RunningSystem, email: string = users.helper, signIn: Credentials = {}): Promise<IssuedCode> {
  await step(page, `helper opens ${system.webHelperUrl}`, () => page.goto(system.webHelperUrl));
  await step(page, `helper signs in as ${email} on /rhh${signIn.totpSecret ? ' with a verification code' : ''}`, () => signInOnWebPage(page, email, signIn.password, signIn));
  await step(page, 'helper clicks "Get security code"', () => page.getByRole('button', { name: 'Get security code' }).click());
  return readIssuedCode(page);
}

export async function readIssuedCode(page: Page): Promise<IssuedCode> {
  return step(page, 'helper sees the security code and its link', async () => {
    const codeEl = page.getByLabel('Security code', { exact: true }).first();
    await codeEl.waitFor();
    // Shown in two groups of four; the link carries it whole.
    const shown = (await codeEl.innerText()).trim();
    if (!/^[0-9A-HJKMNP-TV-Z]{4} [0-9A-HJKMNP-TV-Z]{4}$/.test(shown)) throw new Error(`the security code shown is "${shown}", not two groups of four Crockford base32 characters`);
    const code = shown.replace(' ', '');
    const link = await page.locator(`a[href*="passcode=${code}"]`).first().getAttribute('href');
    if (!link) throw new Error('no link with the code was shown');
    return { code, link };
  });
}

/** Console: sign in, Devices → search → the device → New remote assistance session → Remote help → Continue. */
export async function consoleSignIn(page: Page, system: RunningSystem, email: string = users.helper, signIn: Credentials = {}): Promise<void> {
  await step(page, 'helper opens the console', () => page.goto(system.consoleUrl));
  await step(page, `helper signs in to the console as ${email}`, () => signInOnConsole(page, email, signIn.password, signIn));
  await step(page, 'the console shows "Devices" once signed in', () =>
    page.getByRole('link', { name: 'Devices' }).or(page.getByRole('button', { name: 'Devices' })).first().waitFor({ timeout: 20_000 }));
}

export async function consoleHelperGetsCode(page: Page, deviceName: string, request: CodeRequest = {}): Promise<IssuedCode> {
  await step(page, 'helper opens "Devices"', () => page.getByRole('link', { name: 'Devices' }).or(page.getByRole('button', { name: 'Devices' })).first().click());
  await step(page, `helper searches devices for "${deviceName}"`, () => page.getByRole('searchbox', { name: 'Search devices' }).or(page.getByLabel('Search devices')).first().fill(deviceName));
  await step(page, `helper opens the device "${deviceName}"`, () => page.getByRole('link', { name: deviceName, exact: true }).first().click());
  await step(page, 'helper clicks "New remote assistance session"', () => page.getByRole('button', { name: 'New remote assistance session' }).click());
  await step(page, 'helper picks "Remote help"', async () => {
    const option = page.getByRole('radio', { name: 'Remote help' }).or(page.getByRole('option', { name: 'Remote help' })).or(page.getByRole('menuitem', { name: 'Remote help' })).or(page.getByRole('button', { name: 'Remote help' })).first();
    await option.click();
  });
  await typeReason(page, request.reason);
  await step(page, 'helper clicks "Continue"', () => page.getByRole('button', { name: 'Continue' }).click());
  return readIssuedCode(page);
}

/** /rh: open the helper's link (code pre-filled), sign in, Connect. Resolves when "Connect" was clicked. */
export async function sharerOpensLinkAndConnects(page: Page, link: string, email: string = users.sharer, signIn: Credentials = {}): Promise<number> {
  await step(page, `sharer opens the link ${link.replace(/passcode=[0-9a-z]+/, 'passcode=…')}`, () => page.goto(link));
  await step(page, `sharer signs in as ${email} on /rh`, () => signInOnWebPage(page, email, signIn.password, signIn));
  return sharerConnects(page);
}

/** /rh after sign-in: the code is in the "Security code" box (pre-filled or typed); click "Connect". */
export async function sharerConnects(page: Page, code?: string): Promise<number> {
  if (code !== undefined) {
    await step(page, `sharer types the security code`, () => page.getByLabel('Security code', { exact: true }).fill(code));
  }
  const connect = page.getByRole('button', { name: 'Connect' });
  await step(page, 'sharer sees "Connect"', () => connect.waitFor());
  const at = Date.now();
  await step(page, 'sharer clicks "Connect"', () => connect.click());
  return at;
}

/** The other person's card on the trust screen: full name, job title, company, verified domain. */
export async function expectTrustScreenShows(page: Page, who: string, person: { name: string; jobTitle: string; company: string; domain: string }): Promise<void> {
  await step(page, `${who}'s trust screen shows ${person.name}, ${person.jobTitle}, ${person.company}, verified domain ${person.domain}`, async () => {
    for (const text of [person.name, person.jobTitle, person.company, person.domain]) {
      await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
    }
    await page.getByText('Verified domain').first().waitFor();
  });
}

export async function sharerAnswers(page: Page, answer: 'Allow' | 'Deny'): Promise<void> {
  await step(page, `sharer clicks "${answer}" on the trust screen`, () => page.getByRole('button', { name: answer, exact: true }).click());
}

/** The helper's "Shared screen" video (`label`: its name in the page's language). */
export function sharedScreen(page: Page, label = 'Shared screen'): Locator {
  return page.getByLabel(label);
}

/** Frames the helper's "Shared screen" video has received and decoded (0 while there is none). */
export async function framesOnScreen(page: Page, label = 'Shared screen'): Promise<number> {
  const video = sharedScreen(page, label);
  if ((await video.count()) === 0) return 0;
  return video.first().evaluate((v) => (v instanceof HTMLVideoElement && v.srcObject ? v.getVideoPlaybackQuality().totalVideoFrames : 0));
}

/** The helper sees the sharer's screen: frames decoded, and still advancing a moment later. */
export async function expectFramesAdvancing(page: Page, timeoutMs = 20_000, label = 'Shared screen'): Promise<void> {
  await step(page, `helper sees the "${label}" video with decoded frames`, () =>
    waitFor(async () => (await framesOnScreen(page, label)) > 0, timeoutMs, `the "${label}" video never showed a frame`));
  const first = await framesOnScreen(page, label);
  await step(page, `the "${label}" frames keep advancing`, () =>
    waitFor(async () => (await framesOnScreen(page, label)) >= first + 10, timeoutMs, `the "${label}" video stuck at ${first} frames`));
}

/** Waits (generously) until the page says "Session ended"; returns when it was seen. */
export async function expectSessionEnded(page: Page, who: string, timeoutMs = 15_000): Promise<number> {
  await step(page, `${who} sees "Session ended"`, () => page.getByText('Session ended', { exact: true }).first().waitFor({ timeout: timeoutMs }));
  return Date.now();
}

// In-page code is passed as source text: tsx compiles named inner functions with a `__name` helper
// that does not exist inside the page.
export const findDeep = `(root, test) => {
  const stack = [root];
  while (stack.length) {
    const node = stack.pop();
    for (const el of node.querySelectorAll('*')) {
      if (test(el)) return el;
      if (el.shadowRoot) stack.push(el.shadowRoot);
    }
  }
  return undefined;
}`;

/** Resolves with the moment an element whose own text is exactly `text` appears (shadow roots
 * included), timed inside the page (polled there every 10 ms). */
export async function whenTextAppears(page: Page, text: string, timeoutMs = 30_000): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve, reject) => {
    const findDeep = ${findDeep};
    const text = ${JSON.stringify(text)};
    const until = Date.now() + ${timeoutMs};
    const tick = () => {
      const el = findDeep(document, (e) => e.children.length === 0 && e.textContent.trim() === text && (!e.checkVisibility || e.checkVisibility()));
      if (el) resolve(Date.now());
      else if (Date.now() > until) reject(new Error(text + ' did not appear within ${timeoutMs} ms'));
      else setTimeout(tick, 10);
    };
    tick();
  })`);
}

/** Resolves with the moment "Session ended" appears, timed inside the page. */
export function whenSessionEndedAppears(page: Page): Promise<number> {
  return whenTextAppears(page, 'Session ended');
}

/**
 * Resolves with the moment the helper's "Shared screen" is live again: no "Reconnecting…" over it and
 * a frame decoded after that — of a new stream when `newStream` (after the sharer's page reloaded, its
 * old picture is gone for good), of any stream otherwise. Polls in the page every 5 ms.
 */
export async function whenScreenLiveAgain(page: Page, newStream: boolean, timeoutMs = 60_000): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve, reject) => {
    const findDeep = ${findDeep};
    const video = () => findDeep(document, (e) => e instanceof HTMLVideoElement && e.getAttribute('aria-label') === 'Shared screen');
    const frames = (v) => (v && v.srcObject ? v.getVideoPlaybackQuality().totalVideoFrames : 0);
    const away = () => !!findDeep(document, (e) => e.children.length === 0 && e.textContent.trim() === 'Reconnecting…' && (!e.checkVisibility || e.checkVisibility()));
    const v0 = video();
    const stream0 = v0 ? v0.srcObject : null;
    let mark = null;
    const until = Date.now() + ${timeoutMs};
    const tick = () => {
      const v = video();
      const ok = v && v.srcObject && (!${newStream} || v.srcObject !== stream0) && !away();
      if (ok && mark === null) mark = { stream: v.srcObject, n: frames(v) };
      if (ok && mark && (v.srcObject !== mark.stream ? frames(v) > 0 : frames(v) > mark.n)) return resolve(Date.now());
      if (!ok) mark = null;
      if (Date.now() > until) reject(new Error('the "Shared screen" was not live again within ${timeoutMs} ms'));
      else setTimeout(tick, 5);
    };
    tick();
  })`);
}

export interface SharingSession {
  helper: Page;
  sharer: Page;
  code: string;
}

/** The unenrolled way in, up to the helper seeing frames: /rhh code → /rh link → Connect → Allow. */
export async function openUnenrolledSession(helper: Page, sharer: Page, system: RunningSystem): Promise<SharingSession> {
  const { code, link } = await webHelperGetsCode(helper, system);
  await sharerOpensLinkAndConnects(sharer, link);
  await sharerAnswers(sharer, 'Allow');
  await expectFramesAdvancing(helper);
  return { helper, sharer, code };
}

/** /rhh for a helper who may already be signed in: a fresh page, a new code. */
export async function webHelperNewCode(page: Page, system: RunningSystem, email: string = users.helper): Promise<IssuedCode> {
  const getCode = page.getByRole('button', { name: 'Get security code' });
  await step(page, `helper opens ${system.webHelperUrl}`, () => page.goto(system.webHelperUrl));
  await step(page, `helper is signed in as ${email} on /rhh`, () => signInOnWebPageIfAsked(page, email, getCode));
  await step(page, 'helper clicks "Get security code"', () => getCode.click());
  return readIssuedCode(page);
}

/** /rh for a sharer who may already be signed in: opens the link and waits for "Connect". */
export async function sharerOpensLink(page: Page, link: string, email: string = users.sharer): Promise<void> {
  const connect = page.getByRole('button', { name: 'Connect' });
  await step(page, 'sharer opens the link', () => page.goto(link));
  await step(page, `sharer is signed in as ${email} on /rh`, () => signInOnWebPageIfAsked(page, email, connect));
  await step(page, 'sharer sees "Connect"', () => connect.waitFor());
}

/** Records, inside the page, the moment a button named `name` is clicked (read with clickedAt). */
export async function recordClicks(page: Page, name: string): Promise<void> {
  await page.evaluate((label) => {
    const w = window as unknown as { rhClicks?: Record<string, number> };
    w.rhClicks ??= {};
    document.addEventListener('click', (e) => {
      const hit = e.composedPath().some((n) => n instanceof HTMLButtonElement && n.textContent?.trim() === label);
      if (hit) w.rhClicks![label] ??= Date.now();
    }, { capture: true });
  }, name);
}

export async function clickedAt(page: Page, name: string): Promise<number> {
  const at = await page.evaluate((label) => (window as unknown as { rhClicks?: Record<string, number> }).rhClicks?.[label], name);
  if (at === undefined) throw new Error(`no click on "${name}" was recorded`);
  return at;
}

/** Resolves with the moment (page clock = this machine's clock) the "Shared screen" video has its
 * first frame. Start it before the sharer connects; it polls inside the page every 5 ms. */
export async function whenFirstFrameAppears(page: Page): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve, reject) => {
    const findDeep = ${findDeep};
    const until = Date.now() + 60000;
    const tick = () => {
      const v = findDeep(document, (e) => e instanceof HTMLVideoElement && e.getAttribute('aria-label') === 'Shared screen');
      if (v && v.srcObject && v.getVideoPlaybackQuality().totalVideoFrames > 0) resolve(Date.now());
      else if (Date.now() > until) reject(new Error('no frame on "Shared screen" within 60 s'));
      else setTimeout(tick, 5);
    };
    tick();
  })`);
}

export async function sendChat(page: Page, who: string, text: string): Promise<void> {
  await step(page, `${who} types "${text}" in "Message" and clicks "Send"`, async () => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  });
}

export async function expectChatShows(page: Page, who: string, text: string): Promise<void> {
  await step(page, `${who} sees "${text}" in the chat`, () =>
    page.getByRole('log', { name: 'Chat' }).getByText(text, { exact: true }).waitFor());
}

/** The chat's messages as the page shows them, top to bottom. */
export async function chatTexts(page: Page): Promise<string[]> {
  return page.getByRole('log', { name: 'Chat' }).locator('.text').allInnerTexts();
}

/** At a 1366×768 window, the helper's End session and chat box are in view without scrolling, and nothing
 * is cut off at the side (issue 9: a compact layout for the console and /rhh). */
export async function expectCompactSharingLayout(page: Page, who: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await step(page, `${who}: at 1366×768 "End session" and the chat's "Message" box are in view, nothing cut off at the side`, async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    for (const control of [page.getByRole('button', { name: 'End session' }).first(), page.getByRole('textbox', { name: 'Message' }).first()]) {
      const box = await control.boundingBox();
      if (!box) throw new Error('a control is not shown');
      if (box.y < 0 || box.y + box.height > 768 || box.x < 0 || box.x + box.width > 1366) throw new Error(`a control is out of view at ${JSON.stringify(box)}`);
    }
    const widths = await page.evaluate('({ page: document.documentElement.scrollWidth, window: innerWidth })') as { page: number; window: number };
    if (widths.page > widths.window) throw new Error(`the page is ${widths.page} px wide in a ${widths.window} px window`);
  });
}

/** For a helper and a sharer already signed in (benchmarks run many sessions): a new code on /rhh, the
 * link on /rh, Connect, Allow, frames advancing. */
export async function sharingAgain(helper: Page, sharer: Page, system: RunningSystem): Promise<void> {
  const { link } = await webHelperNewCode(helper, system);
  await sharerOpensLink(sharer, link);
  await step(sharer, 'sharer clicks "Connect"', () => sharer.getByRole('button', { name: 'Connect' }).click());
  await step(sharer, 'sharer clicks "Allow"', () => sharer.getByRole('button', { name: 'Allow', exact: true }).click());
  await expectFramesAdvancing(helper);
}
