// /enroll in Chromium against the real relay: a signed-in user enrolls this browser; the device key stays
// in IndexedDB, non-extractable; the device shows up in the directory API; and /rh then proves the key
// at join, so the helper sees the enrolled device instead of an "unenrolled" warning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { adminPath, type Ack, type ClientToServerEvents, type CreatedSession, type Device, type ServerToClientEvents, type TrustInfo } from '#protocol';
import { demoPassword } from '#relay/directory/index.js';
import { launchBrowser, newPerson } from '../support/browser.js';
import { httpsRequest } from '../support/https-fetch.js';
import { signInForToken } from '../support/sign-in.js';
import { signInOnWebPage } from '../support/sign-in-page.js';
import { startSystem, type RunningSystem } from '../support/system.js';

interface StoredKeyInfo {
  deviceId: string;
  privateExtractable: boolean;
  publicExtractable: boolean;
  algorithm: string;
  exportRefused: boolean;
}

/** Reads this origin's IndexedDB record the way the page stored it, and tries to export the private key. */
function readStoredKey(page: Page): Promise<StoredKeyInfo | null> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('remote-help-device');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const rec = await new Promise<{ deviceId: string; keyPair: CryptoKeyPair } | undefined>((resolve, reject) => {
      const get = db.transaction('device-key').objectStore('device-key').get('current');
      get.onsuccess = () => resolve(get.result as { deviceId: string; keyPair: CryptoKeyPair } | undefined);
      get.onerror = () => reject(get.error);
    });
    db.close();
    if (!rec) return null;
    const exportRefused = await crypto.subtle.exportKey('jwk', rec.keyPair.privateKey).then(() => false, () => true);
    return {
      deviceId: rec.deviceId,
      privateExtractable: rec.keyPair.privateKey.extractable,
      publicExtractable: rec.keyPair.publicKey.extractable,
      algorithm: `${rec.keyPair.privateKey.algorithm.name}/${(rec.keyPair.privateKey.algorithm as EcKeyAlgorithm).namedCurve}`,
      exportRefused,
    };
  });
}

