// The saved receipt (ui/src/receipt-file.ts): a self-contained HTML page with the receipt's values,
// escaped, nothing that runs or loads, named by its date and report.
import assert from 'node:assert/strict';
import type { SessionReceipt } from '#protocol';
import { receiptFile, receiptFileName } from '#ui/receipt-file.js';
import { receiptLines, receiptTime } from '#ui/receipt-lines.js';

const receipt: SessionReceipt = {
  sessionId: 'sess-1',
  reportId: '7f3c2a91-0b4e-4c1d-9e2f-3a4b5c6d7e8f',
  helper: { name: 'Eve <script>alert(1)</script> & "co"', upn: 'eve@contoso.example' },
  sharingSince: '2026-11-30T10:00:05.000Z',
  endedAt: '2026-11-30T10:12:40.000Z',
  pauses: [{ from: '2026-11-30T10:03:00.000Z', to: '2026-11-30T10:03:30.000Z' }, { from: '2026-11-30T10:12:00.000Z', to: null }],
};

describe('the saved receipt', () => {
  it('holds the helper, the shared time, each pause and the report id, escaped, in the page\'s language', () => {
    const { html } = receiptFile(receipt, { lang: 'sv', dir: 'ltr' });
    assert.ok(html.includes('Eve &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;'));
    assert.ok(!html.includes('<script'), 'no script element, not even from a name');
    assert.ok(html.includes('eve@contoso.example') && html.includes(receipt.reportId!));
    for (const iso of [receipt.sharingSince!, receipt.endedAt, receipt.pauses[0]!.from, receipt.pauses[0]!.to!, receipt.pauses[1]!.from]) {
      assert.ok(html.includes(receiptTime(iso, 'sv')), `shows ${iso} as Swedish writes it`);
    }
    assert.match(html, /<html lang="sv" dir="ltr">/);
  });

  it('loads nothing and runs nothing: no external address, a policy that forbids both', () => {
    const { html } = receiptFile(receipt, { lang: 'ar', dir: 'rtl' });
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /default-src 'none'; style-src 'unsafe-inline'/);
    assert.ok(!/\b(src|href)=/i.test(html), 'no src or href attribute');
    assert.ok(!/https?:\/\//.test(html), 'no address');
  });

  it('is named by the day it ended and the report\'s short id; says when nothing was shared', () => {
    const local = new Date(receipt.endedAt);
    const day = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
    assert.equal(receiptFileName(receipt), `remote-help-receipt-${day}-7f3c2a91.html`);
    const notShared = receiptFile({ ...receipt, sharingSince: null, pauses: [], reportId: null }, { lang: 'en', dir: 'ltr' });
    assert.ok(notShared.html.includes('The screen was not shared'));
    assert.ok(notShared.html.includes('Not recorded'));
    assert.match(notShared.name, /-sess1\.html$/);
  });

  it('names each colleague the sharer allowed, from when to when, and whom the session was handed over to; says nothing of them when there were none', () => {
    const withColleagues: SessionReceipt = {
      ...receipt,
      colleagues: [
        { name: 'Colin <b>Colleague</b>', upn: 'colin@contoso.example', from: '2026-11-30T10:04:00.000Z', to: '2026-11-30T10:06:00.000Z' },
        { name: 'Dana Second', upn: 'dana@contoso.example', from: '2026-11-30T10:08:00.000Z', to: null },
      ],
      handedOverTo: { name: 'Dana Second', upn: 'dana@contoso.example' },
    };
    const lines = receiptLines(withColleagues, 'en');
    assert.deepEqual(lines.map((l) => l.key), ['helper', 'colleagues', 'handed-over', 'shared', 'pauses', 'report']);
    const t = (iso: string) => receiptTime(iso, 'en');
    assert.deepEqual(lines.find((l) => l.key === 'colleagues')?.values, [
      `Colin <b>Colleague</b> (colin@contoso.example), from ${t('2026-11-30T10:04:00.000Z')} to ${t('2026-11-30T10:06:00.000Z')}`,
      `Dana Second (dana@contoso.example), from ${t('2026-11-30T10:08:00.000Z')} until the end`,
    ]);
    assert.deepEqual(lines.find((l) => l.key === 'handed-over'), { key: 'handed-over', label: 'Session handed over to', values: ['Dana Second', 'dana@contoso.example'] });
    const { html } = receiptFile(withColleagues, { lang: 'en', dir: 'ltr' });
    assert.ok(html.includes('Also saw your screen') && html.includes('Colin &lt;b&gt;Colleague&lt;/b&gt; (colin@contoso.example)'));
    assert.ok(html.includes('Session handed over to'));
    assert.deepEqual(receiptLines({ ...receipt, colleagues: [] }, 'en').map((l) => l.key), ['helper', 'shared', 'pauses', 'report']);
  });
});
