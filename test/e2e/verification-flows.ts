// The Verification code as the two people see it (DESIGN §9: both trust screens show the
// **Verification code**), and how many peer connections a page made (the screen comes on the
// connection opened at join, not on a new one).
import type { Page } from 'playwright-core';
import { step } from './flows.js';
import { waitFor } from '../support/wait.js';

/** The code shown under "Verification code" once it is there (not "Comparing…"): "123 456". */
export async function readVerificationCode(page: Page, who: string, timeoutMs = 20_000): Promise<string> {
  return step(page, `${who} sees the Verification code`, async () => {
    const el = page.getByLabel('Verification code', { exact: true }).first();
    await el.waitFor({ timeout: timeoutMs });
    let shown = '';
    await waitFor(async () => {
      // The visible digits come first; a hidden copy spells them for screen readers ("1 2 3 4 5 6").
      shown = /\d{3} \d{3}/.exec(await el.innerText())?.[0] ?? '';
      return shown !== '';
    }, timeoutMs, 'the Verification code never appeared (still "Comparing…")');
    return shown;
  });
}

/** Counts the RTCPeerConnections the page makes from now on (call before it loads). */
export async function countPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(`(() => {
    const Native = window.RTCPeerConnection;
    if (!Native) return;
    window.__rhPeerConnections = 0;
    window.RTCPeerConnection = class extends Native {
      constructor(...args) { super(...args); window.__rhPeerConnections++; }
    };
  })()`);
}

/** How many RTCPeerConnections the page made since it loaded (countPeerConnections first). */
export function peerConnectionsMade(page: Page): Promise<number> {
  return page.evaluate<number>('window.__rhPeerConnections ?? -1');
}

/** Records every Verification code the page shows from now on (call before it loads), however briefly:
 * with a relay in between, DTLS fails and the pages make new connections, each shown for a moment. */
export async function recordVerificationCodes(page: Page): Promise<void> {
  await page.addInitScript(`(() => {
    const seen = (window.__rhCodesSeen = []);
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === 'rh-verification-code' && el.code && !seen.includes(el.code)) seen.push(el.code);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    setInterval(() => walk(document), 5);
  })()`);
}

/** The codes the page showed since it loaded (recordVerificationCodes first). */
export function verificationCodesSeen(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__rhCodesSeen ?? []');
}
