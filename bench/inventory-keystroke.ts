// Time from a keystroke in *Search devices* to the list updated in the page, at 100,000 devices (issue 8):
// the real relay filled by `npm run demo:devices`, the console host with main's real services, Chromium
// signed in and synced, as a helper uses it. A sample is one key typed into the search box: the time runs
// from the input event, dispatched in the page, to the first frame after the count of matching devices
// shows the new number (the rows of that answer are rendered in the same update). Only keystrokes that
// change the count are measured (their expected counts are worked out from the devices the relay holds,
// with the console's own search rules); the others are typed all the same.
// Standalone: tsx bench/inventory-keystroke.ts [--devices=N]
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { searchNeedle, searchTextOf } from '#desktop/main/inventory/list-index.js';
import { countText, fillDemoDevices, startDeviceConsole, tenantDevices } from '#test/desktop/renderer/device-console.js';
import { measure, table, writeResult, type BenchResult } from './stats.js';

const defaultDevices = 100_000;
/** Devices whose serial number and name are typed, a key at a time. */
const typedDevices = 12;

// In-page code as text: tsx names the functions it compiles (esbuild keepNames), and that helper does
// not exist in the page.
const inPage = `async ([key, text]) => {
  const find = (root, name) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName === name) return el;
      const inner = el.shadowRoot ? find(el.shadowRoot, name) : null;
      if (inner) return inner;
    }
    return null;
  };
  const list = find(document, 'rh-device-list');
  const count = list && list.shadowRoot.querySelector('.count');
  const filters = list && find(list.shadowRoot, 'rh-device-filters');
  const input = filters && filters.shadowRoot.querySelector('input[type=search]');
  if (!count || !input) throw new Error('the search box or the count is not on the page');
  const started = performance.now();
  input.value += key;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: key, inputType: 'insertText' }));
  await new Promise((resolve, reject) => {
    const frame = () => {
      if (count.textContent.trim() === text) resolve();
      else if (performance.now() - started > 10000) reject(new Error('the count never read ' + text + ' (it reads ' + count.textContent.trim() + ')'));
      else requestAnimationFrame(frame);
    };
    frame();
  });
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return performance.now() - started;
}`;

/** Types `key` into the search box and answers the milliseconds until the count reads `expected`, painted. */
async function timeKeystroke(page: Page, key: string, expected: string): Promise<number> {
  return page.evaluate<number>(`(${inPage})(${JSON.stringify([key, expected])})`);
}

async function clearSearch(page: Page, total: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search devices' }).fill('');
  await page.getByText(countText(total), { exact: true }).waitFor();
}

export async function inventoryKeystroke(devices = defaultDevices): Promise<BenchResult> {
  const started = Date.now();
  const ui = await startDeviceConsole((relay) => fillDemoDevices(relay.dataDir, devices));
  try {
    const all = await tenantDevices(ui.relay.directory);
    const texts = all.map(searchTextOf);
    const matching = (typed: string): number => {
      const needle = searchNeedle(typed);
      let n = 0;
      for (const t of texts) if (t.includes(needle)) n++;
      return n;
    };
    const setup = Date.now() - started;
    const samples: number[] = [];
    let unchanged = 0;
    // Spread over the inventory; serial numbers (random letters and digits) and names (a shared prefix,
    // then a running number) narrow differently.
    const typed = Array.from({ length: typedDevices }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / typedDevices)]!)
      .flatMap((d, i) => [i % 2 ? d.serialNumber.slice(0, 6) : d.name.slice(-8)])
      .filter((word) => word.length > 0);
    for (const word of typed) {
      await clearSearch(ui.page, all.length);
      let before = all.length;
      for (let i = 1; i <= word.length; i++) {
        const count = matching(word.slice(0, i));
        if (count === before) {
          // Nothing to see change: type it, and let its answer land before the next measured key.
          await ui.page.getByRole('searchbox', { name: 'Search devices' }).press(word[i - 1]!);
          await ui.page.waitForTimeout(50);
          unchanged++;
          continue;
        }
        samples.push(Math.round((await timeKeystroke(ui.page, word[i - 1]!, countText(count))) * 10) / 10);
        before = count;
      }
    }
    return {
      name: 'inventory-keystroke',
      description: `Devices > All devices at ${devices.toLocaleString('en-US')} devices: a keystroke in Search devices to the list updated in Chromium`,
      measures: [measure('keystroke to list updated', samples, '≤ 50')],
      notes: [
        `${all.length} devices in the inventory (demo:devices + the demo's own), synced by the console at sign-in; set-up ${Math.round(setup / 1000)} s`,
        `${samples.length} keystrokes measured (each changes the count), ${unchanged} typed but not measured (count unchanged)`,
        'from the input event dispatched in the page to the first frame after the count shows the new number; includes the round trip to main over the console host\'s WebSocket and main\'s query',
        'words typed: the last 8 characters of device names and the first 6 of serial numbers, one key at a time, from an empty box',
      ],
    };
  } finally {
    await ui.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const devices = Number(process.argv.find((a) => a.startsWith('--devices='))?.slice('--devices='.length) ?? defaultDevices);
  const result = await inventoryKeystroke(devices);
  console.log(table([result]));
  console.log(`→ ${writeResult(result)}`);
}
