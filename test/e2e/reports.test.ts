// Session reports in the console's Tenant administration: a completed session (from an enrolled
// browser) and a denied one (unenrolled) each show up as one row with their outcome, helper, sharer
// and device; the outcome filter narrows the list; "Export CSV" downloads both; "Verify chain" says
// the chain is intact. A reported session (the sharer pressed Report) comes first, counted in the
// navigation until an administrator marks it reviewed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { AxeAudit } from '../support/axe.js';
import { useSystem } from '../support/e2e.js';
import {
  expectFramesAdvancing, expectSessionEnded, sharerAnswers, sharerConnects, sharerOpensLink, sharerOpensLinkAndConnects, step,
  users, visibleText, webHelperGetsCode, webHelperNewCode,
} from './flows.js';
import { adminOpensSection, sharerEnrolls } from './policy-flows.js';

const laptop = { name: 'SOFIA-WORK-LAPTOP', platform: 'Linux', osVersion: '6.12', diskEncryption: true, firewall: true };

/** The report rows whose cells include every text given. */
function reportRows(section: Locator, ...texts: string[]): Locator {
  let rows = section.getByRole('table', { name: 'Session reports' }).getByRole('row');
  for (const t of texts) rows = rows.filter({ has: section.page().getByRole('cell', { name: t, exact: true }) });
  return rows;
}

async function expectRow(page: Page, section: Locator, what: string, ...texts: string[]): Promise<void> {
  await step(page, `the reports list a ${what} row: ${texts.join(' | ')}`, () => reportRows(section, ...texts).first().waitFor());
}

