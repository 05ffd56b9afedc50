// What an administrator, a refused helper or sharer, and an enrolling sharer do, by the names on
// screen (DESIGN §9 and the console's Tenant administration). Like flows.ts, nothing here calls an
// API: if a label, a section or a refusal message changes, these steps fail as a user would notice.
import type { Locator, Page } from 'playwright-core';
import { signInOnConsole, signInOnWebPageIfAsked } from '../support/sign-in-page.js';
import type { RunningSystem } from '../support/system.js';
import { step, users } from './flows.js';

export type AdminSectionName = 'Settings' | 'Users' | 'Device enrollment' | 'Roles' | 'Assignments' | 'Conditional access' | 'Compliance policy' | 'Reports';

function mainNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main' });
}

/**
 * Console: the administrator opens Tenant administration and one of its sections. The console keeps
 * its sign-in across windows, so a returning administrator is not asked again.
 */
export async function adminOpensSection(page: Page, system: RunningSystem, section: AdminSectionName, email: string = users.admin): Promise<Locator> {
  const admin = mainNav(page).getByRole('link', { name: 'Tenant administration', exact: true });
  await step(page, 'admin opens the console', () => page.goto(system.consoleUrl));
  await step(page, `admin is signed in to the console as ${email}`, async () => {
    const emailBox = page.getByLabel('Email', { exact: true });
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    await Promise.race([admin.waitFor({ timeout: 20_000 }), emailBox.waitFor({ timeout: 20_000 }), signIn.waitFor({ timeout: 20_000 })]);
    if (!(await admin.isVisible())) await signInOnConsole(page, email);
  });
  await step(page, 'admin sees "Tenant administration" in the navigation', () => admin.waitFor({ timeout: 20_000 }));
  await step(page, 'admin clicks "Tenant administration"', () => admin.click());
  // Reports may carry its count of new reports in its name ("Reports 2 new reports").
  const link = section === 'Reports' ? { name: /^Reports(\W+\d+ new reports?)?$/ } : { name: section, exact: true };
  await step(page, `admin opens "${section}"`, () => mainNav(page).getByRole('link', link).click());
  const region = page.getByRole('region', { name: section, exact: true });
  await step(page, `the "${section}" section shows`, () => region.getByRole('heading', { name: section, exact: true }).waitFor());
  return region;
}

/** Settings: set one switch and Save; returns when the console says the settings were saved. */
export async function adminSetsSetting(page: Page, system: RunningSystem, label: string, on: boolean): Promise<void> {
  const section = await adminOpensSection(page, system, 'Settings');
  const toggle = section.getByRole('switch', { name: label, exact: true });
  await step(page, `admin turns ${on ? 'on' : 'off'} "${label}"`, () => toggle.setChecked(on));
  await step(page, 'admin clicks "Save"', () => section.getByRole('button', { name: 'Save', exact: true }).click());
  await step(page, 'admin sees "Settings saved."', () => section.getByText('Settings saved.', { exact: true }).waitFor());
}

export interface RuleInput {
  name: string;
  appliesTo: 'Helpers and sharers' | 'Helpers' | 'Sharers';
  grant: 'Block' | 'Require MFA' | 'Require compliant device';
  mode: 'On' | 'Report-only';
}

/** Conditional access: "New rule", name, applies to, grant, mode, "Save rule"; the rule is then listed. */
export async function adminCreatesRule(page: Page, system: RunningSystem, rule: RuleInput): Promise<void> {
  const section = await adminOpensSection(page, system, 'Conditional access');
  await step(page, 'admin clicks "New rule"', () => section.getByRole('button', { name: 'New rule', exact: true }).click());
  await step(page, `admin names the rule "${rule.name}"`, () => section.getByLabel('Rule name', { exact: true }).fill(rule.name));
  await step(page, `admin picks "Applies to: ${rule.appliesTo}"`, () => section.getByLabel('Applies to', { exact: true }).selectOption({ label: rule.appliesTo }));
  await step(page, `admin picks the grant "${rule.grant}"`, () => section.getByRole('radio', { name: rule.grant, exact: true }).check());
  await step(page, `admin picks "Mode: ${rule.mode}"`, () => section.getByLabel('Mode', { exact: true }).selectOption({ label: rule.mode }));
  await step(page, 'admin clicks "Save rule"', () => section.getByRole('button', { name: 'Save rule', exact: true }).click());
  await step(page, `admin sees that "${rule.name}" was saved and is listed`, async () => {
    await section.getByText(`Rule “${rule.name}” saved.`, { exact: false }).waitFor();
    await section.getByRole('table', { name: 'Conditional access rules' }).getByRole('rowheader', { name: rule.name, exact: true }).waitFor();
  });
}