describe('the enrollment page /enroll', function () {
  this.timeout(120_000);
  let out: string;
  let system: RunningSystem;
  let browser: Browser;
  let ca: string;
  let context: BrowserContext;
  let page: Page;
  let enrolledId = '';

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'rh-enroll-web-'));
    const built = spawnSync('npx', ['tsx', 'scripts/build-web.ts', '--dev', `--out=${out}`], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    [system, browser] = await Promise.all([
      startSystem({ console: false, relayEnv: { RH_WEB_DIST: join(out, 'web') } }),
      launchBrowser(),
    ]);
    ca = readFileSync(system.caCertPath, 'utf8');
    // One browser profile for the whole file: the enrolled key lives in it, as on a real computer.
    context = await newPerson(browser);
    page = await context.newPage();
  });
  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await system?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  async function devicesOf(email: string): Promise<Device[]> {
    const token = await signInForToken(system.relayUrl, email, demoPassword, ca);
    const res = await httpsRequest(`${system.relayUrl}/api/devices`, ca, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, res.body);
    return (JSON.parse(res.body) as { devices: Device[] }).devices;
  }

  it('signs the user in, enrolls this browser with a non-extractable key, and the device shows up in the directory', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${system.relayUrl}/enroll`);
    await signInOnWebPage(page, 'sharer@contoso.example');
    await page.getByRole('heading', { name: 'Enroll this device', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Remote Help — enroll this device');
    await page.getByText('In a real deployment a management agent on the device reports these.', { exact: false }).waitFor();
    // Prefilled from what the browser tells (headless Chromium on Linux here).
    assert.equal(await page.getByLabel('Platform', { exact: true }).inputValue(), 'Linux');

    await page.getByLabel('Device name', { exact: true }).fill('Amira’s browser');
    await page.getByLabel('OS version', { exact: true }).fill('6.1.0');
    await page.getByLabel('Disk encryption is on').check();
    await page.getByLabel('Firewall is on').check();
    await page.getByRole('button', { name: 'Enroll this device' }).click();

    const status = page.getByRole('status').filter({ hasText: 'Device enrolled' });
    await status.waitFor();
    await status.getByText('Compliant', { exact: true }).waitFor();
    await status.getByText('Amira’s browser is enrolled.').waitFor();
    // Its properties are only this browser's word: self-reported, and waiting for an administrator.
    await status.getByText('Awaiting approval: an administrator must approve this device', { exact: false }).waitFor();
    await status.getByText('Self-reported: its name and properties come from this browser alone', { exact: false }).waitFor();

    const stored = await readStoredKey(page);
    assert.ok(stored, 'a device key record in IndexedDB');
    assert.equal(stored.privateExtractable, false);
    assert.equal(stored.exportRefused, true, 'the private key cannot be exported');
    assert.equal(stored.algorithm, 'ECDSA/P-256');
    enrolledId = stored.deviceId;

    const device = (await devicesOf('helper@contoso.example')).find((d) => d.id === enrolledId);
    assert.ok(device, 'the helper\'s directory API lists the new device');
    assert.equal(device.name, 'Amira’s browser');
    assert.equal(device.enrolled, true);
    assert.equal(device.compliance, 'compliant');
    assert.equal(device.platform, 'Linux');
    assert.equal(device.primaryUser, 'sharer@contoso.example');
    assert.deepEqual([device.managedBy, device.approved], ['enrollment', false]);
    assert.deepEqual(errors, []);
  });

  it('enrolling again updates the same device and shows why it is not compliant; a name another device has is refused, and another can be typed', async () => {
    await page.reload();
    await page.getByText('This browser is already enrolled as Amira’s browser.', { exact: false }).waitFor();
    await page.getByText('Awaiting approval: an administrator must approve this device', { exact: false }).waitFor();
    const nameBox = page.getByLabel('Device name', { exact: true });
    assert.equal(await nameBox.inputValue(), 'Amira’s browser', 'the name the relay holds');

    // An imported device of the tenant already has this name.
    await nameBox.fill('CONTOSO-LT-0142');
    await page.getByRole('button', { name: 'Enroll this device' }).click();
    await page.getByRole('alert').getByText('Another device in your organization already has this name. Choose a different name.').waitFor();
    assert.equal(await nameBox.getAttribute('aria-invalid'), 'true');
    assert.ok(await nameBox.evaluate((el) => el === document.activeElement), 'focus is back on the name');
    assert.equal((await devicesOf('helper@contoso.example')).find((d) => d.id === enrolledId)?.name, 'Amira’s browser', 'nothing changed');

    await nameBox.fill('Amira’s browser');
    await page.getByLabel('OS version', { exact: true }).fill('5.10');
    await page.getByLabel('Disk encryption is on').check();
    await page.getByRole('button', { name: 'Enroll this device' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Device enrolled' });
    await status.getByText('Not compliant', { exact: true }).waitFor();
    const reasons = status.getByRole('list', { name: 'Reasons' });
    await reasons.getByText('Firewall is off').waitFor();
    await reasons.getByText('OS version 5.10 is below the minimum 6.1').waitFor();
    assert.equal((await readStoredKey(page))?.deviceId, enrolledId, 'the same key, the same device');
    const device = (await devicesOf('helper@contoso.example')).find((d) => d.id === enrolledId);
    assert.equal(device?.compliance, 'noncompliant');
    assert.equal(await nameBox.getAttribute('aria-invalid'), 'false');
  });

  it('says "Approved by an administrator" on a re-visit once an administrator approved the device', async () => {
    const admin = await signInForToken(system.relayUrl, 'admin@contoso.example', demoPassword, ca);
    const res = await httpsRequest(`${system.relayUrl}${adminPath('approveDevice')}`, ca, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ id: enrolledId }),
    });
    assert.equal(res.status, 200, res.body);
    await page.reload();
    await page.getByText('This browser is already enrolled as Amira’s browser.', { exact: false }).waitFor();
    await page.getByText('Approved by an administrator.', { exact: true }).waitFor();
    assert.equal(await page.getByText('Awaiting approval', { exact: false }).count(), 0);
  });

  /** A helper (a socket signed in as helper@contoso) makes a code; the page joins with it on /rh; answers
   * what the helper's trust screen receives. */
  async function joinFromThisBrowser(): Promise<TrustInfo> {
    const token = await signInForToken(system.relayUrl, 'helper@contoso.example', demoPassword, ca);
    const helper: Socket<ServerToClientEvents, ClientToServerEvents> = io(system.relayUrl, {
      transports: ['websocket'], ca, auth: { token }, forceNew: true, reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        helper.once('connect', resolve);
        helper.once('connect_error', reject);
      });
      const created = (await helper.timeout(5000).emitWithAck('session:create', {})) as Ack<CreatedSession>;
      assert.ok(created.ok, JSON.stringify(created));
      const trust = new Promise<TrustInfo>((resolve) => helper.once('session:trust', (t: TrustInfo) => resolve(t)));
      await page.goto(`${system.relayUrl}/rh?passcode=${created.value.code}`);
      await page.getByRole('button', { name: 'Connect' }).click();
      return await trust;
    } finally {
      helper.disconnect();
    }
  }

  it('/rh proves the enrolled key at join: the helper sees the device, not an "unenrolled" warning', async () => {
    const seen = await joinFromThisBrowser();
    assert.equal(seen.device?.id, enrolledId, 'the session is bound to the proven device');
    assert.ok(!seen.warnings.some((w) => w.kind === 'unenrolled'), JSON.stringify(seen.warnings));
    assert.ok(seen.warnings.some((w) => w.kind === 'noncompliant'), 'its non-compliance is shown to the helper');
  });

  it('a key the relay does not know (stale) does not block help: the browser joins as unenrolled', async () => {
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('remote-help-device');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const store = db.transaction('device-key', 'readwrite').objectStore('device-key');
      await new Promise<void>((resolve, reject) => {
        const get = store.get('current');
        get.onsuccess = () => {
          const put = store.put({ ...(get.result as object), deviceId: 'removed-device' }, 'current');
          put.onsuccess = () => resolve();
          put.onerror = () => reject(put.error);
        };
      });
      db.close();
    });
    const seen = await joinFromThisBrowser();
    assert.equal(seen.device, undefined);
    assert.ok(seen.warnings.some((w) => w.kind === 'unenrolled'), JSON.stringify(seen.warnings));
  });
});
