// The console renderer's safety net for links (what a click does, decided without a page): its own
// links behave as links; a link to another site — the session link above all — opens in a new tab,
// never in the console's window; anything else goes nowhere. leave-session.test.ts clicks the real one.
import assert from 'node:assert/strict';
import { linkClick } from '#desktop/renderer/src/external-links.js';

describe('a click on a link in the console', () => {
  const origin = 'http://127.0.0.1:40123';

  it('leaves the console its own links: hashes, pages and blobs of its own origin', () => {
    for (const href of [`${origin}/?k=s#devices`, `${origin}/#admin/reports`, `blob:${origin}/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed`]) {
      assert.deepEqual(linkClick(href, origin), { kind: 'ours' }, href);
    }
  });

  it('opens the session link, and any other web page elsewhere, in a new tab', () => {
    const link = 'https://help.example.com/rh?passcode=ABCD2345';
    assert.deepEqual(linkClick(link, origin), { kind: 'new-tab', url: link });
    assert.deepEqual(linkClick('http://127.0.0.1:8443/rh', origin), { kind: 'new-tab', url: 'http://127.0.0.1:8443/rh' });
  });

  it('goes nowhere with a file, another scheme or something not a URL', () => {
    for (const href of ['file:///etc/passwd', 'mailto:someone@example.com', 'javascript:alert(1)', 'not a url']) {
      assert.deepEqual(linkClick(href, origin), { kind: 'nowhere' }, href);
    }
  });
});