/** Device enrollment: the administrator finds the device among those awaiting approval and clicks
 * "Approve NAME"; returns when the console says it is approved. */
export async function adminApprovesDevice(page: Page, system: RunningSystem, deviceName: string): Promise<void> {
  const section = await adminOpensSection(page, system, 'Device enrollment');
  const pending = section.getByRole('table', { name: 'Devices awaiting approval' });
  await step(page, `admin sees "${deviceName}" awaiting approval`, () => pending.getByRole('rowheader', { name: deviceName, exact: true }).waitFor());
  await step(page, `admin clicks "Approve ${deviceName}"`, () => pending.getByRole('button', { name: `Approve ${deviceName}`, exact: true }).click());
  await step(page, `admin sees "${deviceName} approved."`, () => section.getByRole('status').filter({ hasText: `${deviceName} approved.` }).waitFor());
}

/** A refusal as the page shows it (role=alert): every text in `expected` is in that one alert. */
export async function expectRefusal(page: Page, who: string, expected: string[]): Promise<void> {
  await step(page, `${who} is refused and told: ${expected.map((t) => `"${t}"`).join(' + ')}`, async () => {
    let alert = page.getByRole('alert');
    for (const text of expected) alert = alert.filter({ hasText: text });
    await alert.first().waitFor();
  });
}

/** /rhh: a (possibly returning) helper is told the refusal as soon as the page knows it, before any
 * "Get security code" (which is not offered), with "Sign in with another account" instead. */
export async function webHelperIsRefused(page: Page, system: RunningSystem, email: string, expected: string[]): Promise<void> {
  const instead = page.getByRole('button', { name: 'Sign in with another account' });
  await step(page, `helper opens ${system.webHelperUrl}`, () => page.goto(system.webHelperUrl));
  await step(page, `helper is signed in as ${email} on /rhh`, () => signInOnWebPageIfAsked(page, email, instead));
  await expectRefusal(page, `helper ${email}`, expected);
  await step(page, 'the refused helper is offered "Sign in with another account", and neither "Get security code" nor "Try again" nor a code', async () => {
    await instead.waitFor();
    for (const [what, count] of [
      ['"Get security code"', await page.getByRole('button', { name: 'Get security code' }).count()],
      ['"Try again"', await page.getByRole('button', { name: 'Try again' }).count()],
      ['a "Security code"', await page.getByLabel('Security code', { exact: true }).count()],
    ] as const) {
      if (count > 0) throw new Error(`${what} is shown although the helper was refused`);
    }
  });
}

export interface EnrollInput {
  name: string;
  platform: string;
  osVersion: string;
  diskEncryption: boolean;
  firewall: boolean;
}

/** /enroll: sign in (unless signed in), report the properties, "Enroll this device"; returns the
 * result region ("Device enrolled", compliant or not, with the reasons). */
export async function sharerEnrolls(page: Page, system: RunningSystem, device: EnrollInput, email: string = users.sharer): Promise<Locator> {
  const nameBox = page.getByLabel('Device name', { exact: true });
  await step(page, `sharer opens ${system.relayUrl}/enroll`, () => page.goto(`${system.relayUrl}/enroll`));
  await step(page, `sharer is signed in as ${email} on /enroll`, () => signInOnWebPageIfAsked(page, email, nameBox));
  await step(page, `sharer fills in "Device name": ${device.name}`, () => nameBox.fill(device.name));
  await step(page, `sharer reports "Platform": ${device.platform}`, () => page.getByLabel('Platform', { exact: true }).fill(device.platform));
  await step(page, `sharer reports "OS version": ${device.osVersion}`, () => page.getByLabel('OS version', { exact: true }).fill(device.osVersion));
  await step(page, `sharer ${device.diskEncryption ? 'checks' : 'leaves unchecked'} "Disk encryption is on"`, () =>
    page.getByLabel('Disk encryption is on', { exact: true }).setChecked(device.diskEncryption));
  await step(page, `sharer ${device.firewall ? 'checks' : 'leaves unchecked'} "Firewall is on"`, () =>
    page.getByLabel('Firewall is on', { exact: true }).setChecked(device.firewall));
  await step(page, 'sharer clicks "Enroll this device"', () => page.getByRole('button', { name: 'Enroll this device', exact: true }).click());
  const result = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Device enrolled', exact: true }) });
  await step(page, `sharer sees "Device enrolled" and "${device.name} is enrolled."`, () => result.getByText(`${device.name} is enrolled.`, { exact: true }).waitFor());
  return result;
}