describe('end to end: session reports in the admin view', function () {
  this.timeout(180_000);
  const e2e = useSystem();

  it('a completed and a denied session are listed with their outcomes, filter by outcome, export as CSV, and the chain verifies', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const other = await e2e.person('sharer on another browser');
    const admin = await e2e.person('admin');

    // A completed session, from an enrolled browser: allowed, screen seen, ended by the helper.
    await sharerEnrolls(sharer, e2e.system, laptop);
    const first = await webHelperGetsCode(helper, e2e.system);
    await sharerOpensLink(sharer, first.link);
    await sharerConnects(sharer);
    await sharerAnswers(sharer, 'Allow');
    await expectFramesAdvancing(helper);
    await step(helper, 'helper clicks "End session"', () => helper.getByRole('button', { name: 'End session' }).click());
    await expectSessionEnded(sharer, 'sharer');

    // A denied one, from a browser that never enrolled.
    const second = await webHelperNewCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(other, second.link);
    await sharerAnswers(other, 'Deny');
    await expectSessionEnded(helper, 'helper');

    const reports = await adminOpensSection(admin, e2e.system, 'Reports');
    await expectRow(admin, reports, 'completed', 'Completed', users.helper, users.sharer, laptop.name);
    await expectRow(admin, reports, 'denied', 'Denied', users.helper, users.sharer, 'Unenrolled');

    await step(admin, 'admin picks "Outcome: Denied" and clicks "Apply filters"', async () => {
      await reports.getByLabel('Outcome', { exact: true }).selectOption({ label: 'Denied' });
      await reports.getByRole('button', { name: 'Apply filters', exact: true }).click();
    });
    await step(admin, 'only the denied session is listed ("Showing 1–1 of 1")', async () => {
      await reports.getByText('Showing 1–1 of 1', { exact: true }).waitFor();
      await reportRows(reports, 'Denied', 'Unenrolled').first().waitFor();
      const completed = await reportRows(reports, 'Completed').count();
      if (completed > 0) throw new Error('the completed session is still listed under "Outcome: Denied"');
    });

    await step(admin, 'admin picks "Outcome: Any outcome" and clicks "Apply filters"', async () => {
      await reports.getByLabel('Outcome', { exact: true }).selectOption({ label: 'Any outcome' });
      await reports.getByRole('button', { name: 'Apply filters', exact: true }).click();
      await reports.getByText('Showing 1–2 of 2', { exact: true }).waitFor();
    });
    const download = admin.waitForEvent('download', { timeout: 15_000 });
    await step(admin, 'admin clicks "Export CSV"', () => reports.getByRole('button', { name: 'Export CSV', exact: true }).click());
    const file = await step(admin, 'a CSV file is downloaded', () => download);
    assert.match(file.suggestedFilename(), /\.csv$/, `the download is named "${file.suggestedFilename()}", not *.csv`);
    const csv = await readFile(await file.path(), 'utf8');
    const lines = csv.split(/\r?\n/).filter((l) => l !== '');
    const rows = lines.slice(1);
    assert.equal(rows.length, 2, `the CSV has ${rows.length} rows, not the 2 sessions:\n${csv}`);
    const completed = rows.filter((r) => r.includes(',completed,'));
    const denied = rows.filter((r) => r.includes(',denied,'));
    assert.equal(completed.length, 1, `the CSV has no (or more than one) completed row:\n${csv}`);
    assert.equal(denied.length, 1, `the CSV has no (or more than one) denied row:\n${csv}`);
    for (const row of rows) assert.ok(row.includes(users.helper) && row.includes(users.sharer), `a CSV row lacks the helper or the sharer: ${row}`);
    assert.ok(completed[0]!.includes(laptop.name), `the completed row does not name the device ${laptop.name}: ${completed[0]}`);

    await step(admin, 'admin clicks "Verify chain"', () => reports.getByRole('button', { name: 'Verify chain', exact: true }).click());
    await step(admin, 'admin sees that the report chain is intact', async () => {
      const intact = reports.getByRole('status').filter({ hasText: /The report chain is intact \(\d+ records checked\)/ });
      await intact.first().waitFor();
    });
    assert.doesNotMatch(await visibleText(admin), /chain is broken/, 'the console says the report chain is broken');
  });

  // After the test above: its two sessions are older than this one.
  it('Report: the sharer is told what to do next, the helper only that it ended; the admin sees it first, counted as new until reviewed', async () => {
    const helper = await e2e.person('helper');
    const sharer = await e2e.person('sharer');
    const admin = await e2e.person('admin');

    const audit = new AxeAudit('reported-session');
    const issued = await webHelperGetsCode(helper, e2e.system);
    await sharerOpensLinkAndConnects(sharer, issued.link);
    await sharer.getByRole('button', { name: 'Report', exact: true }).waitFor();
    await audit.check(sharer, 'rh trust screen with Report');
    await step(sharer, 'sharer clicks "Report" on the trust screen', () => sharer.getByRole('button', { name: 'Report', exact: true }).click());
    await expectSessionEnded(sharer, 'sharer');
    await step(sharer, 'sharer sees that the administrators were told, and what not to do now', async () => {
      await sharer.getByText('You declined the request and reported it.', { exact: true }).waitFor();
      await sharer.getByText("Your organization's administrators have been told, and they can see who asked.", { exact: true }).waitFor();
      await sharer.getByText('Do not share your screen with them.', { exact: true }).waitFor();
      await sharer.getByText(/contact your IT support through a channel you already know/).waitFor();
    });
    await audit.check(sharer, 'rh after Report');
    await expectSessionEnded(helper, 'helper');
    await step(helper, 'helper reads a plain decline, not a report', () => helper.getByText(/declined the request/).first().waitFor());
    assert.doesNotMatch(await visibleText(helper), /report/i, 'the helper is told that the sharer reported them');

    const reports = await adminOpensSection(admin, e2e.system, 'Reports');
    const nav = admin.getByRole('navigation', { name: 'Main' });
    const counted = nav.getByRole('link', { name: /^Reports\W*1 new report$/ });
    await step(admin, 'the navigation says "1 new report" beside Reports', () => counted.waitFor());
    const top = reports.getByRole('table', { name: 'Session reports' }).getByRole('row').nth(1);
    await step(admin, 'the first report row is the reported session: time, helper, sharer, device, address', async () => {
      await top.getByText('Reported by the sharer', { exact: true }).waitFor();
      for (const cell of [users.helper, users.sharer, 'Unenrolled']) await top.getByRole('cell', { name: cell, exact: true }).waitFor();
      await top.getByRole('cell', { name: /^(::ffff:)?127\.0\.0\.1$|^::1$/ }).waitFor();
      await top.locator('time').waitFor();
    });
    await audit.check(admin, 'console reports with a new reported session');
    await step(admin, 'admin clicks "Mark reviewed" on it', () => top.getByRole('button', { name: /^Mark reviewed/ }).click());
    await step(admin, 'the row says who reviewed it, and the count is gone', async () => {
      await top.getByText(/^Reviewed by /).waitFor();
      await nav.getByRole('link', { name: 'Reports', exact: true }).waitFor();
    });
    await audit.check(admin, 'console reports, reviewed');
    audit.save();
    assert.deepEqual(audit.problems(), [], audit.problems().join('\n'));
  });
});
